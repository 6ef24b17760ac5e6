import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import * as DeliveryService from '../../src/features/delivery/service'
import type { DeliveryRequest } from '../../src/features/delivery/service'
import { sendSms } from '../../src/features/delivery/sms'
import { withTenant } from '../../src/platform/db/tx'
import { createDeliveryWorker } from '../../workers/delivery.worker'
import { WORKERS } from '../../workers/index'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { nativeClient } from '../support/flows'
import { waitFor } from '../support/wait'
import { serveLocal } from '../support/local-server'

/**
 * Real delivery: nodemailer talks SMTP to an in-process smtp-server, and SMS go to a fake JSON
 * provider (serveLocal), both on 127.0.0.1. One app for the file, with both configured: on NATS
 * every live app joins the shared `delivery` consumer, so a second app could take our messages.
 */

interface Mail {
  from: string
  to: string[]
  raw: string
}
const mails: Mail[] = []
interface SmsCall {
  path: string
  body: string
  authorization: string | null
  contentType: string | null
}
const smsCalls: SmsCall[] = []
/** Recipients whose provider answers 500 on the first call only. */
const flakyOnce = new Set<string>()

const smtp = new SMTPServer({
  secure: false,
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onRcptTo(address, _session, callback) {
    // The local part picks the server's answer: 550 (permanent) or 451 (try again later).
    const status = address.address.startsWith('reject') ? 550 : address.address.startsWith('later') ? 451 : 0
    if (status === 0) return callback()
    callback(
      Object.assign(new Error(`${status === 550 ? 'No such user' : 'Try again later'}: ${address.address}`), {
        responseCode: status,
      }),
    )
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = []
    stream.on('data', (c: Buffer) => chunks.push(c))
    stream.on('end', () => {
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
      mails.push({
        from,
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString('utf8'),
      })
      callback()
    })
  },
})

const sms = serveLocal({
  async fetch(req) {
    const url = new URL(req.url)
    if (url.pathname === '/hang') return new Promise<Response>(() => {})
    const body = await req.text()
    smsCalls.push({
      path: url.pathname + url.search,
      body,
      authorization: req.headers.get('authorization'),
      contentType: req.headers.get('content-type'),
    })
    if (url.pathname === '/bad') return new Response('bad', { status: 400 })
    const to = url.pathname.endsWith('/Messages.json') ? '' : (JSON.parse(body) as { to: string }).to
    if (flakyOnce.delete(to)) return new Response('oops', { status: 500 })
    return Response.json({ id: crypto.randomUUID() })
  },
})

let t: TestApp
let smsBase: string
beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  const port = (smtp.server.address() as AddressInfo).port
  smsBase = `http://127.0.0.1:${sms.port}`
  // Production backs off for ~11 minutes; these tests retry twice, 30 ms apart.
  const production = WORKERS.delivery!
  WORKERS.delivery = createDeliveryWorker([30, 30])
  try {
    // acme.test is the one domain whose tenants may send as themselves (EMAIL_FROM_DOMAINS).
    t = await testApp({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      smsProviderUrl: `${smsBase}/send`,
      emailFromDomains: ['acme.test'],
    })
  } finally {
    WORKERS.delivery = production
  }
})
afterAll(async () => {
  await t.close()
  await new Promise<void>((resolve) => smtp.close(resolve))
  await sms.stop()
})

const fast = { password: { argon2: { memory_kib: 8192, iterations: 1 } } }
const unique = (local: string) => `${local}-${crypto.randomUUID().slice(0, 8)}@example.com`
const phone = () => `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`

const mailTo = (to: string) =>
  waitFor(
    async () => {
      await t.deps.relay.kick()
      return mails.find((m) => m.to.includes(to)) ?? null
    },
    5000,
    20,
  )

/** The decoded text/plain part of a raw MIME message (nodemailer: 7bit or quoted-printable). */
function textPart(raw: string): string {
  const start = raw.search(/^Content-Type: text\/plain/im)
  const part = raw.slice(start)
  const body = part
    .slice(part.search(/\r?\n\r?\n/))
    .split(/\r?\n--/)[0]!
    .trim()
  if (!/Content-Transfer-Encoding: quoted-printable/i.test(part.slice(0, part.search(/\r?\n\r?\n/)))) return body
  return body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

async function request(tenant: CreatedTenant, req: DeliveryRequest): Promise<string> {
  const id = await withTenant(t.deps.db, tenant.id, (tx) => DeliveryService.requestDelivery(t.deps, tx, tenant.id, req))
  await t.deps.relay.kick()
  return id
}
const emailCode = (to: string): DeliveryRequest => ({
  channel: 'email',
  to,
  template: 'verification_code',
  variables: { code: '123456', app_name: 'Acme', expires_in_minutes: 10 },
})
const smsCode = (to: string): DeliveryRequest => ({ ...emailCode(to), channel: 'sms' })

interface Delivery {
  object: string
  id: string
  channel: string
  to: string
  template: string
  status: string
  attempts: number
  last_error: string | null
  created_at: number
  updated_at: number
}
const status = async (tenant: CreatedTenant, id: string): Promise<Delivery> =>
  (await t.request('GET', `/v1/deliveries/${id}`, { token: tenant.secret_key })).json() as Promise<Delivery>
/** Polls until the delivery leaves `pending`. */
const settled = (tenant: CreatedTenant, id: string) =>
  waitFor(
    async () => {
      await t.deps.relay.kick()
      const d = await status(tenant, id)
      return d.status === 'pending' ? null : d
    },
    5000,
    20,
  )

describe('email through SMTP', () => {
  it('mails the sign-up code from the tenant’s address; the code completes the sign-up', async () => {
    const tenant = await newTenant(t, {
      name: 'Acme',
      settings: { ...fast, email: { from_address: 'hello@acme.test', from_name: 'Acme Support' } },
    })
    const address = unique('ada')
    const client = nativeClient(t, tenant)
    const attempt = (await (
      await client.request('POST', '/client/sign-ups', {
        email_address: address,
        password: 'correct horse battery staple',
      })
    ).json()) as { id: string }
    const challenge = await client.request('POST', `/client/sign-ups/${attempt.id}/challenges`, {
      strategy: 'email_code',
    })
    expect(challenge.status).toBe(201)

    const mail = await mailTo(address)
    expect(mail.from).toBe('hello@acme.test')
    expect(mail.to).toEqual([address])
    expect(mail.raw).toMatch(/^From: Acme Support <hello@acme\.test>\r?$/m)
    expect(mail.raw).toMatch(/^Subject: Your Acme verification code\r?$/m)
    expect(mail.raw).toMatch(/^Auto-Submitted: auto-generated\r?$/m)
    expect(mail.raw).toContain('Content-Type: text/html')
    const code = /^(\d{6}) is your Acme verification code/.exec(textPart(mail.raw))?.[1]
    expect(code).toMatch(/^\d{6}$/)

    const { id: cid } = (await challenge.json()) as { id: string }
    const answered = await client.request('POST', `/client/sign-ups/${attempt.id}/challenges/${cid}/answer`, { code })
    expect(answered.status).toBe(200)
    expect(((await answered.json()) as { status: string }).status).toBe('complete')
    // Real delivery is configured: the dev mailbox is gone.
    expect((await t.request('GET', '/platform/v1/dev/messages', { token: t.platformKey })).status).toBe(404)
  }, 20_000)

  it('sends from no-reply@<PUBLIC_URL host> under the tenant’s name by default, and reports it sent', async () => {
    const tenant = await newTenant(t, { name: 'Plain Co' })
    const address = unique('bob')
    const id = await request(tenant, emailCode(address))
    const mail = await mailTo(address)
    expect(mail.from).toBe('no-reply@localhost')
    expect(mail.raw).toMatch(/^From: Plain Co <no-reply@localhost>\r?$/m)
    expect(await settled(tenant, id)).toMatchObject({
      object: 'delivery',
      id,
      channel: 'email',
      to: 'b***@example.com',
      template: 'verification_code',
      status: 'sent',
      attempts: 1,
      last_error: null,
    })
  })

  it('fails at once on a permanent refusal (550), without the address in the reason', async () => {
    const tenant = await newTenant(t)
    const address = unique('reject')
    const id = await request(tenant, emailCode(address))
    const d = await settled(tenant, id)
    expect(d).toMatchObject({ status: 'failed', attempts: 1, to: 'r***@example.com' })
    expect(d.last_error).toStartWith('smtp 550:')
    expect(d.last_error).not.toContain(address)
  })

  it('retries a temporary refusal (451) with backoff, then fails with the reason', async () => {
    const tenant = await newTenant(t)
    const id = await request(tenant, emailCode(unique('later')))
    const d = await settled(tenant, id)
    expect(d).toMatchObject({ status: 'failed', attempts: 3 })
    expect(d.last_error).toStartWith('smtp 451:')
    expect(d.updated_at).toBeGreaterThanOrEqual(d.created_at)
  })
})

describe('SMS through the provider', () => {
  it('POSTs { to, body, tenant_id } as JSON', async () => {
    const tenant = await newTenant(t, { name: 'Acme' })
    const to = phone()
    const id = await request(tenant, smsCode(to))
    expect(await settled(tenant, id)).toMatchObject({
      channel: 'sms',
      status: 'sent',
      attempts: 1,
      to: `${to.slice(0, 2)}********${to.slice(-2)}`,
    })
    const call = smsCalls.find((c) => c.body.includes(to))!
    expect(call.path).toBe('/send')
    expect(call.contentType).toBe('application/json')
    expect(JSON.parse(call.body)).toEqual({
      to,
      body: '123456 is your Acme verification code. It expires in 10 minutes. Do not share it.',
      tenant_id: tenant.id,
    })
  })

  it('retries a provider that answered 500 and succeeds on the next try', async () => {
    const tenant = await newTenant(t)
    const to = phone()
    flakyOnce.add(to)
    const id = await request(tenant, smsCode(to))
    expect(await settled(tenant, id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null })
    expect(smsCalls.filter((c) => c.body.includes(to))).toHaveLength(2)
  })

  it('speaks Twilio’s form format with Basic auth to a /Messages.json URL', async () => {
    const url = `http://AC123:s%3Dcret@127.0.0.1:${sms.port}/2010-04-01/Accounts/AC123/Messages.json?From=%2B15550100`
    expect(await sendSms(url, { to: '+15550199', body: 'Hi & bye', tenantId: 'ten_x' })).toEqual({ ok: true })
    const call = smsCalls.at(-1)!
    expect(call.path).toBe('/2010-04-01/Accounts/AC123/Messages.json')
    expect(call.contentType).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(call.body))).toEqual({
      From: '+15550100',
      To: '+15550199',
      Body: 'Hi & bye',
    })
    expect(call.authorization).toBe(`Basic ${btoa('AC123:s=cret')}`)
  })

  it('does not retry a 4xx answer, and retries a provider that does not answer in time', async () => {
    expect(await sendSms(`${smsBase}/bad`, { to: '+1', body: 'x', tenantId: 'ten_x' })).toEqual({
      ok: false,
      retryable: false,
      reason: 'sms provider answered 400',
    })
    expect(await sendSms(`${smsBase}/hang`, { to: '+1', body: 'x', tenantId: 'ten_x' }, 50)).toEqual({
      ok: false,
      retryable: true,
      reason: 'sms provider did not answer within 50 ms',
    })
  })
})

describe('GET /v1/deliveries/:id', () => {
  it('answers 404 for another tenant’s delivery and an unknown id, 401 without a secret key', async () => {
    const a = await newTenant(t)
    const b = await newTenant(t)
    const id = await request(a, smsCode(phone()))
    await settled(a, id)
    for (const path of [`/v1/deliveries/${id}`, '/v1/deliveries/evt_unknown']) {
      const res = await t.request('GET', path, { token: b.secret_key })
      expect(res.status).toBe(404)
      expect((await firstError(res)).code).toBe('resource_not_found')
    }
    expect((await t.request('GET', `/v1/deliveries/${id}`)).status).toBe(401)
  })
})
