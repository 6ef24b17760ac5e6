import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, servePage, virtualAuthenticator } from '../support/chromium'
import { liveServer, type LiveServer } from '../support/live-server'
import { claimsOf, sdkTenant } from '../support/sdk-tenant'
import type { SdkPage } from './sdk-page'

/**
 * @tessera/js in browser mode, in Chromium: a page on another origin (listed in the tenant's allowed_origins)
 * bundles the SDK and talks to a listening server with cookies, as a single-page app does.
 */
let s: LiveServer
let browser: Browser
let pageOrigin: string
const cleanups: (() => unknown)[] = []

beforeAll(async () => {
  // Settled: when one fails to start, the others still register their cleanups.
  const started = await Promise.allSettled([
    liveServer({}, 'localhost'),
    servePage('tests/e2e/sdk-page.ts'),
    launchChromium(),
  ])
  const [server, page, chromium] = started
  if (server.status === 'fulfilled') cleanups.push(() => server.value.close())
  if (page.status === 'fulfilled') cleanups.push(page.value.stop)
  if (chromium.status === 'fulfilled') cleanups.push(() => chromium.value.close())
  for (const result of started) if (result.status === 'rejected') throw result.reason
  s = (server as PromiseFulfilledResult<LiveServer>).value
  pageOrigin = (page as PromiseFulfilledResult<{ origin: string }>).value.origin
  browser = (chromium as PromiseFulfilledResult<Browser>).value
}, 60_000)

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

/** Runs `fn` inside the page with its SdkPage; `fn` is sent as source, so it may use only its arguments. */
function run<T, A = undefined>(page: Page, fn: (sdk: SdkPage, arg: A) => Promise<T>, arg?: A): Promise<T> {
  return page.evaluate(`(${fn.toString()})(globalThis.sdkPage, ${JSON.stringify(arg ?? null)})`) as Promise<T>
}

async function openTab(pages: Page[], context: Awaited<ReturnType<Browser['newContext']>>, issuer: string) {
  const page = await context.newPage()
  await page.goto(`${pageOrigin}/`)
  await page.waitForFunction(() => 'sdkPage' in globalThis)
  await run(page, (sdk, i) => sdk.start(i), issuer)
  pages.push(page)
  return page
}

describe('@tessera/js in Chromium (browser mode, cross-origin, cookies)', () => {
  it('signs in with a password, registers a passkey, signs out, and signs in with the passkey', async () => {
    const { tenant, newUser } = await sdkTenant(s, { allowed_origins: [pageOrigin] })
    const user = await newUser()
    const context = await browser.newContext()
    cleanups.push(() => context.close())
    const page = await openTab([], context, tenant.issuer)
    const { cdp, authenticatorId } = await virtualAuthenticator(context, page)

    const signedIn = await run(
      page,
      async (sdk, u) => {
        const attempt = await sdk.tessera.signIn.create({ identifier: u.email, password: u.password })
        return { status: attempt.status, user: sdk.tessera.state.user?.id, jwt: await sdk.tessera.getToken() }
      },
      user,
    )
    expect(signedIn).toMatchObject({ status: 'complete', user: user.id })
    // `azp` is the page's origin: the server saw a browser-mode call from an allowed origin.
    expect(claimsOf(signedIn.jwt!)).toMatchObject({ sub: user.id, azp: pageOrigin, amr: ['password'] })
    const cookies = await context.cookies(tenant.issuer)
    expect(
      cookies
        .filter((c) => c.httpOnly)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['__client', '__refresh'])

    const registered = await run(page, (sdk) =>
      sdk.attempt(async () => ({
        passkey: await sdk.tessera.account.registerPasskey('Virtual authenticator'),
        passkeys: sdk.tessera.state.user?.passkeys.length,
      })),
    )
    expect(registered).toMatchObject({
      passkey: { object: 'passkey', name: 'Virtual authenticator', last_used_at: null },
      passkeys: 1,
    })
    expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toHaveLength(1)

    const signedOut = await run(page, async (sdk) => {
      await sdk.tessera.signOut()
      return { token: await sdk.tessera.getToken(), events: sdk.events.map((e) => e.event) }
    })
    expect(signedOut.token).toBeNull()
    expect(signedOut.events).toContain('signed_out')

    const withPasskey = await run(page, (sdk) =>
      sdk.attempt(async () => {
        const attempt = await sdk.tessera.signIn.passkey()
        return { status: attempt.status, user: sdk.tessera.state.user?.id, jwt: await sdk.tessera.getToken() }
      }),
    )
    expect(withPasskey).toMatchObject({ status: 'complete', user: user.id })
    expect(claimsOf((withPasskey as { jwt: string }).jwt)).toMatchObject({ sub: user.id, amr: ['passkey'] })
  }, 60_000)

  it('two tabs refreshing at once both end with valid tokens, and the session stays active', async () => {
    const { tenant, newUser, bapi, introspect } = await sdkTenant(s, { allowed_origins: [pageOrigin] })
    const user = await newUser()
    const context = await browser.newContext()
    cleanups.push(() => context.close())
    const tabs: Page[] = []
    const first = await openTab(tabs, context, tenant.issuer)
    const sessionId = await run(
      first,
      async (sdk, u) =>
        (await sdk.tessera.signIn.create({ identifier: u.email, password: u.password })).created_session_id,
      user,
    )
    // The second tab finds the session through the shared cookies.
    const second = await openTab(tabs, context, tenant.issuer)
    expect(await run(second, async (sdk) => sdk.tessera.state.session?.id)).toBe(sessionId!)

    // Refreshes that reach the server: the tabs take turns (Web Locks), and the tab that waited takes the token
    // the other one published instead of spending the refresh token again.
    let refreshes = 0
    context.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith(`/client/sessions/${sessionId}/tokens`)) refreshes++
    })
    for (let round = 0; round < 3; round++) {
      const tokens = await Promise.all(
        tabs.map((tab) => run(tab, (sdk) => sdk.attempt(() => sdk.tessera.getToken({ skipCache: true })))),
      )
      for (const token of tokens) {
        expect(token).toBeString()
        expect(await introspect(token as string)).toMatchObject({ active: true, sid: sessionId, sub: user.id })
      }
    }

    expect(refreshes).toBe(3)
    expect(await bapi('GET', `/v1/sessions/${sessionId}`, undefined, 200)).toMatchObject({ status: 'active' })
    const reused = await bapi<{ data: unknown[] }>(
      'GET',
      '/v1/audit-events?action=session.refresh_token_reused',
      undefined,
      200,
    )
    expect(reused.data).toEqual([])
    for (const tab of tabs) {
      const events = await run(tab, async (sdk) => sdk.events.filter((e) => e.event !== 'token'))
      expect(events).toEqual([])
    }
  }, 60_000)
})
