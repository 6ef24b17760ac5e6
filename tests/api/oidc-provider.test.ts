import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import * as client from 'openid-client'
import { newTenant, testApp, type TestApp } from '../support/app'
import { expectError } from '../support/orgs'
import { authorizeThroughBrowser, CALLBACK, createApplication, oidcWorld, redeem } from '../support/oidc'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('discovery', () => {
  it('lists every endpoint and the values API.md §15 fixes', async () => {
    const { config, tenant } = await oidcWorld(t)
    const meta = config.serverMetadata()
    const oauth = `${tenant.issuer}/oauth`
    expect(meta).toMatchObject({
      issuer: tenant.issuer,
      authorization_endpoint: `${oauth}/authorize`,
      token_endpoint: `${oauth}/token`,
      userinfo_endpoint: `${oauth}/userinfo`,
      introspection_endpoint: `${oauth}/introspect`,
      revocation_endpoint: `${oauth}/revoke`,
      pushed_authorization_request_endpoint: `${oauth}/par`,
      device_authorization_endpoint: `${oauth}/device_authorization`,
      backchannel_authentication_endpoint: `${oauth}/bc-authorize`,
      end_session_endpoint: `${oauth}/end_session`,
      jwks_uri: `${tenant.issuer}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      request_parameter_supported: false,
      request_uri_parameter_supported: true,
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      require_pushed_authorization_requests: false,
      backchannel_token_delivery_modes_supported: ['poll'],
      backchannel_user_code_parameter_supported: false,
      dpop_signing_alg_values_supported: ['ES256', 'RS256', 'EdDSA'],
    })
    expect(meta.registration_endpoint).toBeUndefined()
    expect(meta.token_endpoint_auth_methods_supported).toEqual([
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
      'none',
    ])
    expect(meta.scopes_supported).toContain('offline_access')
    expect(meta.grant_types_supported).toContain('urn:openid:params:grant-type:ciba')
  })

  it('follows the tenant: its algorithm, PAR requirement, and 404 for an unknown tenant', async () => {
    const tenant = await newTenant(t, { settings: { signing_algorithm: 'ES256', oauth: { require_par: true } } })
    const res = await t.request('GET', `/t/${tenant.slug}/.well-known/openid-configuration`)
    expect(await res.json()).toMatchObject({
      id_token_signing_alg_values_supported: ['ES256'],
      require_pushed_authorization_requests: true,
    })
    expect((await t.request('GET', '/t/no-such-tenant/.well-known/openid-configuration')).status).toBe(404)
  })
})

describe('pushed authorization requests', () => {
  it('takes the parameters by PAR; the request_uri works once', async () => {
    const { config, browser, user } = await oidcWorld(t)
    const verifier = client.randomPKCECodeVerifier()
    const url = await client.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: CALLBACK,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'par-state',
    })
    expect(url.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/)
    let hop = await browser.open(url.toString())
    hop = await browser.consent(await browser.signIn(hop, user))
    const callback = new URL(hop.location!)
    expect(callback.searchParams.get('state')).toBe('par-state')
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: 'par-state',
    })
    expect(tokens.claims()!.sub).toBe(user.id)
    const again = await browser.open(url.toString())
    expect(again.status).toBe(400)
    expect(again.location).toBeNull()
  })

  it('refuses bad parameters at the push, and requires PAR when the tenant says so', async () => {
    const { config, tenant, app, browser } = await oidcWorld(t, { settings: { oauth: { require_par: true } } })
    await expect(
      client.buildAuthorizationUrlWithPAR(config, { redirect_uri: 'https://evil.example/cb', scope: 'openid' }),
    ).rejects.toMatchObject({ error: 'invalid_redirect_uri' })
    const direct = await browser.open(
      `${tenant.issuer}/oauth/authorize?client_id=${app.client_id}&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code&scope=openid`,
    )
    expect(new URL(direct.location!).searchParams.get('error')).toBe('invalid_request')
  })
})

describe('RP-initiated logout', () => {
  it('asks before signing out, then ends the session and returns to the registered URI with state', async () => {
    const { config, browser, user, tenant } = await oidcWorld(t, {
      app: { post_logout_redirect_uris: ['https://rp.example/bye'] },
    })
    const tokens = await redeem(config, await authorizeThroughBrowser(config, browser, user))
    const url = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'https://rp.example/bye',
      state: 'bye-state',
    })
    const page = await browser.open(url.toString())
    expect(page.status).toBe(200)
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(true)
    const sid = String(tokens.claims()!.sid)
    const csrf = /name="csrf" value="([^"]*)"/.exec(page.html)![1]!
    const forged = await browser.post(
      page.url.split('?')[0]!,
      { csrf, id_token_hint: tokens.id_token! },
      'https://evil.example',
    )
    expect(forged.status).toBe(403)
    const fields = Object.fromEntries(
      [...page.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]),
    )
    const done = await browser.post(page.url.split('?')[0]!, fields)
    expect(done.location).toBe('https://rp.example/bye?state=bye-state')
    const session = await t.request('GET', `/v1/sessions/${sid}`, { token: tenant.secret_key })
    expect(((await session.json()) as { status: string }).status).toBe('ended')
    const signIn = await browser.open(
      client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid' }).toString(),
    )
    expect(signIn.url).toContain('/sign-in')
  })

  it('shows an error page for an unregistered post_logout_redirect_uri', async () => {
    const { config, browser } = await oidcWorld(t)
    const url = client.buildEndSessionUrl(config, { post_logout_redirect_uri: 'https://evil.example/' })
    const page = await browser.open(url.toString())
    expect(page.status).toBe(400)
    expect(page.location).toBeNull()
  })
})

describe('applications', () => {
  it('returns the secret once, checks redirect URIs, keeps `public` immutable, and deletes with its tokens', async () => {
    const { config, browser, user, tenant, app } = await oidcWorld(t)
    expect(app).toMatchObject({
      object: 'oauth_application',
      public: false,
      first_party: false,
      consent_required: true,
      scopes: ['openid', 'profile', 'email'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_basic',
      access_token_format: 'jwt',
    })
    expect(app.client_secret).toBeTruthy()
    const read = (await (
      await t.request('GET', `/v1/oauth-applications/${app.id}`, { token: tenant.secret_key })
    ).json()) as Record<string, unknown>
    expect(read.client_secret).toBeUndefined()
    for (const [uri, param] of [
      ['http://rp.example/cb', 'redirect_uris.0'],
      ['https://rp.example/cb#frag', 'redirect_uris.0'],
      ['https://user:pw@rp.example/cb', 'redirect_uris.0'],
    ] as const) {
      const res = await t.request('POST', '/v1/oauth-applications', {
        token: tenant.secret_key,
        json: { name: 'Bad', redirect_uris: [uri] },
      })
      await expectError(res, 422, 'form_param_format_invalid', { param_name: param })
    }
    const loopback = await createApplication(t, tenant, { redirect_uris: ['http://127.0.0.1/cb'], public: true })
    expect(loopback.token_endpoint_auth_method).toBe('none')
    const immutable = await t.request('PATCH', `/v1/oauth-applications/${app.id}`, {
      token: tenant.secret_key,
      json: { public: true },
    })
    await expectError(immutable, 422, 'form_param_format_invalid', { param_name: 'public' })

    const tokens = await redeem(config, await authorizeThroughBrowser(config, browser, user))
    const deleted = await t.request('DELETE', `/v1/oauth-applications/${app.id}`, { token: tenant.secret_key })
    expect(await deleted.json()).toEqual({ object: 'oauth_application', id: app.id, deleted: true })
    const res = await t.request('POST', '/v1/tokens/introspect', {
      token: tenant.secret_key,
      json: { token: tokens.access_token },
    })
    expect(await res.json()).toEqual({ active: false })
  })

  it("hides another tenant's applications and needs the oauth_applications:manage scope", async () => {
    const a = await oidcWorld(t)
    const b = await oidcWorld(t)
    const res = await t.request('GET', `/v1/oauth-applications/${a.app.id}`, { token: b.tenant.secret_key })
    expect(res.status).toBe(404)
    const key = await t.request('POST', '/v1/api-keys', {
      token: a.tenant.secret_key,
      json: { name: 'reader', scopes: ['users:read'] },
    })
    const { key: serviceKey } = (await key.json()) as { key: string }
    const denied = await t.request('GET', '/v1/oauth-applications', { token: serviceKey })
    expect(denied.status).toBe(403)
  })

  it('matches a loopback redirect URI on any port (RFC 8252 §7.3) but not localhost', async () => {
    const { tenant, browser, user } = await oidcWorld(t)
    const app = await createApplication(t, tenant, {
      public: true,
      redirect_uris: ['http://127.0.0.1/cb'],
      scopes: ['openid'],
    })
    const verifier = client.randomPKCECodeVerifier()
    const challenge = await client.calculatePKCECodeChallenge(verifier)
    const authorize = (redirect: string) =>
      browser.open(
        `${tenant.issuer}/oauth/authorize?client_id=${app.client_id}&response_type=code&scope=openid` +
          `&redirect_uri=${encodeURIComponent(redirect)}&code_challenge=${challenge}&code_challenge_method=S256`,
      )
    const signIn = await authorize('http://127.0.0.1:51234/cb')
    let hop = await browser.signIn(signIn, user)
    if (hop.url.includes('/consent')) hop = await browser.consent(hop)
    expect(hop.location).toStartWith('http://127.0.0.1:51234/cb?code=')
    expect((await authorize('http://localhost:51234/cb')).status).toBe(400)
  })
})
