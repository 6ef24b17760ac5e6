import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, asc, eq } from 'drizzle-orm'
import { decodeJwt } from 'jose'
import { generate } from 'otplib'
import type { MeUser } from '../../src/features/me/model'
import { backupCodes, totpSecrets } from '../../src/features/mfa/schema'
import { auditEvents, outbox } from '../../src/platform/db/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import {
  codeIn,
  introspect,
  lastMessage,
  meApi,
  nativeClient,
  newUser,
  renewableMe,
  signInNative,
  type MeApi,
  type SignedIn,
} from '../support/flows'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

// Cheapest argon2 the settings allow, and no rate limits: these tests are about second factors.
const base = {
  password: { argon2: { memory_kib: 8192, iterations: 1 } },
  rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 },
}
// Several sign-ins per test: generous on a loaded machine.
const SLOW = 30_000
const tenantWith = (settings: Record<string, unknown> = {}) => newTenant(t, { settings: { ...base, ...settings } })

type Attempt = {
  id: string
  status: string
  supported_second_factors: { strategy: string; safe_identifier?: string; phone_number_id?: string }[]
  current_challenge: { id: string } | null
}
type Enrollment = { object: string; id: string; secret: string; otpauth_uri: string; qr_svg: string; verified: boolean }

async function expectError(res: Response, status: number, code: string, meta: Record<string, unknown> = {}) {
  expect(res.status).toBe(status)
  const err = await firstError(res)
  expect(err.code).toBe(code)
  expect(err.meta).toMatchObject(meta)
}

/** The code an authenticator shows now, by the server's (fake) clock. */
const totpNow = (secret: string, offsetMs = 0) =>
  generate({ secret, epoch: Math.floor((t.clock.now() + offsetMs) / 1000) })
/** Moves to the next 30 s step, so that a fresh code is not a replay of the last one accepted. */
const nextStep = () => t.clock.advance(30_000)

/** A signed-in native client; its `me` renews its session token on demand. */
async function signedIn(tenant: CreatedTenant, body: Record<string, unknown> = {}) {
  const user = await newUser(t, tenant, body)
  const client = nativeClient(t, tenant)
  const signed = await signInNative(t, tenant, user, client)
  const me = renewableMe(t, tenant, client, signed)
  return { user, client, ...signed, me }
}

/** A new session token for the session, by its refresh token (native mode). */
async function refreshed(client: ReturnType<typeof nativeClient>, sid: string, refreshToken: string): Promise<string> {
  const res = await client.request('POST', `/client/sessions/${sid}/tokens`, { refresh_token: refreshToken })
  expect(res.status).toBe(200)
  return ((await res.json()) as { jwt: string }).jwt
}

/**
 * Enrols and activates TOTP through /me; returns the secret. The activating code counts as a
 * second factor verified in the session, which the renewed session token then carries.
 */
async function enrolTotp(me: MeApi): Promise<string> {
  const started = await me('POST', '/totp')
  expect(started.status).toBe(201)
  const { secret } = (await started.json()) as Enrollment
  expect((await me('POST', '/totp/verify', { code: await totpNow(secret) })).status).toBe(200)
  await me.renew?.()
  nextStep()
  return secret
}

/** Identifier + password; the attempt as answered (complete, or waiting for a second factor). */
async function passwordStep(client: ReturnType<typeof nativeClient>, user: { email: string; password: string }) {
  const res = await client.request('POST', '/client/sign-ins', { identifier: user.email, password: user.password })
  expect(res.status).toBe(200)
  return (await res.json()) as Attempt & Partial<SignedIn>
}

async function startSecond(client: ReturnType<typeof nativeClient>, attemptId: string, strategy: string) {
  const res = await client.request('POST', `/client/sign-ins/${attemptId}/challenges`, { strategy })
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: string }).id
}

const answer = (client: ReturnType<typeof nativeClient>, attemptId: string, cid: string, code: string) =>
  client.request('POST', `/client/sign-ins/${attemptId}/challenges/${cid}/answer`, { code })

const auditActions = async (tenant: CreatedTenant) =>
  (
    await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(auditEvents).where(eq(auditEvents.tenantId, tenant.id)).orderBy(asc(auditEvents.seq)),
    )
  ).map((a) => a.action)
const eventsOf = (tenant: CreatedTenant, type: string) =>
  withTenant(t.deps.db, tenant.id, (tx) =>
    tx
      .select()
      .from(outbox)
      .where(and(eq(outbox.tenantId, tenant.id), eq(outbox.type, type))),
  )
const meUser = async (me: ReturnType<typeof meApi>) => (await (await me('GET')).json()) as MeUser

describe('TOTP enrolment (/me/totp)', () => {
  it(
    'returns the secret, an otpauth URI and an SVG QR code once; the secret is sealed and counts only after verify',
    async () => {
      const tenant = await tenantWith()
      const { user, me, client, session, refresh_token } = await signedIn(tenant)
      const res = await me('POST', '/totp')
      expect(res.status).toBe(201)
      expect(res.headers.get('cache-control')).toBe('no-store')
      const body = (await res.json()) as Enrollment
      expect(body).toMatchObject({ object: 'totp', verified: false })
      expect(body.secret).toMatch(/^[A-Z2-7]{32}$/)
      const uri = new URL(body.otpauth_uri)
      expect(uri.protocol).toBe('otpauth:')
      expect(uri.host).toBe('totp')
      expect(decodeURIComponent(uri.pathname)).toBe(`/${tenant.name}:${user.email}`)
      expect(uri.searchParams.get('issuer')).toBe(tenant.name)
      expect(uri.searchParams.get('secret')).toBe(body.secret)
      expect(body.qr_svg.startsWith('<svg')).toBe(true)

      const [row] = await withTenant(t.deps.db, tenant.id, (tx) =>
        tx.select().from(totpSecrets).where(eq(totpSecrets.userId, user.id)),
      )
      expect(row!.secretSealed).not.toContain(body.secret)
      expect(row!.verifiedAt).toBeNull()
      expect((await meUser(me)).totp_enabled).toBe(false)

      await expectError(
        await me('POST', '/totp/verify', { code: '000000' === (await totpNow(body.secret)) ? '111111' : '000000' }),
        422,
        'form_code_incorrect',
      )
      const verified = await me('POST', '/totp/verify', { code: await totpNow(body.secret) })
      expect(verified.status).toBe(200)
      expect(await verified.json()).toEqual({ object: 'totp', id: body.id, verified: true })
      expect(await meUser(me)).toMatchObject({
        totp_enabled: true,
        two_factor_enabled: true,
        backup_code_enabled: false,
      })
      // The user now has a second factor: this token (fva[1] = -1) no longer steps up …
      await expectError(await me('POST', '/totp'), 403, 'reverification_required', { required_factor: 'second_factor' })
      // … but the code that activated TOTP counted as verifying it in this session (API.md §6).
      const fresh = await refreshed(client, session.id, refresh_token)
      expect((decodeJwt(fresh) as { fva: number[] }).fva).toEqual([0, 0])
      await expectError(await meApi(t, tenant, fresh)('POST', '/totp'), 409, 'conflict')
      expect(await auditActions(tenant)).toContain('totp.enabled')
      expect(
        (await eventsOf(tenant, 'user.updated')).some(
          (e) => (e.payload as { data: { totp_enabled: boolean } }).data.totp_enabled,
        ),
      ).toBe(true)
    },
    SLOW,
  )

  it(
    'accepts a code one step early or late, not two',
    async () => {
      const tenant = await tenantWith()
      const { me } = await signedIn(tenant)
      const { secret } = (await (await me('POST', '/totp')).json()) as Enrollment
      await expectError(
        await me('POST', '/totp/verify', { code: await totpNow(secret, -60_000) }),
        422,
        'form_code_incorrect',
      )
      expect((await me('POST', '/totp/verify', { code: await totpNow(secret, -30_000) })).status).toBe(200)
    },
    SLOW,
  )
})

describe('sign-in with a second factor', () => {
  it(
    'asks for the second factor after the password; a TOTP code completes it (amr both, fva [0, 0]); the same code again fails',
    async () => {
      const tenant = await tenantWith()
      const { user, client, me } = await signedIn(tenant)
      const secret = await enrolTotp(me)

      const attempt = await passwordStep(client, user)
      expect(attempt.status).toBe('needs_second_factor')
      expect(attempt.supported_second_factors.map((f) => f.strategy)).toEqual(['totp'])
      expect(attempt.session_token).toBeUndefined()
      const cid = await startSecond(client, attempt.id, 'totp')
      const code = await totpNow(secret)
      const res = await answer(client, attempt.id, cid, code)
      expect(res.status).toBe(200)
      const done = (await res.json()) as SignedIn & { status: string }
      expect(done.status).toBe('complete')
      const claims = decodeJwt(done.session_token)
      expect(claims.amr).toEqual(['password', 'totp'])
      expect(claims.fva).toEqual([0, 0])
      expect((await introspect(t, tenant, done.session_token)).amr).toEqual(['password', 'totp'])

      // Replay: the very same code, at the very same time, on a new attempt.
      const again = await passwordStep(nativeClient(t, tenant), user)
      const replayClient = nativeClient(t, tenant)
      const second = await passwordStep(replayClient, user)
      expect(again.status).toBe('needs_second_factor')
      const cid2 = await startSecond(replayClient, second.id, 'totp')
      await expectError(await answer(replayClient, second.id, cid2, code), 422, 'form_code_incorrect', {
        attempts_remaining: 4,
      })
      nextStep()
      expect((await answer(replayClient, second.id, cid2, await totpNow(secret))).status).toBe(200)
    },
    SLOW,
  )

  it(
    'answers a wrong TOTP with 422 and attempts_remaining; wrong codes are audited and never lock the account (API.md §12)',
    async () => {
      const tenant = await tenantWith({ lockout: { max_failed_attempts: 3, duration_s: 600 } })
      const { user, client, me } = await signedIn(tenant)
      const secret = await enrolTotp(me)
      const attempt = await passwordStep(client, user)
      const cid = await startSecond(client, attempt.id, 'totp')
      const wrong = (await totpNow(secret)) === '123456' ? '654321' : '123456'
      await expectError(await answer(client, attempt.id, cid, wrong), 422, 'form_code_incorrect', {
        attempts_remaining: 4,
      })
      await expectError(await answer(client, attempt.id, cid, wrong), 422, 'form_code_incorrect', {
        attempts_remaining: 3,
      })
      await expectError(await answer(client, attempt.id, cid, wrong), 422, 'form_code_incorrect', {
        attempts_remaining: 2,
      })
      expect((await answer(client, attempt.id, cid, await totpNow(secret))).status).toBe(200)
      const failures = await withTenant(t.deps.db, tenant.id, (tx) =>
        tx
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, 'sign_in.failed'))),
      )
      expect(failures.map((f) => (f.data as { strategy: string }).strategy)).toEqual(['totp', 'totp', 'totp'])
      expect((await eventsOf(tenant, 'sign_in.failed')).length).toBe(3)
      expect(await auditActions(tenant)).not.toContain('user.locked')
    },
    SLOW,
  )

  it(
    'backup codes: 10 shown once, each works once, regenerating replaces them all; the remaining count is in /me',
    async () => {
      const tenant = await tenantWith()
      const { user, client, me } = await signedIn(tenant)
      await enrolTotp(me)
      const created = await me('POST', '/backup-codes')
      expect(created.status).toBe(201)
      const { object, codes } = (await created.json()) as { object: string; codes: string[] }
      expect(object).toBe('backup_code')
      expect(codes).toHaveLength(10)
      expect(new Set(codes).size).toBe(10)
      for (const c of codes) expect(c).toMatch(/^[a-hj-km-np-z2-9]{10}$/)
      const stored = await withTenant(t.deps.db, tenant.id, (tx) =>
        tx.select().from(backupCodes).where(eq(backupCodes.userId, user.id)),
      )
      expect(stored.map((s) => s.codeHash)).not.toContain(codes[0])
      expect(await meUser(me)).toMatchObject({ backup_code_enabled: true, backup_codes_remaining: 10 })

      const attempt = await passwordStep(client, user)
      expect(attempt.supported_second_factors.map((f) => f.strategy)).toEqual(['totp', 'backup_code'])
      const cid = await startSecond(client, attempt.id, 'backup_code')
      expect((await answer(client, attempt.id, cid, codes[0]!.toUpperCase())).status).toBe(200)
      expect((await meUser(me)).backup_codes_remaining).toBe(9)

      const other = nativeClient(t, tenant)
      const reuse = await passwordStep(other, user)
      const cid2 = await startSecond(other, reuse.id, 'backup_code')
      await expectError(await answer(other, reuse.id, cid2, codes[0]!), 422, 'form_code_incorrect', {
        attempts_remaining: 4,
      })

      const regenerated = ((await (await me('POST', '/backup-codes')).json()) as { codes: string[] }).codes
      await expectError(await answer(other, reuse.id, cid2, codes[1]!), 422, 'form_code_incorrect')
      expect((await answer(other, reuse.id, cid2, regenerated[0]!)).status).toBe(200)
      expect(await auditActions(tenant)).toEqual(expect.arrayContaining(['backup_codes.created']))
    },
    SLOW,
  )

  it(
    'sends a phone_code second factor to the reserved phone only',
    async () => {
      const tenant = await tenantWith()
      const phone = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`
      const { user, client, me } = await signedIn(tenant, { phone_number: [phone] })
      const phoneId = (await meUser(me)).phone_numbers[0]!.id
      expect((await me('PATCH', `/phone-numbers/${phoneId}`, { reserved_for_second_factor: true })).status).toBe(200)
      expect((await meUser(me)).two_factor_enabled).toBe(true)
      const attempt = await passwordStep(client, user)
      expect(attempt.supported_second_factors).toEqual([
        { strategy: 'phone_code', safe_identifier: expect.stringMatching(/\d{4}$/), phone_number_id: phoneId },
      ])
      const since = t.clock.now()
      const cid = await startSecond(client, attempt.id, 'phone_code')
      const code = codeIn((await lastMessage(t, phone, since)).text)!
      const done = (await (await answer(client, attempt.id, cid, code)).json()) as SignedIn
      expect(decodeJwt(done.session_token).amr).toEqual(['password', 'phone_code'])
    },
    SLOW,
  )
})

describe('MFA policy required', () => {
  it(
    'guides a user with nothing enrolled through TOTP enrolment inside the attempt, then completes with backup codes once',
    async () => {
      const tenant = await tenantWith({ mfa: { policy: 'required' } })
      const user = await newUser(t, tenant)
      const client = nativeClient(t, tenant)
      const attempt = await passwordStep(client, user)
      expect(attempt.status).toBe('needs_second_factor_enrollment')
      expect(attempt.supported_second_factors).toEqual([{ strategy: 'totp' }])
      expect(attempt.session_token).toBeUndefined()
      await expectError(
        await client.request('POST', `/client/sign-ins/${attempt.id}/challenges`, { strategy: 'totp' }),
        422,
        'strategy_not_allowed',
      )
      await expectError(
        await client.request('POST', `/client/sign-ins/${attempt.id}/totp/verify`, { code: '123456' }),
        422,
        'form_code_incorrect',
      )

      const started = await client.request('POST', `/client/sign-ins/${attempt.id}/totp`)
      expect(started.status).toBe(201)
      const { secret } = (await started.json()) as Enrollment
      const wrong = (await totpNow(secret)) === '123456' ? '654321' : '123456'
      await expectError(
        await client.request('POST', `/client/sign-ins/${attempt.id}/totp/verify`, { code: wrong }),
        422,
        'form_code_incorrect',
        { param_name: 'code' },
      )
      const res = await client.request('POST', `/client/sign-ins/${attempt.id}/totp/verify`, {
        code: await totpNow(secret),
      })
      expect(res.status).toBe(200)
      const done = (await res.json()) as SignedIn & { status: string; backup_codes: string[] }
      expect(done.status).toBe('complete')
      expect(done.backup_codes).toHaveLength(10)
      expect(decodeJwt(done.session_token)).toMatchObject({ amr: ['password', 'totp'], fva: [0, 0] })
      expect(await meUser(meApi(t, tenant, done.session_token))).toMatchObject({
        totp_enabled: true,
        backup_codes_remaining: 10,
      })
      // Read again, the attempt no longer shows the codes.
      const read = (await (await client.request('GET', `/client/sign-ins/${attempt.id}`)).json()) as Record<
        string,
        unknown
      >
      expect(read.backup_codes).toBeUndefined()
      expect(await auditActions(tenant)).toEqual(
        expect.arrayContaining(['totp.enabled', 'backup_codes.created', 'sign_in.succeeded']),
      )
    },
    SLOW,
  )

  it(
    'documents the enrolment state and endpoints in the OpenAPI document',
    async () => {
      const spec = await (await t.request('GET', '/openapi.json')).text()
      for (const s of [
        'needs_second_factor_enrollment',
        '/t/{tenant}/v1/client/sign-ins/{id}/totp/verify',
        '/t/{tenant}/v1/client/sessions/{id}/reverify',
        '/v1/users/{id}/verify-totp',
      ])
        expect(spec).toContain(s)
    },
    SLOW,
  )
})

describe('reverification', () => {
  it(
    'answers 403 reverification_required after the 10-minute window; reverifying with the password or TOTP fixes it',
    async () => {
      const tenant = await tenantWith()
      const { user, client, session, refresh_token, me } = await signedIn(tenant)
      const created = await me('POST', '/backup-codes')
      expect(created.status).toBe(201)
      const { codes } = (await created.json()) as { codes: string[] }
      t.clock.advance(11 * 60_000)
      const refreshed = await client.request('POST', `/client/sessions/${session.id}/tokens`, { refresh_token })
      const { jwt } = (await refreshed.json()) as { jwt: string }
      expect(decodeJwt(jwt).fva).toEqual([11, -1])
      await expectError(await meApi(t, tenant, jwt)('POST', '/backup-codes'), 403, 'reverification_required')

      await expectError(
        await client.request('POST', `/client/sessions/${session.id}/reverify`, {
          strategy: 'password',
          password: 'wrong password!',
        }),
        422,
        'form_password_incorrect',
        { attempts_remaining: 9 },
      )
      await expectError(
        await nativeClient(t, tenant).request('POST', `/client/sessions/${session.id}/reverify`, {
          strategy: 'password',
          password: user.password,
        }),
        404,
        'resource_not_found',
      )
      const res = await client.request('POST', `/client/sessions/${session.id}/reverify`, {
        strategy: 'password',
        password: user.password,
      })
      expect(res.status).toBe(200)
      const body = (await res.json()) as { object: string; jwt: string; session: { id: string } }
      expect(body.object).toBe('token')
      expect(decodeJwt(body.jwt).fva).toEqual([0, -1])
      // Backup codes are a second factor: adding TOTP now needs a second factor, not the password (API.md §12).
      await expectError(await meApi(t, tenant, body.jwt)('POST', '/totp'), 403, 'reverification_required', {
        required_factor: 'second_factor',
      })
      const viaBackup = await client.request('POST', `/client/sessions/${session.id}/reverify`, {
        strategy: 'backup_code',
        code: codes[0],
      })
      expect(viaBackup.status).toBe(200)
      const backupJwt = ((await viaBackup.json()) as { jwt: string }).jwt
      expect(decodeJwt(backupJwt).fva).toEqual([0, 0])
      const fresh = meApi(t, tenant, backupJwt)
      const secret = await enrolTotp(fresh)

      t.clock.advance(11 * 60_000)
      await expectError(await fresh('DELETE', '/totp'), 401, 'session_token_expired')
      const viaTotp = await client.request('POST', `/client/sessions/${session.id}/reverify`, {
        strategy: 'totp',
        code: await totpNow(secret),
      })
      expect(viaTotp.status).toBe(200)
      const totpJwt = ((await viaTotp.json()) as { jwt: string }).jwt
      expect(decodeJwt(totpJwt)).toMatchObject({ fva: [11, 0], amr: ['password', 'backup_code', 'totp'] })
      expect((await meApi(t, tenant, totpJwt)('DELETE', '/totp')).status).toBe(200)
      expect(await auditActions(tenant)).toEqual(
        expect.arrayContaining(['session.reverified', 'mfa.verification_failed', 'totp.disabled']),
      )
    },
    SLOW,
  )

  it(
    'asks for reverification before removing a verified email address',
    async () => {
      const tenant = await tenantWith()
      const second = `other-${crypto.randomUUID().slice(0, 8)}@example.com`
      const user = await newUser(t, tenant, {
        email_address: [`first-${crypto.randomUUID().slice(0, 8)}@example.com`, second],
      })
      const signed = await signInNative(t, tenant, { email: second, password: user.password })
      t.clock.advance(11 * 60_000)
      const refreshed = await t.request('POST', '/v1/sessions/refresh', {
        token: tenant.secret_key,
        json: { refresh_token: signed.refresh_token },
      })
      const stale = meApi(t, tenant, ((await refreshed.json()) as { session_token: string }).session_token)
      const secondId = (await meUser(stale)).email_addresses.find((e) => e.email_address === second)!.id
      await expectError(await stale('DELETE', `/email-addresses/${secondId}`), 403, 'reverification_required')
    },
    SLOW,
  )

  it(
    'reverifies with an emailed code after reverify/challenges',
    async () => {
      const tenant = await tenantWith()
      const { user, client, session } = await signedIn(tenant)
      t.clock.advance(11 * 60_000)
      const since = t.clock.now()
      const challenge = await client.request('POST', `/client/sessions/${session.id}/reverify/challenges`, {
        strategy: 'email_code',
      })
      expect(challenge.status).toBe(201)
      const code = codeIn((await lastMessage(t, user.email, since)).text)!
      await expectError(
        await client.request('POST', `/client/sessions/${session.id}/reverify`, {
          strategy: 'email_code',
          code: code === '000000' ? '111111' : '000000',
        }),
        422,
        'form_code_incorrect',
        { attempts_remaining: 4 },
      )
      const res = await client.request('POST', `/client/sessions/${session.id}/reverify`, {
        strategy: 'email_code',
        code,
      })
      expect(res.status).toBe(200)
      const jwt = ((await res.json()) as { jwt: string }).jwt
      expect(decodeJwt(jwt)).toMatchObject({ fva: [0, -1], amr: ['password', 'email_code'] })
      expect((await meApi(t, tenant, jwt)('POST', '/backup-codes')).status).toBe(201)
    },
    SLOW,
  )

  it(
    'disabling TOTP takes a current code instead of a recent factor; a wrong code counts toward lockout',
    async () => {
      const tenant = await tenantWith()
      const { me } = await signedIn(tenant)
      const secret = await enrolTotp(me)
      t.clock.advance(11 * 60_000)
      await me.renew!()
      const stale = me
      await expectError(await stale('DELETE', '/totp'), 403, 'reverification_required')
      await expectError(
        await stale('DELETE', '/totp', { code: (await totpNow(secret)) === '123456' ? '654321' : '123456' }),
        422,
        'form_code_incorrect',
        { attempts_remaining: 9 },
      )
      expect((await stale('DELETE', '/totp', { code: await totpNow(secret) })).status).toBe(200)
      expect((await meUser(stale)).totp_enabled).toBe(false)
    },
    SLOW,
  )
})

describe('Backend API: verify-totp and DELETE mfa', () => {
  it(
    'verifies a code once; DELETE /v1/users/{id}/mfa removes the factors so sign-in completes after the first factor',
    async () => {
      const tenant = await tenantWith()
      const { user, me } = await signedIn(tenant)
      const secret = await enrolTotp(me)
      const code = await totpNow(secret)
      const verify = (c: string, id = user.id, key = tenant.secret_key) =>
        t.request('POST', `/v1/users/${id}/verify-totp`, { token: key, json: { code: c } })
      const ok = await verify(code)
      expect(ok.status).toBe(200)
      expect(await ok.json()).toEqual({ verified: true, code_type: 'totp' })
      await expectError(await verify(code), 422, 'form_code_incorrect')
      await expectError(await verify('12345x'), 422, 'form_code_incorrect')
      await expectError(await verify(code, 'user_nope'), 404, 'resource_not_found')
      await expectError(
        await t.request('POST', `/v1/users/${user.id}/verify-totp`, {
          token: tenant.secret_key,
          json: { code, extra: 1 },
        }),
        422,
        'form_param_format_invalid',
      )

      expect((await passwordStep(nativeClient(t, tenant), user)).status).toBe('needs_second_factor')
      const removed = await t.request('DELETE', `/v1/users/${user.id}/mfa`, { token: tenant.secret_key })
      expect(removed.status).toBe(200)
      expect(await removed.json()).toMatchObject({
        object: 'user',
        id: user.id,
        totp_enabled: false,
        backup_code_enabled: false,
        two_factor_enabled: false,
      })
      const done = await passwordStep(nativeClient(t, tenant), user)
      expect(done.status).toBe('complete')
      expect(decodeJwt(done.session_token!).amr).toEqual(['password'])
      expect(await auditActions(tenant)).toContain('mfa.removed')
    },
    SLOW,
  )

  it(
    'spends a backup code exactly once when two requests present it together',
    async () => {
      const tenant = await tenantWith()
      const { user, me } = await signedIn(tenant)
      const { codes } = (await (await me('POST', '/backup-codes')).json()) as { codes: string[] }
      const verify = () =>
        t.request('POST', `/v1/users/${user.id}/verify-totp`, { token: tenant.secret_key, json: { code: codes[3] } })
      const results = await Promise.all([verify(), verify()])
      expect(results.map((r) => r.status).sort()).toEqual([200, 422])
      expect(await results.find((r) => r.status === 200)!.json()).toEqual({ verified: true, code_type: 'backup_code' })
      expect((await meUser(me)).backup_codes_remaining).toBe(9)
    },
    SLOW,
  )

  it(
    'keeps users and tenants apart: another user sees nothing, another tenant’s key gets 404',
    async () => {
      const tenant = await tenantWith()
      const other = await tenantWith()
      const a = await signedIn(tenant)
      const b = await signedIn(tenant)
      const secret = await enrolTotp(a.me)
      expect(await meUser(b.me)).toMatchObject({ totp_enabled: false, two_factor_enabled: false })
      await expectError(await b.me('POST', '/totp/verify', { code: await totpNow(secret) }), 404, 'resource_not_found')
      await expectError(await b.me('DELETE', '/totp'), 404, 'resource_not_found')
      await expectError(
        await t.request('POST', `/v1/users/${a.user.id}/verify-totp`, {
          token: other.secret_key,
          json: { code: await totpNow(secret) },
        }),
        404,
        'resource_not_found',
      )
      await expectError(
        await t.request('DELETE', `/v1/users/${a.user.id}/mfa`, { token: other.secret_key }),
        404,
        'resource_not_found',
      )
      await expectError(
        await b.client.request('POST', `/client/sessions/${a.session.id}/reverify`, {
          strategy: 'totp',
          code: await totpNow(secret),
        }),
        404,
        'resource_not_found',
      )
      expect((await meUser(a.me)).totp_enabled).toBe(true)
    },
    SLOW,
  )
})
