import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { challenges } from '../../src/features/challenges/schema'
import { signUpAttempts } from '../../src/features/sign-up/schema'
import { identifications, users } from '../../src/features/users/schema'
import { auditEvents } from '../../src/platform/db/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { codeIn, confirmLink, introspect, lastMessage, linkIn, nativeClient, newUser } from '../support/flows'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

// Cheapest argon2 the settings allow: these tests are about the flow, not hashing cost.
const fast = { password: { argon2: { memory_kib: 8192, iterations: 1 } } }
const tenantWith = (settings: Record<string, unknown> = {}) => newTenant(t, { settings: { ...fast, ...settings } })
const email = () => `new-${crypto.randomUUID().slice(0, 8)}@example.com`
const PASSWORD = 'correct horse battery staple'

interface SignUpBody {
  id: string
  status: string
  email_address: string | null
  phone_number: string | null
  required_fields: string[]
  missing_fields: string[]
  unverified_fields: string[]
  verifications: Record<string, { status: string; strategy: string | null }>
  created_user_id: string | null
  created_session_id: string | null
  session?: { id: string; user_id: string; client_id: string | null; status: string; factors: string[] }
  session_token?: string
  refresh_token?: string
}
interface ChallengeBody {
  id: string
  status: string
  strategy: string
  attempts_remaining: number
}

const json = async <T>(res: Response, status = 200): Promise<T> => {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`)
  return (await res.json()) as T
}
async function expectError(res: Response, status: number, code: string, param?: string) {
  expect(res.status).toBe(status)
  const err = await firstError(res)
  expect(err.code).toBe(code)
  if (param !== undefined) expect(err.meta.param_name).toBe(param)
  return err
}
const attemptRows = (tenant: CreatedTenant) =>
  withTenant(t.deps.db, tenant.id, (tx) =>
    tx.select().from(signUpAttempts).where(eq(signUpAttempts.tenantId, tenant.id)),
  )
const userRows = (tenant: CreatedTenant) =>
  withTenant(t.deps.db, tenant.id, (tx) => tx.select().from(users).where(eq(users.tenantId, tenant.id)))
const identificationsOf = (tenant: CreatedTenant, userId: string) =>
  withTenant(t.deps.db, tenant.id, (tx) =>
    tx
      .select()
      .from(identifications)
      .where(and(eq(identifications.tenantId, tenant.id), eq(identifications.userId, userId))),
  )

type Client = ReturnType<typeof nativeClient>

/** POST sign-ups, then an email_code challenge; returns the attempt, the challenge and the code sent. */
async function withEmailCode(client: Client, address: string, extra: Record<string, unknown> = {}) {
  const attempt = await json<SignUpBody>(
    await client.request('POST', '/client/sign-ups', { email_address: address, password: PASSWORD, ...extra }),
  )
  const challenge = await json<ChallengeBody>(
    await client.request('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy: 'email_code' }),
    201,
  )
  const code = codeIn((await lastMessage(t, address)).text)!
  return { attempt, challenge, code }
}

describe('sign-up with an email code (native)', () => {
  it('creates the user with a verified email and a session whose token introspects as active', async () => {
    const tenant = await tenantWith()
    const client = nativeClient(t, tenant)
    const address = email()
    const created = await client.request('POST', '/client/sign-ups', {
      email_address: `  ${address} `,
      password: PASSWORD,
      first_name: 'Ada',
      unsafe_metadata: { theme: 'dark' },
    })
    const attempt = await json<SignUpBody>(created)
    expect(attempt).toMatchObject({
      object: 'sign_up_attempt',
      status: 'missing_requirements',
      email_address: address,
      phone_number: null,
      first_name: 'Ada',
      required_fields: ['email_address', 'password'],
      missing_fields: [],
      unverified_fields: ['email_address'],
      verifications: { email_address: { status: 'unverified', strategy: null } },
      created_user_id: null,
      created_session_id: null,
    })
    expect(attempt.id).toMatch(/^sua_/)
    expect(JSON.stringify(attempt)).not.toMatch(/argon2|password_hash|horse/)
    const [row] = await attemptRows(tenant)
    expect(row!.passwordHash).toStartWith('$argon2id$')

    const challenge = await json<ChallengeBody>(
      await client.request('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy: 'email_code' }),
      201,
    )
    expect(challenge).toMatchObject({
      object: 'challenge',
      strategy: 'email_code',
      status: 'pending',
      attempts_remaining: 5,
    })
    const pending = await json<SignUpBody>(await client.request('GET', `/client/sign-ups/${attempt.id}`))
    expect(pending.verifications.email_address).toEqual({ status: 'pending', strategy: 'email_code' })
    const code = codeIn((await lastMessage(t, address)).text)!

    const done = await json<SignUpBody>(
      await client.request('POST', `/client/sign-ups/${attempt.id}/challenges/${challenge.id}/answer`, { code }),
    )
    expect(done).toMatchObject({
      status: 'complete',
      unverified_fields: [],
      verifications: { email_address: { status: 'verified', strategy: 'email_code' } },
    })
    expect(done.created_user_id).toMatch(/^user_/)
    expect(done.session).toMatchObject({
      id: done.created_session_id,
      user_id: done.created_user_id,
      client_id: expect.stringMatching(/^client_/),
      status: 'active',
      factors: ['email_code', 'password'],
    })
    expect(done.refresh_token!.length).toBeGreaterThanOrEqual(43)
    const claims = await introspect(t, tenant, done.session_token!)
    expect(claims).toMatchObject({
      active: true,
      sub: done.created_user_id,
      sid: done.created_session_id,
      amr: ['email_code', 'password'],
    })

    const [user] = await userRows(tenant)
    expect(user).toMatchObject({ id: done.created_user_id, firstName: 'Ada', unsafeMetadata: { theme: 'dark' } })
    expect(user!.passwordHash).toStartWith('$argon2id$')
    expect((await identificationsOf(tenant, user!.id)).map((i) => [i.value, i.verified])).toEqual([[address, true]])
    // The attempt no longer keeps the hash once the user holds it.
    expect((await attemptRows(tenant))[0]!.passwordHash).toBeNull()
    const audit = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, 'sign_up.completed'))),
    )
    expect(audit).toHaveLength(1)

    // A later read shows the session without handing out tokens again; the client no longer lists the attempt.
    const again = await json<SignUpBody>(await client.request('GET', `/client/sign-ups/${attempt.id}`))
    expect(again.session?.id).toBe(done.created_session_id!)
    expect(again.session_token).toBeUndefined()
    const me = await json<{ sign_up: unknown; sessions: { id: string }[] }>(await client.request('GET', '/client'))
    expect(me.sign_up).toBeNull()
    expect(me.sessions.map((s) => s.id)).toEqual([done.created_session_id!])
  })

  it('lists the attempt in progress on the Client object', async () => {
    const tenant = await tenantWith()
    const client = nativeClient(t, tenant)
    const attempt = await json<SignUpBody>(await client.request('POST', '/client/sign-ups', { email_address: email() }))
    const me = await json<{ sign_up: SignUpBody | null }>(await client.request('GET', '/client'))
    expect(me.sign_up).toMatchObject({ id: attempt.id, status: 'missing_requirements', missing_fields: ['password'] })
  })

  it('completes with a phone code sent to the stored E.164 number', async () => {
    const tenant = await tenantWith({
      sign_up: { identifiers: ['phone_number'], verify: ['phone_number'], password_required: false },
    })
    const client = nativeClient(t, tenant)
    // A number of its own: the dev mailbox outlives a run on PostgreSQL.
    const digits = String(crypto.getRandomValues(new Uint32Array(1))[0]! % 10_000_000).padStart(7, '0')
    const attempt = await json<SignUpBody>(
      await client.request('POST', '/client/sign-ups', {
        phone_number: `+1 (415) ${digits.slice(0, 3)}-${digits.slice(3)}`,
      }),
    )
    expect(attempt.phone_number).toBe(`+1415${digits}`)
    const challenge = await json<ChallengeBody>(
      await client.request('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy: 'phone_code' }),
      201,
    )
    const code = codeIn((await lastMessage(t, `+1415${digits}`)).text)!
    const done = await json<SignUpBody>(
      await client.request('POST', `/client/sign-ups/${attempt.id}/challenges/${challenge.id}/answer`, { code }),
    )
    expect(done.status).toBe('complete')
    expect(done.session?.factors).toEqual(['phone_code'])
  })

  it('completes on creation when nothing needs verifying', async () => {
    const tenant = await tenantWith({ sign_up: { identifiers: ['username'], verify: [] } })
    const done = await json<SignUpBody>(
      await nativeClient(t, tenant).request('POST', '/client/sign-ups', { username: 'ada_l', password: PASSWORD }),
    )
    expect(done.status).toBe('complete')
    expect(done.session_token).toBeString()
    expect((await userRows(tenant)).map((u) => u.username)).toEqual(['ada_l'])
  })
})

describe('browser mode', () => {
  it('sets __session (readable) and __refresh (HttpOnly) cookies and keeps tokens out of the body', async () => {
    const tenant = await tenantWith()
    const origin = new URL(PUBLIC_URL).origin
    const first = await t.request('GET', `/t/${tenant.slug}/v1/client`, { headers: { origin } })
    const cookie = first.headers
      .getSetCookie()
      .find((c) => c.startsWith('__client='))!
      .split(';')[0]!
    const browser = (method: string, path: string, body?: unknown) =>
      t.request(method, `/t/${tenant.slug}/v1${path}`, {
        headers: { cookie, origin },
        ...(body === undefined ? {} : { json: body }),
      })

    const noOrigin = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ups`, {
      headers: { cookie },
      json: { email_address: email() },
    })
    await expectError(noOrigin, 403, 'origin_invalid')

    const address = email()
    const attempt = await json<SignUpBody>(
      await browser('POST', '/client/sign-ups', { email_address: address, password: PASSWORD }),
    )
    const challenge = await json<ChallengeBody>(
      await browser('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy: 'email_code' }),
      201,
    )
    const code = codeIn((await lastMessage(t, address)).text)!
    const res = await browser('POST', `/client/sign-ups/${attempt.id}/challenges/${challenge.id}/answer`, { code })
    const done = await json<SignUpBody>(res)
    expect(done.status).toBe('complete')
    expect(done.session?.status).toBe('active')
    expect(done.session_token).toBeUndefined()
    expect(done.refresh_token).toBeUndefined()
    const cookies = res.headers.getSetCookie()
    const session = cookies.find((c) => c.startsWith('__session='))!
    const refresh = cookies.find((c) => c.startsWith('__refresh='))!
    expect(session).not.toContain('HttpOnly')
    expect(refresh).toContain('HttpOnly')
    expect(session).toContain(`Path=/t/${tenant.slug}`)
    expect((await introspect(t, tenant, session.split(';')[0]!.slice('__session='.length))).active).toBe(true)
  })
})

describe('email link', () => {
  it('opened on another device changes nothing; the app that asked confirms it and gets its session', async () => {
    const tenant = await tenantWith({ redirect_urls: ['https://app.example/welcome'] })
    const owner = nativeClient(t, tenant)
    const address = email()
    const attempt = await json<SignUpBody>(
      await owner.request('POST', '/client/sign-ups', {
        email_address: address,
        password: PASSWORD,
        redirect_url: 'https://app.example/welcome',
      }),
    )
    const challenge = await json<ChallengeBody>(
      await owner.request('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy: 'email_link' }),
      201,
    )
    expect(challenge.strategy).toBe('email_link')
    const link = linkIn((await lastMessage(t, address)).text)!
    expect(link).toStartWith(`${tenant.issuer}/v1/verify?token=`)

    const { html, confirmed } = await confirmLink(t, link)
    expect(html).toContain(`create an account at ${tenant.name}`)
    expect(confirmed.status).toBe(200)
    expect(confirmed.headers.get('set-cookie')).toBeNull()
    expect(await userRows(tenant)).toHaveLength(0)
    expect((await json<SignUpBody>(await owner.request('GET', `/client/sign-ups/${attempt.id}`))).status).toBe(
      'missing_requirements',
    )

    const first = await json<SignUpBody>(
      await owner.request('POST', '/client/verify', { token: new URL(link).searchParams.get('token') }),
    )
    expect(first).toMatchObject({
      status: 'complete',
      verifications: { email_address: { status: 'verified', strategy: 'email_link' } },
    })
    expect(first.session).toMatchObject({
      client_id: expect.stringMatching(/^client_/),
      factors: ['email_link', 'password'],
    })
    expect((await introspect(t, tenant, first.session_token!)).active).toBe(true)
    const second = await json<SignUpBody>(await owner.request('GET', `/client/sign-ups/${attempt.id}`))
    expect(second.session_token).toBeUndefined()
    expect(second.session?.id).toBe(first.session!.id)

    const reopened = await t.app.handle(new Request(link))
    expect(reopened.status).toBe(422)
    expect(await userRows(tenant)).toHaveLength(1)
  })

  it('cannot be answered with a code', async () => {
    const tenant = await tenantWith()
    const client = nativeClient(t, tenant)
    const attempt = await json<SignUpBody>(await client.request('POST', '/client/sign-ups', { email_address: email() }))
    const challenge = await json<ChallengeBody>(
      await client.request('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy: 'email_link' }),
      201,
    )
    await expectError(
      await client.request('POST', `/client/sign-ups/${attempt.id}/challenges/${challenge.id}/answer`, {
        code: '123456',
      }),
      422,
      'strategy_not_allowed',
    )
  })
})

describe('POST /client/sign-ups/:id/challenges/:cid/answer', () => {
  it('counts wrong codes down, fails the challenge after the fifth, then answers 422 verification_failed', async () => {
    const tenant = await tenantWith()
    const client = nativeClient(t, tenant)
    const { attempt, challenge, code } = await withEmailCode(client, email())
    const wrong = code === '000000' ? '111111' : '000000'
    const answerPath = `/client/sign-ups/${attempt.id}/challenges/${challenge.id}/answer`
    for (const remaining of [4, 3, 2, 1, 0]) {
      const err = await expectError(
        await client.request('POST', answerPath, { code: wrong }),
        422,
        'form_code_incorrect',
      )
      expect(err.meta.attempts_remaining).toBe(remaining)
    }
    const [row] = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(challenges).where(eq(challenges.id, challenge.id)),
    )
    expect(row!.status).toBe('failed')
    await expectError(await client.request('POST', answerPath, { code }), 422, 'verification_failed')
    const after = await json<SignUpBody>(await client.request('GET', `/client/sign-ups/${attempt.id}`))
    expect(after).toMatchObject({
      status: 'missing_requirements',
      verifications: { email_address: { status: 'failed', strategy: 'email_code' } },
    })
    expect(await userRows(tenant)).toHaveLength(0)
  })

  it('reads an attempt past its expiry as expired and refuses answers with 422 verification_expired', async () => {
    const tenant = await tenantWith()
    const client = nativeClient(t, tenant)
    const { attempt, challenge, code } = await withEmailCode(client, email())
    t.clock.advance(60 * 60_000)
    expect((await json<SignUpBody>(await client.request('GET', `/client/sign-ups/${attempt.id}`))).status).toBe(
      'expired',
    )
    await expectError(
      await client.request('POST', `/client/sign-ups/${attempt.id}/challenges/${challenge.id}/answer`, { code }),
      422,
      'verification_expired',
    )
    await expectError(
      await client.request('PATCH', `/client/sign-ups/${attempt.id}`, { first_name: 'Late' }),
      422,
      'verification_expired',
    )
    expect((await json<{ sign_up: unknown }>(await client.request('GET', '/client'))).sign_up).toBeNull()
    expect(await userRows(tenant)).toHaveLength(0)
  })

  it('lets exactly one of two concurrent right answers complete the attempt', async () => {
    const tenant = await tenantWith()
    const client = nativeClient(t, tenant)
    const { attempt, challenge, code } = await withEmailCode(client, email())
    const path = `/client/sign-ups/${attempt.id}/challenges/${challenge.id}/answer`
    const results = await Promise.all([client.request('POST', path, { code }), client.request('POST', path, { code })])
    const statuses = results.map((r) => r.status).sort()
    expect(statuses[0]).toBe(200)
    expect([409, 422]).toContain(statuses[1]!)
    const loser = results.find((r) => r.status !== 200)!
    const err = await firstError(loser)
    if (loser.status === 422)
      expect(err).toMatchObject({ code: 'verification_failed', meta: { reason: 'already_verified' } })
    else expect(err.code).toBe('conflict')
    expect(await userRows(tenant)).toHaveLength(1)
    const sessions = await json<{ data: unknown[] }>(
      await t.request('GET', '/v1/sessions', { token: tenant.secret_key }),
    )
    expect(sessions.data).toHaveLength(1)
  })
})

describe('isolation', () => {
  it("hides one client's attempt from another client and from other tenants (404)", async () => {
    const tenant = await tenantWith()
    const a = nativeClient(t, tenant)
    const attempt = await json<SignUpBody>(await a.request('POST', '/client/sign-ups', { email_address: email() }))
    const b = nativeClient(t, tenant)
    await expectError(await b.request('GET', `/client/sign-ups/${attempt.id}`), 404, 'resource_not_found')
    await expectError(
      await b.request('PATCH', `/client/sign-ups/${attempt.id}`, { first_name: 'Mallory' }),
      404,
      'resource_not_found',
    )
    await expectError(
      await b.request('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy: 'email_code' }),
      404,
      'resource_not_found',
    )
    await expectError(
      await t.request('GET', `/v1/sign-ups/${attempt.id}`, { token: tenant.secret_key }),
      404,
      'resource_not_found',
    )
    const other = await tenantWith()
    await expectError(
      await nativeClient(t, other).request('GET', `/client/sign-ups/${attempt.id}`),
      404,
      'resource_not_found',
    )
    await expectError(
      await t.request('GET', `/v1/sign-ups/${attempt.id}`, { token: other.secret_key }),
      404,
      'resource_not_found',
    )
    expect((await attemptRows(tenant))[0]!.firstName).toBeNull()
  })

  it('refuses a challenge of another attempt (404)', async () => {
    const tenant = await tenantWith()
    const client = nativeClient(t, tenant)
    const first = await withEmailCode(client, email())
    const second = await json<SignUpBody>(await client.request('POST', '/client/sign-ups', { email_address: email() }))
    await expectError(
      await client.request('POST', `/client/sign-ups/${second.id}/challenges/${first.challenge.id}/answer`, {
        code: first.code,
      }),
      404,
      'resource_not_found',
    )
  })
})

describe('fields and tenant rules', () => {
  it('answers 409 form_identifier_exists for the email, phone or username of an existing user', async () => {
    const tenant = await tenantWith({ sign_up: { identifiers: ['email_address', 'username'] } })
    const user = await newUser(t, tenant, { username: 'taken_name', phone_number: ['+14155550199'] })
    const client = nativeClient(t, tenant)
    await expectError(
      await client.request('POST', '/client/sign-ups', { email_address: user.email.toUpperCase(), password: PASSWORD }),
      409,
      'form_identifier_exists',
      'email_address',
    )
    expect(await attemptRows(tenant)).toHaveLength(0)
    const attempt = await json<SignUpBody>(await client.request('POST', '/client/sign-ups', { email_address: email() }))
    await expectError(
      await client.request('PATCH', `/client/sign-ups/${attempt.id}`, { username: 'TAKEN_NAME' }),
      409,
      'form_identifier_exists',
      'username',
    )
    await expectError(
      await client.request('PATCH', `/client/sign-ups/${attempt.id}`, { phone_number: '+1 415 555 0199' }),
      409,
      'form_identifier_exists',
      'phone_number',
    )
    expect((await attemptRows(tenant))[0]).toMatchObject({ username: null, phoneNumber: null })
  })

  it('refuses a password outside the policy before storing anything (422)', async () => {
    const tenant = await tenantWith()
    const client = nativeClient(t, tenant)
    await expectError(
      await client.request('POST', '/client/sign-ups', { email_address: email(), password: 'short' }),
      422,
      'form_password_length_too_short',
      'password',
    )
    await expectError(
      await client.request('POST', '/client/sign-ups', { email_address: email(), password: 'x'.repeat(257) }),
      422,
      'form_password_length_too_long',
      'password',
    )
    expect(await attemptRows(tenant)).toHaveLength(0)
    const attempt = await json<SignUpBody>(await client.request('POST', '/client/sign-ups', { email_address: email() }))
    await expectError(
      await client.request('PATCH', `/client/sign-ups/${attempt.id}`, { password: 'short' }),
      422,
      'form_password_length_too_short',
    )
    expect((await attemptRows(tenant))[0]!.passwordHash).toBeNull()
  })

  it('validates formats with param_name: email, phone, username, metadata depth, redirect_url', async () => {
    const tenant = await tenantWith()
    const client = nativeClient(t, tenant)
    const deep = (n: number): Record<string, unknown> => (n === 1 ? { leaf: 1 } : { n: deep(n - 1) })
    const cases: [Record<string, unknown>, string][] = [
      [{ email_address: 'not-an-email' }, 'email_address'],
      [{ phone_number: '555-0100' }, 'phone_number'],
      [{ username: 'a b' }, 'username'],
      [{ unsafe_metadata: deep(11) }, 'unsafe_metadata'],
      [{ unsafe_metadata: { blob: 'x'.repeat(9000) } }, 'unsafe_metadata'],
      [{ redirect_url: 'https://evil.example/' }, 'redirect_url'],
    ]
    for (const [body, param] of cases)
      await expectError(await client.request('POST', '/client/sign-ups', body), 422, 'form_param_format_invalid', param)
    expect(await attemptRows(tenant)).toHaveLength(0)
  })

  it('refuses malformed JSON (400), unknown fields and wrong types (422) without storing a row', async () => {
    const tenant = await tenantWith()
    const res = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ups`, {
      headers: { 'x-native-client': '1', 'content-type': 'application/json' },
      body: '{"email_address":',
    })
    await expectError(res, 400, 'malformed_request')
    const client = nativeClient(t, tenant)
    await expectError(
      await client.request('POST', '/client/sign-ups', { email_address: email(), role: 'admin' }),
      422,
      'form_param_format_invalid',
    )
    await expectError(
      await client.request('POST', '/client/sign-ups', { email_address: email(), legal_accepted: 'yes' }),
      422,
      'form_param_format_invalid',
      'legal_accepted',
    )
    await expectError(
      await client.request('POST', '/client/sign-ups', { first_name: 42 }),
      422,
      'form_param_format_invalid',
      'first_name',
    )
    expect(await attemptRows(tenant)).toHaveLength(0)
  })

  it('lists missing and unverified fields from the tenant settings; a changed email loses its verification', async () => {
    const tenant = await tenantWith({
      sign_up: { identifiers: ['email_address', 'phone_number'], password_required: false, verify: ['email_address'] },
    })
    const client = nativeClient(t, tenant)
    const { attempt, challenge, code } = await withEmailCode(client, email())
    expect(attempt).toMatchObject({
      required_fields: ['email_address', 'phone_number'],
      missing_fields: ['phone_number'],
      unverified_fields: ['email_address'],
    })
    const verified = await json<SignUpBody>(
      await client.request('POST', `/client/sign-ups/${attempt.id}/challenges/${challenge.id}/answer`, { code }),
    )
    expect(verified).toMatchObject({
      status: 'missing_requirements',
      missing_fields: ['phone_number'],
      unverified_fields: [],
      verifications: { email_address: { status: 'verified' } },
    })
    // Same address, other case: still verified. Another address: verification reset.
    const same = await json<SignUpBody>(
      await client.request('PATCH', `/client/sign-ups/${attempt.id}`, {
        email_address: attempt.email_address!.toUpperCase(),
      }),
    )
    expect(same.verifications.email_address!.status).toBe('verified')
    const changed = await json<SignUpBody>(
      await client.request('PATCH', `/client/sign-ups/${attempt.id}`, { email_address: email() }),
    )
    expect(changed).toMatchObject({
      unverified_fields: ['email_address'],
      verifications: { email_address: { status: 'unverified', strategy: null } },
    })
    // The old challenge cannot verify the new address.
    await expectError(
      await client.request('POST', `/client/sign-ups/${attempt.id}/challenges/${challenge.id}/answer`, { code }),
      422,
      'verification_failed',
    )
    // A phone is required here but not verified: giving it is not enough while the email is unverified.
    const withPhone = await json<SignUpBody>(
      await client.request('PATCH', `/client/sign-ups/${attempt.id}`, { phone_number: '+14155550142' }),
    )
    expect(withPhone).toMatchObject({
      status: 'missing_requirements',
      missing_fields: [],
      unverified_fields: ['email_address'],
    })
  })

  it('refuses challenges for fields the tenant does not verify or that have no value', async () => {
    const tenant = await tenantWith({ sign_up: { identifiers: ['email_address'], verify: ['email_address'] } })
    const client = nativeClient(t, tenant)
    const attempt = await json<SignUpBody>(await client.request('POST', '/client/sign-ups', { first_name: 'Ada' }))
    await expectError(
      await client.request('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy: 'phone_code' }),
      422,
      'strategy_not_allowed',
      'strategy',
    )
    await expectError(
      await client.request('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy: 'email_code' }),
      422,
      'form_param_missing',
      'email_address',
    )
    await expectError(
      await client.request('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy: 'totp' }),
      422,
      'form_param_format_invalid',
      'strategy',
    )
  })

  it('answers 403 permission_denied when sign-up is disabled', async () => {
    const tenant = await tenantWith({ sign_up: { enabled: false } })
    const err = await expectError(
      await nativeClient(t, tenant).request('POST', '/client/sign-ups', { email_address: email() }),
      403,
      'permission_denied',
    )
    expect(err.meta.reason).toBe('sign_up_disabled')
    expect(await attemptRows(tenant)).toHaveLength(0)
  })
})

describe('Backend API /v1/sign-ups', () => {
  it('completes a server-driven sign-up with tokens in the body and a session bound to no client', async () => {
    const tenant = await tenantWith()
    const bapi = (method: string, path: string, body?: unknown) =>
      t.request(method, `/v1/sign-ups${path}`, {
        token: tenant.secret_key,
        ...(body === undefined ? {} : { json: body }),
      })
    const address = email()
    const attempt = await json<SignUpBody>(
      await bapi('POST', '', { email_address: address, password: PASSWORD, last_name: 'Lovelace' }),
    )
    expect(attempt.status).toBe('missing_requirements')
    const challenge = await json<ChallengeBody>(
      await bapi('POST', `/${attempt.id}/challenges`, { strategy: 'email_code' }),
      201,
    )
    const code = codeIn((await lastMessage(t, address)).text)!
    const res = await bapi('POST', `/${attempt.id}/challenges/${challenge.id}/answer`, { code })
    expect(res.headers.get('cache-control')).toBe('no-store')
    const done = await json<SignUpBody>(res)
    expect(done).toMatchObject({ status: 'complete', session: { client_id: null, user_id: done.created_user_id } })
    expect((await introspect(t, tenant, done.session_token!)).active).toBe(true)
    expect(done.refresh_token).toBeString()
    expect((await json<SignUpBody>(await bapi('GET', `/${attempt.id}`))).session_token).toBeUndefined()
    // A FAPI client cannot reach a backend attempt.
    await expectError(
      await nativeClient(t, tenant).request('GET', `/client/sign-ups/${attempt.id}`),
      404,
      'resource_not_found',
    )
  })

  it('requires the secret key (401)', async () => {
    await expectError(
      await t.request('POST', '/v1/sign-ups', { json: { email_address: email() } }),
      401,
      'authentication_invalid',
    )
  })
})
