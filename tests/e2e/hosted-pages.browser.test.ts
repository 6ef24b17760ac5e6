import { afterAll, describe, expect, it } from 'bun:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium, virtualAuthenticator } from '../support/chromium'
import { liveServer, type LiveServer } from '../support/live-server'
import { sdkTenant } from '../support/sdk-tenant'

/**
 * The hosted sign-in page in Chromium (headless, playwright-core) against a test app listening on
 * loopback: a person types an email address and a password into the server-rendered forms and
 * lands on return_to, signed in. Every request the page makes is recorded: none may leave the
 * server's origin (API.md §12 Served pages), and the CSP (nonce'd style and script) must not
 * block anything the page itself uses.
 */
const cleanups: (() => Promise<unknown> | unknown)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

async function start(): Promise<{ server: LiveServer; browser: Browser }> {
  // Settled: when one fails, the other still registers its cleanup before afterAll runs.
  const [server, browser] = await Promise.allSettled([liveServer({}, 'localhost'), launchChromium()])
  if (server.status === 'fulfilled') cleanups.push(() => server.value.close())
  if (browser.status === 'fulfilled') cleanups.push(() => browser.value.close())
  for (const started of [server, browser]) if (started.status === 'rejected') throw started.reason
  return {
    server: (server as PromiseFulfilledResult<LiveServer>).value,
    browser: (browser as PromiseFulfilledResult<Browser>).value,
  }
}

describe('hosted sign-in page in Chromium', () => {
  it('signs in with the password form and lands on return_to, with no request to another host', async () => {
    const { server, browser } = await start()
    const { tenant, newUser } = await sdkTenant(server)
    const user = await newUser()
    const context = await browser.newContext()
    const page = await context.newPage()
    const requested: string[] = []
    page.on('request', (request) => requested.push(request.url()))
    const blocked: string[] = []
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) blocked.push(message.text())
    })

    const returnTo = `/t/${tenant.slug}/signed-in`
    await page.goto(`${server.url}/t/${tenant.slug}/sign-in?return_to=${encodeURIComponent(returnTo)}`)
    const identifier = page.getByLabel('Email address')
    await identifier.waitFor()
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('identifier')
    await identifier.fill(user.email)
    await page.getByRole('button', { name: 'Continue' }).click()

    const password = page.getByLabel('Password')
    await password.waitFor()
    await password.fill('not the password')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('alert').filter({ hasText: 'That password is not right' }).waitFor()

    await page.getByLabel('Password').fill(user.password)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(`${server.url}${returnTo}`)
    await page.getByRole('heading', { name: 'You are signed in' }).waitFor()
    const cookies = await context.cookies(`${server.url}/t/${tenant.slug}/`)
    expect(cookies.map((c) => c.name).sort()).toEqual(['__client', '__refresh', '__session'])

    const origin = new URL(server.url).origin
    expect(requested.length).toBeGreaterThan(3)
    expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([])
    expect(blocked).toEqual([])
    await context.close()
  }, 60_000)
})

describe('hosted sign-in page with a passkey in Chromium', () => {
  // One server and browser for these tests; each registers its own user's passkey.
  let started: ReturnType<typeof start> | null = null

  /**
   * A user signed in by password on the page who registered a passkey on a CDP virtual authenticator
   * (same origin, __session cookie), then signed out (cookies cleared). `autofill: false` is a browser
   * without passkey autofill (no conditional mediation).
   */
  async function userWithPasskey(autofill = true) {
    const { server, browser } = await (started ??= start())
    const { tenant, newUser } = await sdkTenant(server)
    const user = await newUser()
    const context = await browser.newContext()
    cleanups.push(() => context.close())
    const page = await context.newPage()
    const { cdp, authenticatorId } = await virtualAuthenticator(context, page)
    const blocked: string[] = []
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) blocked.push(message.text())
    })
    const returnTo = `/t/${tenant.slug}/signed-in`
    const signInUrl = `${server.url}/t/${tenant.slug}/sign-in?return_to=${encodeURIComponent(returnTo)}`
    await passwordSignIn(page, signInUrl, user)
    await page.waitForURL(`${server.url}${returnTo}`)
    const registered = await page.evaluate(registerPasskey, `/t/${tenant.slug}/v1`)
    expect(registered).toMatchObject({ status: 201, body: { object: 'passkey', last_used_at: null } })
    const signCount = async () => {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
      expect(credentials).toHaveLength(1)
      return credentials[0]!.signCount
    }
    const registeredCount = await signCount()
    if (!autofill)
      await context.addInitScript(() => {
        PublicKeyCredential.isConditionalMediationAvailable = async () => false
      })
    await context.clearCookies()
    /** Lands on return_to, signed in as the user, the credential used once since registration, nothing blocked. */
    const expectSignedInWithPasskey = async () => {
      await page.waitForURL(`${server.url}${returnTo}`)
      await page.getByRole('heading', { name: 'You are signed in' }).waitFor()
      await expectSession(context, server.url, tenant.slug, user.id)
      expect(await signCount()).toBe(registeredCount + 1)
      expect(blocked).toEqual([])
    }
    return { user, page, signInUrl, expectSignedInWithPasskey }
  }

  it('offers the passkey in the identifier field’s autofill and signs in with it', async () => {
    const { page, signInUrl, expectSignedInWithPasskey } = await userWithPasskey()
    // The virtual authenticator picks the passkey as soon as it is offered, as a person would from the list.
    await page.goto(signInUrl)
    await expectSignedInWithPasskey()
  }, 60_000)

  it('signs in usernameless by the identifier page’s passkey button', async () => {
    const { page, signInUrl, expectSignedInWithPasskey } = await userWithPasskey(false)
    await page.goto(signInUrl)
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await expectSignedInWithPasskey()
  }, 60_000)

  it('signs in with the passkey chosen after the identifier, by its challenge’s options', async () => {
    const { user, page, signInUrl, expectSignedInWithPasskey } = await userWithPasskey(false)
    await page.goto(signInUrl)
    await page.getByLabel('Email address').fill(user.email)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('button', { name: 'Use a passkey' }).click()
    await page.getByRole('button', { name: 'Use your passkey' }).click()
    await expectSignedInWithPasskey()
  }, 60_000)
})

async function passwordSignIn(page: Page, url: string, user: { email: string; password: string }) {
  await page.goto(url)
  await page.getByLabel('Email address').fill(user.email)
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByLabel('Password').fill(user.password)
  await page.getByRole('button', { name: 'Continue' }).click()
}

/** The browser's __session cookie is a session token of `userId` at /me. */
async function expectSession(context: BrowserContext, url: string, slug: string, userId: string) {
  const session = (await context.cookies(`${url}/t/${slug}/`)).find((c) => c.name === '__session')
  expect(session).toBeDefined()
  const me = await fetch(`${url}/t/${slug}/v1/me`, { headers: { authorization: `Bearer ${session!.value}` } })
  expect(me.status).toBe(200)
  expect(((await me.json()) as { id: string }).id).toBe(userId)
}

/**
 * Runs in the page: registers a passkey for the signed-in user through /me/passkeys, encoding the
 * ceremony as @simplewebauthn/browser's startRegistration does.
 */
async function registerPasskey(fapi: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const bytes = (s: string) => {
    const b = s.replace(/-/g, '+').replace(/_/g, '/')
    return Uint8Array.from(atob(b + '='.repeat((4 - (b.length % 4)) % 4)), (c) => c.charCodeAt(0))
  }
  const text = (buf: ArrayBuffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buf)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '')
  const post = async (path: string, body: unknown) => {
    const res = await fetch(fapi + path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }
  const options = await post('/me/passkeys/registration-options', {})
  if (options.status !== 200) return options
  const o = options.body as {
    challenge: string
    user: { id: string; name: string; displayName: string }
    excludeCredentials?: { id: string; type: 'public-key' }[]
  }
  const credential = (await navigator.credentials.create({
    publicKey: {
      ...(o as unknown as PublicKeyCredentialCreationOptions),
      challenge: bytes(o.challenge),
      user: { ...o.user, id: bytes(o.user.id) },
      excludeCredentials: (o.excludeCredentials ?? []).map((c) => ({ type: c.type, id: bytes(c.id) })),
    },
  })) as PublicKeyCredential
  const response = credential.response as AuthenticatorAttestationResponse
  return post('/me/passkeys', {
    name: 'Virtual authenticator',
    credential: {
      id: credential.id,
      rawId: text(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: text(response.clientDataJSON),
        attestationObject: text(response.attestationObject),
        transports: response.getTransports(),
      },
    },
  })
}
