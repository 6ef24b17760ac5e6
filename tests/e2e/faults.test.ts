import { afterAll, describe, expect, it } from 'bun:test'
import { Webhook } from 'standardwebhooks'
import * as WebhooksService from '../../src/features/webhooks/service'
import { newTenant, testApp, type TestApp } from '../support/app'
import { freePort } from '../support/local-server'
import { OwnNats } from '../support/own-nats'
import { waitFor } from '../support/wait'

/**
 * Fault tests against a NATS server of the test's own (port and store directory), so stopping
 * it disturbs nobody else: events survive a bus outage in the outbox, and webhook receivers that
 * fail get their messages on a later attempt. Throughput from commit to webhook receipt is printed.
 * A worker killed mid-delivery, which needs processes of its own, is worker-crash.test.ts.
 */
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

/** Each test stops its app and server at its end: a relay left running would take the next test's rows. */
async function withNats(run: (ctx: { nats: OwnNats; t: TestApp }) => Promise<void>): Promise<void> {
  const nats = new OwnNats(await freePort())
  await nats.start()
  const t = await testApp({ natsUrl: nats.url })
  try {
    await run({ nats, t })
  } finally {
    await t.close()
    await nats.dispose()
  }
}

describe('with its own NATS server', () => {
  it(
    'loses no verification code while NATS is down: 50 sign-ups, then a restart',
    () =>
      withNats(async ({ nats, t }) => {
        const tenant = await newTenant(t, {
          settings: { rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 } },
        })
        await nats.stop()
        const run = crypto.randomUUID().slice(0, 8)
        const emails = Array.from({ length: 50 }, (_, i) => `outage-${run}-${i}@example.com`)
        for (const email of emails) {
          const created = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ups`, {
            headers: { 'x-native-client': '1' },
            json: { email_address: email, password: 'correct horse battery staple' },
          })
          expect(created.status).toBe(200)
          const { id } = (await created.json()) as { id: string }
          const token = created.headers.get('x-client-token')!
          const challenge = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ups/${id}/challenges`, {
            headers: { 'x-client-token': token },
            json: { strategy: 'email_code' },
          })
          expect(challenge.status).toBe(201)
        }
        await t.deps.relay.kick()
        expect((await t.deps.relay.depth()).pending).toBeGreaterThanOrEqual(50)

        await nats.start()
        const delivered = await waitFor(
          async () => {
            await t.deps.relay.kick()
            const res = await t.request('GET', `/platform/v1/dev/messages?tenant_id=${tenant.id}&limit=100`, {
              token: t.platformKey,
            })
            const data = ((await res.json()) as { data: { to: string; text: string }[] }).data
            return data.length >= 50 ? data : null
          },
          60_000,
          200,
        )
        expect(new Set(delivered.map((m) => m.to))).toEqual(new Set(emails))
        for (const m of delivered) expect(m.text).toMatch(/\b\d{6}\b/)
      }),
    120_000,
  )

  it(
    'delivers a webhook after two 500s with three attempts logged, and measures commit-to-receipt throughput',
    () =>
      withNats(async ({ t }) => {
        const tenant = await newTenant(t, { settings: { webhooks: { retry_schedule_s: [1, 1, 1] } } })
        const seen: { id: string; at: number }[] = []
        let failuresLeft = 2
        let verifier: Webhook | null = null
        const receiver = Bun.serve({
          port: 0,
          hostname: '127.0.0.1',
          async fetch(req) {
            const body = await req.text()
            const id = req.headers.get('webhook-id')!
            verifier!.verify(body, Object.fromEntries(req.headers))
            const event = JSON.parse(body) as { type: string; data: { email_addresses?: { email_address: string }[] } }
            if (event.data.email_addresses?.[0]?.email_address === 'flaky@example.com' && failuresLeft-- > 0)
              return new Response('nope', { status: 500 })
            seen.push({ id, at: performance.now() })
            return new Response('ok')
          },
        })
        cleanups.push(async () => {
          receiver.stop(true)
        })
        const endpoint = await t.request('POST', '/v1/webhooks/endpoints', {
          token: tenant.secret_key,
          json: { url: `http://127.0.0.1:${receiver.port}/hook`, filter_types: ['user.created'] },
        })
        expect(endpoint.status).toBe(201)
        const { id: endpointId, secret } = (await endpoint.json()) as { id: string; secret: string }
        expect(secret).toStartWith('whsec_')
        verifier = new Webhook(secret)

        await t.request('POST', '/v1/users', {
          token: tenant.secret_key,
          json: { email_address: ['flaky@example.com'] },
        })
        const messages = await waitFor(
          async () => {
            const res = await t.request('GET', `/v1/webhooks/endpoints/${endpointId}/messages`, {
              token: tenant.secret_key,
            })
            const data = ((await res.json()) as { data: { id: string; status: string; attempts_count: number }[] }).data
            return data.length === 1 ? data : null
          },
          15_000,
          100,
        )
        const readMessage = async () =>
          (await (
            await t.request('GET', `/v1/webhooks/endpoints/${endpointId}/messages/${messages[0]!.id}`, {
              token: tenant.secret_key,
            })
          ).json()) as { status: string; attempts_count: number }
        let message = await readMessage()
        for (let i = 0; i < 20 && message.status !== 'delivered'; i++) {
          // Each retry is due one (fake) second after the failure before it.
          t.clock.advance(2_000)
          await WebhooksService.retryDue(t.deps)
          await Bun.sleep(50)
          message = await readMessage()
        }
        expect(message.status).toBe('delivered')
        expect(message.attempts_count).toBe(3)
        const attempts = (await (
          await t.request('GET', `/v1/webhooks/endpoints/${endpointId}/messages/${messages[0]!.id}/attempts`, {
            token: tenant.secret_key,
          })
        ).json()) as { data: { status_code: number }[] }
        expect(attempts.data.map((a) => a.status_code).sort()).toEqual([200, 500, 500])

        // Throughput: users created back to back; time from the first commit to the last receipt.
        const count = 100
        seen.length = 0
        const started = performance.now()
        for (let i = 0; i < count; i++) {
          const res = await t.request('POST', '/v1/users', {
            token: tenant.secret_key,
            json: { email_address: [`bulk-${i}-${crypto.randomUUID().slice(0, 6)}@example.com`] },
          })
          expect(res.status).toBe(201)
        }
        await waitFor(() => seen.length >= count, 60_000, 20)
        const seconds = (Math.max(...seen.map((s) => s.at)) - started) / 1000
        console.log(
          `webhook throughput: ${count} events from commit to receipt in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} events/s (${t.deps.database.kind}, ${t.deps.bus.kind})`,
        )
        expect(new Set(seen.map((s) => s.id)).size).toBe(count)
      }),
    120_000,
  )
})
