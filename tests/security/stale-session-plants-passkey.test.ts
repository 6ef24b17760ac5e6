import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { generate } from 'otplib'
import { passkeys } from '../../src/features/passkeys/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { SoftAuthenticator } from '../support/authenticator'
import { nativeClient, newUser, renewableMe, signInNative, type MeApi } from '../support/flows'

/**
 * Finding 1 (high): registration-options and POST /me/passkeys needed no recent factor, and a
 * passkey sign-in skips MFA, so a leaked session token became a permanent way in that survives
 * password changes and TOTP. Now a new passkey needs a factor verified within 10 minutes, and a
 * *second* factor when the user has one (API.md §12 "Step-up for new ways in").
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const settings = {
  password: { argon2: { memory_kib: 8192, iterations: 1 } },
  rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 },
}

async function signedIn(tenant: CreatedTenant) {
  const user = await newUser(t, tenant)
  const client = nativeClient(t, tenant)
  const signed = await signInNative(t, tenant, user, client)
  return { user, client, session: signed.session, me: renewableMe(t, tenant, client, signed) }
}

async function plant(me: MeApi): Promise<[Response, Response]> {
  const optionsRes = await me('POST', '/passkeys/registration-options')
  // Even with options obtained earlier, the registration itself steps up.
  const options = optionsRes.status === 200 ? await optionsRes.json() : null
  const credential = options ? await new SoftAuthenticator(PUBLIC_URL).register(options) : { id: 'x', response: {} }
  return [optionsRes, await me('POST', '/passkeys', { credential })]
}

const passkeyRows = (tenant: CreatedTenant, userId: string) =>
  withTenant(t.deps.db, tenant.id, (tx) => tx.select().from(passkeys).where(eq(passkeys.userId, userId)))

describe('stale session plants a passkey', () => {
  it('refuses both registration calls to a session whose factor is older than 10 minutes, and stores nothing', async () => {
    const tenant = await newTenant(t, { settings })
    const { user, me } = await signedIn(tenant)
    t.clock.advance(11 * 60_000)
    await me.renew!()
    const [options, register] = await plant(me)
    for (const res of [options, register]) {
      expect(res.status).toBe(403)
      expect(await firstError(res)).toMatchObject({ code: 'reverification_required', meta: { required_factor: 'any' } })
    }
    expect(await passkeyRows(tenant, user.id)).toHaveLength(0)
  })

  it('counts the 10 minutes to the millisecond, not in whole minutes', async () => {
    const tenant = await newTenant(t, { settings: { ...settings, session: { token_lifetime_s: 3600 } } })
    const { me } = await signedIn(tenant)
    t.clock.advance(10 * 60_000 - 1000)
    expect((await me('POST', '/passkeys/registration-options')).status).toBe(200)
    t.clock.advance(2000)
    expect((await me('POST', '/passkeys/registration-options')).status).toBe(403)
  })

  it('refuses options obtained while fresh once the session has gone stale', async () => {
    const tenant = await newTenant(t, { settings })
    const { user, me } = await signedIn(tenant)
    const options = await (await me('POST', '/passkeys/registration-options')).json()
    t.clock.advance(11 * 60_000)
    await me.renew!()
    const credential = await new SoftAuthenticator(PUBLIC_URL).register(options)
    expect((await me('POST', '/passkeys', { credential })).status).toBe(403)
    expect(await passkeyRows(tenant, user.id)).toHaveLength(0)
  })

  it('asks a user with TOTP for a fresh second factor: a freshly re-entered password is not enough', async () => {
    const tenant = await newTenant(t, { settings })
    const { user, client, session, me } = await signedIn(tenant)
    const { secret } = (await (await me('POST', '/totp')).json()) as { secret: string }
    expect(
      (await me('POST', '/totp/verify', { code: await generate({ secret, epoch: t.clock.now() / 1000 }) })).status,
    ).toBe(200)
    t.clock.advance(11 * 60_000)
    // The attacker knows the password (phished) and holds the session: first factor fresh, second stale.
    const reverified = await client.request('POST', `/client/sessions/${session.id}/reverify`, {
      strategy: 'password',
      password: user.password,
    })
    const jwt = ((await reverified.json()) as { jwt: string }).jwt
    expect((decodeJwt(jwt) as { fva: number[] }).fva).toEqual([0, 11])
    const stale = renewableMe(t, tenant, client, { session, session_token: jwt, refresh_token: '' })
    const [options] = await plant(stale)
    expect(options.status).toBe(403)
    expect((await firstError(options)).meta).toMatchObject({ required_factor: 'second_factor' })
    // The real user proves TOTP and may add the passkey.
    const viaTotp = await client.request('POST', `/client/sessions/${session.id}/reverify`, {
      strategy: 'totp',
      code: await generate({ secret, epoch: t.clock.now() / 1000 }),
    })
    const strong = renewableMe(t, tenant, client, {
      session,
      session_token: ((await viaTotp.json()) as { jwt: string }).jwt,
      refresh_token: '',
    })
    const [ok, created] = await plant(strong)
    expect([ok.status, created.status]).toEqual([200, 201])
    expect(await passkeyRows(tenant, user.id)).toHaveLength(1)
  })

  it('a user whose second factor is a passkey steps up by reverifying with it', async () => {
    const tenant = await newTenant(t, { settings })
    const { client, session, me } = await signedIn(tenant)
    const authenticator = new SoftAuthenticator(PUBLIC_URL)
    const credential = await authenticator.register(await (await me('POST', '/passkeys/registration-options')).json())
    expect((await me('POST', '/passkeys', { credential })).status).toBe(201)
    t.clock.advance(11 * 60_000)
    await me.renew!()
    expect((await me('POST', '/passkeys/registration-options')).status).toBe(403)
    const started = await client.request('POST', `/client/sessions/${session.id}/reverify/challenges`, {
      strategy: 'passkey',
    })
    expect(started.status).toBe(201)
    const challenge = (await started.json()) as { public_key_options: Parameters<SoftAuthenticator['authenticate']>[0] }
    expect(challenge.public_key_options.userVerification).toBe('required')
    const assertion = await authenticator.authenticate(challenge.public_key_options)
    const res = await client.request('POST', `/client/sessions/${session.id}/reverify`, {
      strategy: 'passkey',
      credential: assertion,
    })
    expect(res.status).toBe(200)
    const jwt = ((await res.json()) as { jwt: string }).jwt
    expect(decodeJwt(jwt) as { fva: number[]; amr: string[] }).toMatchObject({
      fva: [11, 0],
      amr: ['password', 'passkey'],
    })
    const strong = renewableMe(t, tenant, client, { session, session_token: jwt, refresh_token: '' })
    expect((await strong('POST', '/passkeys/registration-options')).status).toBe(200)
    // The same assertion cannot be replayed.
    expect(
      (
        await client.request('POST', `/client/sessions/${session.id}/reverify`, {
          strategy: 'passkey',
          credential: assertion,
        })
      ).status,
    ).toBe(422)
  })

  it('lets a fresh session add a passkey, and counts its user-verified registration as a second factor', async () => {
    const tenant = await newTenant(t, { settings })
    const { user, me } = await signedIn(tenant)
    const [options, register] = await plant(me)
    expect([options.status, register.status]).toEqual([200, 201])
    expect(await passkeyRows(tenant, user.id)).toHaveLength(1)
    // The passkey is now a second factor of the account; its registration proved it in this session.
    await me.renew!()
    const [again, second] = await plant(me)
    expect([again.status, second.status]).toEqual([200, 201])
  })
})
