import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { Webhook } from 'standardwebhooks'
import { webhookEndpoints, webhookMessages } from '../../src/features/webhooks/schema'
import * as WebhooksService from '../../src/features/webhooks/service'
import { send } from '../../src/features/webhooks/deliver'
import { leaseMs } from '../../src/features/webhooks/dispatch'
import { outbox } from '../../src/platform/db/schema'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { newUser } from '../support/flows'
import { waitFor } from '../support/wait'
import { serveLocal } from '../support/local-server'

let t: TestApp
const cleanup: { tenant: CreatedTenant; id: string }[] = []
beforeAll(async () => {
  t = await testApp()
})
afterAll(async () => {
  // Deleting ends what is still owed, so later test files' retry loops find nothing of ours.
  for (const { tenant, id } of cleanup) await api(tenant, 'DELETE', `/${id}`)
  await t.close()
})

interface Received {
  headers: Record<string, string>
  body: string
}
interface Endpoint {
  object: string
  id: string
  url: string
  filter_types: string[] | null
  description: string | null
  disabled: boolean
  secret?: string
  created_at: number
  updated_at: number
}
interface Message {
  object: string
  id: string
  event_id: string
  event_type: string
  status: string
  attempts_count: number
  created_at: number
}
interface Attempt {
  object: string
  id: string
  status_code: number | null
  duration_ms: number
  response_excerpt: string | null
  error: string | null
  created_at: number
}

/** A receiver on 127.0.0.1 answering with `answer(n)` for its n-th request (1-based). */
function receiver(answer: (n: number) => Response | Promise<Response> = () => new Response('ok')) {
  const got: Received[] = []
  const server = serveLocal({
    async fetch(req) {
      got.push({ headers: Object.fromEntries(req.headers), body: await req.text() })
      return answer(got.length)
    },
  })
  return { url: `http://127.0.0.1:${server.port}/hook`, got, stop: () => server.stop() }
}

const api = (tenant: CreatedTenant, method: string, path: string, json?: unknown, app = t) =>
  app.request(method, `/v1/webhooks/endpoints${path}`, {
    token: tenant.secret_key,
    ...(json === undefined ? {} : { json }),
  })

async function createEndpoint(
  tenant: CreatedTenant,
  body: Record<string, unknown>,
): Promise<Endpoint & { secret: string }> {
  const res = await api(tenant, 'POST', '', body)
  expect(res.status).toBe(201)
  const endpoint = (await res.json()) as Endpoint & { secret: string }
  cleanup.push({ tenant, id: endpoint.id })
  return endpoint
}

async function messages(tenant: CreatedTenant, endpointId: string, query = ''): Promise<Message[]> {
  const res = await api(tenant, 'GET', `/${endpointId}/messages${query}`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { data: Message[] }).data
}

async function attempts(tenant: CreatedTenant, endpointId: string, msgId: string): Promise<Attempt[]> {
  const res = await api(tenant, 'GET', `/${endpointId}/messages/${msgId}/attempts`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { data: Attempt[] }).data
}

/** Waits (publishing the outbox meanwhile) until the endpoint's newest message satisfies `check`. */
const messageWhere = (tenant: CreatedTenant, endpointId: string, check: (m: Message) => boolean) =>
  waitFor(async () => {
    await t.deps.relay.kick()
    const [m] = await messages(tenant, endpointId)
    return m && check(m) ? m : null
  }, 8000)

/** Moves the fake clock and runs one retry pass (the background loop may win the claim; either attempts). */
async function nextRetry(seconds: number): Promise<void> {
  t.clock.advance(seconds * 1000)
  await WebhooksService.retryDue(t.deps)
}

describe('POST /v1/webhooks/endpoints and CRUD', () => {
  it('creates an endpoint with a whsec_ secret shown once and sealed at rest', async () => {
    const tenant = await newTenant(t)
    const created = await createEndpoint(tenant, {
      url: 'https://hooks.example.com/tessera',
      filter_types: ['user.created'],
      description: 'CRM sync',
    })
    expect(created).toMatchObject({
      object: 'webhook_endpoint',
      url: 'https://hooks.example.com/tessera',
      filter_types: ['user.created'],
      description: 'CRM sync',
      disabled: false,
    })
    expect(created.id).toMatch(/^whe_/)
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/)
    expect(Buffer.from(created.secret.slice(6), 'base64')).toHaveLength(24)

    const [row] = await t.deps.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, created.id))
    expect(row!.secretSealed).not.toContain(created.secret.slice(6))
    const read = (await (await api(tenant, 'GET', `/${created.id}`)).json()) as Endpoint
    expect(read).not.toHaveProperty('secret')
    expect(read).toEqual({ ...created, secret: undefined } as unknown as Endpoint)
    const list = (await (await api(tenant, 'GET', '?limit=1')).json()) as {
      data: Endpoint[]
      meta: { next_cursor: string | null }
    }
    expect(list.data.map((e) => e.id)).toEqual([created.id])
    expect(list.data[0]).not.toHaveProperty('secret')
  })

  it('updates, deletes, and answers 404 for another tenant’s endpoint', async () => {
    const tenant = await newTenant(t)
    const other = await newTenant(t)
    const created = await createEndpoint(tenant, { url: 'https://hooks.example.com/a' })
    expect(created.filter_types).toBeNull()
    const patched = await api(tenant, 'PATCH', `/${created.id}`, {
      filter_types: ['session.created'],
      description: null,
      disabled: true,
    })
    expect(patched.status).toBe(200)
    expect(await patched.json()).toMatchObject({ filter_types: ['session.created'], description: null, disabled: true })
    for (const [method, path] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/rotate-secret'],
      ['GET', '/messages'],
    ] as const) {
      const res = await api(
        other,
        method,
        `/${created.id}${path}`,
        method === 'PATCH' ? { disabled: false } : undefined,
      )
      expect(res.status).toBe(404)
    }
    expect((await api(tenant, 'DELETE', `/${created.id}`)).status).toBe(200)
    expect((await api(tenant, 'GET', `/${created.id}`)).status).toBe(404)
  })

  it('refuses bad bodies with 422: scheme, unknown field, wrong types, too many filters', async () => {
    const tenant = await newTenant(t)
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'ftp://example.com/' }, 'url'],
      [{ url: 'https://user:pw@example.com/' }, 'url'],
      [{ url: 'https://example.com/', secret: 'whsec_x' }, 'secret'],
      [{ url: 'https://example.com/', filter_types: 'user.created' }, 'filter_types'],
      [
        { url: 'https://example.com/', filter_types: Array.from({ length: 101 }, (_, i) => `user.t${i}`) },
        'filter_types',
      ],
      [{ url: 'https://example.com/', disabled: 'false' }, 'disabled'],
    ]
    for (const [body, param] of cases) {
      const res = await api(tenant, 'POST', '', body)
      expect(res.status).toBe(422)
      expect((await firstError(res)).meta.param_name).toBe(param)
    }
  })
})

describe('delivery', () => {
  it('delivers user.created signed per Standard Webhooks, and logs the attempt', async () => {
    const tenant = await newTenant(t)
    const hook = receiver()
    try {
      const endpoint = await createEndpoint(tenant, { url: hook.url })
      const user = await newUser(t, tenant)
      const m = await messageWhere(tenant, endpoint.id, (m) => m.status === 'delivered')
      expect(m).toMatchObject({ object: 'webhook_message', event_type: 'user.created', attempts_count: 1 })
      expect(m.event_id).toMatch(/^evt_/)
      const { headers, body } = hook.got[0]!
      expect(headers['webhook-id']).toBe(m.id)
      expect(headers['content-type']).toBe('application/json')
      const event = new Webhook(endpoint.secret).verify(body, headers) as Record<string, unknown>
      expect(event).toMatchObject({
        object: 'event',
        id: m.event_id,
        type: 'user.created',
        tenant_id: tenant.id,
        data: { object: 'user', id: user.id },
      })
      expect(typeof event.created_at).toBe('number')
      expect(() => new Webhook('whsec_' + Buffer.alloc(24, 1).toString('base64')).verify(body, headers)).toThrow()

      const [a] = await attempts(tenant, endpoint.id, m.id)
      expect(a).toMatchObject({ object: 'webhook_attempt', status_code: 200, response_excerpt: 'ok', error: null })
      expect(a!.duration_ms).toBeGreaterThanOrEqual(0)
      expect((await api(tenant, 'GET', `/${endpoint.id}/messages/${m.id}`)).status).toBe(200)
      expect(await messages(tenant, endpoint.id, '?status=failed')).toEqual([])
    } finally {
      hook.stop()
    }
  })

  it('sends only the types an endpoint filters for, and a redelivered event once', async () => {
    const tenant = await newTenant(t)
    const hook = receiver()
    try {
      const wanted = await createEndpoint(tenant, { url: hook.url, filter_types: ['user.created'] })
      const other = await createEndpoint(tenant, { url: hook.url, filter_types: ['session.created'] })
      await newUser(t, tenant)
      const m = await messageWhere(tenant, wanted.id, (m) => m.status === 'delivered')
      expect(await messages(tenant, other.id)).toEqual([])
      const again = await WebhooksService.fanOut(t.deps, {
        id: m.event_id,
        type: 'user.created',
        tenant_id: tenant.id,
        data: {},
      })
      expect(again).toBe(0)
      expect(hook.got).toHaveLength(1)
    } finally {
      hook.stop()
    }
  })

  it('retries on 500: 500, 500, 200 → three attempts logged, one webhook-id, delivered', async () => {
    const tenant = await newTenant(t, { settings: { webhooks: { retry_schedule_s: [1, 1, 1] } } })
    const hook = receiver((n) => new Response(n < 3 ? 'boom' : 'fine', { status: n < 3 ? 500 : 200 }))
    try {
      const endpoint = await createEndpoint(tenant, { url: hook.url })
      await newUser(t, tenant)
      const m = await messageWhere(tenant, endpoint.id, (m) => m.attempts_count === 1)
      expect(m.status).toBe('pending')
      await nextRetry(1)
      await messageWhere(tenant, endpoint.id, (m) => m.attempts_count === 2)
      await nextRetry(1)
      const done = await messageWhere(tenant, endpoint.id, (m) => m.status === 'delivered')
      expect(done.attempts_count).toBe(3)
      const log = await attempts(tenant, endpoint.id, m.id)
      expect(log.map((a) => a.status_code)).toEqual([200, 500, 500])
      expect(log.map((a) => a.response_excerpt)).toEqual(['fine', 'boom', 'boom'])
      expect(new Set(hook.got.map((r) => r.headers['webhook-id']))).toEqual(new Set([m.id]))
    } finally {
      hook.stop()
    }
  })

  it('disables an endpoint after disable_after_failures failures and emits webhook_endpoint.disabled', async () => {
    const tenant = await newTenant(t, {
      settings: { webhooks: { retry_schedule_s: [1, 1, 1], disable_after_failures: 2 } },
    })
    const hook = receiver(() => new Response('down', { status: 503 }))
    try {
      const endpoint = await createEndpoint(tenant, { url: hook.url })
      await newUser(t, tenant)
      await messageWhere(tenant, endpoint.id, (m) => m.attempts_count === 1)
      await nextRetry(1)
      await messageWhere(tenant, endpoint.id, (m) => m.attempts_count === 2)
      expect(await (await api(tenant, 'GET', `/${endpoint.id}`)).json()).toMatchObject({ disabled: true })
      const events = await t.deps.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.tenantId, tenant.id), eq(outbox.type, 'webhook_endpoint.disabled')))
      expect(events).toHaveLength(1)
      expect(events[0]!.payload).toMatchObject({
        data: { object: 'webhook_endpoint', id: endpoint.id, disabled: true, consecutive_failures: 2 },
      })
      // A disabled endpoint gets no more retries.
      await nextRetry(1)
      expect(hook.got).toHaveLength(2)
      // Enabling it again starts the count afresh.
      await api(tenant, 'PATCH', `/${endpoint.id}`, { disabled: false })
      const [row] = await t.deps.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id))
      expect(row).toMatchObject({ disabled: false, consecutiveFailures: 0 })
    } finally {
      hook.stop()
    }
  })

  it('signs with both secrets for 24 h after rotate-secret, then with the new one only', async () => {
    const tenant = await newTenant(t)
    const hook = receiver()
    try {
      const endpoint = await createEndpoint(tenant, { url: hook.url })
      const rotated = await api(tenant, 'POST', `/${endpoint.id}/rotate-secret`)
      expect(rotated.status).toBe(200)
      expect(rotated.headers.get('cache-control')).toBe('no-store')
      const { secret } = (await rotated.json()) as Endpoint & { secret: string }
      expect(secret).toMatch(/^whsec_/)
      expect(secret).not.toBe(endpoint.secret)
      await newUser(t, tenant)
      const m = await messageWhere(tenant, endpoint.id, (m) => m.status === 'delivered')
      const first = hook.got[0]!
      expect(first.headers['webhook-signature']!.split(' ')).toHaveLength(2)
      expect(new Webhook(secret).verify(first.body, first.headers)).toMatchObject({ id: m.event_id })
      expect(new Webhook(endpoint.secret).verify(first.body, first.headers)).toMatchObject({ id: m.event_id })

      t.clock.advance(86_400_000 + 1000)
      expect((await api(tenant, 'POST', `/${endpoint.id}/messages/${m.id}/retry`)).status).toBe(202)
      await waitFor(() => hook.got.length === 2)
      const later = hook.got[1]!
      expect(later.headers['webhook-signature']!.split(' ')).toHaveLength(1)
      expect(new Webhook(secret).verify(later.body, later.headers)).toMatchObject({ id: m.event_id })
      expect(() => new Webhook(endpoint.secret).verify(later.body, later.headers)).toThrow()
    } finally {
      hook.stop()
    }
  })
})

describe('message log and manual retry', () => {
  it('POST …/messages/{msg}/retry answers 202 and makes a new attempt now, also for a failed message', async () => {
    const tenant = await newTenant(t, { settings: { webhooks: { retry_schedule_s: [1] } } })
    const other = await newTenant(t)
    const hook = receiver((n) => new Response(null, { status: n <= 2 ? 500 : 204 }))
    try {
      const endpoint = await createEndpoint(tenant, { url: hook.url })
      await newUser(t, tenant)
      await messageWhere(tenant, endpoint.id, (m) => m.attempts_count === 1)
      await nextRetry(1)
      const failed = await messageWhere(tenant, endpoint.id, (m) => m.status === 'failed')
      expect(failed.attempts_count).toBe(2)
      expect((await messages(tenant, endpoint.id, '?status=failed')).map((m) => m.id)).toEqual([failed.id])

      for (const path of [
        `/${endpoint.id}/messages/${failed.id}/retry`,
        `/${endpoint.id}/messages/msg_01HZZZZZZZZZZZZZZZZZZZZZZZ/retry`,
      ]) {
        expect((await api(other, 'POST', path)).status).toBe(404)
      }
      expect((await api(other, 'GET', `/${endpoint.id}/messages/${failed.id}/attempts`)).status).toBe(404)
      const res = await api(tenant, 'POST', `/${endpoint.id}/messages/${failed.id}/retry`)
      expect(res.status).toBe(202)
      expect(await res.json()).toMatchObject({ object: 'webhook_message', id: failed.id })
      const delivered = await messageWhere(tenant, endpoint.id, (m) => m.status === 'delivered')
      expect(delivered.attempts_count).toBe(3)
      expect((await attempts(tenant, endpoint.id, failed.id)).map((a) => a.status_code)).toEqual([204, 500, 500])
    } finally {
      hook.stop()
    }
  })

  it('gives a message back once its lease runs out (a worker died mid-attempt): same webhook-id, logged', async () => {
    const tenant = await newTenant(t)
    const hook = receiver()
    try {
      const endpoint = await createEndpoint(tenant, { url: hook.url })
      await newUser(t, tenant)
      const m = await messageWhere(tenant, endpoint.id, (m) => m.status === 'delivered')
      // What a dead worker leaves behind: a pending message under lease, no attempt recorded.
      await t.deps.db
        .update(webhookMessages)
        .set({ status: 'pending', nextAttemptAt: new Date(t.clock.now() + leaseMs(t.deps)) })
        .where(eq(webhookMessages.id, m.id))
      // Other files' messages (one shared database in the real mode) may be due; ours is not.
      await WebhooksService.retryDue(t.deps)
      expect(hook.got).toHaveLength(1)
      expect((await messages(tenant, endpoint.id))[0]).toMatchObject({ status: 'pending', attempts_count: 1 })
      await nextRetry(leaseMs(t.deps) / 1000)
      await messageWhere(tenant, endpoint.id, (x) => x.status === 'delivered' && x.attempts_count === 2)
      expect(hook.got.map((r) => r.headers['webhook-id'])).toEqual([m.id, m.id])
      expect(await attempts(tenant, endpoint.id, m.id)).toHaveLength(2)
    } finally {
      hook.stop()
    }
  })

  it('keeps at most 4 KiB of the response body', async () => {
    const tenant = await newTenant(t)
    const hook = receiver(() => new Response('é'.repeat(10_000)))
    try {
      const endpoint = await createEndpoint(tenant, { url: hook.url })
      await newUser(t, tenant)
      const m = await messageWhere(tenant, endpoint.id, (m) => m.status === 'delivered')
      const [a] = await attempts(tenant, endpoint.id, m.id)
      expect(new TextEncoder().encode(a!.response_excerpt!).length).toBeLessThanOrEqual(4096 + 2)
      expect(a!.response_excerpt!.startsWith('é'.repeat(2000))).toBe(true)
    } finally {
      hook.stop()
    }
  })

  it('records a timeout for a receiver that stops answering, and keeps the message pending', async () => {
    const tenant = await newTenant(t)
    const hook = receiver((n) => (n === 1 ? new Response('nope', { status: 500 }) : new Promise<Response>(() => {})))
    try {
      const endpoint = await createEndpoint(tenant, { url: hook.url })
      await newUser(t, tenant)
      const m = await messageWhere(tenant, endpoint.id, (m) => m.attempts_count === 1)
      // The retry runs on another node of the installation whose WEBHOOK_TIMEOUT_MS is short; its
      // clock is t's, so neither node's retry loop finds the message due meanwhile.
      const quick = await testApp({ webhookTimeoutMs: 300 })
      quick.clock.set(t.clock.now())
      try {
        expect((await api(tenant, 'POST', `/${endpoint.id}/messages/${m.id}/retry`, undefined, quick)).status).toBe(202)
        const log = await waitFor(async () => {
          const a = await attempts(tenant, endpoint.id, m.id)
          return a.length === 2 ? a : null
        })
        const timedOut = log.find((a) => a.status_code !== 500)
        expect(timedOut).toMatchObject({ status_code: null, error: 'timeout', response_excerpt: null })
        expect(timedOut!.duration_ms).toBeGreaterThanOrEqual(250)
        expect((await messages(tenant, endpoint.id))[0]).toMatchObject({
          id: m.id,
          status: 'pending',
          attempts_count: 2,
        })
      } finally {
        await quick.close()
      }
    } finally {
      hook.stop()
    }
  })

  it('never follows a redirect: a 302 is a failed attempt', async () => {
    const tenant = await newTenant(t)
    const target = receiver()
    const hook = receiver(() => new Response(null, { status: 302, headers: { location: target.url } }))
    try {
      const endpoint = await createEndpoint(tenant, { url: hook.url })
      await newUser(t, tenant)
      const m = await messageWhere(tenant, endpoint.id, (m) => m.attempts_count === 1)
      expect((await attempts(tenant, endpoint.id, m.id))[0]).toMatchObject({ status_code: 302 })
      expect(m.status).toBe('pending')
      expect(target.got).toHaveLength(0)
    } finally {
      hook.stop()
      target.stop()
    }
  })
})

describe('private targets (WEBHOOK_ALLOW_PRIVATE unset)', () => {
  it('refuses private literals and localhost names at creation with 422', async () => {
    const strict = await testApp({ webhookAllowPrivate: false })
    try {
      const tenant = await newTenant(strict)
      for (const url of [
        'http://10.0.0.1/',
        'http://169.254.169.254/',
        'http://[::1]/',
        'http://[::ffff:127.0.0.1]/',
        'http://0.0.0.0/',
        'http://localhost:8080/',
        'http://[fd00::1]/',
      ]) {
        const res = await api(tenant, 'POST', '', { url }, strict)
        expect(res.status).toBe(422)
        expect((await firstError(res)).meta).toMatchObject({ param_name: 'url', reason: 'target_not_allowed' })
      }
      expect((await api(tenant, 'POST', '', { url: 'https://hooks.example.com/' }, strict)).status).toBe(201)
    } finally {
      await strict.close()
    }
  })

  it('refuses delivery to a loopback target: the attempt records target_not_allowed, nothing is sent', async () => {
    const tenant = await newTenant(t)
    const hook = receiver()
    try {
      // Created where private targets are allowed (same database), then attempted where they are not.
      const endpoint = await createEndpoint(tenant, { url: hook.url })
      await newUser(t, tenant)
      const m = await messageWhere(tenant, endpoint.id, (m) => m.status === 'delivered')
      // Another node of the same installation: same database and encryption key.
      const strict = await testApp({ webhookAllowPrivate: false, encryptionKey: t.deps.config.encryptionKey })
      try {
        expect((await api(tenant, 'POST', `/${endpoint.id}/messages/${m.id}/retry`, undefined, strict)).status).toBe(
          202,
        )
        const log = await waitFor(async () => {
          const a = await attempts(tenant, endpoint.id, m.id)
          return a.length === 2 ? a : null
        })
        // Not log[0]: each test app has its own fake clock, so created_at does not order these two.
        expect(log.map((a) => a.error).sort()).toEqual([null, 'target_not_allowed'])
        expect(log.find((a) => a.error)!.status_code).toBeNull()
        expect(hook.got).toHaveLength(1)
        const [row] = await t.deps.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id))
        expect(row!.consecutiveFailures).toBe(1)
      } finally {
        await strict.close()
      }
      const direct = await send(
        { url: hook.url.replace('127.0.0.1', 'localhost'), msgId: m.id, body: '{}', secrets: [endpoint.secret] },
        { allowPrivate: false, limits: { timeoutMs: 1000, excerptBytes: 4096 } },
      )
      expect(direct).toMatchObject({ ok: false, error: 'target_not_allowed', retryable: false, statusCode: null })
      expect(hook.got).toHaveLength(1)
    } finally {
      hook.stop()
    }
  })
})
