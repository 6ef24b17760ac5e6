import { afterAll, describe, expect, it } from 'bun:test'
import { Webhook } from 'standardwebhooks'
import { scratchInstallation } from '../support/installation'
import { waitFor } from '../support/wait'

/**
 * A webhooks worker killed mid-delivery, with nothing shared: a PostgreSQL database and a NATS
 * server of the test's own, the server process (`src/main.ts`, relay only) and worker processes
 * (`workers/run.ts webhooks`). The receiver SIGKILLs the first worker while holding its request
 * open; a second worker must deliver the same webhook-id once the message's lease has run out.
 */
const TIMEOUT_MS = 1000

interface Event {
  id: string
  type: string
  data: { id: string }
}
interface Message {
  id: string
  status: string
  attempts_count: number
}
interface Attempt {
  status_code: number | null
  error: string | null
  response_excerpt: string | null
}

const cleanups: (() => unknown)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

describe('a webhooks worker killed mid-delivery', () => {
  it('leaves the message to another worker after its lease: the same webhook-id arrives again and is logged delivered', async () => {
    const installation = await scratchInstallation({
      WEBHOOK_ALLOW_PRIVATE: '1',
      WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
    })
    cleanups.push(() => installation.cleanup())
    const { base, nats, platformKey, spawn } = installation
    const call = async <T>(path: string, token: string, json?: unknown): Promise<{ status: number; body: T }> => {
      const res = await fetch(base + path, {
        method: json === undefined ? 'GET' : 'POST',
        body: json === undefined ? undefined : JSON.stringify(json),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      })
      return { status: res.status, body: (await res.json()) as T }
    }

    // The server migrates the database before it listens.
    spawn(['src/main.ts'])
    await waitFor(async () => (await fetch(`${base}/health`)).status === 200, 45_000, 100)
    const first = spawn(['workers/run.ts', 'webhooks'])
    // The first worker is attached before the event, so that it is the one that receives it.
    await waitFor(() => nats.hasConsumer('webhooks'), 30_000, 100)

    const received: { id: string; event: Event | null }[] = []
    let verifier: Webhook | null = null
    const receiver = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      async fetch(req) {
        const body = await req.text()
        let event: Event | null = null
        try {
          event = verifier!.verify(body, Object.fromEntries(req.headers)) as Event
        } catch {
          // Recorded as null; the test requires every request to verify.
        }
        received.push({ id: req.headers.get('webhook-id') ?? '', event })
        if (received.length > 1) return new Response('ok')
        first.kill('SIGKILL')
        return new Promise<Response>(() => {})
      },
    })
    cleanups.push(() => receiver.stop(true))

    const tenant = await call<{ secret_key: string }>('/platform/v1/tenants', platformKey, { name: 'Worker crash' })
    expect(tenant.status).toBe(201)
    const key = tenant.body.secret_key
    const endpoint = await call<{ id: string; secret: string }>('/v1/webhooks/endpoints', key, {
      url: `http://127.0.0.1:${receiver.port}/hook`,
      filter_types: ['user.created'],
    })
    expect(endpoint.status).toBe(201)
    verifier = new Webhook(endpoint.body.secret)
    const messagesPath = `/v1/webhooks/endpoints/${endpoint.body.id}/messages`
    const user = await call<{ id: string }>('/v1/users', key, { email_address: ['crash@example.com'] })
    expect(user.status).toBe(201)

    await waitFor(() => received.length === 1, 30_000, 20)
    await first.exited
    expect(first.signalCode).toBe('SIGKILL')
    // The dead worker's attempt never reached the log; the message waits out its lease.
    const owed = (await call<{ data: Message[] }>(messagesPath, key)).body.data
    expect(owed).toEqual([expect.objectContaining({ id: received[0]!.id, status: 'pending', attempts_count: 0 })])
    const messageId = owed[0]!.id

    spawn(['workers/run.ts', 'webhooks'])
    const delivered = await waitFor(
      async () => {
        const m = (await call<Message>(`${messagesPath}/${messageId}`, key)).body
        return m.status === 'delivered' ? m : null
      },
      60_000,
      100,
    )

    // At least once: every request carried this message's webhook-id and verified, and the
    // receiver saw it again after the crash; each attempt that finished is in the log.
    expect(received.length).toBeGreaterThanOrEqual(2)
    for (const r of received) {
      expect(r.id).toBe(messageId)
      expect(r.event).toMatchObject({ type: 'user.created', data: { id: user.body.id } })
    }
    expect(new Set(received.map((r) => r.event!.id)).size).toBe(1)
    const attempts = (await call<{ data: Attempt[] }>(`${messagesPath}/${messageId}/attempts`, key)).body.data
    expect(attempts).toHaveLength(received.length - 1)
    expect(delivered.attempts_count).toBe(attempts.length)
    expect(attempts).toContainEqual(expect.objectContaining({ status_code: 200, error: null, response_excerpt: 'ok' }))
  }, 120_000)
})
