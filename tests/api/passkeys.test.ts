import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server'
import { and, eq } from 'drizzle-orm'
import type { MeUser } from '../../src/features/me/model'
import type { Passkey } from '../../src/features/passkeys/model'
import { passkeys } from '../../src/features/passkeys/schema'
import { challenges } from '../../src/features/challenges/schema'
import { identifications, users } from '../../src/features/users/schema'
import { auditEvents } from '../../src/platform/db/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { SoftAuthenticator } from '../support/authenticator'
import { introspect, nativeClient, newUser, renewableMe, signInNative, type MeApi } from '../support/flows'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const fastHashing = { password: { argon2: { memory_kib: 8192, iterations: 1 } } }
const tenantWith = (settings: Record<string, unknown> = {}, name = 'Passkey Tenant') =>
  newTenant(t, { name, settings: { ...fastHashing, ...settings } })

async function expectError(res: Response, status: number, code: string, meta: Record<string, unknown> = {}) {
  expect(res.status).toBe(status)
  expect(await firstError(res)).toMatchObject({ code, meta })
}

async function signedIn(tenant: CreatedTenant, body: Record<string, unknown> = {}) {
  const user = await newUser(t, tenant, body)
  const client = nativeClient(t, tenant)
  const signed = await signInNative(t, tenant, user, client)
  return { user, client, ...signed, me: renewableMe(t, tenant, client, signed) }
}
type Me = MeApi

const creationOptions = async (me: Me) =>
  (await (await me('POST', '/passkeys/registration-options')).json()) as PublicKeyCredentialCreationOptionsJSON

/**
 * Registers a passkey. The passkey is a second factor, so the next sensitive call needs a second
 * factor: registering with user verification counted as one in this session, and the renewed
 * token carries it.
 */
async function register(me: Me, authenticator: SoftAuthenticator, name?: string): Promise<Passkey> {
  const credential = await authenticator.register(await creationOptions(me))
  const res = await me('POST', '/passkeys', { credential, ...(name ? { name } : {}) })
  expect(res.status).toBe(201)
  await me.renew?.()
  return (await res.json()) as Passkey
}

interface Attempt {
  id: string
  status: string
  identifier: string | null
  supported_first_factors: { strategy: string }[]
  current_challenge: { id: string; status: string; public_key_options: PublicKeyCredentialRequestOptionsJSON } | null
}

async function startPasskey(client: ReturnType<typeof nativeClient>, identifier?: string): Promise<Attempt> {
  const res = await client.request('POST', '/client/sign-ins', {
    ...(identifier ? { identifier } : {}),
    strategy: 'passkey',
  })
  expect(res.status).toBe(200)
  return (await res.json()) as Attempt
}
const answer = (client: ReturnType<typeof nativeClient>, a: Attempt, credential: unknown) =>
  client.request('POST', `/client/sign-ins/${a.id}/challenges/${a.current_challenge!.id}/answer`, { credential })

const rows = (tenant: CreatedTenant) =>
  withTenant(t.deps.db, tenant.id, (tx) => tx.select().from(passkeys).where(eq(passkeys.tenantId, tenant.id)))
const audit = (tenant: CreatedTenant, action: string) =>
  withTenant(t.deps.db, tenant.id, (tx) =>
    tx
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, action))),
  )

describe('POST /me/passkeys/registration-options', () => {
  it('returns creation options for PUBLIC_URL’s host, the tenant name and the user, excluding existing passkeys', async () => {
    const tenant = await tenantWith()
    const { user, me } = await signedIn(tenant, { first_name: 'Ada', last_name: 'L' })
    const res = await me('POST', '/passkeys/registration-options')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const options = (await res.json()) as PublicKeyCredentialCreationOptionsJSON
    expect(options).toMatchObject({
      rp: { id: 'localhost', name: 'Passkey Tenant' },
      user: { id: Buffer.from(user.id).toString('base64url'), name: user.email, displayName: 'Ada L' },
      excludeCredentials: [],
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    })
    expect(options.challenge.length).toBeGreaterThanOrEqual(43)
    const passkey = await register(me, new SoftAuthenticator(PUBLIC_URL))
    const [row] = await rows(tenant)
    expect((await creationOptions(me)).excludeCredentials).toEqual([
      { id: row!.credentialId, type: 'public-key', transports: ['internal'] },
    ])
    expect(passkey.id).toStartWith('pk_cred_')
  })

  it('takes the RP ID and name from tenant settings', async () => {
    const tenant = await tenantWith({ passkeys: { rp_id: 'example.com', rp_name: 'Example' } })
    const { me } = await signedIn(tenant)
    expect((await creationOptions(me)).rp).toEqual({ id: 'example.com', name: 'Example' })
  })
})

describe('POST /me/passkeys', () => {
  it('registers a passkey: 201, listed, on the user object, audited; the same response cannot register twice', async () => {
    const tenant = await tenantWith()
    const { user, me } = await signedIn(tenant)
    const credential = await new SoftAuthenticator(PUBLIC_URL).register(await creationOptions(me))
    const res = await me('POST', '/passkeys', { credential, name: 'Laptop' })
    expect(res.status).toBe(201)
    const passkey = (await res.json()) as Passkey
    expect(passkey).toEqual({
      object: 'passkey',
      id: passkey.id,
      name: 'Laptop',
      created_at: expect.any(Number),
      last_used_at: null,
    })
    expect(((await (await me('GET', '/passkeys')).json()) as { data: Passkey[] }).data).toEqual([passkey])
    const summary = { id: passkey.id, name: 'Laptop', created_at: passkey.created_at, last_used_at: null }
    expect(((await (await me('GET')).json()) as MeUser).passkeys).toEqual([summary])
    expect(
      ((await (await t.request('GET', `/v1/users/${user.id}`, { token: tenant.secret_key })).json()) as MeUser)
        .passkeys,
    ).toEqual([summary])
    expect(await audit(tenant, 'passkey.created')).toMatchObject([
      { actorId: user.id, targetType: 'passkey', targetId: passkey.id },
    ])

    // The passkey is a second factor now; the renewed token carries the one its registration proved.
    await expectError(await me('POST', '/passkeys', { credential }), 403, 'reverification_required', {
      required_factor: 'second_factor',
    })
    await me.renew!()
    await expectError(await me('POST', '/passkeys', { credential }), 422, 'verification_failed')
    expect(await rows(tenant)).toHaveLength(1)
  })

  it('refuses malformed responses with 422 form_param_format_invalid and spends nothing', async () => {
    const tenant = await tenantWith()
    const { me } = await signedIn(tenant)
    const good = await new SoftAuthenticator(PUBLIC_URL).register(await creationOptions(me))
    const broken: unknown[] = [
      { ...good, id: 'not base64url!' },
      { ...good, rawId: 'AAAA' },
      { ...good, type: 'password' },
      { ...good, response: { ...good.response, clientDataJSON: Buffer.from('{not json').toString('base64url') } },
      { ...good, response: { ...good.response, attestationObject: 'AAAA' } },
      { ...good, response: { ...good.response, attestationObject: undefined } },
      { ...good, response: 'x' },
      {},
    ]
    for (const credential of broken)
      await expectError(await me('POST', '/passkeys', { credential }), 422, 'form_param_format_invalid', {
        param_name: 'credential',
      })
    await expectError(await me('POST', '/passkeys', { credential: 'x' }), 422, 'form_param_format_invalid')
    await expectError(await me('POST', '/passkeys', { credential: good, extra: 1 }), 422, 'form_param_format_invalid')
    expect(await rows(tenant)).toHaveLength(0)
    expect(await audit(tenant, 'passkey.registration_failed')).toHaveLength(0)
    // The challenge is untouched: the well-formed response still registers.
    expect((await me('POST', '/passkeys', { credential: good })).status).toBe(201)
  })

  it('spends the challenge on a response from a foreign origin; an allowed origin registers', async () => {
    const tenant = await tenantWith({ allowed_origins: ['https://app.example.com'] })
    const { me } = await signedIn(tenant)
    const foreign = await new SoftAuthenticator('https://evil.example').register(await creationOptions(me))
    await expectError(await me('POST', '/passkeys', { credential: foreign }), 422, 'verification_failed')
    expect(await audit(tenant, 'passkey.registration_failed')).toHaveLength(1)
    await expectError(await me('POST', '/passkeys', { credential: foreign }), 422, 'verification_failed')
    await register(me, new SoftAuthenticator('https://app.example.com'))
    expect(await rows(tenant)).toHaveLength(1)
  })

  it('never answers another user’s registration options, and expires them after 5 minutes', async () => {
    const tenant = await tenantWith({ session: { token_lifetime_s: 3600 } })
    const a = await signedIn(tenant)
    const b = await signedIn(tenant)
    const stolen = await new SoftAuthenticator(PUBLIC_URL).register(await creationOptions(a.me))
    await expectError(await b.me('POST', '/passkeys', { credential: stolen }), 422, 'verification_failed', {
      reason: 'unknown_challenge',
    })
    t.clock.advance(5 * 60_000)
    await expectError(await a.me('POST', '/passkeys', { credential: stolen }), 422, 'verification_expired')
    expect(await rows(tenant)).toHaveLength(0)
  })
})

describe('PATCH and DELETE /me/passkeys/:id', () => {
  it('renames and deletes the user’s own passkeys; another user’s id is 404', async () => {
    const tenant = await tenantWith()
    const a = await signedIn(tenant)
    const b = await signedIn(tenant)
    const passkey = await register(a.me, new SoftAuthenticator(PUBLIC_URL))
    const renamed = await a.me('PATCH', `/passkeys/${passkey.id}`, { name: 'Phone' })
    expect(renamed.status).toBe(200)
    expect(await renamed.json()).toMatchObject({ object: 'passkey', id: passkey.id, name: 'Phone' })
    await expectError(await b.me('PATCH', `/passkeys/${passkey.id}`, { name: 'Mine' }), 404, 'resource_not_found')
    await expectError(await b.me('DELETE', `/passkeys/${passkey.id}`), 404, 'resource_not_found')
    await expectError(await a.me('PATCH', `/passkeys/${passkey.id}`, { name: '' }), 422, 'form_param_format_invalid')
    const deleted = await a.me('DELETE', `/passkeys/${passkey.id}`)
    expect(await deleted.json()).toEqual({ object: 'passkey', id: passkey.id, deleted: true })
    expect(await rows(tenant)).toHaveLength(0)
    expect(await audit(tenant, 'passkey.deleted')).toHaveLength(1)
  })

  it('needs a recent factor to delete, and keeps the last passkey of a user with no other way to sign in', async () => {
    const tenant = await tenantWith()
    const { user, me } = await signedIn(tenant)
    const first = await register(me, new SoftAuthenticator(PUBLIC_URL))
    const second = await register(me, new SoftAuthenticator(PUBLIC_URL))
    // A passkey-only account: no password, no verified address.
    await withTenant(t.deps.db, tenant.id, async (tx) => {
      await tx.update(users).set({ passwordHash: null }).where(eq(users.id, user.id))
      await tx.update(identifications).set({ verified: false }).where(eq(identifications.userId, user.id))
    })
    expect((await me('DELETE', `/passkeys/${first.id}`)).status).toBe(200)
    await expectError(await me('DELETE', `/passkeys/${second.id}`), 422, 'form_param_format_invalid', {
      param_name: 'id',
      reason: 'last_sign_in_method',
    })
    t.clock.advance(11 * 60_000)
    await me.renew!()
    await expectError(await me('DELETE', `/passkeys/${second.id}`), 403, 'reverification_required')
    expect((await rows(tenant)).map((r) => r.id)).toEqual([second.id])
  })
})

describe('DELETE /v1/users/:id/passkeys/:passkey_id', () => {
  it('lets the backend remove a user’s passkey, audited; another user’s or tenant’s is 404', async () => {
    const tenant = await newTenant(t)
    const other = await newTenant(t)
    const { me, user } = await signedIn(tenant)
    const passkey = await register(me, new SoftAuthenticator(PUBLIC_URL))
    const someoneElse = await newUser(t, tenant)
    const path = (userId: string, id: string) => `/v1/users/${userId}/passkeys/${id}`
    expect((await t.request('DELETE', path(user.id, passkey.id), { token: other.secret_key })).status).toBe(404)
    expect((await t.request('DELETE', path(someoneElse.id, passkey.id), { token: tenant.secret_key })).status).toBe(404)
    const res = await t.request('DELETE', path(user.id, passkey.id), { token: tenant.secret_key })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { passkeys: unknown[] }).passkeys).toEqual([])
    const [audit] = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, 'passkey.deleted'))),
    )
    expect(audit).toMatchObject({ actorType: 'secret_key', targetId: user.id })
    expect((await t.request('DELETE', path(user.id, passkey.id), { token: tenant.secret_key })).status).toBe(404)
  })
})

describe('erasure', () => {
  it('erasing the user (DELETE /v1/users/:id) deletes their passkeys', async () => {
    const tenant = await tenantWith()
    const { user, me } = await signedIn(tenant)
    await register(me, new SoftAuthenticator(PUBLIC_URL))
    expect((await t.request('DELETE', `/v1/users/${user.id}`, { token: tenant.secret_key })).status).toBe(200)
    expect(await rows(tenant)).toHaveLength(0)
  })
})

describe('sign-in with a passkey', () => {
  it('with an identifier: the options allow the user’s credentials, the assertion completes the attempt and updates the counter', async () => {
    const tenant = await tenantWith()
    const { user, me } = await signedIn(tenant)
    const authenticator = new SoftAuthenticator(PUBLIC_URL)
    const passkey = await register(me, authenticator)
    const client = nativeClient(t, tenant)
    const attempt = await startPasskey(client, user.email)
    expect(attempt.supported_first_factors.map((f) => f.strategy)).toContain('passkey')
    const [row] = await rows(tenant)
    expect(attempt.current_challenge!.public_key_options).toMatchObject({
      rpId: 'localhost',
      userVerification: 'required',
      allowCredentials: [{ id: row!.credentialId, type: 'public-key', transports: ['internal'] }],
    })
    const res = await answer(
      client,
      attempt,
      await authenticator.authenticate(attempt.current_challenge!.public_key_options),
    )
    expect(res.status).toBe(200)
    const done = (await res.json()) as { status: string; session_token: string }
    expect(done.status).toBe('complete')
    expect(await introspect(t, tenant, done.session_token)).toMatchObject({
      active: true,
      sub: user.id,
      amr: ['passkey'],
    })
    const [used] = await rows(tenant)
    expect(used).toMatchObject({ counter: 1 })
    expect(used!.lastUsedAt?.getTime()).toBe(t.clock.now())
    expect(((await (await me('GET', '/passkeys')).json()) as { data: Passkey[] }).data[0]!.last_used_at).toBe(
      t.clock.now(),
    )
    expect(passkey.last_used_at).toBeNull()
  })

  it('offers the same for an unknown identifier and a user without passkeys: passkey, with one stable decoy credential', async () => {
    const tenant = await tenantWith()
    const user = await newUser(t, tenant)
    const unknown = await startPasskey(nativeClient(t, tenant), 'stranger@example.com')
    const known = await startPasskey(nativeClient(t, tenant), user.email)
    for (const a of [unknown, known]) {
      const allowed = a.current_challenge!.public_key_options.allowCredentials!
      expect(allowed).toHaveLength(1)
      expect(allowed[0]!.id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    }
    const again = await startPasskey(nativeClient(t, tenant), 'Stranger@Example.com ')
    expect(again.current_challenge!.public_key_options.allowCredentials).toEqual(
      unknown.current_challenge!.public_key_options.allowCredentials,
    )
    expect(unknown.supported_first_factors.map((f) => f.strategy)).toEqual(
      known.supported_first_factors.map((f) => f.strategy),
    )
  })

  it('usernameless: an attempt without identifier carries options for any discoverable credential, which names the user', async () => {
    const tenant = await tenantWith()
    const { user, me } = await signedIn(tenant)
    const authenticator = new SoftAuthenticator(PUBLIC_URL)
    await register(me, authenticator)
    const client = nativeClient(t, tenant)
    const attempt = await startPasskey(client)
    expect(attempt).toMatchObject({
      status: 'needs_identifier',
      identifier: null,
      current_challenge: { status: 'pending' },
    })
    expect(attempt.current_challenge!.public_key_options).toMatchObject({
      rpId: 'localhost',
      allowCredentials: [],
      timeout: 300_000,
    })
    const res = await answer(
      client,
      attempt,
      await authenticator.authenticate(attempt.current_challenge!.public_key_options),
    )
    expect(res.status).toBe(200)
    const done = (await res.json()) as { status: string; session: { user_id: string } }
    expect(done).toMatchObject({ status: 'complete', session: { user_id: user.id } })
  })

  it('usernameless: an administrator’s lock refuses the discovered user with 423 and spends the assertion', async () => {
    const tenant = await tenantWith()
    const { user, me } = await signedIn(tenant)
    const authenticator = new SoftAuthenticator(PUBLIC_URL)
    await register(me, authenticator)
    const client = nativeClient(t, tenant)
    const attempt = await startPasskey(client)
    const assertion = await authenticator.authenticate(attempt.current_challenge!.public_key_options)
    expect((await t.request('POST', `/v1/users/${user.id}/lock`, { token: tenant.secret_key })).status).toBe(200)
    await expectError(await answer(client, attempt, assertion), 423, 'user_locked')
    // Unlocked again, the same assertion cannot be replayed: its challenge is spent.
    expect((await t.request('POST', `/v1/users/${user.id}/unlock`, { token: tenant.secret_key })).status).toBe(200)
    const replay = await answer(client, attempt, assertion)
    expect(replay.status).toBe(422)
    const [row] = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(challenges).where(eq(challenges.id, attempt.current_challenge!.id)),
    )
    expect(row!.status).toBe('verified')
  })

  it('refuses a cloned authenticator (counter not growing), another user’s credential and an unknown one, spending the challenge', async () => {
    const tenant = await tenantWith()
    const a = await signedIn(tenant)
    const b = await signedIn(tenant)
    const authA = new SoftAuthenticator(PUBLIC_URL)
    const authB = new SoftAuthenticator(PUBLIC_URL)
    await register(a.me, authA)
    await register(b.me, authB)
    await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.update(passkeys).set({ counter: 100 }).where(eq(passkeys.userId, a.user.id)),
    )
    const client = nativeClient(t, tenant)
    const cloned = await startPasskey(client, a.user.email)
    await expectError(
      await answer(client, cloned, await authA.authenticate(cloned.current_challenge!.public_key_options)),
      422,
      'verification_failed',
    )
    await expectError(
      await answer(client, cloned, await authA.authenticate(cloned.current_challenge!.public_key_options)),
      422,
      'verification_failed',
    )

    // Another user's credential on A's attempt.
    const mine = nativeClient(t, tenant)
    const attempt = await startPasskey(mine, a.user.email)
    await expectError(
      await answer(
        mine,
        attempt,
        await authB.authenticate({ ...attempt.current_challenge!.public_key_options, allowCredentials: [] }),
      ),
      422,
      'verification_failed',
    )
    // A credential this tenant never registered, usernameless.
    const stranger = nativeClient(t, tenant)
    const usernameless = await startPasskey(stranger)
    const lone = new SoftAuthenticator(PUBLIC_URL)
    await lone.register({
      rp: { id: 'localhost', name: 'x' },
      user: { id: 'AA', name: 'x', displayName: 'x' },
      challenge: 'AA',
      pubKeyCredParams: [],
    })
    await expectError(
      await answer(stranger, usernameless, await lone.authenticate(usernameless.current_challenge!.public_key_options)),
      422,
      'verification_failed',
    )
    // A's credential with B's user handle (the handle is not signed): refused.
    const swapped = nativeClient(t, tenant)
    const handle = await startPasskey(swapped)
    const assertion = await authA.authenticate(handle.current_challenge!.public_key_options)
    await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.update(passkeys).set({ counter: 0 }).where(eq(passkeys.userId, a.user.id)),
    )
    await expectError(
      await answer(swapped, handle, {
        ...assertion,
        response: { ...assertion.response, userHandle: Buffer.from(b.user.id).toString('base64url') },
      }),
      422,
      'verification_failed',
    )
    expect(
      (
        await withTenant(t.deps.db, tenant.id, (tx) =>
          tx.select().from(challenges).where(eq(challenges.id, usernameless.current_challenge!.id)),
        )
      )[0]!.status,
    ).toBe('failed')
    expect((await audit(tenant, 'sign_in.failed')).length).toBeGreaterThanOrEqual(3)
  })

  it('as a second factor: after a password the user’s passkeys are offered, and possession without user verification is enough', async () => {
    const tenant = await tenantWith()
    const { user, me } = await signedIn(tenant)
    const securityKey = new SoftAuthenticator(PUBLIC_URL, true, false)
    await register(me, securityKey)
    // Without user verification it is one factor: not enough to sign in by itself.
    const alone = nativeClient(t, tenant)
    const usernameless = await startPasskey(alone)
    await expectError(
      await answer(
        alone,
        usernameless,
        await securityKey.authenticate(usernameless.current_challenge!.public_key_options),
      ),
      422,
      'verification_failed',
    )

    const client = nativeClient(t, tenant)
    const first = (await (
      await client.request('POST', '/client/sign-ins', { identifier: user.email, password: user.password })
    ).json()) as Attempt & { supported_second_factors: { strategy: string }[] }
    expect(first.status).toBe('needs_second_factor')
    expect(first.supported_second_factors.map((f) => f.strategy)).toContain('passkey')
    const started = await client.request('POST', `/client/sign-ins/${first.id}/challenges`, { strategy: 'passkey' })
    expect(started.status).toBe(201)
    const challenge = (await started.json()) as NonNullable<Attempt['current_challenge']>
    const [row] = await rows(tenant)
    expect(challenge.public_key_options).toMatchObject({
      userVerification: 'discouraged',
      allowCredentials: [{ id: row!.credentialId }],
    })
    const res = await answer(
      client,
      { ...first, current_challenge: challenge },
      await securityKey.authenticate(challenge.public_key_options),
    )
    expect(res.status).toBe(200)
    const done = (await res.json()) as { status: string; session_token: string }
    expect(done.status).toBe('complete')
    expect((await introspect(t, tenant, done.session_token)).amr).toEqual(['password', 'passkey'])
  })

  it('accepts authenticators whose counter stays 0 (synced passkeys), repeatedly', async () => {
    const tenant = await tenantWith()
    const { user, me } = await signedIn(tenant)
    const synced = new SoftAuthenticator(PUBLIC_URL, false)
    await register(me, synced)
    for (let i = 0; i < 2; i++) {
      const client = nativeClient(t, tenant)
      const attempt = await startPasskey(client, user.email)
      expect(
        (await answer(client, attempt, await synced.authenticate(attempt.current_challenge!.public_key_options)))
          .status,
      ).toBe(200)
    }
  })

  it('refuses a malformed assertion with 422 and nothing spent; no credential is form_param_missing', async () => {
    const tenant = await tenantWith()
    const { user, me } = await signedIn(tenant)
    const authenticator = new SoftAuthenticator(PUBLIC_URL)
    await register(me, authenticator)
    const client = nativeClient(t, tenant)
    const attempt = await startPasskey(client, user.email)
    const good = await authenticator.authenticate(attempt.current_challenge!.public_key_options)
    for (const credential of [
      { ...good, response: { ...good.response, authenticatorData: 'AA' } },
      { ...good, response: { ...good.response, signature: '' } },
      { id: good.id },
    ])
      await expectError(await answer(client, attempt, credential), 422, 'form_param_format_invalid', {
        param_name: 'credential',
      })
    await expectError(
      await client.request(
        'POST',
        `/client/sign-ins/${attempt.id}/challenges/${attempt.current_challenge!.id}/answer`,
        { code: '123456' },
      ),
      422,
      'form_param_missing',
      { param_name: 'credential' },
    )
    expect(await audit(tenant, 'sign_in.failed')).toHaveLength(0)
    expect((await answer(client, attempt, good)).status).toBe(200)
  })

  it('is not offered when the tenant disables it, and a user who is banned cannot use a passkey', async () => {
    const off = await tenantWith({ sign_in: { first_factors: ['password'] } })
    await expectError(
      await nativeClient(t, off).request('POST', '/client/sign-ins', { strategy: 'passkey' }),
      422,
      'strategy_not_allowed',
    )
    const tenant = await tenantWith()
    const { user, me } = await signedIn(tenant)
    const authenticator = new SoftAuthenticator(PUBLIC_URL)
    await register(me, authenticator)
    await t.request('POST', `/v1/users/${user.id}/ban`, { token: tenant.secret_key })
    const client = nativeClient(t, tenant)
    const attempt = await startPasskey(client)
    await expectError(
      await answer(client, attempt, await authenticator.authenticate(attempt.current_challenge!.public_key_options)),
      422,
      'verification_failed',
    )
  })
})
