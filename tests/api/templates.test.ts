import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import * as DeliveryService from '../../src/features/delivery/service'
import { messageTemplates } from '../../src/features/templates/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { codeIn, nativeClient } from '../support/flows'
import { waitFor } from '../support/wait'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

interface Template {
  object: string
  id: string | null
  slug: string
  subject?: string
  text: string
  html?: string | null
  locale: string | null
  available_variables: string[]
  required_variables: string[]
  is_default: boolean
  updated_at: number | null
}
interface DevMessage {
  to: string
  subject: string | null
  text: string
  html?: string
  created_at: number
}

const fast = { password: { argon2: { memory_kib: 8192, iterations: 1 } } }
const custom = {
  subject: 'Code for {{app_name}}',
  text: 'Custom: {{code}} for {{app_name}} ({{expires_in_minutes}} min)',
  html: '<p>{{app_name}}: <b>{{code}}</b></p>',
}

const api = (tenant: CreatedTenant, method: string, path: string, json?: unknown) =>
  t.request(method, path, { token: tenant.secret_key, ...(json === undefined ? {} : { json }) })
async function ok<T = Template>(res: Response, status = 200): Promise<T> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`)
  return (await res.json()) as T
}
async function expectError(res: Response, status: number, code: string, meta: Record<string, unknown> = {}) {
  expect(res.status).toBe(status)
  const err = await firstError(res)
  expect(err.code).toBe(code)
  expect(err.meta).toMatchObject(meta)
}
const rows = (tenant: CreatedTenant) =>
  withTenant(t.deps.db, tenant.id, (tx) =>
    tx.select().from(messageTemplates).where(eq(messageTemplates.tenantId, tenant.id)),
  )

async function devMessage(to: string): Promise<DevMessage> {
  return waitFor(
    async () => {
      await t.deps.relay.kick()
      const res = await t.request('GET', `/platform/v1/dev/messages?to=${encodeURIComponent(to)}&limit=1`, {
        token: t.platformKey,
      })
      return ((await res.json()) as { data: DevMessage[] }).data[0] ?? null
    },
    5000,
    20,
  )
}

describe('GET /v1/email-templates', () => {
  it('lists every slug with the built-in default until the tenant saves its own', async () => {
    const tenant = await newTenant(t)
    const body = await ok<{ data: Template[]; meta: { next_cursor: null; total_count: number } }>(
      await api(tenant, 'GET', '/v1/email-templates'),
    )
    expect(body.data.map((d) => d.slug)).toEqual(['verification_code', 'magic_link', 'password_reset', 'invitation'])
    expect(body.meta).toEqual({ next_cursor: null, total_count: 4 })
    expect(
      body.data.every((d) => d.object === 'email_template' && d.is_default && d.id === null && d.locale === null),
    ).toBe(true)

    await ok(await api(tenant, 'PUT', '/v1/email-templates/verification_code', custom))
    const after = await ok<{ data: Template[] }>(await api(tenant, 'GET', '/v1/email-templates'))
    expect(after.data.map((d) => d.is_default)).toEqual([false, true, true, true])
  })

  it('shows the default of one slug with its variables', async () => {
    const tenant = await newTenant(t)
    const body = await ok(await api(tenant, 'GET', '/v1/email-templates/magic_link'))
    expect(body).toMatchObject({
      object: 'email_template',
      id: null,
      slug: 'magic_link',
      subject: 'Confirm: {{action}}',
      locale: null,
      is_default: true,
      available_variables: [
        'link',
        'app_name',
        'expires_in_minutes',
        'to',
        'action',
        'device',
        'brand_color',
        'brand_text_color',
      ],
      required_variables: ['link'],
      updated_at: null,
    })
    expect(body.html).toContain('{{link}}')
    const sms = await ok(await api(tenant, 'GET', '/v1/sms-templates/verification_code'))
    expect(sms).toMatchObject({
      object: 'sms_template',
      slug: 'verification_code',
      is_default: true,
      required_variables: ['code'],
    })
    expect(sms).not.toHaveProperty('subject')
  })
})

describe('PUT /v1/email-templates/:slug', () => {
  it('saves the tenant’s template, replaces it on a second PUT, and keeps its id', async () => {
    const tenant = await newTenant(t)
    const saved = await ok(await api(tenant, 'PUT', '/v1/email-templates/verification_code', custom))
    expect(saved).toMatchObject({
      object: 'email_template',
      slug: 'verification_code',
      ...custom,
      locale: null,
      is_default: false,
      updated_at: t.clock.now(),
    })
    expect(saved.id).toMatch(/^tpl_/)
    expect(await ok(await api(tenant, 'GET', '/v1/email-templates/verification_code'))).toEqual(saved)

    t.clock.advance(1000)
    const again = await ok(
      await api(tenant, 'PUT', '/v1/email-templates/verification_code', { subject: 'S', text: '{{code}}' }),
    )
    expect(again).toMatchObject({ id: saved.id, subject: 'S', text: '{{code}}', html: null, updated_at: t.clock.now() })
    expect((await rows(tenant)).map((r) => [r.channel, r.slug, r.locale, r.html])).toEqual([
      ['email', 'verification_code', '', null],
    ])
  })

  it('audits every change and revert, with the secret key as actor', async () => {
    const tenant = await newTenant(t)
    await ok(await api(tenant, 'PUT', '/v1/email-templates/verification_code', { ...custom, locale: 'de' }))
    await ok(await api(tenant, 'PUT', '/v1/sms-templates/verification_code', { text: 'SMS {{code}}' }))
    await ok(await api(tenant, 'POST', '/v1/email-templates/verification_code/revert?locale=de'))
    await ok(await api(tenant, 'POST', '/v1/email-templates/verification_code/revert?locale=de'))
    const page = await ok<{
      data: {
        action: string
        actor: { type: string; id: string }
        target: { type: string; id: string }
        data: { locale: string | null }
      }[]
    }>(await api(tenant, 'GET', '/v1/audit-events'))
    const entries = page.data.filter((e) => e.action.includes('_template.')).reverse()
    expect(entries.map((e) => [e.action, e.target.type, e.target.id, e.data.locale])).toEqual([
      ['email_template.updated', 'email_template', 'verification_code', 'de'],
      ['sms_template.updated', 'sms_template', 'verification_code', null],
      ['email_template.reverted', 'email_template', 'verification_code', 'de'],
    ])
    for (const e of entries) expect(e.actor).toEqual({ type: 'secret_key', id: tenant.id })
  })

  it('refuses a body without the variable its slug requires (422, param and variable named)', async () => {
    const tenant = await newTenant(t)
    await expectError(
      await api(tenant, 'PUT', '/v1/email-templates/verification_code', { subject: '{{code}}', text: 'No code here' }),
      422,
      'form_param_format_invalid',
      { param_name: 'text', variable: 'code' },
    )
    await expectError(
      await api(tenant, 'PUT', '/v1/email-templates/magic_link', {
        subject: 'Hi',
        text: '{{link}}',
        html: '<p>hi</p>',
      }),
      422,
      'form_param_format_invalid',
      { param_name: 'html', variable: 'link' },
    )
    await expectError(
      await api(tenant, 'PUT', '/v1/sms-templates/password_reset', { text: 'Reset {{app_name}}' }),
      422,
      'form_param_format_invalid',
      { param_name: 'text', variable: 'code' },
    )
    // A variable the slug never has would render as nothing: refused too.
    await expectError(
      await api(tenant, 'PUT', '/v1/email-templates/verification_code', { subject: 'Hi', text: '{{code}} {{link}}' }),
      422,
      'form_param_format_invalid',
      { param_name: 'text', variable: 'link' },
    )
    expect(await rows(tenant)).toEqual([])
  })

  it('refuses malformed bodies: unknown field, wrong type, too long, bad locale', async () => {
    const tenant = await newTenant(t)
    const path = '/v1/email-templates/verification_code'
    await expectError(await api(tenant, 'PUT', path, { ...custom, from: 'x' }), 422, 'form_param_format_invalid')
    await expectError(await api(tenant, 'PUT', path, { ...custom, text: 42 }), 422, 'form_param_format_invalid', {
      param_name: 'text',
    })
    await expectError(
      await api(tenant, 'PUT', path, { ...custom, subject: 'x'.repeat(201) }),
      422,
      'form_param_format_invalid',
      { param_name: 'subject' },
    )
    await expectError(
      await api(tenant, 'PUT', path, { ...custom, text: `{{code}}${'x'.repeat(20_000)}` }),
      422,
      'form_param_format_invalid',
      { param_name: 'text' },
    )
    await expectError(await api(tenant, 'PUT', path, { text: '{{code}}' }), 422, 'form_param_missing', {
      param_name: 'subject',
    })
    await expectError(await api(tenant, 'PUT', path, { ...custom, locale: 'en-' }), 422, 'form_param_format_invalid', {
      param_name: 'locale',
    })
    await expectError(
      await api(tenant, 'PUT', '/v1/sms-templates/verification_code', { text: '{{code}}', subject: 'x' }),
      422,
      'form_param_format_invalid',
    )
    const malformed = await t.request('PUT', path, {
      token: tenant.secret_key,
      body: '{',
      headers: { 'content-type': 'application/json' },
    })
    expect(malformed.status).toBe(400)
    expect(await rows(tenant)).toEqual([])
  })

  it('answers 404 for an unknown slug and 401 without the secret key', async () => {
    const tenant = await newTenant(t)
    for (const [method, path, json] of [
      ['GET', '/v1/email-templates/welcome', undefined],
      ['PUT', '/v1/email-templates/welcome', custom],
      ['POST', '/v1/sms-templates/welcome/revert', undefined],
      ['PUT', '/v1/sms-templates/welcome', { text: '{{code}}' }],
    ] as const) {
      await expectError(await api(tenant, method, path, json), 404, 'resource_not_found')
    }
    for (const token of [undefined, 'sk_live_nope', t.platformKey]) {
      const res = await t.request('GET', '/v1/email-templates', { token })
      expect(res.status).toBe(401)
    }
  })
})

describe('locales and revert', () => {
  it('applies a locale’s template to that locale and its regions, and the any-locale one elsewhere', async () => {
    const tenant = await newTenant(t)
    const path = '/v1/email-templates/verification_code'
    await ok(await api(tenant, 'PUT', path, custom))
    const de = await ok(await api(tenant, 'PUT', path, { subject: 'Ihr Code', text: 'Code: {{code}}', locale: 'DE' }))
    expect(de.locale).toBe('de')
    expect(await ok(await api(tenant, 'GET', `${path}?locale=de-AT`))).toMatchObject({
      subject: 'Ihr Code',
      locale: 'de',
      is_default: false,
    })
    expect(await ok(await api(tenant, 'GET', `${path}?locale=fr`))).toMatchObject({
      subject: custom.subject,
      locale: null,
      is_default: false,
    })
    expect(await ok(await api(tenant, 'GET', path))).toMatchObject({ subject: custom.subject, locale: null })

    // Revert removes only that locale's template; what applies afterwards is returned.
    expect(await ok(await api(tenant, 'POST', `${path}/revert?locale=de`))).toMatchObject({
      subject: custom.subject,
      locale: null,
      is_default: false,
    })
    expect(await ok(await api(tenant, 'POST', `${path}/revert`))).toMatchObject({
      subject: 'Your {{app_name}} verification code',
      is_default: true,
      id: null,
    })
    // Reverting what is already the default is a no-op, not an error.
    expect(await ok(await api(tenant, 'POST', `${path}/revert`))).toMatchObject({ is_default: true })
    expect(await rows(tenant)).toEqual([])
  })

  it('renders the template of the request’s locale', async () => {
    const tenant = await newTenant(t)
    await ok(
      await api(tenant, 'PUT', '/v1/sms-templates/verification_code', { text: 'Ihr Code: {{code}}', locale: 'de' }),
    )
    const to = `+49${Math.floor(Math.random() * 1e10)}`
    await withTenant(t.deps.db, tenant.id, (tx) =>
      DeliveryService.requestDelivery(t.deps, tx, tenant.id, {
        channel: 'sms',
        to,
        template: 'verification_code',
        variables: { code: '424242', app_name: 'Acme', expires_in_minutes: 10 },
        locale: 'de-DE',
      }),
    )
    expect((await devMessage(to)).text).toBe('Ihr Code: 424242')
  })
})

describe('isolation between tenants', () => {
  it('never shows or reverts another tenant’s template', async () => {
    const a = await newTenant(t)
    const b = await newTenant(t)
    await ok(await api(a, 'PUT', '/v1/sms-templates/magic_link', { text: 'A: {{link}}' }))
    expect(await ok(await api(b, 'GET', '/v1/sms-templates/magic_link'))).toMatchObject({ is_default: true })
    await ok(await api(b, 'POST', '/v1/sms-templates/magic_link/revert'))
    expect(await ok(await api(a, 'GET', '/v1/sms-templates/magic_link'))).toMatchObject({
      text: 'A: {{link}}',
      is_default: false,
    })
    const [row] = await withTenant(t.deps.db, a.id, (tx) =>
      tx
        .select()
        .from(messageTemplates)
        .where(and(eq(messageTemplates.tenantId, a.id), eq(messageTemplates.slug, 'magic_link'))),
    )
    expect(row).toMatchObject({ channel: 'sms', text: 'A: {{link}}', subject: null, html: null })
  })
})

describe('a saved template in the next message', () => {
  it('sends the custom verification code email, HTML-escaping the app name', async () => {
    const tenant = await newTenant(t, { name: 'Acme <b>', settings: fast })
    await ok(await api(tenant, 'PUT', '/v1/email-templates/verification_code', custom))
    const client = nativeClient(t, tenant)
    const address = `custom-${crypto.randomUUID().slice(0, 8)}@example.com`
    const attempt = await ok<{ id: string }>(
      await client.request('POST', '/client/sign-ups', {
        email_address: address,
        password: 'correct horse battery staple',
      }),
    )
    await ok(await client.request('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy: 'email_code' }), 201)

    const msg = await devMessage(address)
    const code = codeIn(msg.text)
    expect(code).toMatch(/^\d{6}$/)
    expect(msg.subject).toBe('Code for Acme <b>')
    expect(msg.text).toBe(`Custom: ${code} for Acme <b> (10 min)`)
    expect(msg.html).toBe(`<p>Acme &lt;b&gt;: <b>${code}</b></p>`)
  })
})
