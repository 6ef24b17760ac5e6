import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { signInAttempts } from '../../src/features/sign-in/schema'
import { signUpAttempts } from '../../src/features/sign-up/schema'
import { users } from '../../src/features/users/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { nativeClient, newUser } from '../support/flows'

/**
 * One path through a flow (#14): the machine, not the service, decides expiry and the end of an
 * attempt by an administrator's lock, and what it decides is saved with the step.
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const settings = {
  rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 },
  password: { argon2: { memory_kib: 8192, iterations: 1 } },
}
type Attempt = { id: string; status: string; current_challenge: { id: string; strategy: string } | null }

async function stored(tenant: CreatedTenant, table: typeof signInAttempts | typeof signUpAttempts, id: string) {
  const [row] = await withTenant(t.deps.db, tenant.id, (tx) =>
    tx
      .select({ status: table.status, version: table.version })
      .from(table)
      .where(and(eq(table.tenantId, tenant.id), eq(table.id, id))),
  )
  return row!
}

async function passwordAttempt(tenant: CreatedTenant, email: string) {
  const client = nativeClient(t, tenant)
  const res = await client.request('POST', '/client/sign-ins', { identifier: email, strategy: 'password' })
  expect(res.status).toBe(200)
  return { client, attempt: (await res.json()) as Attempt }
}

const answer = (client: ReturnType<typeof nativeClient>, a: Attempt, body: Record<string, unknown>) =>
  client.request('POST', `/client/sign-ins/${a.id}/challenges/${a.current_challenge!.id}/answer`, body)

describe('expiry is the machine’s decision, saved with the step', () => {
  it('answers 422 verification_expired past expire_at and saves the attempt as expired, checking nothing', async () => {
    const tenant = await newTenant(t, { settings })
    const user = await newUser(t, tenant)
    const { client, attempt } = await passwordAttempt(tenant, user.email)
    t.clock.advance(15 * 60_000)
    const res = await answer(client, attempt, { password: user.password })
    expect(res.status).toBe(422)
    expect((await firstError(res)).code).toBe('verification_expired')
    expect(await stored(tenant, signInAttempts, attempt.id)).toMatchObject({ status: 'expired' })
    // A read changes nothing (GETs never change state) and shows it expired.
    const read = (await (await client.request('GET', `/client/sign-ins/${attempt.id}`)).json()) as Attempt
    expect(read.status).toBe('expired')
    for (const res of [
      await client.request('PATCH', `/client/sign-ins/${attempt.id}`, { identifier: user.email }),
      await client.request('POST', `/client/sign-ins/${attempt.id}/challenges`, { strategy: 'password' }),
    ])
      expect((await firstError(res)).code).toBe('verification_expired')
  })

  it('answers verification_expired to every one of concurrent requests on an expired attempt, never 409', async () => {
    const tenant = await newTenant(t, { settings })
    const user = await newUser(t, tenant)
    const { client, attempt } = await passwordAttempt(tenant, user.email)
    t.clock.advance(15 * 60_000)
    const answers = await Promise.all([1, 2, 3].map(() => answer(client, attempt, { password: user.password })))
    for (const res of answers) expect((await firstError(res)).code).toBe('verification_expired')
    expect(await stored(tenant, signInAttempts, attempt.id)).toMatchObject({ status: 'expired' })
  })

  it('counts no lockout try for an answer to an expired challenge', async () => {
    const tenant = await newTenant(t, { settings })
    const user = await newUser(t, tenant)
    const { client, attempt } = await passwordAttempt(tenant, user.email)
    t.clock.advance(10 * 60_000) // the password challenge's lifetime; the attempt's is longer
    const res = await answer(client, attempt, { password: 'not the password' })
    expect((await firstError(res)).code).toBe('verification_expired')
    const [row] = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select({ failed: users.failedPasswordAttempts }).from(users).where(eq(users.id, user.id)),
    )
    expect(row!.failed).toBe(0)
  })

  it('saves nothing for an attempt still open (no write before the step itself)', async () => {
    const tenant = await newTenant(t, { settings })
    const user = await newUser(t, tenant)
    const { client, attempt } = await passwordAttempt(tenant, user.email)
    const before = await stored(tenant, signInAttempts, attempt.id)
    const wrong = await answer(client, attempt, { password: 'not the password' })
    expect((await firstError(wrong)).code).toBe('form_password_incorrect')
    expect(await stored(tenant, signInAttempts, attempt.id)).toEqual(before)
  })

  it('expires a sign-up the same way: PATCH past expire_at is 422 verification_expired, saved as expired', async () => {
    const tenant = await newTenant(t, { settings })
    const client = nativeClient(t, tenant)
    const created = (await (
      await client.request('POST', '/client/sign-ups', { email_address: `new-${Date.now()}@example.com` })
    ).json()) as Attempt
    expect(created.status).toBe('missing_requirements')
    t.clock.advance(30 * 60_000)
    const res = await client.request('PATCH', `/client/sign-ups/${created.id}`, { first_name: 'Ada' })
    expect((await firstError(res)).code).toBe('verification_expired')
    expect(await stored(tenant, signUpAttempts, created.id)).toMatchObject({ status: 'expired' })
  })
})

describe('locks', () => {
  it('an administrator’s lock ends the attempt: 423, then the attempt is locked and refuses a new challenge', async () => {
    const tenant = await newTenant(t, { settings })
    const user = await newUser(t, tenant)
    const { client, attempt } = await passwordAttempt(tenant, user.email)
    expect((await t.request('POST', `/v1/users/${user.id}/lock`, { token: tenant.secret_key })).status).toBe(200)
    const res = await answer(client, attempt, { password: user.password })
    expect(res.status).toBe(423)
    expect((await firstError(res)).code).toBe('user_locked')
    expect(await stored(tenant, signInAttempts, attempt.id)).toMatchObject({ status: 'locked' })
    const read = (await (await client.request('GET', `/client/sign-ins/${attempt.id}`)).json()) as Attempt
    expect(read.status).toBe('locked')
    // Unlocked, the attempt stays ended: its challenge is no longer current (and spends nothing).
    expect((await t.request('POST', `/v1/users/${user.id}/unlock`, { token: tenant.secret_key })).status).toBe(200)
    const stale = await answer(client, attempt, { password: user.password })
    expect(stale.status).toBe(422)
    expect((await firstError(stale)).code).toBe('verification_failed')
    expect((await t.request('POST', `/v1/users/${user.id}/lock`, { token: tenant.secret_key })).status).toBe(200)
    const again = await client.request('POST', `/client/sign-ins/${attempt.id}/challenges`, {
      strategy: 'reset_password_email_code',
    })
    expect(again.status).toBe(423)
    expect((await firstError(again)).code).toBe('user_locked')
  })

  it('a lockout by wrong passwords leaves the attempt open: a password reset still starts in it', async () => {
    const tenant = await newTenant(t, {
      settings: { ...settings, lockout: { max_failed_attempts: 2, duration_s: 600 } },
    })
    const user = await newUser(t, tenant)
    const { client, attempt } = await passwordAttempt(tenant, user.email)
    expect((await firstError(await answer(client, attempt, { password: 'wrong one' }))).code).toBe(
      'form_password_incorrect',
    )
    expect((await firstError(await answer(client, attempt, { password: 'wrong two' }))).code).toBe('user_locked')
    expect(await stored(tenant, signInAttempts, attempt.id)).toMatchObject({ status: 'needs_first_factor' })
    const reset = await client.request('POST', `/client/sign-ins/${attempt.id}/challenges`, {
      strategy: 'reset_password_email_code',
    })
    expect(reset.status).toBe(201)
  })
})
