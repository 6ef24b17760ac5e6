import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { deliveryProviders } from '../../src/features/delivery/schema'
import * as DeliveryService from '../../src/features/delivery/service'
import type { DeliveryRequest } from '../../src/features/delivery/service'
import { withTenant } from '../../src/platform/db/tx'
import { newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { lastMessage, nativeClient, newUser } from '../support/flows'
import { expectError, ok } from '../support/orgs'
import { smtpCapture } from '../support/smtp'
import { waitFor } from '../support/wait'
import { serveLocal, type LocalServer } from '../support/local-server'

/**
 * Per-tenant delivery (API.md §18): a tenant's own SMTP server and SMS provider, secrets write-only and sealed,
 * hosts checked like any target a tenant chooses, a test email, and each delivery recording whose provider
 * carried it. The installation here has no provider (the dev mailbox).
 */
let t: TestApp
let smtp: Awaited<ReturnType<typeof smtpCapture>>
let sms: LocalServer
const smsCalls: { authorization: string | null; body: string }[] = []
beforeAll(async () => {
  t = await testApp()
  smtp = await smtpCapture()
  sms = serveLocal({
    async fetch(req) {
      smsCalls.push({ authorization: req.headers.get('authorization'), body: await req.text() })
      return new Response('{}', { status: 201 })
    },
  })
})
afterAll(async () => {
  sms.stop()
  await smtp.close()
  await t.close()
})

const api = (tenant: CreatedTenant, method: string, path: string, json?: unknown) =>
  t.request(method, `/v1/delivery${path}`, { token: tenant.secret_key, ...(json === undefined ? {} : { json }) })
const smtpPort = () => Number(new URL(smtp.url).port)

async function request(tenant: CreatedTenant, req: DeliveryRequest): Promise<string> {
  const id = await withTenant(t.deps.db, tenant.id, (tx) => DeliveryService.requestDelivery(t.deps, tx, tenant.id, req))
  await t.deps.relay.kick()
  return id
}
const code = (channel: 'email' | 'sms', to: string): DeliveryRequest => ({
  channel,
  to,
  template: 'verification_code',
  variables: { code: '123456', app_name: 'Acme', expires_in_minutes: 10 },
})
const settled = (tenant: CreatedTenant, id: string) =>
  waitFor(
    async () => {
      await t.deps.relay.kick()
      const d = await ok<{ status: string; via: string | null }>(
        await t.request('GET', `/v1/deliveries/${id}`, { token: tenant.secret_key }),
      )
      return d.status === 'pending' ? null : d
    },
    5000,
    20,
  )

describe('a tenant’s own SMTP server', () => {
  it('carries the tenant’s mail from its address; the password is never shown and is sealed at rest', async () => {
    const tenant = await newTenant(t, { name: 'Acme' })
    expect(await ok(await api(tenant, 'GET', '/email'))).toMatchObject({ provider: 'installation', host: null })
    const saved = await ok<Record<string, unknown>>(
      await api(tenant, 'PUT', '/email', {
        host: '127.0.0.1',
        port: smtpPort(),
        username: 'acme',
        password: 'smtp-secret-password',
        from_address: 'login@acme.example',
        from_name: 'Acme Login',
      }),
    )
    expect(saved).toMatchObject({
      object: 'email_delivery',
      provider: 'smtp',
      host: '127.0.0.1',
      username: 'acme',
      password_set: true,
      from_address: 'login@acme.example',
    })
    expect(JSON.stringify(saved)).not.toContain('smtp-secret-password')
    const rows = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(deliveryProviders).where(eq(deliveryProviders.tenantId, tenant.id)),
    )
    expect(rows[0]!.settingsSealed).not.toContain('smtp-secret-password')
    const to = `ada-${crypto.randomUUID().slice(0, 6)}@example.com`
    const id = await request(tenant, code('email', to))
    expect(await settled(tenant, id)).toMatchObject({ status: 'sent', via: 'tenant' })
    const mail = await smtp.mailTo(t, to)
    expect(mail!.from).toBe('login@acme.example')
    expect(mail!.raw).toContain('Acme Login')
    expect(smtp.logins).toContainEqual({ username: 'acme', password: 'smtp-secret-password' })
    // A PUT without the password keeps it for the same account on the same server.
    const again = await ok<{ password_set: boolean }>(
      await api(tenant, 'PUT', '/email', {
        host: '127.0.0.1',
        port: smtpPort(),
        username: 'acme',
        from_address: 'hello@acme.example',
      }),
    )
    expect(again.password_set).toBe(true)
    expect(await ok(await api(tenant, 'DELETE', '/email'))).toMatchObject({ provider: 'installation' })
    const after = await request(tenant, code('email', to))
    expect(await settled(tenant, after)).toMatchObject({ status: 'sent', via: 'dev_mailbox' })
  })

  it('sends a test email now and says which provider took it, or why it failed', async () => {
    const tenant = await newTenant(t)
    const to = `test-${crypto.randomUUID().slice(0, 6)}@example.com`
    expect(await ok(await api(tenant, 'POST', '/email/test', { to }))).toEqual({
      object: 'delivery_test',
      ok: true,
      via: 'dev_mailbox',
      error: null,
    })
    await ok(
      await api(tenant, 'PUT', '/email', { host: '127.0.0.1', port: smtpPort(), from_address: 'a@acme.example' }),
    )
    expect(await ok(await api(tenant, 'POST', '/email/test', { to }))).toMatchObject({ ok: true, via: 'tenant' })
    expect(smtp.mails.some((m) => m.to.includes(to))).toBe(true)
    // A server that is not there: the failure comes back at once, without the password or the address.
    await ok(
      await api(tenant, 'PUT', '/email', {
        host: '127.0.0.1',
        port: 1,
        from_address: 'a@acme.example',
        password: 'pw',
      }),
    )
    const failed = await ok<{ ok: boolean; error: string }>(await api(tenant, 'POST', '/email/test', { to }))
    expect(failed.ok).toBe(false)
    expect(failed.error).toStartWith('smtp ')
    expect(failed.error).not.toContain(to)
    await expectError(
      await api(tenant, 'POST', '/email/test', { to: 'not an address' }),
      422,
      'form_param_format_invalid',
    )
  })
})

describe('branding in emails', () => {
  it('names, colours and shows the logo of the tenant’s branding in its emails', async () => {
    const tenant = await newTenant(t, {
      name: 'Internal Name X',
      settings: {
        branding: { name: 'Acme Cloud', logo_url: 'https://cdn.acme.example/logo.png', primary_color: '#ff5500' },
      },
    })
    const user = await newUser(t, tenant)
    const client = nativeClient(t, tenant)
    const signIn = await ok<{ id: string }>(
      await client.request('POST', '/client/sign-ins', { identifier: user.email }),
    )
    await ok(await client.request('POST', `/client/sign-ins/${signIn.id}/challenges`, { strategy: 'email_link' }), 201)
    await lastMessage(t, user.email)
    const res = await t.request('GET', `/platform/v1/dev/messages?to=${encodeURIComponent(user.email)}&limit=1`, {
      token: t.platformKey,
    })
    const [message] = (await res.json()).data as { subject: string; text: string; html: string }[]
    expect(message!.text).toContain('Acme Cloud')
    expect(message!.text).not.toContain('Internal Name X')
    expect(message!.html).toContain('<img src="https://cdn.acme.example/logo.png" alt="Acme Cloud"')
    expect(message!.html).toContain('background:#ff5500;color:#111111')
    expect(message!.html).not.toContain('tessera:logo')
  })
})

describe('a tenant’s own SMS provider', () => {
  it('takes the tenant’s SMS with the URL’s credentials; only its host is ever shown', async () => {
    const tenant = await newTenant(t)
    const url = `http://user:sms-secret@127.0.0.1:${sms.port}/send`
    const saved = await ok<Record<string, unknown>>(await api(tenant, 'PUT', '/sms', { url }))
    expect(saved).toEqual({
      object: 'sms_delivery',
      provider: 'custom',
      host: `127.0.0.1:${sms.port}`,
      updated_at: expect.any(Number),
    })
    const to = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`
    const id = await request(tenant, code('sms', to))
    expect(await settled(tenant, id)).toMatchObject({ status: 'sent', via: 'tenant' })
    const call = smsCalls.find((c) => c.body.includes(to))!
    expect(call.authorization).toBe(`Basic ${Buffer.from('user:sms-secret').toString('base64')}`)
    expect(JSON.stringify(await ok(await api(tenant, 'GET', '/sms')))).not.toContain('sms-secret')
    await expectError(
      await api(tenant, 'PUT', '/sms', { url: 'ftp://example.com/x' }),
      422,
      'form_param_format_invalid',
    )
  })
})

describe('hosts a tenant chooses', () => {
  it('never points at this machine or the internal network (outside tests that allow it)', async () => {
    const strict = await testApp({ webhookAllowPrivate: false })
    try {
      const tenant = await newTenant(strict)
      const put = (path: string, json: unknown) =>
        strict.request('PUT', `/v1/delivery${path}`, { token: tenant.secret_key, json })
      // 012.0.0.5 is 10.0.0.5 to the system resolver (octal), whatever a decimal reading says.
      for (const host of ['127.0.0.1', 'localhost', '10.0.0.5', '169.254.169.254', '[::1]', '012.0.0.5', '172.032.0.1'])
        await expectError(
          await put('/email', { host, port: 25, from_address: 'a@b.example' }),
          422,
          'form_param_format_invalid',
          {
            param_name: 'host',
          },
        )
      for (const url of ['http://127.0.0.1/send', 'http://localhost:8080/x', 'http://u:p@169.254.169.254/latest'])
        await expectError(await put('/sms', { url }), 422, 'form_param_format_invalid', { param_name: 'url' })
    } finally {
      await strict.close()
    }
  })
})
