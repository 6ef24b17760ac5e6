import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test'
import { generate } from 'otplib'
import { Tessera, TesseraError, memoryStorage, type TesseraEvents, type TokenStorage } from '../../src/sdk/js/src/index'
import { liveServer, type LiveServer } from '../support/live-server'
import { claimsOf, sdkTenant, type SdkTenant } from '../support/sdk-tenant'

/**
 * @tessera/js in native mode (React Native's way: `X-Client-Token`, tokens in a storage) against a listening
 * server: sign-up, sign-in, tokens and their refresh, restore, organizations and reverification.
 */
let s: LiveServer
beforeAll(async () => {
  s = await liveServer()
})
afterAll(() => s.close())

const instances: Tessera[] = []
afterEach(() => {
  for (const instance of instances.splice(0)) instance.destroy()
})

function sdk(tenant: SdkTenant, storage: TokenStorage = memoryStorage()) {
  const tessera = new Tessera({ issuer: tenant.issuer, mode: 'native', storage })
  instances.push(tessera)
  const seen: { [E in keyof TesseraEvents]: TesseraEvents[E][] } = { change: [], token: [], signed_out: [], error: [] }
  for (const event of Object.keys(seen) as (keyof TesseraEvents)[])
    tessera.on(event, (payload) => (seen[event] as unknown[]).push(payload))
  return { tessera, storage, seen }
}

/** The next `token` event, or a failure after `ms`. */
const nextToken = (tessera: Tessera, ms: number) =>
  new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no token within ${ms} ms`)), ms)
    const off = tessera.on('token', ({ jwt }) => {
      clearTimeout(timer)
      off()
      resolve(jwt)
    })
  })

describe('@tessera/js native mode', () => {
  it('signs up with an email code, loads the user, signs out and signs in again with the password', async () => {
    const { tenant, codeSentTo } = await sdkTenant(s)
    const { tessera, storage, seen } = sdk(tenant)
    expect(await tessera.load()).toMatchObject({ loaded: true, session: null, user: null })
    // The first call asked for a native client; its token is kept for every later call.
    expect(await storage.get(`tessera:${tenant.issuer}:client`)).toBeString()

    const email = `new-${crypto.randomUUID().slice(0, 8)}@example.com`
    const password = 'a long and unguessable passphrase'
    const started = await tessera.signUp.create({ emailAddress: email, password, firstName: 'Ada' })
    expect(started).toMatchObject({ status: 'missing_requirements', unverified_fields: ['email_address'] })
    expect(await tessera.signUp.challenge('email_code')).toMatchObject({ strategy: 'email_code', status: 'pending' })
    const done = await tessera.signUp.answer(await codeSentTo(email))
    expect(done.status).toBe('complete')

    const { state } = tessera
    expect(state.session).toMatchObject({ id: done.created_session_id!, status: 'active' })
    expect(state.user).toMatchObject({ id: done.created_user_id!, first_name: 'Ada', password_enabled: true })
    expect(state.user!.email_addresses).toMatchObject([{ email_address: email, verified: true }])
    expect(state.memberships).toEqual([])
    expect(state.client!.sessions.map((x) => x.id)).toEqual([done.created_session_id!])
    expect(await storage.get(`tessera:${tenant.issuer}:refresh:${done.created_session_id}`)).toBeString()
    expect(seen.token.map((t) => t.sessionId)).toEqual([done.created_session_id!])
    expect(seen.change.at(-1)).toBe(state)
    expect(claimsOf((await tessera.getToken())!)).toMatchObject({
      sub: done.created_user_id,
      sid: done.created_session_id,
    })

    await tessera.signOut()
    expect(seen.signed_out).toEqual([{ sessionId: done.created_session_id }])
    expect(tessera.state).toMatchObject({ session: null, user: null, client: { sessions: [] } })
    expect(await tessera.getToken()).toBeNull()
    expect(await storage.get(`tessera:${tenant.issuer}:refresh:${done.created_session_id}`)).toBeNull()

    const again = await tessera.signIn.create({ identifier: email, password })
    expect(again.status).toBe('complete')
    expect(tessera.state.user!.id).toBe(done.created_user_id!)
    expect(tessera.state.session!.id).toBe(again.created_session_id!)
    expect(seen.error).toEqual([])
  })

  it('refreshes the token before it expires, which introspects active until sign-out and inactive after', async () => {
    const { tenant, newUser, patchSettings, introspect } = await sdkTenant(s)
    await patchSettings({ session: { token_lifetime_s: 5 } })
    const user = await newUser()
    const { tessera } = sdk(tenant)
    const signedInAt = performance.now()
    const signIn = await tessera.signIn.create({ identifier: user.email, password: user.password })
    expect(signIn.status).toBe('complete')

    const first = (await tessera.getToken())!
    const firstClaims = claimsOf(first)
    expect(firstClaims).toMatchObject({ sub: user.id, sid: signIn.created_session_id, amr: ['password'] })
    expect((firstClaims.exp as number) - (firstClaims.iat as number)).toBe(5)
    expect(await tessera.getToken()).toBe(first)

    // The server's clock moves 2 s; the SDK's timer refreshes halfway through the 5 s token, before it expires.
    s.clock.advance(2_000)
    const refreshed = await nextToken(tessera, 4_000)
    expect(performance.now() - signedInAt).toBeLessThan(5_000)
    expect(await tessera.getToken()).toBe(refreshed)
    const claims = claimsOf(refreshed)
    expect(claims).toMatchObject({ sub: user.id, sid: signIn.created_session_id })
    expect(claims.exp as number).toBeGreaterThan(firstClaims.exp as number)
    // The old token had not expired on the server's clock when it was replaced.
    expect(await introspect(first)).toMatchObject({ active: true })
    expect(await introspect(refreshed)).toMatchObject({ active: true, sub: user.id, sid: signIn.created_session_id })

    await tessera.signOut()
    expect(await introspect(refreshed)).toEqual({ active: false })
    expect(await tessera.getToken()).toBeNull()
  })

  it('answers a wrong password with TesseraError form_password_incorrect and attempts_remaining', async () => {
    const { tenant, newUser } = await sdkTenant(s)
    const user = await newUser()
    const { tessera, seen } = sdk(tenant)
    expect(await tessera.signIn.create({ identifier: user.email })).toMatchObject({ status: 'needs_first_factor' })
    const error = await tessera.signIn.answer({ password: 'not the password' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TesseraError)
    expect(error).toMatchObject({ status: 422, code: 'form_password_incorrect', meta: { attempts_remaining: 9 } })
    expect(seen.error).toEqual([error as TesseraError])
    expect(tessera.state.session).toBeNull()
    // The failed challenge still takes the right password.
    expect(await tessera.signIn.answer({ password: user.password })).toMatchObject({ status: 'complete' })
    expect(tessera.state.user!.id).toBe(user.id)
  })

  it('restores the session from storage in a second instance', async () => {
    const { tenant, newUser } = await sdkTenant(s)
    const user = await newUser()
    const storage = memoryStorage()
    const first = sdk(tenant, storage).tessera
    const signIn = await first.signIn.create({ identifier: user.email, password: user.password })

    const second = sdk(tenant, storage).tessera
    const state = await second.load()
    expect(state).toMatchObject({ loaded: true, session: { id: signIn.created_session_id }, user: { id: user.id } })
    const token = (await second.getToken())!
    expect(claimsOf(token)).toMatchObject({ sub: user.id, sid: signIn.created_session_id })
    // A third instance, after the second rotated the refresh token, reads the rotated one.
    const third = sdk(tenant, storage).tessera
    expect((await third.load()).session!.id).toBe(signIn.created_session_id!)
  })

  it('switches the active organization: the token carries org_id, and null switches back', async () => {
    const { tenant, newUser, bapi } = await sdkTenant(s)
    const user = await newUser()
    const { tessera } = sdk(tenant)
    await tessera.signIn.create({ identifier: user.email, password: user.password })
    const org = await bapi<{ id: string; slug: string }>(
      'POST',
      '/v1/organizations',
      { name: 'Acme', created_by: user.id },
      201,
    )

    await tessera.setActive({ organizationId: org.id })
    expect(tessera.state.session!.last_active_organization_id).toBe(org.id)
    expect(tessera.state.membership).toMatchObject({ organization: { id: org.id }, role: 'org:owner' })
    expect(claimsOf((await tessera.getToken())!)).toMatchObject({
      org_id: org.id,
      org_slug: org.slug,
      org_role: 'org:owner',
    })

    await tessera.setActive({ organizationId: null })
    expect(tessera.state.membership).toBeNull()
    expect(claimsOf((await tessera.getToken())!).org_id).toBeUndefined()

    // getToken({ organizationId }) switches through the refresh itself.
    expect(claimsOf((await tessera.getToken({ organizationId: org.id }))!)).toMatchObject({ org_id: org.id })
    expect(tessera.state.session!.last_active_organization_id).toBe(org.id)
  })

  it('surfaces 403 reverification_required, and reverify() with the password lets the change through', async () => {
    const { tenant, newUser } = await sdkTenant(s)
    const user = await newUser()
    const { tessera } = sdk(tenant)
    await tessera.signIn.create({ identifier: user.email, password: user.password })

    // Eleven minutes on, the password was proved too long ago to add a way in (and the session token expired:
    // the SDK refreshes it and retries once).
    s.clock.advance(11 * 60_000)
    const added = `second-${crypto.randomUUID().slice(0, 8)}@example.com`
    const refused = await tessera.account.addEmailAddress(added).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(TesseraError)
    expect(refused).toMatchObject({ status: 403, code: 'reverification_required', meta: { required_factor: 'any' } })
    expect((claimsOf((await tessera.getToken())!).fva as number[])[0]).toBe(11)

    const fresh = nextToken(tessera, 5_000)
    await tessera.account.reverify({ strategy: 'password', password: user.password })
    const token = await fresh
    expect(await tessera.getToken()).toBe(token)
    expect(claimsOf(token)).toMatchObject({ sub: user.id, fva: [0, -1] })
    expect(await tessera.account.addEmailAddress(added)).toMatchObject({ email_address: added, verified: false })
    expect(tessera.state.user!.email_addresses.map((e) => e.email_address)).toContain(added)
  })

  it('keeps two sessions on one client, switches between them, mints a template token and signs out of all', async () => {
    const { tenant, newUser, bapi, codeSentTo, introspect } = await sdkTenant(s)
    const ada = await newUser()
    const bob = await newUser()
    await bapi('POST', '/v1/jwt-templates', { name: 'api', claims: { email: '{{user.primary_email_address}}' } }, 201)
    const { tessera, seen } = sdk(tenant)

    await tessera.signIn.create({ identifier: ada.email })
    expect(await tessera.signIn.challenge('email_code')).toMatchObject({ strategy: 'email_code', status: 'pending' })
    const adaIn = await tessera.signIn.answer({ code: await codeSentTo(ada.email) })
    expect(adaIn.status).toBe('complete')
    const adaToken = (await tessera.getToken())!
    const bobIn = await tessera.signIn.create({ identifier: bob.email, password: bob.password })
    expect(tessera.state.user!.id).toBe(bob.id)
    expect(tessera.state.client!.sessions.map((x) => x.id).sort()).toEqual(
      [adaIn.created_session_id!, bobIn.created_session_id!].sort(),
    )

    await tessera.setActive({ sessionId: adaIn.created_session_id! })
    expect(tessera.state).toMatchObject({ session: { id: adaIn.created_session_id }, user: { id: ada.id } })
    expect(claimsOf((await tessera.getToken())!)).toMatchObject({ sub: ada.id, amr: ['email_code'] })
    const minted = claimsOf((await tessera.getToken({ template: 'api' }))!)
    expect(minted).toMatchObject({ sub: ada.id, sid: adaIn.created_session_id, email: ada.email })

    await tessera.signOut({ all: true })
    expect(tessera.state).toMatchObject({ session: null, user: null, client: { sessions: [] } })
    expect(seen.signed_out).toEqual([{ sessionId: adaIn.created_session_id }])
    expect(await tessera.getToken()).toBeNull()
    expect(await introspect(adaToken)).toEqual({ active: false })
  })

  it('resets a forgotten password inside the sign-in attempt and signs in', async () => {
    const { tenant, newUser, codeSentTo } = await sdkTenant(s)
    const user = await newUser()
    const { tessera } = sdk(tenant)
    await tessera.signIn.create({ identifier: user.email })
    await tessera.signIn.challenge('reset_password_email_code')
    const verified = await tessera.signIn.answer({ code: await codeSentTo(user.email) })
    expect(verified.status).toBe('needs_new_password')
    expect(tessera.state.session).toBeNull()
    const done = await tessera.signIn.resetPassword({ password: 'a brand new passphrase' })
    expect(done.status).toBe('complete')
    expect(tessera.state.user!.id).toBe(user.id)

    const other = sdk(tenant).tessera
    const refused = await other.signIn.create({ identifier: user.email, password: user.password }).catch((e) => e)
    expect(refused).toMatchObject({ status: 422, code: 'form_password_incorrect' })
  })

  it('enrols TOTP inside the attempt when MFA is required, completing it with backup codes', async () => {
    const { tenant, newUser } = await sdkTenant(s, { mfa: { policy: 'required' } })
    const user = await newUser()
    const { tessera } = sdk(tenant)
    const first = await tessera.signIn.create({ identifier: user.email, password: user.password })
    expect(first).toMatchObject({ status: 'needs_second_factor_enrollment', created_session_id: null })
    expect(tessera.state.session).toBeNull()
    const { secret } = await tessera.signIn.enrollTotp()
    // The authenticator's code by the server's (fake) clock.
    const done = await tessera.signIn.verifyTotp(await generate({ secret, epoch: Math.floor(s.clock.now() / 1000) }))
    expect(done.status).toBe('complete')
    expect(done.backup_codes).toHaveLength(10)
    expect(tessera.state.user).toMatchObject({ id: user.id, totp_enabled: true })
    expect(claimsOf((await tessera.getToken())!).amr).toEqual(['password', 'totp'])
  })

  it('signs out when the backend revokes the session: the next refresh is refused with 401', async () => {
    const { tenant, newUser, bapi } = await sdkTenant(s)
    const user = await newUser()
    const { tessera, seen } = sdk(tenant)
    const signIn = await tessera.signIn.create({ identifier: user.email, password: user.password })
    await bapi('POST', `/v1/sessions/${signIn.created_session_id}/revoke`, undefined, 200)

    expect(await tessera.getToken({ skipCache: true })).toBeNull()
    expect(seen.signed_out).toEqual([{ sessionId: signIn.created_session_id }])
    expect(seen.error.map((e) => [e.status, e.code])).toEqual([[401, 'authentication_invalid']])
    expect(tessera.state).toMatchObject({ session: null, user: null, client: { sessions: [] } })
    // Signing out of the session the server already ended is no error.
    await tessera.signOut({ sessionId: signIn.created_session_id! })
  })
})
