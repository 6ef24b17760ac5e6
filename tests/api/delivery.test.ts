import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { devMessages } from '../../src/features/delivery/schema'
import * as DeliveryService from '../../src/features/delivery/service'
import type { DeliveryRequest, DeliveryRequestedMessage } from '../../src/features/delivery/service'
import { withTenant } from '../../src/platform/db/tx'
import { newId } from '../../src/platform/ids'
import { createLog } from '../../src/platform/log'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { waitFor } from '../support/wait'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

interface DevMessage {
  object: string
  id: string
  tenant_id: string
  channel: string
  to: string
  subject: string | null
  text: string
  html?: string
  created_at: number
}
interface DevList {
  data: DevMessage[]
  meta: { next_cursor: string | null }
}

const path = '/platform/v1/dev/messages'
/** A unique address per test: a shared Postgres keeps the mailboxes of earlier runs. */
const address = () => `Ada.${crypto.randomUUID()}@Example.com`
const code = () => String(100000 + Math.floor(Math.random() * 900000))

const emailCode = (to: string, c = code()): DeliveryRequest => ({
  channel: 'email',
  to,
  template: 'verification_code',
  variables: { code: c, app_name: 'Acme <Dev>', expires_in_minutes: 10 },
})

async function request(tenant: CreatedTenant, req: DeliveryRequest): Promise<string> {
  const id = await withTenant(t.deps.db, tenant.id, (tx) => DeliveryService.requestDelivery(t.deps, tx, tenant.id, req))
  await t.deps.relay.kick()
  return id
}

async function list(query: string, app = t): Promise<DevList> {
  const res = await app.request('GET', `${path}?${query}`, { token: app.platformKey })
  expect(res.status).toBe(200)
  return (await res.json()) as DevList
}

/** Polls the mailbox until `count` messages are there for this query. */
const listed = async (query: string, count = 1): Promise<DevList> =>
  (await waitFor(async () => {
    const body = await list(query)
    return body.data.length === count ? body : null
  }))!

const message = (tenant: CreatedTenant, request: DeliveryRequest): DeliveryRequestedMessage => ({
  id: newId('evt'),
  type: 'delivery.requested',
  tenant_id: tenant.id,
  request,
})

describe('delivery worker → GET /platform/v1/dev/messages', () => {
  it('renders a requested email into the dev mailbox, via outbox, bus and worker', async () => {
    const tenant = await newTenant(t)
    const to = address()
    const c = code()
    const outboxId = await request(tenant, emailCode(to, c))
    expect(outboxId).toMatch(/^evt_/)

    // `to` is matched trimmed and case-insensitively.
    const body = await listed(`to=${encodeURIComponent(`  ${to.toLowerCase()} `)}`)
    expect(body.meta).toEqual({ next_cursor: null })
    const msg = body.data[0]!
    expect(msg).toMatchObject({
      object: 'dev_message',
      tenant_id: tenant.id,
      channel: 'email',
      to,
      subject: 'Your Acme <Dev> verification code',
    })
    expect(msg.id).toMatch(/^msg_/)
    expect(msg.text).toContain(`${c} is your Acme <Dev> verification code. It expires in 10 minutes.`)
    expect(msg.html).toContain(c)
    expect(msg.html).toContain('Acme &lt;Dev&gt;')
    expect(msg.created_at).toBe(t.clock.now())

    const [row] = await t.deps.db.select().from(devMessages).where(eq(devMessages.id, msg.id))
    expect(row!.sourceId).toBe(outboxId)
  })

  it('reports the delivery as sent, with the recipient masked, at GET /v1/deliveries/:id', async () => {
    const tenant = await newTenant(t)
    const id = await request(tenant, emailCode('grace@example.com'))
    const d = await waitFor(async () => {
      await t.deps.relay.kick()
      const res = await t.request('GET', `/v1/deliveries/${id}`, { token: tenant.secret_key })
      const body = (await res.json()) as Record<string, unknown>
      return body.status === 'sent' ? body : null
    })
    expect(d).toEqual({
      object: 'delivery',
      id,
      channel: 'email',
      to: 'g***@example.com',
      template: 'verification_code',
      status: 'sent',
      attempts: 1,
      last_error: null,
      via: 'dev_mailbox',
      created_at: t.clock.now(),
      updated_at: t.clock.now(),
    })
  })

  it('stores an SMS without subject or html', async () => {
    const tenant = await newTenant(t)
    const to = `+1555${Math.floor(Math.random() * 1e7)
      .toString()
      .padStart(7, '0')}${Date.now() % 1000}`
    await request(tenant, {
      channel: 'sms',
      to,
      template: 'magic_link',
      variables: {
        link: 'https://id.example/l?t=a&b',
        app_name: 'Acme',
        expires_in_minutes: 15,
        action: 'sign in to Acme',
        device: 'Firefox on Linux',
      },
      locale: 'de',
    })
    const msg = (await listed(`to=${encodeURIComponent(to)}`)).data[0]!
    expect(msg).toMatchObject({
      channel: 'sms',
      subject: null,
      text: 'Acme: someone asked to sign in to Acme from Firefox on Linux. If that was you, confirm: https://id.example/l?t=a&b (expires in 15 minutes)',
    })
    expect(msg).not.toHaveProperty('html')
  })

  it('stores a redelivered message once', async () => {
    const tenant = await newTenant(t)
    const msg = message(tenant, emailCode(address()))
    expect(await DeliveryService.deliver(t.deps, msg)).toEqual({ ok: true, stored: true })
    expect(await DeliveryService.deliver(t.deps, msg)).toEqual({ ok: true, stored: false })
    // And through the bus: two publications of the same outbox row that escaped de-duplication.
    const again = message(tenant, emailCode(address()))
    await t.deps.bus.publish('tessera.delivery.requested', again, { msgId: `${again.id}-a` })
    await t.deps.bus.publish('tessera.delivery.requested', again, { msgId: `${again.id}-b` })
    await listed(`to=${encodeURIComponent(again.request.to)}`)
    const rows = await t.deps.db.select().from(devMessages).where(eq(devMessages.tenantId, tenant.id))
    expect(rows.map((r) => r.sourceId).sort()).toEqual([msg.id, again.id].sort())
  })

  it('never logs the code or the link', async () => {
    const tenant = await newTenant(t)
    const lines: string[] = []
    const deps = { ...t.deps, log: createLog('debug', {}, (line) => lines.push(line)) }
    const secret = code()
    await DeliveryService.deliver(deps, message(tenant, emailCode(address(), secret)))
    const link = `https://id.example/verify?token=${crypto.randomUUID()}`
    await DeliveryService.deliver(
      deps,
      message(tenant, {
        channel: 'sms',
        to: address(),
        template: 'invitation',
        variables: { link, app_name: 'Acme', expires_in_minutes: 60 },
      }),
    )
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) {
      expect(line).not.toContain(secret)
      expect(line).not.toContain(link)
    }
  })

  it('refuses a request that lacks its required variable, before anything is written', async () => {
    const tenant = await newTenant(t)
    const req: DeliveryRequest = {
      channel: 'email',
      to: address(),
      template: 'password_reset',
      variables: { app_name: 'Acme', expires_in_minutes: 10 },
    }
    expect(
      withTenant(t.deps.db, tenant.id, (tx) => DeliveryService.requestDelivery(t.deps, tx, tenant.id, req)),
    ).rejects.toThrow('lacks code')
    expect(await DeliveryService.deliver(t.deps, message(tenant, req))).toMatchObject({ ok: false, retryable: false })
  })
})

describe('GET /platform/v1/dev/messages', () => {
  it('filters by tenant_id and to, newest first, up to limit', async () => {
    const a = await newTenant(t)
    const b = await newTenant(t)
    const to = address()
    const first = code()
    await request(a, emailCode(to, first))
    await listed(`to=${encodeURIComponent(to)}`)
    t.clock.advance(1_000)
    const second = code()
    await request(a, emailCode(to, second))
    await request(b, emailCode(to))
    await listed(`to=${encodeURIComponent(to)}`, 3)

    const ofA = await list(`to=${encodeURIComponent(to)}&tenant_id=${a.id}`)
    expect(ofA.data.map((m) => m.tenant_id)).toEqual([a.id, a.id])
    expect(ofA.data[0]!.text).toContain(second)
    expect(ofA.data[1]!.text).toContain(first)
    expect(ofA.data[0]!.created_at).toBeGreaterThan(ofA.data[1]!.created_at)

    const ofB = await list(`tenant_id=${b.id}`)
    expect(ofB.data.map((m) => m.to)).toEqual([to])
    expect((await list(`to=${encodeURIComponent(to)}&limit=1&tenant_id=${a.id}`)).data.map((m) => m.text)).toEqual([
      ofA.data[0]!.text,
    ])
    expect((await list(`to=someone-else-${crypto.randomUUID()}@example.com`)).data).toEqual([])
    expect((await list('limit=100')).data.length).toBeLessThanOrEqual(100)
  })

  it('refuses a limit outside 1..100 and unknown parameters with 422', async () => {
    for (const limit of ['0', '101', 'abc', '1.5']) {
      const res = await t.request('GET', `${path}?limit=${limit}`, { token: t.platformKey })
      expect(res.status, limit).toBe(422)
      expect((await firstError(res)).code, limit).toBe('form_param_format_invalid')
    }
    const res = await t.request('GET', `${path}?cursor=x`, { token: t.platformKey })
    expect(res.status).toBe(422)
    expect((await firstError(res)).meta.param_name).toBe('cursor')
  })

  it('requires the platform key (401)', async () => {
    for (const token of [undefined, 'wrong', (await newTenant(t)).secret_key]) {
      const res = await t.request('GET', path, { token })
      expect(res.status).toBe(401)
      expect((await firstError(res)).code).toBe('authentication_invalid')
    }
  })
})

describe('with a real provider configured', () => {
  // Port 1 on loopback refuses connections: a provider that is down, without leaving the host.
  for (const config of [{ smtpUrl: 'smtp://127.0.0.1:1' }, { smsProviderUrl: 'http://127.0.0.1:1/send' }]) {
    it(`answers 404 and sends for real instead of storing (${Object.keys(config)[0]})`, async () => {
      // Deliveries of earlier tests are all stored by now; on NATS this app's worker joins the
      // shared durable consumer, so nothing must be in flight while it runs.
      const real = await testApp(config)
      try {
        const res = await real.request('GET', path, { token: real.platformKey })
        expect(res.status).toBe(404)
        expect((await firstError(res)).code).toBe('resource_not_found')

        const tenant = await newTenant(real)
        const channel = 'smtpUrl' in config ? 'email' : 'sms'
        const msg = message(tenant, { ...emailCode(address()), channel })
        const result = await DeliveryService.deliver(real.deps, msg)
        expect(result).toMatchObject({ ok: false, retryable: true })
        expect(await real.deps.db.select().from(devMessages).where(eq(devMessages.sourceId, msg.id))).toEqual([])
      } finally {
        await real.close()
      }
    })
  }
})
