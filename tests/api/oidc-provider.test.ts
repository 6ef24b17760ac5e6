import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { SignJWT } from 'jose'
import * as client from 'openid-client'
import { newTenant, testApp, type TestApp } from '../support/app'
import { serveLocal } from '../support/local-server'
import { expectError } from '../support/orgs'
import { authorizeThroughBrowser, CALLBACK, createApplication, oidcWorld, redeem, rpConfig } from '../support/oidc'

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
  it('ends the session an id_token_hint names at once and returns to the registered URI with state', async () => {
    const { config, browser, user, tenant } = await oidcWorld(t, {
      app: { post_logout_redirect_uris: ['https://rp.example/bye'] },
    })
    const tokens = await redeem(config, await authorizeThroughBrowser(config, browser, user))
    const sid = String(tokens.claims()!.sid)
    const url = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'https://rp.example/bye',
      state: 'bye-state',
    })
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(true)
    const done = await browser.open(url.toString())
    expect(done.location).toBe('https://rp.example/bye?state=bye-state')
    // Issued without offline_access, the access token ends with the session (expiresWithSession).
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false)
    const session = await t.request('GET', `/v1/sessions/${sid}`, { token: tenant.secret_key })
    expect(((await session.json()) as { status: string }).status).toBe('ended')
    const signIn = await browser.open(
      client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid' }).toString(),
    )
    expect(signIn.url).toContain('/sign-in')
  })

  it('asks before signing out without a hint: the GET changes nothing, the CSRF-checked POST signs out', async () => {
    const { config, browser, user, tenant } = await oidcWorld(t, {
      app: { post_logout_redirect_uris: ['https://rp.example/bye'] },
    })
    const tokens = await redeem(config, await authorizeThroughBrowser(config, browser, user))
    const sid = String(tokens.claims()!.sid)
    const url = client.buildEndSessionUrl(config, { post_logout_redirect_uri: 'https://rp.example/bye', state: 's' })
    const page = await browser.open(url.toString())
    expect(page.status).toBe(200)
    const status = async () =>
      (
        (await (await t.request('GET', `/v1/sessions/${sid}`, { token: tenant.secret_key })).json()) as {
          status: string
        }
      ).status
    expect(await status()).toBe('active')
    const fields = Object.fromEntries(
      [...page.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]),
    )
    const forged = await browser.post(page.url.split('?')[0]!, fields, 'https://evil.example')
    expect(forged.status).toBe(403)
    expect(await status()).toBe('active')
    const done = await browser.post(page.url.split('?')[0]!, fields)
    expect(done.location).toBe('https://rp.example/bye?state=s')
    expect(await status()).toBe('ended')
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

describe('dynamic registration (RFC 7591)', () => {
  const register = (t: TestApp, issuer: string, body: unknown, token?: string) =>
    t.app.handle(
      new Request(`${issuer}/oauth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      }),
    )

  it('is 404 when off, needs a service key with oauth_applications:manage in initial_access_token mode', async () => {
    const off = await newTenant(t)
    expect((await register(t, off.issuer, { redirect_uris: [CALLBACK] })).status).toBe(404)
    const tenant = await newTenant(t, { settings: { oauth: { dynamic_registration: 'initial_access_token' } } })
    expect((await register(t, tenant.issuer, { redirect_uris: [CALLBACK] })).status).toBe(401)
    const keyFor = async (scopes: string[]) =>
      (
        (await (
          await t.request('POST', '/v1/api-keys', { token: tenant.secret_key, json: { name: 'k', scopes } })
        ).json()) as {
          key: string
        }
      ).key
    expect((await register(t, tenant.issuer, { redirect_uris: [CALLBACK] }, await keyFor(['users:read']))).status).toBe(
      401,
    )
    const res = await register(
      t,
      tenant.issuer,
      { redirect_uris: [CALLBACK], client_name: 'Third party' },
      await keyFor(['oauth_applications:manage']),
    )
    expect(res.status).toBe(201)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({ client_name: 'Third party', client_secret_expires_at: 0, redirect_uris: [CALLBACK] })
    const apps = (await (await t.request('GET', '/v1/oauth-applications', { token: tenant.secret_key })).json()) as {
      data: { client_id: string; consent_required: boolean; first_party: boolean }[]
    }
    expect(apps.data.find((a) => a.client_id === body.client_id)).toMatchObject({
      consent_required: true,
      first_party: false,
    })
  })

  it('registers openly when allowed, and refuses unusable metadata', async () => {
    const tenant = await newTenant(t, { settings: { oauth: { dynamic_registration: 'open' } } })
    const meta = (await (
      await t.request('GET', `/t/${tenant.slug}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>
    expect(meta.registration_endpoint).toBe(`${tenant.issuer}/oauth/register`)
    const bad = await register(t, tenant.issuer, { redirect_uris: ['http://rp.example/cb'] })
    expect(await bad.json()).toMatchObject({ error: 'invalid_redirect_uri' })
    const implicit = await register(t, tenant.issuer, { redirect_uris: [CALLBACK], response_types: ['token'] })
    expect(await implicit.json()).toMatchObject({ error: 'invalid_client_metadata' })
    const spa = await register(t, tenant.issuer, { redirect_uris: [CALLBACK], token_endpoint_auth_method: 'none' })
    expect(spa.status).toBe(201)
    expect(((await spa.json()) as Record<string, unknown>).client_secret).toBeUndefined()
  })
})

describe('private_key_jwt', () => {
  it('authenticates with a signed assertion from the client JWKS, once per jti', async () => {
    const own = await testApp({ webhookAllowPrivate: true })
    const { privateKey, publicKey } = await client.randomDPoPKeyPair('ES256', { extractable: true })
    const jwk = { ...(await crypto.subtle.exportKey('jwk', publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }
    const jwks = serveLocal({ fetch: () => Response.json({ keys: [jwk] }) })
    try {
      const tenant = await newTenant(own)
      const app = await createApplication(own, tenant, {
        grant_types: ['client_credentials'],
        redirect_uris: [],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: `http://127.0.0.1:${jwks.port}/jwks.json`,
      })
      const config = await rpConfig(own, tenant, app, client.PrivateKeyJwt({ key: privateKey, kid: 'k1' }))
      const tokens = await client.clientCredentialsGrant(config)
      expect(tokens.access_token).toBeTruthy()
      const assertion = await new SignJWT({ jti: 'same-jti' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(app.client_id)
        .setSubject(app.client_id)
        .setAudience(tenant.issuer)
        .setIssuedAt()
        .setExpirationTime('2m')
        .sign(privateKey)
      const send = () =>
        own.app.handle(
          new Request(`${tenant.issuer}/oauth/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
              grant_type: 'client_credentials',
              client_id: app.client_id,
              client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
              client_assertion: assertion,
            }).toString(),
          }),
        )
      expect((await send()).status).toBe(200)
      const replay = await send()
      expect(replay.status).toBe(401)
      expect(await replay.json()).toMatchObject({ error: 'invalid_client' })
    } finally {
      await jwks.stop()
      await own.close()
    }
  })
})
