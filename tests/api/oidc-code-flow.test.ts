import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import * as client from 'openid-client'
import { testApp, type TestApp } from '../support/app'
import { decodeJwt } from 'jose'
import { newUser } from '../support/flows'
import { addMember, newOrg } from '../support/orgs'
import { authorizeThroughBrowser, CALLBACK, oidcWorld, redeem } from '../support/oidc'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('authorization code flow with openid-client', () => {
  it('signs in on the hosted page, asks consent, and issues verified tokens with nonce, at_hash, sid', async () => {
    const { config, browser, user } = await oidcWorld(t)
    const { callback, verifier, state, nonce } = await authorizeThroughBrowser(config, browser, user)
    expect(callback.searchParams.get('iss')).toBe(config.serverMetadata().issuer)
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    })
    const claims = tokens.claims()!
    expect(claims.sub).toBe(user.id)
    expect(claims.nonce).toBe(nonce)
    expect(typeof claims.auth_time).toBe('number')
    expect(claims.amr).toEqual(['pwd'])
    expect(claims.acr).toBe('1')
    expect(String(claims.sid)).toMatch(/^sess_/)
    expect(claims.email).toBe(user.email)
    expect(typeof claims.at_hash).toBe('string')
    const info = await client.fetchUserInfo(config, tokens.access_token, user.id)
    expect(info.email).toBe(user.email)
    expect(info.given_name).toBe('Ada')
  })
})

const tokenRequest = (t: TestApp, issuer: string, form: Record<string, string>, auth?: string) =>
  t.app.handle(
    new Request(`${issuer}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth ? { authorization: auth } : {}) },
      body: new URLSearchParams(form).toString(),
    }),
  )
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

describe('authorization code flow: clients and codes', () => {
  it('serves a public client with PKCE (no secret) and refuses one without PKCE on its redirect URI', async () => {
    const { config, browser, user, tenant, app } = await oidcWorld(t, {
      app: { public: true, grant_types: ['authorization_code', 'refresh_token'] },
    })
    expect(app.client_secret).toBeUndefined()
    const tokens = await redeem(config, await authorizeThroughBrowser(config, browser, user, { scope: 'openid' }))
    expect(tokens.claims()!.sub).toBe(user.id)

    const url = new URL(`${tenant.issuer}/oauth/authorize`)
    for (const [k, v] of Object.entries({
      client_id: app.client_id,
      redirect_uri: 'https://rp.example/callback',
      response_type: 'code',
      scope: 'openid',
      state: 'xyz',
    }))
      url.searchParams.set(k, v)
    const hop = await browser.open(url.toString())
    expect(hop.status).toBe(302)
    const back = new URL(hop.location!)
    expect(back.searchParams.get('error')).toBe('invalid_request')
    expect(back.searchParams.get('state')).toBe('xyz')
    expect(back.searchParams.get('iss')).toBe(tenant.issuer)
  })

  it('redeems a code once: a replay is invalid_grant and ends the tokens the first redemption issued', async () => {
    const { config, browser, user, tenant, app } = await oidcWorld(t)
    const flow = await authorizeThroughBrowser(config, browser, user)
    const { callback, verifier } = flow
    const tokens = await redeem(config, flow)
    const before = await client.tokenIntrospection(config, tokens.access_token)
    expect(before.active).toBe(true)
    const replay = await tokenRequest(
      t,
      tenant.issuer,
      {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        redirect_uri: 'https://rp.example/callback',
        code_verifier: verifier,
      },
      basic(app.client_id, app.client_secret!),
    )
    expect(replay.status).toBe(400)
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant')
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false)
    const userinfo = await t.app.handle(
      new Request(`${tenant.issuer}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } }),
    )
    expect(userinfo.status).toBe(401)
    expect(userinfo.headers.get('www-authenticate')).toContain('invalid_token')
  })

  it('refuses a wrong PKCE verifier and a wrong redirect_uri at the token endpoint', async () => {
    const { config, browser, user, tenant, app } = await oidcWorld(t)
    const { callback, verifier } = await authorizeThroughBrowser(config, browser, user)
    const code = callback.searchParams.get('code')!
    const auth = basic(app.client_id, app.client_secret!)
    const wrongVerifier = await tokenRequest(
      t,
      tenant.issuer,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'https://rp.example/callback',
        code_verifier: 'x'.repeat(43),
      },
      auth,
    )
    expect(((await wrongVerifier.json()) as { error: string }).error).toBe('invalid_grant')
    const wrongSecret = await tokenRequest(
      t,
      tenant.issuer,
      { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/callback', code_verifier: verifier },
      basic(app.client_id, 'nope'),
    )
    expect(wrongSecret.status).toBe(401)
    expect(((await wrongSecret.json()) as { error: string }).error).toBe('invalid_client')
  })

  it('never redirects to an unregistered redirect_uri or for an unknown client: it shows an error page', async () => {
    const { browser, tenant, app } = await oidcWorld(t)
    for (const [clientId, redirect] of [
      [app.client_id, 'https://evil.example/callback'],
      [app.client_id, 'https://rp.example/callback/extra'],
      ['unknown-client', 'https://rp.example/callback'],
    ] as const) {
      const url = `${tenant.issuer}/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(redirect)}&response_type=code&scope=openid`
      const hop = await browser.open(url)
      expect(hop.status).toBe(400)
      expect(hop.location).toBeNull()
      expect(hop.html).toContain('<!doctype html>')
      expect(hop.html).not.toContain('evil.example')
    }
  })

  it('answers prompt=none without a session with login_required on the redirect URI', async () => {
    const { config, browser } = await oidcWorld(t)
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'https://rp.example/callback',
      scope: 'openid',
      prompt: 'none',
      state: 's1',
    })
    const hop = await browser.open(url.toString())
    const back = new URL(hop.location!)
    expect(back.origin + back.pathname).toBe('https://rp.example/callback')
    expect(back.searchParams.get('error')).toBe('login_required')
    expect(back.searchParams.get('state')).toBe('s1')
  })

  it('remembers consent: a second authorization with the same scopes skips sign-in and consent', async () => {
    const { config, browser, user } = await oidcWorld(t, { app: { scopes: ['openid', 'profile', 'email', 'phone'] } })
    await authorizeThroughBrowser(config, browser, user)
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'https://rp.example/callback',
      scope: 'openid email',
      state: 's2',
    })
    const hop = await browser.open(url.toString())
    expect(new URL(hop.location!).searchParams.get('code')).toBeTruthy()
    const none = client.buildAuthorizationUrl(config, {
      redirect_uri: 'https://rp.example/callback',
      scope: 'openid phone',
      prompt: 'none',
    })
    expect(new URL((await browser.open(none.toString())).location!).searchParams.get('error')).toBe('consent_required')
  })

  it('forces a new sign-in for max_age and reports the new auth_time', async () => {
    const { config, browser, user } = await oidcWorld(t)
    const first = await authorizeThroughBrowser(config, browser, user)
    const firstTokens = await redeem(config, first)
    const firstAuth = Number(firstTokens.claims()!.auth_time)
    t.clock.advance(120_000)
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'https://rp.example/callback',
      scope: 'openid',
      max_age: '60',
    })
    const hop = await browser.open(url.toString())
    expect(hop.url).toContain('/sign-in')
    const second = await authorizeThroughBrowser(config, browser, user, { max_age: '60' })
    const tokens = await redeem(config, second, { maxAge: 60 })
    expect(Number(tokens.claims()!.auth_time)).toBeGreaterThanOrEqual(firstAuth + 120)
  })

  it('answers access_denied when the person denies, and a replayed consent form changes nothing', async () => {
    const { config, browser, user, tenant } = await oidcWorld(t)
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'https://rp.example/callback',
      scope: 'openid',
      state: 'd',
    })
    const signIn = await browser.open(url.toString())
    const consent = await browser.signIn(signIn, user)
    const denied = await browser.consent(consent, 'deny')
    expect(new URL(denied.location!).searchParams.get('error')).toBe('access_denied')
    const replay = await browser.consent(consent, 'allow')
    expect(replay.status).toBe(400)
    expect(replay.location).toBeNull()
    const grants = await t.request('GET', `/t/${tenant.slug}/v1/me/authorization-grants`, {})
    expect(grants.status).toBe(401)
  })

  it('refuses a cross-site consent POST', async () => {
    const { config, browser, user } = await oidcWorld(t)
    const url = client.buildAuthorizationUrl(config, { redirect_uri: 'https://rp.example/callback', scope: 'openid' })
    const consent = await browser.signIn(await browser.open(url.toString()), user)
    const csrf = /name="csrf" value="([^"]+)"/.exec(consent.html)![1]!
    const authRequest = /name="auth_request" value="([^"]+)"/.exec(consent.html)![1]!
    const forged = await browser.post(
      consent.url.split('?')[0]!,
      { csrf, auth_request: authRequest, decision: 'allow' },
      'https://evil.example',
    )
    expect(forged.status).toBe(403)
    expect(forged.location).toBeNull()
  })
})

describe('account chooser', () => {
  it('lets a browser with two accounts pick one for prompt=select_account', async () => {
    const { config, browser, user, tenant } = await oidcWorld(t)
    const second = await newUser(t, tenant)
    await authorizeThroughBrowser(config, browser, user)
    const other = client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', prompt: 'login' })
    t.clock.advance(1_000)
    let hop = await browser.signIn(await browser.open(other.toString()), second)
    if (hop.url.includes('/consent')) hop = await browser.consent(hop)
    expect(hop.location).toStartWith(CALLBACK)

    const flow = {
      verifier: client.randomPKCECodeVerifier(),
      state: client.randomState(),
      nonce: client.randomNonce(),
    }
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid',
      prompt: 'select_account',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
    })
    t.clock.advance(1_000)
    const chooser = await browser.open(url.toString())
    expect(chooser.url).toContain('/select-account')
    expect(chooser.html).toContain(user.email)
    expect(chooser.html).toContain(second.email)
    const firstSession = /name="session_id" value="([^"]+)"[^>]*>([^<]+)</g
    const sessions = [...chooser.html.matchAll(firstSession)].map((m) => ({ id: m[1]!, label: m[2]! }))
    const pick = sessions.find((s) => s.label === user.email)!
    const done = await browser.submit(chooser, 'choose', { session_id: pick.id })
    const callback = new URL(done.location!)
    const tokens = await redeem(config, { callback, ...flow })
    expect(tokens.claims()!.sub).toBe(user.id)
  })
})

describe('organizations in OIDC', () => {
  it('puts the selected organization and the member role in the tokens; a non-member gets access_denied', async () => {
    const { config, browser, user, tenant } = await oidcWorld(t, {
      app: { scopes: ['openid', 'profile', 'email', 'organization'] },
    })
    const org = await newOrg(t, tenant, { name: 'Globex' })
    await addMember(t, tenant, org.id, user.id, 'org:admin')
    const flow = await authorizeThroughBrowser(config, browser, user, {
      scope: 'openid organization',
      organization: org.slug,
    })
    const tokens = await redeem(config, flow)
    expect(tokens.claims()).toMatchObject({ org_id: org.id, org_slug: org.slug, org_role: 'org:admin' })
    expect(decodeJwt(tokens.access_token)).toMatchObject({ org_id: org.id, org_role: 'org:admin' })
    const info = await client.fetchUserInfo(config, tokens.access_token, user.id)
    expect(info.org_id).toBe(org.id)

    const other = await newOrg(t, tenant, { name: 'Initech' })
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid organization',
      organization: other.id,
    })
    const hop = await browser.open(url.toString())
    expect(new URL(hop.location!).searchParams.get('error')).toBe('access_denied')
  })
})
