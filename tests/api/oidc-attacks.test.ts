import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import * as client from 'openid-client'
import { newTenant, testApp, type TestApp } from '../support/app'
import { signInNative } from '../support/flows'
import {
  authorizeThroughBrowser,
  CALLBACK,
  createApplication,
  oauthBrowser,
  oidcWorld,
  redeem,
  rpConfig,
} from '../support/oidc'

/** What an attacker tries against the provider, one concern per test. */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const authorizeUrl = async (config: client.Configuration, extra: Record<string, string> = {}) =>
  client
    .buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid',
      state: 'victim-state',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      ...extra,
    })
    .toString()

describe('authorization requests belong to the browser that started them', () => {
  it("does not let another browser finish a victim's request with its own account", async () => {
    const { config, tenant, user } = await oidcWorld(t)
    const victim = oauthBrowser(t, tenant)
    const toSignIn = await victim.open(await authorizeUrl(config))
    const authRequest = new URL(toSignIn.url).searchParams.get('auth_request')!
    const attacker = oauthBrowser(t, tenant)
    await attacker.signIn(await attacker.open(await authorizeUrl(config)), user)
    for (const path of [`/oauth/authorize?auth_request=${authRequest}`, `/consent?auth_request=${authRequest}`]) {
      const hop = await attacker.open(`${tenant.issuer}${path}`)
      expect(hop.status).toBe(400)
      expect(hop.location).toBeNull()
    }
    const chooser = await attacker.open(`${tenant.issuer}/select-account?auth_request=${authRequest}`)
    expect(chooser.status).toBe(400)
  })

  it('sends a browser that skips from prompt=login straight to /consent back through sign-in', async () => {
    const { config, tenant, user, browser } = await oidcWorld(t)
    await authorizeThroughBrowser(config, browser, user)
    t.clock.advance(1_000)
    const toSignIn = await browser.open(await authorizeUrl(config, { prompt: 'login' }))
    expect(toSignIn.url).toContain('/sign-in')
    const authRequest = new URL(toSignIn.url).searchParams.get('auth_request')!
    const skipped = await browser.open(`${tenant.issuer}/consent?auth_request=${authRequest}`)
    expect(skipped.url).toContain('/sign-in')
    expect(skipped.location).toBeNull()
  })
})

describe('self-registered clients', () => {
  it('may not register client credentials or CIBA, and their errors are never redirected before a person acts', async () => {
    const tenant = await newTenant(t, { settings: { oauth: { dynamic_registration: 'open' } } })
    const register = (body: unknown) =>
      t.app.handle(
        new Request(`${tenant.issuer}/oauth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      )
    for (const grant of ['client_credentials', 'urn:openid:params:grant-type:ciba']) {
      const res = await register({ redirect_uris: [CALLBACK], grant_types: ['authorization_code', grant] })
      expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata' })
    }
    const created = (await (await register({ redirect_uris: ['https://evil.example/cb'] })).json()) as {
      client_id: string
    }
    const browser = oauthBrowser(t, tenant)
    const hop = await browser.open(
      `${tenant.issuer}/oauth/authorize?client_id=${created.client_id}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&response_type=token`,
    )
    expect(hop.status).toBe(400)
    expect(hop.location).toBeNull()
  })
})

describe('introspection is for the token’s own client, its audience, or first-party applications', () => {
  it("answers active:false to a third-party client asking about another client's tokens", async () => {
    const { config, browser, user, tenant } = await oidcWorld(t, {
      app: { scopes: ['openid', 'offline_access'] },
    })
    const tokens = await redeem(
      config,
      await authorizeThroughBrowser(config, browser, user, { scope: 'openid offline_access' }),
    )
    const other = await createApplication(t, tenant, { grant_types: ['client_credentials'], redirect_uris: [] })
    const otherConfig = await rpConfig(t, tenant, other)
    expect((await client.tokenIntrospection(otherConfig, tokens.access_token)).active).toBe(false)
    expect((await client.tokenIntrospection(otherConfig, tokens.refresh_token!)).active).toBe(false)
    const api = await createApplication(t, tenant, {
      grant_types: ['client_credentials'],
      redirect_uris: [],
      first_party: true,
    })
    const apiConfig = await rpConfig(t, tenant, api)
    expect((await client.tokenIntrospection(apiConfig, tokens.access_token)).active).toBe(true)
    expect((await client.tokenIntrospection(apiConfig, tokens.refresh_token!)).active).toBe(false)
  })
})

describe('users who lose access', () => {
  it('gets no new tokens for a banned user, whatever scopes the refresh asks', async () => {
    const { config, browser, user, tenant } = await oidcWorld(t, { app: { scopes: ['openid', 'offline_access'] } })
    const tokens = await redeem(
      config,
      await authorizeThroughBrowser(config, browser, user, { scope: 'openid offline_access' }),
    )
    const ban = await t.request('POST', `/v1/users/${user.id}/ban`, { token: tenant.secret_key })
    expect(ban.status).toBe(200)
    await expect(
      client.refreshTokenGrant(config, tokens.refresh_token!, { scope: 'offline_access' }),
    ).rejects.toMatchObject({
      error: 'invalid_grant',
    })
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false)
  })
})

describe('token confusion', () => {
  it('never takes an ID token or an access token for a session token, nor a session token for an access token', async () => {
    const { config, browser, user, tenant } = await oidcWorld(t)
    const tokens = await redeem(config, await authorizeThroughBrowser(config, browser, user))
    for (const token of [tokens.id_token!, tokens.access_token]) {
      const me = await t.request('GET', `/t/${tenant.slug}/v1/me`, { token })
      expect(me.status).toBe(401)
      const introspected = await t.request('POST', '/v1/tokens/introspect', {
        token: tenant.secret_key,
        json: { token: tokens.id_token! },
      })
      expect(await introspected.json()).toEqual({ active: false })
    }
    const session = await signInNative(t, tenant, user)
    const userinfo = await t.app.handle(
      new Request(`${tenant.issuer}/oauth/userinfo`, { headers: { authorization: `Bearer ${session.session_token}` } }),
    )
    expect(userinfo.status).toBe(401)
    expect((await client.tokenIntrospection(config, session.session_token)).active).toBe(false)
  })
})
