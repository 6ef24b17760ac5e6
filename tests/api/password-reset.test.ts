import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { generate } from 'otplib'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { codeIn, introspect, lastMessage, meApi, nativeClient, newUser, signInNative } from '../support/flows'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const settings = {
  rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 },
  password: { argon2: { memory_kib: 8192, iterations: 1 } },
}
const NEW_PASSWORD = 'a brand new passphrase'
type Attempt = {
  id: string
  status: string
  supported_first_factors: { strategy: string; safe_identifier?: string }[]
  supported_second_factors: { strategy: string }[]
  current_challenge: { id: string; strategy: string } | null
  session_token?: string
}

/** Starts a reset for `identifier` by `strategy`; returns the attempt, the client and the code sent to `to` (if any). */
async function startReset(
  tenant: CreatedTenant,
  identifier: string,
  strategy = 'reset_password_email_code',
  to: string | null = identifier,
) {
  const client = nativeClient(t, tenant)
  t.clock.advance(1000)
  const since = t.clock.now()
  const res = await client.request('POST', '/client/sign-ins', { identifier, strategy })
  expect(res.status).toBe(200)
  const attempt = (await res.json()) as Attempt
  const message = to ? await lastMessage(t, to, since) : null
  return { client, attempt, code: message ? codeIn(message.text) : null, message }
}

const answer = (client: ReturnType<typeof nativeClient>, a: Attempt, code: string) =>
  client.request('POST', `/client/sign-ins/${a.id}/challenges/${a.current_challenge!.id}/answer`, { code })
const reset = (client: ReturnType<typeof nativeClient>, a: Attempt, body: Record<string, unknown>) =>
  client.request('POST', `/client/sign-ins/${a.id}/reset-password`, body)
const passwordSignIn = (tenant: CreatedTenant, email: string, password: string) =>
  nativeClient(t, tenant).request('POST', '/client/sign-ins', { identifier: email, password })

describe('password reset (sign-in strategies reset_password_email_code | reset_password_phone_code)', () => {
  it('by email: the code (template password_reset) leads to needs_new_password; the new password replaces the old at once', async () => {
    const tenant = await newTenant(t, { settings })
    const user = await newUser(t, tenant)
    const { client, attempt, code, message } = await startReset(tenant, user.email)
    expect(attempt.supported_first_factors.map((f) => f.strategy)).toContain('reset_password_email_code')
    expect(attempt.current_challenge!.strategy).toBe('reset_password_email_code')
    expect(message!.subject).toContain('Reset your')
    const wrong = await answer(client, attempt, code === '000000' ? '111111' : '000000')
    expect((await firstError(wrong)).code).toBe('form_code_incorrect')
    const verified = (await (await answer(client, attempt, code!)).json()) as Attempt
    expect(verified.status).toBe('needs_new_password')
    expect(verified.session_token).toBeUndefined()

    const short = await reset(client, attempt, { password: 'short' })
    expect(short.status).toBe(422)
    expect((await firstError(short)).code).toBe('form_password_length_too_short')
    const done = await reset(client, attempt, { password: NEW_PASSWORD })
    expect(done.status).toBe(200)
    const body = (await done.json()) as Attempt
    expect(body.status).toBe('complete')
    expect((await introspect(t, tenant, body.session_token!)).active).toBe(true)
    expect((await reset(client, attempt, { password: NEW_PASSWORD })).status).toBe(422)

    expect((await firstError(await passwordSignIn(tenant, user.email, user.password))).code).toBe(
      'form_password_incorrect',
    )
    expect((await passwordSignIn(tenant, user.email, NEW_PASSWORD)).status).toBe(200)
    const audit = await t.request('GET', '/v1/audit-events?action=user.password_reset', { token: tenant.secret_key })
    expect(((await audit.json()) as { data: unknown[] }).data).toHaveLength(1)
  })

  it('by phone, with sign_out_of_other_sessions ending the sessions signed in before', async () => {
    const tenant = await newTenant(t, { settings })
    const phone = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`
    const user = await newUser(t, tenant, { phone_number: [phone] })
    const earlier = await signInNative(t, tenant, user)
    const { client, attempt, code } = await startReset(tenant, phone, 'reset_password_phone_code')
    expect(((await (await answer(client, attempt, code!)).json()) as Attempt).status).toBe('needs_new_password')
    const done = (await (
      await reset(client, attempt, { password: NEW_PASSWORD, sign_out_of_other_sessions: true })
    ).json()) as Attempt
    expect(done.status).toBe('complete')
    expect((await introspect(t, tenant, earlier.session_token)).active).toBe(false)
    expect((await introspect(t, tenant, done.session_token!)).active).toBe(true)
  })

  it('answers an unknown identifier like a known one: same factors and challenge, no code, no reset', async () => {
    const tenant = await newTenant(t, { settings })
    const user = await newUser(t, tenant)
    const known = await startReset(tenant, user.email)
    const unknown = await startReset(
      tenant,
      `nobody-${crypto.randomUUID().slice(0, 8)}@example.com`,
      'reset_password_email_code',
      null,
    )
    expect(unknown.attempt.supported_first_factors.map((f) => f.strategy)).toEqual(
      known.attempt.supported_first_factors.map((f) => f.strategy),
    )
    expect(Object.keys(unknown.attempt.current_challenge!).sort()).toEqual(
      Object.keys(known.attempt.current_challenge!).sort(),
    )
    expect((await answer(unknown.client, unknown.attempt, '123456')).status).toBe(422)
    expect((await reset(unknown.client, unknown.attempt, { password: NEW_PASSWORD })).status).toBe(422)
  })

  it('asks for the second factor when the user has MFA, and refuses an expired attempt', async () => {
    const tenant = await newTenant(t, { settings })
    const user = await newUser(t, tenant)
    const me = meApi(t, tenant, (await signInNative(t, tenant, user)).session_token)
    const { secret } = (await (await me('POST', '/totp')).json()) as { secret: string }
    expect(
      (await me('POST', '/totp/verify', { code: await generate({ secret, epoch: t.clock.now() / 1000 }) })).status,
    ).toBe(200)
    const { client, attempt, code } = await startReset(tenant, user.email)
    await answer(client, attempt, code!)
    const next = (await (await reset(client, attempt, { password: NEW_PASSWORD })).json()) as Attempt
    expect(next.status).toBe('needs_second_factor')
    expect(next.supported_second_factors.map((f) => f.strategy)).toContain('totp')
    expect(next.session_token).toBeUndefined()
    // The password changed all the same: the old one no longer signs in.
    expect((await firstError(await passwordSignIn(tenant, user.email, user.password))).code).toBe(
      'form_password_incorrect',
    )

    const late = await startReset(tenant, user.email)
    await answer(late.client, late.attempt, late.code!)
    t.clock.advance(16 * 60_000)
    expect((await firstError(await reset(late.client, late.attempt, { password: NEW_PASSWORD }))).code).toBe(
      'verification_expired',
    )
  })

  it('lets one of two concurrent resets of one attempt win; the other changes nothing', async () => {
    const tenant = await newTenant(t, { settings })
    const user = await newUser(t, tenant)
    const { client, attempt, code } = await startReset(tenant, user.email)
    await answer(client, attempt, code!)
    const results = await Promise.all(
      ['first new password', 'second new password'].map((password) => reset(client, attempt, { password })),
    )
    const statuses = results.map((r) => r.status).sort()
    expect(statuses[0]).toBe(200)
    expect([409, 422]).toContain(statuses[1]!)
    const winner = results.findIndex((r) => r.status === 200) === 0 ? 'first new password' : 'second new password'
    const loser = winner === 'first new password' ? 'second new password' : 'first new password'
    expect((await passwordSignIn(tenant, user.email, winner)).status).toBe(200)
    expect((await firstError(await passwordSignIn(tenant, user.email, loser))).code).toBe('form_password_incorrect')
  })

  it('never lifts an administrator’s lock or a ban that came after the code: 423 / 422, password unchanged', async () => {
    const tenant = await newTenant(t, { settings })
    for (const action of ['lock', 'ban']) {
      const user = await newUser(t, tenant)
      const { client, attempt, code } = await startReset(tenant, user.email)
      expect((await answer(client, attempt, code!)).status).toBe(200)
      expect((await t.request('POST', `/v1/users/${user.id}/${action}`, { token: tenant.secret_key })).status).toBe(200)
      const res = await reset(client, attempt, { password: NEW_PASSWORD })
      expect(res.status).toBe(action === 'lock' ? 423 : 422)
      expect((await firstError(res)).code).toBe(action === 'lock' ? 'user_locked' : 'verification_failed')
      const check = await t.request('POST', `/v1/users/${user.id}/verify-password`, {
        token: tenant.secret_key,
        json: { password: user.password },
      })
      expect(((await check.json()) as { verified: boolean }).verified).toBe(true)
    }
  })

  it('lifts a lockout by wrong passwords, and works for the Backend API', async () => {
    const tenant = await newTenant(t, {
      settings: { ...settings, lockout: { max_failed_attempts: 2, duration_s: 600 } },
    })
    const user = await newUser(t, tenant)
    for (let i = 0; i < 2; i++) await passwordSignIn(tenant, user.email, `wrong password ${i}`)
    expect((await firstError(await passwordSignIn(tenant, user.email, user.password))).code).toBe('user_locked')
    t.clock.advance(1000)
    const since = t.clock.now()
    const bapi = (path: string, json: unknown) =>
      t.request('POST', `/v1/sign-ins${path}`, { token: tenant.secret_key, json })
    const attempt = (await (
      await bapi('', { identifier: user.email, strategy: 'reset_password_email_code' })
    ).json()) as Attempt
    const code = codeIn((await lastMessage(t, user.email, since)).text)!
    expect((await bapi(`/${attempt.id}/challenges/${attempt.current_challenge!.id}/answer`, { code })).status).toBe(200)
    const done = (await (await bapi(`/${attempt.id}/reset-password`, { password: NEW_PASSWORD })).json()) as Attempt
    expect(done.status).toBe('complete')
    expect(done.session_token).toBeString()
    expect((await passwordSignIn(tenant, user.email, NEW_PASSWORD)).status).toBe(200)
  })
})
