import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { decodeJwt } from 'jose'
import { generate } from 'otplib'
import { firstError, newTenant, PUBLIC_URL, type CreatedTenant, type TestApp, testApp } from '../support/app'
import {
  codeIn,
  confirmLink,
  lastMessage,
  linkIn,
  nativeClient,
  newUser,
  renewableMe,
  signInNative,
  type MeApi,
} from '../support/flows'
import { formFields, hostedBrowser, type PageResponse } from '../support/hosted'

/**
 * The hosted sign-in page's other factors, through app.handle as a browser posts its forms:
 * password reset by emailed code, a backup code as second factor, phone codes (first and second
 * factor, read from the dev mailbox's SMS), and an email link opened in the same browser.
 */
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
// Several sign-ins per test: generous on a loaded machine.
const SLOW = 30_000
const NEW_PASSWORD = 'a brand new passphrase'
const tenantWith = (settings: Record<string, unknown> = {}) => newTenant(t, { settings: { ...base, ...settings } })
const returnTo = (tenant: CreatedTenant) => `/t/${tenant.slug}/oauth/authorize?auth_request=areq_1`
const signedInPath = (tenant: CreatedTenant) => `/t/${tenant.slug}/signed-in`
const randomPhone = () => `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`
const amrOf = (token: string) => (decodeJwt(token) as { amr: string[] }).amr

type Browser = ReturnType<typeof hostedBrowser>

/** The identifier step on the sign-in page; the page that follows it. */
async function identify(b: Browser, identifier: string, query = ''): Promise<PageResponse> {
  const page = await b.get(`/sign-in${query}`)
  expect(page.status).toBe(200)
  const step = await b.submit('/sign-in', page, 'identify', { identifier })
  expect(step.status).toBe(200)
  return step
}

/** Posts the page's "choose" form that starts `strategy` (sends a code or link, or switches factor). */
const choose = (b: Browser, page: PageResponse, strategy: string): Promise<PageResponse> =>
  b.post('/sign-in', formFields(page.html, 'choose', { strategy }))

/** The 303 to `location` with the browser-mode session cookies; the session token, checked at /me. */
async function expectSignedIn(res: PageResponse, tenant: CreatedTenant, location: string, userId: string) {
  expect(res.status).toBe(303)
  expect(res.headers.get('location')).toBe(location)
  const cookies = res.headers.getSetCookie()
  const session = cookies.find((c) => c.startsWith('__session='))
  expect(session).toContain(`Path=/t/${tenant.slug}`)
  expect(cookies.find((c) => c.startsWith('__refresh='))).toContain('HttpOnly')
  const token = session!.slice('__session='.length).split(';')[0]!
  const me = await t.request('GET', `/t/${tenant.slug}/v1/me`, { token })
  expect(me.status).toBe(200)
  expect(((await me.json()) as { id: string }).id).toBe(userId)
  return token
}

const hasSessionCookie = (res: PageResponse) => res.headers.getSetCookie().some((c) => c.startsWith('__session='))

/** The code an authenticator shows now, by the server's (fake) clock. */
const totpNow = (secret: string) => generate({ secret, epoch: Math.floor(t.clock.now() / 1000) })

/** A user signed in natively, with TOTP and backup codes enrolled through /me (step-up kept fresh). */
async function userWithBackupCodes(tenant: CreatedTenant) {
  const user = await newUser(t, tenant)
  const client = nativeClient(t, tenant)
  const me: MeApi = renewableMe(t, tenant, client, await signInNative(t, tenant, user, client))
  const started = await me('POST', '/totp')
  expect(started.status).toBe(201)
  const { secret } = (await started.json()) as { secret: string }
  expect((await me('POST', '/totp/verify', { code: await totpNow(secret) })).status).toBe(200)
  // The activating code is a second factor verified in this session: the renewed token carries it.
  await me.renew!()
  const created = await me('POST', '/backup-codes')
  expect(created.status).toBe(201)
  const { codes } = (await created.json()) as { codes: string[] }
  expect(codes).toHaveLength(10)
  t.clock.advance(30_000)
  return { user, me, codes }
}

describe('password reset on the sign-in page', () => {
  it(
    'resets by emailed code: the old password then fails, the new one works, and the page ends signed in at return_to',
    async () => {
      const tenant = await tenantWith()
      const user = await newUser(t, tenant)
      const b = hostedBrowser(t, tenant)
      const step = await identify(b, user.email, `?return_to=${encodeURIComponent(returnTo(tenant))}`)
      expect(step.html).toContain('Forgot your password? Email me a reset code')
      t.clock.advance(1000)
      const since = t.clock.now()
      const codeStep = await choose(b, step, 'reset_password_email_code')
      expect(codeStep.status).toBe(200)
      expect(codeStep.html).toContain('We sent a code to')
      const message = await lastMessage(t, user.email, since)
      expect(message.subject).toContain('Reset your')
      const code = codeIn(message.text)!

      const wrong = await b.submit('/sign-in', codeStep, 'answer', { code: code === '000000' ? '111111' : '000000' })
      expect(wrong.status).toBe(422)
      expect(wrong.html).toContain('That code is not right.')
      const newPassword = await b.submit('/sign-in', wrong, 'answer', { code })
      expect(newPassword.status).toBe(200)
      expect(newPassword.html).toContain('Choose a new password')
      expect(newPassword.html).toMatch(/autocomplete="new-password"/)
      expect(hasSessionCookie(newPassword)).toBe(false)

      // The password policy applies on the page too, and the step is shown again.
      const short = await b.submit('/sign-in', newPassword, 'reset_password', { password: 'short' })
      expect(short.status).toBe(422)
      expect(short.html).toContain('Choose a new password')
      expect(short.html).toContain('role="alert"')
      expect(hasSessionCookie(short)).toBe(false)
      const done = await b.submit('/sign-in', short, 'reset_password', { password: NEW_PASSWORD })
      await expectSignedIn(done, tenant, returnTo(tenant), user.id)

      // On the page: the old password is now wrong, the new one signs in.
      const other = hostedBrowser(t, tenant)
      const old = await other.submit('/sign-in', await identify(other, user.email), 'answer', {
        password: user.password,
      })
      expect(old.status).toBe(422)
      expect(old.html).toContain('That password is not right.')
      const again = hostedBrowser(t, tenant)
      await expectSignedIn(
        await again.submit('/sign-in', await identify(again, user.email), 'answer', { password: NEW_PASSWORD }),
        tenant,
        signedInPath(tenant),
        user.id,
      )
      // And through the Frontend API.
      const native = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
        identifier: user.email,
        password: user.password,
      })
      expect((await firstError(native)).code).toBe('form_password_incorrect')
    },
    SLOW,
  )
  it(
    'asks a user with TOTP for the second factor after the new password, and signs in only then',
    async () => {
      const tenant = await tenantWith()
      const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
      const user = await newUser(t, tenant, { totp_secret: secret })
      const b = hostedBrowser(t, tenant)
      const step = await identify(b, user.email)
      t.clock.advance(1000)
      const since = t.clock.now()
      const codeStep = await choose(b, step, 'reset_password_email_code')
      const code = codeIn((await lastMessage(t, user.email, since)).text)!
      const newPassword = await b.submit('/sign-in', codeStep, 'answer', { code })
      expect(newPassword.html).toContain('Choose a new password')
      const second = await b.submit('/sign-in', newPassword, 'reset_password', { password: NEW_PASSWORD })
      expect(second.status).toBe(200)
      expect(second.html).toContain('Two-step verification')
      expect(second.html).toContain('Code from your authenticator app')
      expect(hasSessionCookie(second)).toBe(false)
      await expectSignedIn(
        await b.submit('/sign-in', second, 'answer', { code: await totpNow(secret) }),
        tenant,
        signedInPath(tenant),
        user.id,
      )
    },
    SLOW,
  )
})

describe('second factors on the sign-in page', () => {
  it(
    'takes a backup code instead of the TOTP code, once',
    async () => {
      const tenant = await tenantWith()
      const { user, me, codes } = await userWithBackupCodes(tenant)
      const b = hostedBrowser(t, tenant)
      const second = await b.submit('/sign-in', await identify(b, user.email), 'answer', { password: user.password })
      expect(second.status).toBe(200)
      expect(second.html).toContain('Two-step verification')
      expect(second.html).toContain('Code from your authenticator app')
      expect(second.html).toContain('Use a backup code')
      expect(hasSessionCookie(second)).toBe(false)

      const backup = await choose(b, second, 'backup_code')
      expect(backup.status).toBe(200)
      expect(backup.html).toContain('<label for="f-code">Backup code</label>')
      expect(backup.html).toMatch(/inputmode="text"/)
      const token = await expectSignedIn(
        await b.submit('/sign-in', backup, 'answer', { code: codes[0]! }),
        tenant,
        signedInPath(tenant),
        user.id,
      )
      expect(amrOf(token)).toEqual(['password', 'backup_code'])
      expect(((await (await me('GET')).json()) as { backup_codes_remaining: number }).backup_codes_remaining).toBe(9)

      // A used code is refused on the page, in another browser.
      const other = hostedBrowser(t, tenant)
      const otherSecond = await other.submit('/sign-in', await identify(other, user.email), 'answer', {
        password: user.password,
      })
      const reused = await other.submit('/sign-in', await choose(other, otherSecond, 'backup_code'), 'answer', {
        code: codes[0]!,
      })
      expect(reused.status).toBe(422)
      expect(reused.html).toContain('That code is not right.')
      expect(hasSessionCookie(reused)).toBe(false)
      await expectSignedIn(
        await other.submit('/sign-in', reused, 'answer', { code: codes[1]! }),
        tenant,
        signedInPath(tenant),
        user.id,
      )
    },
    SLOW,
  )

  it(
    'texts a code to the phone reserved for the second factor and completes with it',
    async () => {
      const tenant = await tenantWith()
      const phone = randomPhone()
      const user = await newUser(t, tenant, { phone_number: [phone] })
      const client = nativeClient(t, tenant)
      const me = renewableMe(t, tenant, client, await signInNative(t, tenant, user, client))
      const phoneId = ((await (await me('GET')).json()) as { phone_numbers: { id: string }[] }).phone_numbers[0]!.id
      expect((await me('PATCH', `/phone-numbers/${phoneId}`, { reserved_for_second_factor: true })).status).toBe(200)

      const b = hostedBrowser(t, tenant)
      const second = await b.submit('/sign-in', await identify(b, user.email), 'answer', { password: user.password })
      expect(second.status).toBe(200)
      expect(second.html).toContain('Two-step verification')
      expect(second.html).toMatch(new RegExp(`Text me a code \\([^)<]*${phone.slice(-4)}\\)`))
      t.clock.advance(1000)
      const since = t.clock.now()
      const codeStep = await choose(b, second, 'phone_code')
      expect(codeStep.status).toBe(200)
      expect(codeStep.html).toMatch(/We sent a code to [^<]*\d{4}\./)
      const code = codeIn((await lastMessage(t, phone, since)).text)!
      const token = await expectSignedIn(
        await b.submit('/sign-in', codeStep, 'answer', { code }),
        tenant,
        signedInPath(tenant),
        user.id,
      )
      expect(amrOf(token)).toEqual(['password', 'phone_code'])
    },
    SLOW,
  )
})

describe('phone code as first factor on the sign-in page', () => {
  it(
    'texts a code at once to a phone identifier on a phone-only tenant and signs in with it',
    async () => {
      const tenant = await tenantWith({ sign_in: { first_factors: ['phone_code'] } })
      const phone = randomPhone()
      const user = await newUser(t, tenant, { phone_number: [phone] })
      const b = hostedBrowser(t, tenant)
      t.clock.advance(1000)
      const since = t.clock.now()
      const step = await identify(b, phone, `?return_to=${encodeURIComponent(returnTo(tenant))}`)
      expect(step.html).toMatch(/We sent a code to [^<]*\d{4}\./)
      expect(step.html).toContain('Send a new code')
      const message = await lastMessage(t, phone, since)
      const code = codeIn(message.text)!
      const wrong = await b.submit('/sign-in', step, 'answer', { code: code === '000000' ? '111111' : '000000' })
      expect(wrong.status).toBe(422)
      expect(wrong.html).toContain('That code is not right.')
      const token = await expectSignedIn(
        await b.submit('/sign-in', wrong, 'answer', { code }),
        tenant,
        returnTo(tenant),
        user.id,
      )
      expect(amrOf(token)).toEqual(['phone_code'])
    },
    SLOW,
  )
})

describe('email link on the sign-in page', () => {
  /** Identifier, then "Email me a sign-in link": the waiting page and the link sent. */
  async function linkSent(b: Browser, tenant: CreatedTenant, email: string) {
    const step = await identify(b, email, `?return_to=${encodeURIComponent(returnTo(tenant))}`)
    t.clock.advance(1000)
    const since = t.clock.now()
    const waiting = await choose(b, step, 'email_link')
    expect(waiting.status).toBe(200)
    expect(waiting.html).toContain('We sent a sign-in link to')
    expect(waiting.html).toContain('check again')
    const link = linkIn((await lastMessage(t, email, since)).text)!
    expect(link).toBeTruthy()
    return { waiting, link }
  }
  const clientCookie = (b: Browser) => `__client=${b.jar.get('__client')}`

  it(
    'opened in the same browser, redirects back to the page, which resumes the attempt and ends signed in at return_to',
    async () => {
      const tenant = await tenantWith()
      const user = await newUser(t, tenant)
      const b = hostedBrowser(t, tenant)
      const { link } = await linkSent(b, tenant, user.email)
      const { page, confirmed } = await confirmLink(t, link, clientCookie(b))
      expect(page.status).toBe(200)
      expect(confirmed.status).toBe(303)
      const back = new URL(confirmed.headers.get('location')!)
      expect(back.origin).toBe(PUBLIC_URL)
      expect(back.pathname).toBe(`/t/${tenant.slug}/sign-in`)
      expect(back.searchParams.get('resume')).toBe('1')
      expect(back.searchParams.get('return_to')).toBe(returnTo(tenant))

      const resumed = await b.get(`${back.pathname.slice(`/t/${tenant.slug}`.length)}${back.search}`)
      expect(resumed.status).toBe(200)
      expect(resumed.html).toContain('You are verified')
      const token = await expectSignedIn(
        await b.submit('/sign-in', resumed, 'continue'),
        tenant,
        returnTo(tenant),
        user.id,
      )
      expect(amrOf(token)).toEqual(['email_link'])
    },
    SLOW,
  )

  it(
    '"check again" keeps waiting until the link is opened, then signs in the tab that asked',
    async () => {
      const tenant = await tenantWith()
      const user = await newUser(t, tenant)
      const b = hostedBrowser(t, tenant)
      const { waiting, link } = await linkSent(b, tenant, user.email)
      const early = await b.submit('/sign-in', waiting, 'continue')
      expect(early.status).toBe(200)
      expect(early.html).toContain('We sent a sign-in link to')
      expect(hasSessionCookie(early)).toBe(false)

      expect((await confirmLink(t, link, clientCookie(b))).confirmed.status).toBe(303)
      await expectSignedIn(await b.submit('/sign-in', early, 'continue'), tenant, returnTo(tenant), user.id)
    },
    SLOW,
  )

  it(
    'opened in another browser, does not sign in: the tab that asked keeps waiting',
    async () => {
      const tenant = await tenantWith()
      const user = await newUser(t, tenant)
      const b = hostedBrowser(t, tenant)
      const { waiting, link } = await linkSent(b, tenant, user.email)
      const other = hostedBrowser(t, tenant)
      await other.get('/sign-in')
      const { confirmed } = await confirmLink(t, link, clientCookie(other))
      expect(confirmed.status).not.toBe(303)
      expect(await confirmed.text()).toContain('device that asked')
      const still = await b.submit('/sign-in', waiting, 'continue')
      expect(still.status).toBe(200)
      expect(still.html).toContain('We sent a sign-in link to')
      expect(hasSessionCookie(still)).toBe(false)
    },
    SLOW,
  )
})
