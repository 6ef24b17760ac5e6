import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { generate } from 'otplib'
import { signInAttempts } from '../../src/features/sign-in/schema'
import { firstError, newTenant, PUBLIC_URL, type CreatedTenant, type TestApp, testApp } from '../support/app'
import { codeIn, lastMessage, newUser } from '../support/flows'
import { formFields, hostedBrowser, type PageResponse } from '../support/hosted'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

// Cheapest argon2 the settings allow, and no rate limits: these tests are about the pages.
const base = {
  password: { argon2: { memory_kib: 8192, iterations: 1 } },
  rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 },
}
const tenantWith = (settings: Record<string, unknown> = {}) => newTenant(t, { settings: { ...base, ...settings } })
const returnTo = (tenant: CreatedTenant) => `/t/${tenant.slug}/oauth/authorize?auth_request=areq_1`
const attemptsOf = (tenant: CreatedTenant) =>
  t.deps.db.select().from(signInAttempts).where(eq(signInAttempts.tenantId, tenant.id))

/** Identifier, then password, on the sign-in page; the last response. */
async function passwordSignIn(
  b: ReturnType<typeof hostedBrowser>,
  user: { email: string; password: string },
  query = '',
) {
  const page = await b.get(`/sign-in${query}`)
  expect(page.status).toBe(200)
  const step = await b.submit('/sign-in', page, 'identify', { identifier: user.email })
  expect(step.status).toBe(200)
  return b.submit('/sign-in', step, 'answer', { password: user.password })
}

function expectSignedIn(res: PageResponse, tenant: CreatedTenant, location: string) {
  expect(res.status).toBe(303)
  expect(res.headers.get('location')).toBe(location)
  const cookies = res.headers.getSetCookie()
  const session = cookies.find((c) => c.startsWith('__session='))
  const refresh = cookies.find((c) => c.startsWith('__refresh='))
  expect(session).toContain(`Path=/t/${tenant.slug}`)
  expect(session).not.toContain('HttpOnly')
  expect(refresh).toContain(`Path=/t/${tenant.slug}`)
  expect(refresh).toContain('HttpOnly')
  return session!.slice('__session='.length).split(';')[0]!
}

describe('GET /t/{tenant}/sign-in', () => {
  it('renders with a per-response CSP nonce, no framing, no caching and nothing from another origin', async () => {
    const tenant = await tenantWith()
    const b = hostedBrowser(t, tenant)
    const page = await b.get('/sign-in?login_hint=ann%40example.com')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    const csp = page.headers.get('content-security-policy')!
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1]
    expect(nonce).toBeTruthy()
    for (const directive of [
      "default-src 'none'",
      `style-src 'nonce-${nonce}'`,
      "frame-ancestors 'none'",
      "form-action 'self'",
      "base-uri 'none'",
      "img-src 'self' data:",
    ])
      expect(csp).toContain(directive)
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(page.headers.get('referrer-policy')).toBe('same-origin')
    // Every script and style carries the nonce; none is loaded from anywhere.
    for (const [tag] of page.html.matchAll(/<(script|style)\b[^>]*>/g)) expect(tag).toContain(`nonce="${nonce}"`)
    expect(page.html).not.toMatch(/<(script|link|img)\b[^>]*\b(src|href)=/)
    expect(page.html).not.toMatch(/\b(src|href)="(https?:)?\/\//)
    expect(page.html).toContain('<html lang="en">')
    // Labelled, focused, autofilled (passkeys included), pre-filled from login_hint.
    expect(page.html).toContain('<label for="f-identifier">')
    expect(page.html).toMatch(
      /<input id="f-identifier"[^>]*autocomplete="username webauthn"[^>]*value="ann@example.com"[^>]*autofocus/,
    )
    // A second GET has another nonce; neither created an attempt.
    const again = await b.get('/sign-in')
    expect(again.headers.get('content-security-policy')).not.toContain(nonce!)
    expect(await attemptsOf(tenant)).toHaveLength(0)
  })

  it('shows the tenant’s branding: name, logo (the one image origin allowed) and a readable button colour', async () => {
    const tenant = await tenantWith({
      branding: { name: 'Acme Cloud', logo_url: 'https://cdn.acme.test/logo.png', primary_color: '#ffeb3b' },
    })
    const page = await hostedBrowser(t, tenant).get('/sign-in')
    expect(page.html).toContain('<title>Sign in to Acme Cloud</title>')
    expect(page.html).toContain('<img class="logo" src="https://cdn.acme.test/logo.png" alt="Acme Cloud">')
    expect(page.headers.get('content-security-policy')).toContain("img-src 'self' data: https://cdn.acme.test;")
    // Yellow takes near-black text; a dark colour takes white.
    expect(page.html).toContain('background:#ffeb3b;color:#111111')
    const dark = await tenantWith({ branding: { primary_color: '#123' } })
    expect((await hostedBrowser(t, dark).get('/sign-in')).html).toContain('background:#123;color:#ffffff')
  })

  it('refuses invalid branding settings with 422', async () => {
    const tenant = await tenantWith()
    for (const branding of [
      { logo_url: 'javascript:alert(1)' },
      { logo_url: '/relative.png' },
      { primary_color: 'red' },
      { colour: '#fff' },
    ]) {
      const res = await t.request('PATCH', '/v1/settings', { token: tenant.secret_key, json: { branding } })
      expect(res.status).toBe(422)
      await firstError(res)
    }
  })

  it('answers an unknown tenant with a page, not JSON', async () => {
    const res = await t.request('GET', '/t/no-such-tenant/sign-in')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(await res.text()).toContain('Page not found')
  })
})

describe('POST /t/{tenant}/sign-in (password)', () => {
  it('signs in, sets __session and __refresh as browser-mode FAPI does, and 303s to return_to', async () => {
    const tenant = await tenantWith()
    const user = await newUser(t, tenant)
    const b = hostedBrowser(t, tenant)
    const done = await passwordSignIn(b, user, `?return_to=${encodeURIComponent(returnTo(tenant))}`)
    const token = expectSignedIn(done, tenant, returnTo(tenant))
    const me = await t.request('GET', `/t/${tenant.slug}/v1/me`, { token })
    expect(me.status).toBe(200)
    expect(((await me.json()) as { id: string }).id).toBe(user.id)
    // The default page then says so, reading the client without creating one.
    const signedIn = await b.get('/signed-in')
    expect(signedIn.html).toContain('You are signed in')
  })

  it('takes auth_request as shorthand for the authorization endpoint', async () => {
    const tenant = await tenantWith()
    const user = await newUser(t, tenant)
    const done = await passwordSignIn(hostedBrowser(t, tenant), user, '?auth_request=areq_1')
    expectSignedIn(done, tenant, returnTo(tenant))
  })

  it('does not follow a return_to outside the issuer', async () => {
    const tenant = await tenantWith()
    const other = await tenantWith()
    const user = await newUser(t, tenant)
    for (const unsafe of [
      'https://evil.example/',
      '//evil.example/x',
      `/t/${other.slug}/oauth/authorize`,
      `/t/${tenant.slug}/../${other.slug}/x`,
      `/t/${tenant.slug}/\\evil.example`,
      `/t/${tenant.slug}//evil.example`,
      'javascript:alert(1)',
    ]) {
      const done = await passwordSignIn(hostedBrowser(t, tenant), user, `?return_to=${encodeURIComponent(unsafe)}`)
      expectSignedIn(done, tenant, `/t/${tenant.slug}/signed-in`)
    }
  })

  it('shows a wrong password as an announced error with the attempts remaining, and the form again', async () => {
    const tenant = await tenantWith()
    const user = await newUser(t, tenant)
    const b = hostedBrowser(t, tenant)
    const wrong = await passwordSignIn(b, { ...user, password: 'not the password' })
    expect(wrong.status).toBe(422)
    expect(wrong.headers.get('content-type')).toContain('text/html')
    expect(wrong.html).toContain('aria-describedby="password-error"')
    expect(wrong.html).toMatch(
      /<p class="error" role="alert" id="password-error">That password is not right\. 9 attempts remaining\.<\/p>/,
    )
    expect(wrong.html).not.toContain('"errors"')
    // An unknown identifier reads the same (no enumeration).
    const unknown = await passwordSignIn(hostedBrowser(t, tenant), {
      email: 'nobody@example.com',
      password: 'x'.repeat(12),
    })
    expect(unknown.status).toBe(422)
    expect(unknown.html).toContain('That password is not right.')
    const right = await b.submit('/sign-in', wrong, 'answer', { password: user.password })
    expectSignedIn(right, tenant, `/t/${tenant.slug}/signed-in`)
  })
})

describe('form POST defences', () => {
  it('refuses a missing, forged or other client’s CSRF token with 403, and the attempt is unchanged', async () => {
    const tenant = await tenantWith()
    const user = await newUser(t, tenant)
    const b = hostedBrowser(t, tenant)
    const step = await b.submit('/sign-in', await b.get('/sign-in'), 'identify', { identifier: user.email })
    const fields = formFields(step.html, 'answer')
    const [before] = await attemptsOf(tenant)
    const otherCsrf = formFields((await hostedBrowser(t, tenant).get('/sign-in')).html, 'identify').csrf!
    for (const csrf of [undefined, 'forged', otherCsrf]) {
      const { csrf: _, ...rest } = fields
      const res = await b.post('/sign-in', { ...rest, ...(csrf ? { csrf } : {}), password: user.password })
      expect(res.status).toBe(403)
      expect(res.headers.get('content-type')).toContain('text/html')
      expect(res.headers.getSetCookie().some((c) => c.startsWith('__session='))).toBe(false)
    }
    const [after] = await attemptsOf(tenant)
    expect(after!.version).toBe(before!.version)
    expect(after!.status).toBe('needs_first_factor')
  })

  it('refuses a POST from a foreign or missing Origin with a 403 page, before anything is created', async () => {
    const tenant = await tenantWith()
    const user = await newUser(t, tenant)
    const b = hostedBrowser(t, tenant)
    const page = await b.get('/sign-in')
    const fields = { ...formFields(page.html, 'identify'), identifier: user.email }
    for (const origin of ['https://evil.example', null]) {
      const res = await b.post('/sign-in', fields, origin)
      expect(res.status).toBe(403)
      expect(res.html).toContain('role="alert"')
    }
    expect(await attemptsOf(tenant)).toHaveLength(0)
    expect((await b.post('/sign-in', fields, PUBLIC_URL)).status).toBe(200)
  })
})

describe('other factors', () => {
  it('asks for the TOTP code after the password and completes with it', async () => {
    const tenant = await tenantWith()
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
    const user = await newUser(t, tenant, { totp_secret: secret })
    const b = hostedBrowser(t, tenant)
    const second = await passwordSignIn(b, user)
    expect(second.status).toBe(200)
    expect(second.html).toContain('Code from your authenticator app')
    expect(second.html).toMatch(/autocomplete="one-time-code"/)
    const wrong = await b.submit('/sign-in', second, 'answer', {
      code: '000000' === (await generate({ secret, epoch: Math.floor(t.clock.now() / 1000) })) ? '111111' : '000000',
    })
    expect(wrong.status).toBe(422)
    expect(wrong.html).toContain('That code is not right.')
    const code = await generate({ secret, epoch: Math.floor(t.clock.now() / 1000) })
    const token = expectSignedIn(
      await b.submit('/sign-in', wrong, 'answer', { code }),
      tenant,
      `/t/${tenant.slug}/signed-in`,
    )
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { amr: string[] }
    expect(claims.amr).toEqual(['password', 'totp'])
  })

  it('signs in with a code from the dev mailbox when the tenant is passwordless', async () => {
    const tenant = await tenantWith({ sign_in: { first_factors: ['email_code'] } })
    const user = await newUser(t, tenant)
    const b = hostedBrowser(t, tenant)
    const since = t.clock.now()
    const step = await b.submit('/sign-in', await b.get('/sign-in'), 'identify', { identifier: user.email })
    expect(step.html).toContain('We sent a code to')
    const code = codeIn((await lastMessage(t, user.email, since)).text)!
    expectSignedIn(await b.submit('/sign-in', step, 'answer', { code }), tenant, `/t/${tenant.slug}/signed-in`)
  })

  it('enrols TOTP when the policy requires it, then shows the backup codes once', async () => {
    const tenant = await tenantWith({ mfa: { policy: 'required' } })
    const user = await newUser(t, tenant)
    const b = hostedBrowser(t, tenant)
    const enrol = await passwordSignIn(b, user)
    expect(enrol.html).toContain('Set up two-step verification')
    const shown = await b.submit('/sign-in', enrol, 'enroll')
    expect(shown.html).toContain('<svg')
    const secret = /<code>([A-Z2-7]+)<\/code>/.exec(shown.html)![1]!
    const code = await generate({ secret, epoch: Math.floor(t.clock.now() / 1000) })
    const codes = await b.submit('/sign-in', shown, 'enroll_verify', { code })
    expect(codes.status).toBe(200)
    expect(codes.html).toContain('Save your backup codes')
    expect(codes.headers.getSetCookie().some((c) => c.startsWith('__session='))).toBe(true)
  })
})

describe('/t/{tenant}/sign-up', () => {
  it('creates the user after the emailed code, signed in, and 303s to return_to', async () => {
    const tenant = await tenantWith()
    const b = hostedBrowser(t, tenant)
    const email = `new-${crypto.randomUUID().slice(0, 8)}@example.com`
    const page = await b.get(`/sign-up?return_to=${encodeURIComponent(returnTo(tenant))}`)
    expect(page.html).toMatch(/autocomplete="new-password"/)
    const short = await b.submit('/sign-up', page, 'create', { email_address: email, password: 'short' })
    expect(short.status).toBe(422)
    expect(short.html).toContain('role="alert"')
    const since = t.clock.now()
    const codeStep = await b.submit('/sign-up', short, 'create', {
      email_address: email,
      password: 'a long enough password',
    })
    expect(codeStep.html).toContain('Verification code')
    const code = codeIn((await lastMessage(t, email, since)).text)!
    expectSignedIn(await b.submit('/sign-up', codeStep, 'verify', { code }), tenant, returnTo(tenant))
    const users = await t.request('GET', `/v1/users?email_address=${encodeURIComponent(email)}`, {
      token: tenant.secret_key,
    })
    expect(((await users.json()) as { data: unknown[] }).data).toHaveLength(1)
  })
})
