import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { codeIn, lastMessage, nativeClient, newUser } from '../support/flows'

/**
 * Finding 9 (code guesses): five tries per challenge and a new challenge every 30 s allowed about
 * eight guesses a minute per identifier, without end (reverification codes had no limit at all).
 * Now failed code answers count per account across challenges and strategies: 10 per 15 minutes,
 * then 429 with Retry-After on answers and new code challenges, even for the right code, whatever
 * the per-IP limit; and they never count toward the password lockout (API.md §12).
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const settings = {
  rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 },
  lockout: { max_failed_attempts: 3, duration_s: 600 },
}
const wrongFor = (code: string | null) => (code === '000000' ? '111111' : '000000')

/**
 * Ten wrong answers over three email_code challenges of one attempt (5, 4 and 1), so the last
 * challenge is still pending; returns it and the code it sent.
 */
async function spendBudget(tenant: CreatedTenant, identifier: string, known: boolean) {
  const client = nativeClient(t, tenant)
  const since = t.clock.now()
  const started = (await (
    await client.request('POST', '/client/sign-ins', { identifier, strategy: 'email_code' })
  ).json()) as { id: string; current_challenge: { id: string } }
  let cid = started.current_challenge.id
  let code: string | null = known ? codeIn((await lastMessage(t, identifier, since)).text) : null
  for (const [index, wrong] of [5, 4, 1].entries()) {
    if (index > 0) {
      t.clock.advance(31_000)
      const at = t.clock.now()
      const next = await client.request('POST', `/client/sign-ins/${started.id}/challenges`, { strategy: 'email_code' })
      expect(next.status).toBe(201)
      cid = ((await next.json()) as { id: string }).id
      if (known) code = codeIn((await lastMessage(t, identifier, at)).text)
    }
    for (let i = 0; i < wrong; i++) {
      const res = await client.request('POST', `/client/sign-ins/${started.id}/challenges/${cid}/answer`, {
        code: wrongFor(code),
      })
      expect(res.status).toBe(422)
    }
  }
  return { client, attemptId: started.id, cid, code }
}

describe('code guessing budget', () => {
  it('after 10 failed codes in 15 minutes, even the right code and new challenges get 429 with Retry-After', async () => {
    const tenant = await newTenant(t, { settings })
    const user = await newUser(t, tenant)
    const { client, attemptId, cid, code } = await spendBudget(tenant, user.email, true)
    const right = await client.request('POST', `/client/sign-ins/${attemptId}/challenges/${cid}/answer`, { code })
    expect(right.status).toBe(429)
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await firstError(right)).code).toBe('too_many_requests')
    t.clock.advance(31_000)
    // Another attempt, from another client: the budget is the account's, not the attempt's.
    const other = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
      identifier: user.email,
      strategy: 'email_code',
    })
    expect(other.status).toBe(429)
    // A failure counts for 15 to 20 minutes (5-minute buckets): Retry-After says when the budget is back.
    expect(Number(right.headers.get('retry-after'))).toBeLessThanOrEqual(20 * 60)
    t.clock.advance(20 * 60_000)
    const fresh = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
      identifier: user.email,
      strategy: 'email_code',
    })
    expect(fresh.status).toBe(200)
  })

  it('answers an unknown identifier the same way', async () => {
    const tenant = await newTenant(t, { settings })
    const { client, attemptId, cid } = await spendBudget(
      tenant,
      `nobody-${crypto.randomUUID().slice(0, 8)}@example.com`,
      false,
    )
    expect(
      (await client.request('POST', `/client/sign-ins/${attemptId}/challenges/${cid}/answer`, { code: '123456' }))
        .status,
    ).toBe(429)
  })

  it('wrong backup codes at reverification spend the budget (429) and never lock the owner out', async () => {
    const tenant = await newTenant(t, { settings })
    const user = await newUser(t, tenant)
    const client = nativeClient(t, tenant)
    const signedIn = (await (
      await client.request('POST', '/client/sign-ins', { identifier: user.email, password: user.password })
    ).json()) as { session: { id: string }; session_token: string }
    const backup = await t.request('POST', `/t/${tenant.slug}/v1/me/backup-codes`, { token: signedIn.session_token })
    expect(backup.status).toBe(201)
    t.clock.advance(11 * 60_000)
    const statuses: number[] = []
    for (let i = 0; i < 12; i++)
      statuses.push(
        (
          await client.request('POST', `/client/sessions/${signedIn.session.id}/reverify`, {
            strategy: 'backup_code',
            code: `wrong-code-${i}`,
          })
        ).status,
      )
    expect(statuses).toEqual([...Array(10).fill(422), 429, 429])
    const password = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
      identifier: user.email,
      password: user.password,
    })
    expect(password.status).toBe(200)
  })

  it('code failures never lock the account: the password still signs in', async () => {
    const tenant = await newTenant(t, { settings })
    const user = await newUser(t, tenant)
    await spendBudget(tenant, user.email, true)
    const res = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
      identifier: user.email,
      password: user.password,
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { status: string }).status).toBe('complete')
  })
})
