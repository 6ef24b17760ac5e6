import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { outbox } from '../../src/platform/db/schema'
import { newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { codeIn, lastMessage, linkIn, nativeClient } from '../support/flows'

// Security review (issue #12): one-time codes and link tokens sat in clear in outbox payloads
// (kept 7 days) and bus messages. Only the dev mailbox, which exists to show them, holds them
// now (API.md §12 "Secrets at rest and in logs").
let t: TestApp
const published: string[] = []
beforeAll(async () => {
  t = await testApp()
  // Everything the relay hands to the bus (in-process or NATS), as serialised on the wire.
  const publish = t.deps.bus.publish.bind(t.deps.bus)
  t.deps.bus.publish = (subject, data, opts) => {
    published.push(JSON.stringify(data))
    return publish(subject, data, opts)
  }
})
afterAll(() => t.close())

const SLOW = 30_000
const PASSWORD = 'correct horse battery staple'
const address = () => `sealed-${crypto.randomUUID().slice(0, 8)}@example.com`

async function outboxPayloads(tenant: CreatedTenant): Promise<string[]> {
  const rows = await t.deps.db.select({ payload: outbox.payload }).from(outbox).where(eq(outbox.tenantId, tenant.id))
  return rows.map((r) => JSON.stringify(r.payload))
}

/** Starts a sign-up and a challenge of `strategy`; returns what reached the dev mailbox. */
async function signUpChallenge(tenant: CreatedTenant, strategy: 'email_code' | 'email_link') {
  const client = nativeClient(t, tenant)
  const to = address()
  const started = await client.request('POST', '/client/sign-ups', { email_address: to, password: PASSWORD })
  expect(started.status).toBe(200)
  const attempt = (await started.json()) as { id: string }
  const res = await client.request('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy })
  expect(res.status).toBe(201)
  const challenge = (await res.json()) as { id: string }
  const text = (await lastMessage(t, to)).text
  return { client, attempt, challenge, text }
}

describe('codes and link tokens on their way to the delivery worker', () => {
  it(
    'an email code is in the dev mailbox, and in no outbox row or bus message',
    async () => {
      const tenant = await newTenant(t, { settings: { password: { argon2: { memory_kib: 8192, iterations: 1 } } } })
      const { client, attempt, challenge, text } = await signUpChallenge(tenant, 'email_code')
      const code = codeIn(text)!
      expect(code).toMatch(/^\d{6}$/)
      const rows = await outboxPayloads(tenant)
      const requests = rows.filter((p) => p.includes('"delivery.requested"') || p.includes('verification_code'))
      expect(requests.length).toBeGreaterThan(0)
      for (const payload of rows) expect(payload).not.toContain(code)
      const mine = published.filter((m) => m.includes(tenant.id))
      expect(mine.some((m) => m.includes('verification_code'))).toBe(true)
      for (const message of mine) expect(message).not.toContain(code)
      // The legitimate path still works: the code from the mailbox completes the sign-up.
      const answerPath = `/client/sign-ups/${attempt.id}/challenges/${challenge.id}/answer`
      const answer = await client.request('POST', answerPath, { code })
      expect(answer.status).toBe(200)
      expect(((await answer.json()) as { status: string }).status).toBe('complete')
    },
    SLOW,
  )

  it(
    'an email link token is in the dev mailbox, and in no outbox row or bus message',
    async () => {
      const tenant = await newTenant(t, { settings: { password: { argon2: { memory_kib: 8192, iterations: 1 } } } })
      const { text } = await signUpChallenge(tenant, 'email_link')
      const link = linkIn(text)!
      const token = new URL(link).searchParams.get('token')!
      expect(token.length).toBeGreaterThan(20)
      for (const payload of await outboxPayloads(tenant)) expect(payload).not.toContain(token)
      const mine = published.filter((m) => m.includes(tenant.id))
      expect(mine.some((m) => m.includes('magic_link'))).toBe(true)
      for (const message of mine) expect(message).not.toContain(token)
      // The link itself still verifies the address.
      const opened = await t.app.handle(new Request(link))
      expect(opened.status).toBeLessThan(400)
    },
    SLOW,
  )
})
