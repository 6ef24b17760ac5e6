import * as client from 'openid-client'
import { PUBLIC_URL, newTenant, type CreatedTenant, type TestApp } from './app'
import { newUser } from './flows'
import { formFields } from './hosted'
import { fastHashing } from './orgs'

/**
 * The relying party of the OIDC tests: openid-client (the certified RP library) talking to the app
 * through app.handle, and a cookie-keeping browser that follows the provider's redirects and drives
 * the hosted sign-in and consent pages.
 */
export const CALLBACK = 'https://rp.example/callback'

export function fetchVia(t: TestApp): client.CustomFetch {
  return (url, options) =>
    t.app.handle(new Request(url, { method: options.method, headers: options.headers, body: options.body as BodyInit }))
}

export interface OAuthApp {
  id: string
  client_id: string
  client_secret?: string
  [key: string]: unknown
}

export async function createApplication(t: TestApp, tenant: CreatedTenant, body: Record<string, unknown> = {}) {
  const res = await t.request('POST', '/v1/oauth-applications', {
    token: tenant.secret_key,
    json: { name: 'Relying party', redirect_uris: [CALLBACK], ...body },
  })
  if (res.status !== 201) throw new Error(`application creation failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as OAuthApp
}

export async function rpConfig(t: TestApp, tenant: CreatedTenant, app: OAuthApp, auth?: client.ClientAuth) {
  return client.discovery(
    new URL(tenant.issuer),
    app.client_id,
    undefined,
    auth ?? (app.client_secret ? client.ClientSecretBasic(app.client_secret) : client.None()),
    { execute: [client.allowInsecureRequests], [client.customFetch]: fetchVia(t) },
  )
}

/** A tenant with fast hashing, a user with a password, and an application with its RP configuration. */
export async function oidcWorld(
  t: TestApp,
  opts: { app?: Record<string, unknown>; settings?: Record<string, unknown> } = {},
) {
  const tenant = await newTenant(t, { settings: { ...fastHashing, ...opts.settings } })
  const user = await newUser(t, tenant, { first_name: 'Ada', last_name: 'Lovelace' })
  const app = await createApplication(t, tenant, opts.app)
  const config = await rpConfig(t, tenant, app)
  return { tenant, user, app, config, browser: oauthBrowser(t, tenant) }
}

export interface Hop {
  status: number
  location: string | null
  html: string
  url: string
}

/** A browser of PUBLIC_URL: keeps cookies, follows redirects inside PUBLIC_URL, stops at any other origin. */
export function oauthBrowser(t: TestApp, tenant: CreatedTenant) {
  const jar = new Map<string, string>()
  const send = async (method: string, url: string, form?: Record<string, string>, origin = PUBLIC_URL) => {
    const headers: Record<string, string> = {}
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      headers.origin = origin
    }
    const res = await t.app.handle(
      new Request(url, { method, headers, body: form ? new URLSearchParams(form).toString() : undefined }),
    )
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair!.indexOf('=')
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1))
    }
    const location = res.headers.get('location')
    return {
      status: res.status,
      location: location && new URL(location, url).toString(),
      html: await res.text(),
      url,
    }
  }
  /** Follows redirects while they stay on PUBLIC_URL; returns the last hop. */
  const follow = async (first: Hop): Promise<Hop> => {
    let hop = first
    for (let i = 0; i < 10 && hop.location?.startsWith(PUBLIC_URL); i++) hop = await send('GET', hop.location)
    return hop
  }
  return {
    jar,
    open: async (url: string) => follow(await send('GET', url)),
    submit: async (page: Hop, action: string, extra: Record<string, string> = {}) =>
      follow(await send('POST', page.url, { ...formFields(page.html, action), ...extra })),
    post: async (url: string, form: Record<string, string>, origin?: string) =>
      follow(await send('POST', url, form, origin)),
    /** The hosted sign-in with a password, from the sign-in page the provider sent the browser to. */
    async signIn(page: Hop, user: { email: string; password: string }): Promise<Hop> {
      if (!page.url.includes(`/t/${tenant.slug}/sign-in`)) throw new Error(`not a sign-in page: ${page.url}`)
      const step = await this.submit(page, 'identify', { identifier: user.email })
      return this.submit(step, 'answer', { password: user.password })
    },
    /** Allows on the consent page. */
    consent: async (page: Hop, decision: 'allow' | 'deny' = 'allow') => {
      if (!page.url.includes('/consent')) throw new Error(`not a consent page: ${page.url} ${page.status}`)
      const csrf = /name="csrf" value="([^"]+)"/.exec(page.html)![1]!
      const authRequest = /name="auth_request" value="([^"]+)"/.exec(page.html)![1]!
      return follow(await send('POST', page.url.split('?')[0]!, { csrf, auth_request: authRequest, decision }))
    },
  }
}

export type OAuthBrowser = ReturnType<typeof oauthBrowser>

/** Runs the code flow with PKCE through sign-in and consent; returns the callback URL and the checks used. */
export async function authorizeThroughBrowser(
  config: client.Configuration,
  browser: OAuthBrowser,
  user: { email: string; password: string },
  params: Record<string, string> = {},
) {
  const verifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const nonce = client.randomNonce()
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid profile email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  })
  let hop = await browser.open(url.toString())
  if (hop.url.includes('/sign-in')) hop = await browser.signIn(hop, user)
  if (hop.url.includes('/consent')) hop = await browser.consent(hop)
  if (!hop.location?.startsWith(CALLBACK)) throw new Error(`no callback: ${hop.status} ${hop.url} ${hop.html}`)
  return { callback: new URL(hop.location), verifier, state, nonce }
}

/** Redeems the code of `authorizeThroughBrowser` with every check openid-client offers. */
export const redeem = (
  config: client.Configuration,
  flow: Awaited<ReturnType<typeof authorizeThroughBrowser>>,
  extra: client.AuthorizationCodeGrantChecks = {},
) =>
  client.authorizationCodeGrant(config, flow.callback, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    ...extra,
  })
