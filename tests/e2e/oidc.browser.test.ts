import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import * as client from 'openid-client'
import { generate } from 'otplib'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from '../support/chromium'
import { liveServer, type LiveServer } from '../support/live-server'
import { claimsOf, sdkTenant, type SdkTenant } from '../support/sdk-tenant'

/**
 * The OAuth 2 / OIDC provider in Chromium (headless, playwright-core) against a test app listening on
 * loopback, with openid-client as the relying party over real fetch and a tiny RP server on 127.0.0.1
 * whose /callback only records what it receives. A person signs in on the hosted pages (password,
 * then TOTP), allows on the consent page and lands on the RP's callback; then, in the same signed-in
 * browser, confirms a device code on {issuer}/device; last, a first-party app, where the sign-in
 * form's own redirect chain ends on the callback. CSP `form-action` also governs the redirects after a
 * form POST, so the consent and sign-in pages must admit the client's redirect origin (API.md §15);
 * no page may load anything from another origin and nothing may be blocked by the CSP (§12 Served
 * pages). A CSP block fails the step at once with Chromium's console message.
 */
const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code'

const cleanups: (() => Promise<unknown> | unknown)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

interface World {
  server: LiveServer
  browser: Browser
  context: BrowserContext
  tenant: SdkTenant
  bapi: Awaited<ReturnType<typeof sdkTenant>>['bapi']
  newUser: Awaited<ReturnType<typeof sdkTenant>>['newUser']
  user: { id: string; email: string; password: string }
  totpSecret: string
  rp: { callback: string; origin: string; received: string[] }
}
let world: World

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

/** The relying party's own server: /callback answers 200 and records the URL it was sent to. */
function relyingParty() {
  const received: string[] = []
  const rp = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(req) {
      received.push(req.url)
      return new URL(req.url).pathname === '/callback'
        ? new Response('RP callback', { headers: { 'content-type': 'text/plain' } })
        : new Response('not found', { status: 404 })
    },
  })
  cleanups.push(() => rp.stop(true))
  const origin = `http://127.0.0.1:${rp.port}`
  return { callback: `${origin}/callback`, origin, received }
}

/** The code an authenticator shows now, by the server's (fake) clock. */
const totpNow = (server: LiveServer, secret: string) =>
  generate({ secret, epoch: Math.floor(server.clock.now() / 1000) })

/**
 * Signs `user` in natively (password) and enrols and verifies TOTP through /me, as the API tests do;
 * returns the secret. The fresh sign-in is the reverification that adding a factor needs (API.md §12).
 */
async function enrolTotp(server: LiveServer, tenant: SdkTenant, user: World['user']): Promise<string> {
  const fapi = `${server.url}/t/${tenant.slug}/v1`
  const signIn = await fetch(`${fapi}/client/sign-ins`, {
    method: 'POST',
    headers: { 'x-native-client': '1', 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: user.email, password: user.password }),
  })
  expect(signIn.status).toBe(200)
  const { session_token } = (await signIn.json()) as { session_token: string }
  const me = (path: string, body: unknown) =>
    fetch(`${fapi}/me${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const started = await me('/totp', {})
  expect(started.status).toBe(201)
  const { secret } = (await started.json()) as { secret: string }
  expect((await me('/totp/verify', { code: await totpNow(server, secret) })).status).toBe(200)
  return secret
}

/**
 * A page whose every request and every CSP console complaint is recorded. `reach` waits for a URL,
 * failing at once (with Chromium's message) when the CSP blocks the navigation instead.
 */
async function recordedPage(context: BrowserContext) {
  const page = await context.newPage()
  const requested: string[] = []
  page.on('request', (request) => requested.push(request.url()))
  const blocked: string[] = []
  const violation = new Promise<never>((_, reject) =>
    page.on('console', (message) => {
      if (!/Content.Security.Policy/i.test(message.text())) return
      blocked.push(message.text())
      reject(new Error(`blocked by the CSP of ${page.url()}: ${message.text()}`))
    }),
  )
  violation.catch(() => {})
  const reach = (prefix: string) =>
    Promise.race([page.waitForURL((url) => url.href.startsWith(prefix), { timeout: 10_000 }), violation])
  return { page, requested, blocked, reach }
}

const continueButton = (page: Page) => page.getByRole('button', { name: 'Continue' })

beforeAll(async () => {
  const { server, browser } = await start()
  // The server's clock is fake and still: the tenant, its keys and the TOTP enrolment live a minute
  // back, so that the code typed on the page later is not a replay of the one that activated TOTP;
  // then the clock is brought to real time.
  server.clock.set(Date.now() - 60_000)
  const { tenant, bapi, newUser } = await sdkTenant(server)
  const user = await newUser()
  const totpSecret = await enrolTotp(server, tenant, user)
  server.clock.set(Date.now())
  const context = await browser.newContext()
  cleanups.push(() => context.close())
  world = { server, browser, context, tenant, bapi, newUser, user, totpSecret, rp: relyingParty() }
}, 30_000)

describe('OIDC provider in Chromium, openid-client as the relying party', () => {
  it('code flow: sign-in with password and TOTP, consent, back to the RP with code, state and iss', async () => {
    const { server, context, tenant, bapi, user, totpSecret, rp } = world
    const app = await bapi<{ client_id: string; client_secret: string; name: string }>(
      'POST',
      '/v1/oauth-applications',
      { name: 'Browser Test RP', redirect_uris: [rp.callback] },
      201,
    )
    const config = await client.discovery(
      new URL(tenant.issuer),
      app.client_id,
      undefined,
      client.ClientSecretBasic(app.client_secret),
      { execute: [client.allowInsecureRequests] },
    )
    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const nonce = client.randomNonce()
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: rp.callback,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    })

    const { page, requested, blocked, reach } = await recordedPage(context)
    await page.goto(authorizationUrl.href)
    await reach(`${tenant.issuer}/sign-in`)
    const identifier = page.getByLabel('Email address')
    await identifier.waitFor()
    await identifier.fill(user.email)
    await continueButton(page).click()

    const password = page.getByLabel('Password')
    await password.waitFor()
    await password.fill(user.password)
    await continueButton(page).click()

    const code = page.getByLabel('Code from your authenticator app')
    await code.waitFor()
    await code.fill(await totpNow(server, totpSecret))
    await continueButton(page).click()

    await reach(`${tenant.issuer}/consent`)
    await page.getByRole('heading', { name: `Allow ${app.name}?` }).waitFor()
    const consent = await page.locator('main').innerText()
    expect(consent).toContain(app.name)
    expect(consent).toContain(user.email)
    for (const scope of ['Know who you are', 'See your name and username', 'See your email address'])
      expect(consent).toContain(scope)

    // The consent form's POST answers 303 to the client's redirect URI on another origin: CSP
    // form-action governs that redirect, so Chromium follows it only if the page admits the origin.
    await page.getByRole('button', { name: 'Allow' }).click()
    await reach(rp.callback)
    expect(await page.locator('body').innerText()).toBe('RP callback')
    // The RP server also sees Chromium's favicon request; the callback itself comes exactly once.
    const callbacks = rp.received.filter((url) => new URL(url).pathname === '/callback')
    expect(callbacks).toHaveLength(1)
    const callback = new URL(callbacks[0]!)
    expect(callback.href).toBe(page.url())
    expect(callback.searchParams.get('code')).toBeTruthy()
    expect(callback.searchParams.get('state')).toBe(state)
    expect(callback.searchParams.get('iss')).toBe(tenant.issuer)

    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    })
    const claims = tokens.claims()!
    expect(claims).toMatchObject({ iss: tenant.issuer, sub: user.id, aud: app.client_id, nonce, acr: '2' })
    expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'otp', 'mfa']))
    expect(claims.email).toBe(user.email)
    expect(tokens.token_type?.toLowerCase()).toBe('bearer')

    const allowed = new Set([new URL(server.url).origin, rp.origin])
    expect(requested.length).toBeGreaterThan(5)
    expect(requested.filter((url) => !allowed.has(new URL(url).origin))).toEqual([])
    expect(blocked).toEqual([])
    await page.close()
  }, 30_000)

  it('device flow: the signed-in browser confirms the prefilled code and allows; one poll gets tokens', async () => {
    const { server, context, tenant, bapi, user } = world
    const app = await bapi<{ client_id: string; name: string }>(
      'POST',
      '/v1/oauth-applications',
      { name: 'Browser Test TV', public: true, grant_types: [DEVICE], redirect_uris: [] },
      201,
    )
    const config = await client.discovery(new URL(tenant.issuer), app.client_id, undefined, client.None(), {
      execute: [client.allowInsecureRequests],
    })
    const started = await client.initiateDeviceAuthorization(config, { scope: 'openid profile' })
    expect(started.interval).toBe(5)
    const poll = () =>
      fetch(`${tenant.issuer}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: DEVICE, device_code: started.device_code, client_id: app.client_id }),
      })
    const pending = await poll()
    expect(pending.status).toBe(400)
    expect(await pending.json()).toMatchObject({ error: 'authorization_pending' })

    const { page, requested, blocked } = await recordedPage(context)
    await page.goto(started.verification_uri_complete!)
    // Already signed in from the code flow: no detour through the sign-in page.
    expect(page.url()).toStartWith(`${tenant.issuer}/device`)
    const userCode = page.getByLabel('Code')
    await userCode.waitFor()
    expect(await userCode.inputValue()).toBe(started.user_code)
    await continueButton(page).click()

    await page.getByRole('heading', { name: `Allow ${app.name}?` }).waitFor()
    const ask = await page.locator('main').innerText()
    expect(ask).toContain(app.name)
    expect(ask).toContain(started.user_code)
    await page.getByRole('button', { name: 'Allow' }).click()
    await page.getByRole('heading', { name: 'Device connected' }).waitFor()

    // The fake clock moves past `interval` instead of the test sleeping 5 s (a sooner poll is slow_down).
    server.clock.advance(5_000)
    const res = await poll()
    expect(res.status).toBe(200)
    const tokens = (await res.json()) as { access_token: string; id_token: string; token_type: string }
    expect(tokens.access_token).toBeTruthy()
    expect(tokens.token_type.toLowerCase()).toBe('bearer')
    expect(claimsOf(tokens.id_token)).toMatchObject({ iss: tenant.issuer, sub: user.id, aud: app.client_id })

    const origin = new URL(server.url).origin
    expect(requested.length).toBeGreaterThan(2)
    expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([])
    expect(blocked).toEqual([])
    await page.close()
  }, 30_000)

  it('first-party app: the sign-in form redirect chain ends on the RP callback without a consent page', async () => {
    const { server, browser, tenant, bapi, newUser, rp } = world
    const user = await newUser()
    const app = await bapi<{ client_id: string; client_secret: string }>(
      'POST',
      '/v1/oauth-applications',
      { name: 'Browser Test First Party', first_party: true, redirect_uris: [rp.callback] },
      201,
    )
    const config = await client.discovery(
      new URL(tenant.issuer),
      app.client_id,
      undefined,
      client.ClientSecretBasic(app.client_secret),
      { execute: [client.allowInsecureRequests] },
    )
    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const nonce = client.randomNonce()
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: rp.callback,
      scope: 'openid email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    })

    // A browser of its own: nobody signed in yet.
    const context = await browser.newContext()
    cleanups.push(() => context.close())
    const { page, requested, blocked, reach } = await recordedPage(context)
    await page.goto(authorizationUrl.href)
    await reach(`${tenant.issuer}/sign-in`)
    await page.getByLabel('Email address').fill(user.email)
    await continueButton(page).click()
    await page.getByLabel('Password').fill(user.password)
    // POST sign-in → 303 authorize → 302 the RP: form-action of the sign-in page governs the whole chain.
    await continueButton(page).click()
    await reach(rp.callback)

    const callback = new URL(page.url())
    expect(callback.searchParams.get('state')).toBe(state)
    expect(callback.searchParams.get('iss')).toBe(tenant.issuer)
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    })
    expect(tokens.claims()).toMatchObject({ sub: user.id, acr: '1', amr: ['pwd'] })

    const allowed = new Set([new URL(server.url).origin, rp.origin])
    expect(requested.filter((url) => !allowed.has(new URL(url).origin))).toEqual([])
    expect(blocked).toEqual([])
  }, 30_000)
})
