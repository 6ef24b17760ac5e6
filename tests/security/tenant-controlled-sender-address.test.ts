import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { nativeClient } from '../support/flows'
import { smtpCapture } from '../support/smtp'

/**
 * Issue #12, tenant-controlled sender address: any tenant could set `email.from_address` to any
 * address (`security@bank.example`) and have the operator's SMTP account send as it. Now a
 * tenant's address is used only at a domain of EMAIL_FROM_DOMAINS; writing another is 422, and a
 * stored one whose domain is no longer listed falls back to the installation's sender.
 * One app with SMTP for the file: on NATS every live app joins the shared delivery consumer.
 */
let t: TestApp
let smtp: Awaited<ReturnType<typeof smtpCapture>>
beforeAll(async () => {
  smtp = await smtpCapture()
  t = await testApp({ smtpUrl: smtp.url, emailFromDomains: ['acme.test'] })
})
afterAll(async () => {
  await t.close()
  await smtp.close()
})

const fast = { password: { argon2: { memory_kib: 8192, iterations: 1 } } }

/** Starts a sign-up with an email code through the FAPI and returns the mail it sends. */
async function signUpMail(tenant: CreatedTenant) {
  const address = `user-${crypto.randomUUID().slice(0, 8)}@example.com`
  const client = nativeClient(t, tenant)
  const started = await client.request('POST', '/client/sign-ups', {
    email_address: address,
    password: 'correct horse battery staple',
  })
  const { id } = (await started.json()) as { id: string }
  const challenge = await client.request('POST', `/client/sign-ups/${id}/challenges`, { strategy: 'email_code' })
  expect(challenge.status).toBe(201)
  return smtp.mailTo(t, address)
}

const patchSettings = (tenant: CreatedTenant, json: unknown) =>
  t.request('PATCH', '/v1/settings', { token: tenant.secret_key, json })

describe('email.from_address and EMAIL_FROM_DOMAINS', () => {
  it('refuses a sender at an unlisted domain with 422, at PATCH /v1/settings and at tenant creation', async () => {
    const tenant = await newTenant(t, { settings: fast })
    for (const address of ['security@bank.example', 'hello@mail.acme.test', 'hello@acme.test.evil.example']) {
      const res = await patchSettings(tenant, { email: { from_address: address } })
      expect(res.status).toBe(422)
      expect(await firstError(res)).toMatchObject({
        code: 'form_param_format_invalid',
        meta: { param_name: 'settings.email.from_address', reason: 'domain_not_allowed' },
      })
    }
    const settings = (await (await t.request('GET', '/v1/settings', { token: tenant.secret_key })).json()) as {
      email: { from_address: string | null }
    }
    expect(settings.email.from_address).toBeNull()
    const created = await t.request('POST', '/platform/v1/tenants', {
      token: t.platformKey,
      json: { name: 'Bank', settings: { email: { from_address: 'security@bank.example' } } },
    })
    expect(created.status).toBe(422)
    expect((await firstError(created)).meta).toMatchObject({ param_name: 'settings.email.from_address' })
  })

  it('never sends as a stored address at a domain no longer listed: the installation’s sender is used', async () => {
    // Written while the operator listed bank.example; that node is gone before any mail is sent.
    const before = await testApp({ emailFromDomains: ['bank.example'] })
    let tenant: CreatedTenant
    try {
      const settings = { ...fast, email: { from_address: 'security@bank.example' } }
      tenant = await newTenant(before, { name: 'Bank', settings })
    } finally {
      await before.close()
    }
    const mail = await signUpMail(tenant)
    expect(mail.from).toBe('no-reply@localhost')
    expect(mail.raw).toMatch(/^From: Bank <no-reply@localhost>\r?$/m)
    expect(mail.raw).not.toContain('bank.example')
    // Unrelated changes still work; the stored address stays, unused.
    expect((await patchSettings(tenant, { lockout: { max_failed_attempts: 5 } })).status).toBe(200)
  }, 20_000)

  it('sends as the tenant’s address at a listed domain (the legitimate path), case-insensitively', async () => {
    const tenant = await newTenant(t, { name: 'Acme', settings: fast })
    const res = await patchSettings(tenant, { email: { from_address: 'Hello@ACME.test', from_name: 'Acme Support' } })
    expect(res.status).toBe(200)
    const mail = await signUpMail(tenant)
    // nodemailer lower-cases the domain (domains are case-insensitive).
    expect(mail.from).toBe('Hello@acme.test')
    expect(mail.raw).toMatch(/^From: Acme Support <Hello@acme\.test>\r?$/m)
  }, 20_000)
})
