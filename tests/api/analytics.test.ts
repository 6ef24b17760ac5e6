import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import * as AnalyticsService from '../../src/features/analytics/service'
import { newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { codeIn, lastMessage, nativeClient, newUser } from '../support/flows'
import { expectError, fastHashing, ok } from '../support/orgs'
import { sleep } from '../support/wait'

/**
 * Login analytics (API.md §18): a scripted series of sign-ins and sign-ups under a controlled clock, rolled
 * up by the analytics worker, read back as hour, day and month series with every bucket; MFA adoption from
 * user events; the bounds rules; a redelivered message counted once.
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const HOUR = 3_600_000
const DAY = 24 * HOUR
const PASSWORD = 'correct horse battery staple'

interface Series<B> {
  object: string
  metric: string
  interval: string
  from: number
  to: number
  data: B[]
}
type SignInBucket = {
  start: number
  succeeded: number
  failed: number
  by_strategy: Record<string, { succeeded: number; failed: number }>
}

const series = <B>(tenant: CreatedTenant, metric: string, query: string) =>
  t.request('GET', `/v1/analytics/${metric}?${query}`, { token: tenant.secret_key }).then((r) => ok<Series<B>>(r))

/** Polls until `done` holds (the worker rolls up within moments here; the contract allows 60 s). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const value = await read()
    if (done(value) || Date.now() > until) return value
    await sleep(50)
  }
}

const signIn = (tenant: CreatedTenant, identifier: string, password: string) =>
  nativeClient(t, tenant).request('POST', '/client/sign-ins', { identifier, password })

async function signUp(tenant: CreatedTenant, address: string) {
  const client = nativeClient(t, tenant)
  const attempt = await ok<{ id: string }>(
    await client.request('POST', '/client/sign-ups', { email_address: address, password: PASSWORD }),
  )
  const challenge = await ok<{ id: string }>(
    await client.request('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy: 'email_code' }),
    201,
  )
  const code = codeIn((await lastMessage(t, address)).text)!
  const done = await ok<{ status: string }>(
    await client.request('POST', `/client/sign-ups/${attempt.id}/challenges/${challenge.id}/answer`, { code }),
  )
  expect(done.status).toBe('complete')
}

describe('GET /v1/analytics/{metric}', () => {
  it('rolls a scripted series of sign-ins and sign-ups into hour, day and month buckets', async () => {
    const saved = t.clock.now()
    const day1 = Date.UTC(2026, 2, 10)
    t.clock.set(day1 + 10 * HOUR + 15 * 60_000)
    try {
      const tenant = await newTenant(t, { settings: fastHashing })
      const ada = await newUser(t, tenant)
      expect((await signIn(tenant, ada.email, ada.password)).status).toBe(200)
      expect((await signIn(tenant, ada.email, 'wrong password here')).status).toBe(422)
      t.clock.set(day1 + DAY + 9 * HOUR)
      expect((await signIn(tenant, ada.email, ada.password)).status).toBe(200)
      await signUp(tenant, `grace-${crypto.randomUUID().slice(0, 6)}@example.com`)
      const range = `from=${day1}&to=${day1 + 2 * DAY}`
      const daily = await eventually(
        () => series<SignInBucket>(tenant, 'sign-ins', `${range}&interval=day`),
        (s) => s.data.reduce((n, b) => n + b.succeeded + b.failed, 0) === 3,
      )
      expect(daily).toMatchObject({ object: 'analytics_series', metric: 'sign-ins', interval: 'day', from: day1 })
      expect(daily.to).toBe(day1 + 2 * DAY)
      expect(daily.data).toEqual([
        { start: day1, succeeded: 1, failed: 1, by_strategy: { password: { succeeded: 1, failed: 1 } } },
        { start: day1 + DAY, succeeded: 1, failed: 0, by_strategy: { password: { succeeded: 1, failed: 0 } } },
      ])
      const hourly = await series<SignInBucket>(tenant, 'sign-ins', `${range}&interval=hour`)
      expect(hourly.data).toHaveLength(48)
      expect(hourly.data.filter((b) => b.succeeded + b.failed > 0).map((b) => b.start)).toEqual([
        day1 + 10 * HOUR,
        day1 + DAY + 9 * HOUR,
      ])
      const signUps = await eventually(
        () =>
          series<{ start: number; count: number; by_strategy: Record<string, number> }>(
            tenant,
            'sign-ups',
            `${range}&interval=day`,
          ),
        (s) => s.data[1]!.count === 1,
      )
      expect(signUps.data).toEqual([
        { start: day1, count: 0, by_strategy: {} },
        { start: day1 + DAY, count: 1, by_strategy: { email_code: 1 } },
      ])
      const active = await eventually(
        () => series<{ start: number; active_users: number }>(tenant, 'active-users', `${range}&interval=day`),
        (s) => s.data[1]!.active_users === 2,
      )
      expect(active.data.map((b) => b.active_users)).toEqual([1, 2])
      // A month counts each person once however often they signed in.
      const monthly = await series<{ start: number; active_users: number }>(tenant, 'active-users', 'interval=month')
      expect(monthly.data.at(-1)).toEqual({ start: Date.UTC(2026, 2, 1), active_users: 2 })
    } finally {
      t.clock.set(saved)
    }
  })

  it('defaults to the last 30 days by day, snaps the bounds to UTC, and refuses more than 744 buckets', async () => {
    const tenant = await newTenant(t)
    const now = t.clock.now()
    const s = await series<{ start: number; active_users: number }>(tenant, 'active-users', '')
    expect(s.interval).toBe('day')
    expect(s.from).toBe(Math.floor((now - 30 * DAY) / DAY) * DAY)
    expect(s.to).toBe(Math.ceil(now / DAY) * DAY)
    expect(s.data).toHaveLength((s.to - s.from) / DAY)
    expect(s.data.every((b) => b.active_users === 0)).toBe(true)
    const ok744 = await series(tenant, 'sign-ins', `from=0&to=${744 * HOUR}&interval=hour`)
    expect(ok744.data).toHaveLength(744)
    const bad = async (query: string, param: string) =>
      expectError(
        await t.request('GET', `/v1/analytics/sign-ins?${query}`, { token: tenant.secret_key }),
        422,
        'form_param_format_invalid',
        { param_name: param },
      )
    await bad(`from=0&to=${745 * HOUR}&interval=hour`, 'interval')
    await bad('from=10&to=5', 'from')
    await bad('from=yesterday', 'from')
    expect((await t.request('GET', '/v1/analytics/sign-ins?interval=week', { token: tenant.secret_key })).status).toBe(
      422,
    )
    await expectError(
      await t.request('GET', '/v1/analytics/revenue', { token: tenant.secret_key }),
      404,
      'resource_not_found',
    )
    const key = await ok<{ key: string }>(
      await t.request('POST', '/v1/api-keys', {
        token: tenant.secret_key,
        json: { name: 'r', scopes: ['users:read'] },
      }),
      201,
    )
    expect((await t.request('GET', '/v1/analytics/sign-ins', { token: key.key })).status).toBe(403)
    const reader = await ok<{ key: string }>(
      await t.request('POST', '/v1/api-keys', {
        token: tenant.secret_key,
        json: { name: 'a', scopes: ['analytics:read'] },
      }),
      201,
    )
    expect((await t.request('GET', '/v1/analytics/sign-ins', { token: reader.key })).status).toBe(200)
  })

  it('counts MFA adoption from user changes, by factor', async () => {
    const tenant = await newTenant(t)
    await newUser(t, tenant)
    await newUser(t, tenant, { totp_secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', backup_codes: ['code-one-1'] })
    type Mfa = { users_total: number; mfa_enabled: number; by_factor: Record<string, number> }
    const s = await eventually(
      () => series<Mfa>(tenant, 'mfa-adoption', 'interval=day'),
      (x) => x.data.at(-1)!.users_total === 2,
    )
    expect(s.data.at(-1)).toMatchObject({
      users_total: 2,
      mfa_enabled: 1,
      by_factor: { totp: 1, passkey: 0, phone_code: 0, backup_code: 1 },
    })
    // Before the first count there was nothing to show.
    expect(s.data[0]).toMatchObject({ users_total: 0, mfa_enabled: 0 })
  })

  it('counts a redelivered message once, and another tenant’s outcomes never', async () => {
    const tenant = await newTenant(t)
    const other = await newTenant(t)
    const msg = {
      tenant_id: tenant.id,
      outcome: 'sign_in.failed' as const,
      strategy: 'password',
      user_id: null,
      at: t.clock.now(),
    }
    await AnalyticsService.rollUp(t.deps, msg, 'evt_redelivered_1')
    await AnalyticsService.rollUp(t.deps, msg, 'evt_redelivered_1')
    const s = await series<SignInBucket>(tenant, 'sign-ins', 'interval=day')
    expect(s.data.reduce((n, b) => n + b.failed, 0)).toBe(1)
    const o = await series<SignInBucket>(other, 'sign-ins', 'interval=day')
    expect(o.data.reduce((n, b) => n + b.failed, 0)).toBe(0)
  })
})
