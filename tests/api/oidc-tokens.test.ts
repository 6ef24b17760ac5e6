import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import * as client from 'openid-client'
import { testApp, type TestApp } from '../support/app'
import { newUser, signInNative } from '../support/flows'
import { auditOf, outboxOf } from '../support/orgs'
import { authorizeThroughBrowser, createApplication, oidcWorld, redeem, rpConfig } from '../support/oidc'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const form = (t: TestApp, url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  t.app.handle(
    new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    }),
  )
const offline = { app: { grant_types: ['authorization_code', 'refresh_token'] } }

describe('refresh tokens', () => {
  it('rotates on every use, answers the same successor inside the grace window, and revokes on reuse', async () => {
    const { config, browser, user, tenant } = await oidcWorld(t, {
      app: { scopes: ['openid', 'profile', 'email', 'offline_access'] },
    })
    const flow = await authorizeThroughBrowser(config, browser, user, { scope: 'openid offline_access' })
    const first = await redeem(config, flow)
    expect(first.refresh_token).toBeTruthy()
    const second = await client.refreshTokenGrant(config, first.refresh_token!)
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect(second.claims()!.sub).toBe(user.id)
    const again = await client.refreshTokenGrant(config, first.refresh_token!)
    expect(again.refresh_token).toBe(second.refresh_token)
    // Offline access outlives the session that granted it.
    const sid = String(first.claims()!.sid)
    await t.request('POST', `/v1/sessions/${sid}/revoke`, { token: tenant.secret_key })
    expect((await client.tokenIntrospection(config, second.access_token)).active).toBe(true)

    t.clock.advance(11_000)
    await expect(client.refreshTokenGrant(config, first.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    })
    expect((await client.tokenIntrospection(config, second.access_token)).active).toBe(false)
    await expect(client.refreshTokenGrant(config, second.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    })
    expect((await auditOf(t, tenant)).map((a) => a.action)).toContain('oauth.refresh_token_reused')
  })

  it('issues no refresh token without offline_access', async () => {
    const { config, browser, user } = await oidcWorld(t, offline)
    const tokens = await redeem(config, await authorizeThroughBrowser(config, browser, user))
    expect(tokens.refresh_token).toBeUndefined()
  })
})

describe('client credentials', () => {
  it('issues an RFC 9068 access token whose sub is the client, with no ID token', async () => {
    const { config, app, tenant } = await oidcWorld(t, {
      app: { grant_types: ['client_credentials'], redirect_uris: [], allowed_resources: ['https://api.example'] },
    })
    await expect(
      client.clientCredentialsGrant(config, { resource: 'https://payments.internal' }),
    ).rejects.toMatchObject({
      error: 'invalid_target',
    })
    const tokens = await client.clientCredentialsGrant(config, { resource: 'https://api.example' })
    expect(tokens.id_token).toBeUndefined()
    expect(decodeProtectedHeader(tokens.access_token).typ).toBe('at+jwt')
    const claims = decodeJwt(tokens.access_token)
    expect(claims).toMatchObject({
      sub: app.client_id,
      client_id: app.client_id,
      aud: 'https://api.example',
      iss: tenant.issuer,
    })
    expect(typeof claims.jti).toBe('string')
    const introspected = await client.tokenIntrospection(config, tokens.access_token)
    expect(introspected).toMatchObject({ active: true, client_id: app.client_id, sub: app.client_id })
    await expect(client.clientCredentialsGrant(config, { scope: 'openid' })).rejects.toMatchObject({
      error: 'invalid_scope',
    })
  })

  it('refuses a client that does not hold the grant type, and a public application cannot get it', async () => {
    const { config } = await oidcWorld(t)
    await expect(client.clientCredentialsGrant(config)).rejects.toMatchObject({ error: 'unauthorized_client' })
    const { tenant } = await oidcWorld(t)
    const res = await t.request('POST', '/v1/oauth-applications', {
      token: tenant.secret_key,
      json: {
        name: 'SPA',
        public: true,
        redirect_uris: ['https://spa.example/cb'],
        grant_types: ['client_credentials'],
      },
    })
    expect(res.status).toBe(422)
  })

  it('refuses the old secret at once after rotation', async () => {
    const { tenant, app } = await oidcWorld(t, { app: { grant_types: ['client_credentials'], redirect_uris: [] } })
    const old = await rpConfig(t, tenant, app)
    await client.clientCredentialsGrant(old)
    const rotated = await t.request('POST', `/v1/oauth-applications/${app.id}/rotate-secret`, {
      token: tenant.secret_key,
    })
    const { client_secret } = (await rotated.json()) as { client_secret: string }
    const refused = await form(
      t,
      `${tenant.issuer}/oauth/token`,
      { grant_type: 'client_credentials' },
      {
        authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}`,
      },
    )
    expect(refused.status).toBe(401)
    expect(await refused.json()).toMatchObject({ error: 'invalid_client' })
    const renewed = await rpConfig(t, tenant, { ...app, client_secret })
    expect((await client.clientCredentialsGrant(renewed)).access_token).toBeTruthy()
  })
})

describe('userinfo, introspection and revocation', () => {
  it('answers userinfo by GET, by POST with the header, and by POST with the access_token field; never from the query', async () => {
    const { config, browser, user, tenant } = await oidcWorld(t)
    const { access_token } = await redeem(config, await authorizeThroughBrowser(config, browser, user))
    const userinfo = `${tenant.issuer}/oauth/userinfo`
    const byGet = await t.app.handle(new Request(userinfo, { headers: { authorization: `Bearer ${access_token}` } }))
    expect(((await byGet.json()) as { sub: string }).sub).toBe(user.id)
    const byHeader = await form(t, userinfo, {}, { authorization: `Bearer ${access_token}` })
    expect(((await byHeader.json()) as { email: string }).email).toBe(user.email)
    const byBody = await form(t, userinfo, { access_token })
    expect(((await byBody.json()) as { sub: string }).sub).toBe(user.id)
    const byQuery = await t.app.handle(new Request(`${userinfo}?access_token=${access_token}`))
    expect(byQuery.status).toBe(401)
    t.clock.advance(3_601_000)
    const expired = await t.app.handle(new Request(userinfo, { headers: { authorization: `Bearer ${access_token}` } }))
    expect(expired.status).toBe(401)
  })

  it('introspects for confidential clients only, and a revoked refresh token takes its access tokens', async () => {
    const { config, browser, user, tenant } = await oidcWorld(t, {
      app: { scopes: ['openid', 'offline_access'] },
    })
    const tokens = await redeem(
      config,
      await authorizeThroughBrowser(config, browser, user, { scope: 'openid offline_access' }),
    )
    const active = await client.tokenIntrospection(config, tokens.access_token)
    expect(active).toMatchObject({ active: true, sub: user.id, scope: 'openid offline_access', token_type: 'Bearer' })
    expect((await client.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(true)
    const spa = await createApplication(t, tenant, { public: true })
    const asPublic = await form(t, `${tenant.issuer}/oauth/introspect`, {
      token: tokens.access_token,
      client_id: spa.client_id,
    })
    expect(asPublic.status).toBe(401)
    await client.tokenRevocation(config, tokens.refresh_token!)
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false)
    expect((await client.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(false)
    await client.tokenRevocation(config, 'not-a-token')
  })

  it("never shows one tenant's token as active to another tenant", async () => {
    const a = await oidcWorld(t)
    const b = await oidcWorld(t)
    const { access_token } = await redeem(a.config, await authorizeThroughBrowser(a.config, a.browser, a.user))
    expect((await client.tokenIntrospection(b.config, access_token)).active).toBe(false)
    const res = await t.request('POST', '/v1/tokens/introspect', {
      token: b.tenant.secret_key,
      json: { token: access_token },
    })
    expect(await res.json()).toEqual({ active: false })
  })

  it('POST /v1/tokens/introspect also answers OAuth access tokens, in the session shape', async () => {
    const { config, browser, user, tenant, app } = await oidcWorld(t)
    const { access_token } = await redeem(config, await authorizeThroughBrowser(config, browser, user))
    const res = await t.request('POST', '/v1/tokens/introspect', {
      token: tenant.secret_key,
      json: { token: access_token },
    })
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({ active: true, sub: user.id, client_id: app.client_id, amr: ['pwd'] })
    expect((body.user as { id: string }).id).toBe(user.id)
  })

  it('stores opaque access tokens by hash and answers them like JWTs', async () => {
    const { config, browser, user } = await oidcWorld(t, { app: { access_token_format: 'opaque' } })
    const { access_token } = await redeem(config, await authorizeThroughBrowser(config, browser, user))
    expect(access_token.split('.').length).toBe(1)
    expect((await client.tokenIntrospection(config, access_token)).active).toBe(true)
    expect((await client.fetchUserInfo(config, access_token, user.id)).sub).toBe(user.id)
  })
})

describe('grants', () => {
  it('lists grants for the operator and the user, and revoking one ends its tokens', async () => {
    const { config, browser, user, tenant, app } = await oidcWorld(t)
    const { access_token } = await redeem(config, await authorizeThroughBrowser(config, browser, user))
    const list = await t.request('GET', `/v1/oauth-applications/${app.id}/authorization-grants?user_id=${user.id}`, {
      token: tenant.secret_key,
    })
    const grants = ((await list.json()) as { data: { id: string; scopes: string[]; object: string }[] }).data
    expect(grants).toHaveLength(1)
    expect(grants[0]).toMatchObject({ object: 'authorization_grant', scopes: ['openid', 'profile', 'email'] })
    const other = await oidcWorld(t)
    const foreign = await t.request(
      'DELETE',
      `/v1/oauth-applications/${app.id}/authorization-grants/${grants[0]!.id}`,
      {
        token: other.tenant.secret_key,
      },
    )
    expect(foreign.status).toBe(404)
    const deleted = await t.request(
      'DELETE',
      `/v1/oauth-applications/${app.id}/authorization-grants/${grants[0]!.id}`,
      {
        token: tenant.secret_key,
      },
    )
    expect(deleted.status).toBe(200)
    expect((await client.tokenIntrospection(config, access_token)).active).toBe(false)
    const events = (await outboxOf(t, tenant)).map((m) => m.type)
    expect(events).toContain('authorizationGrant.created')
    expect(events).toContain('authorizationGrant.deleted')
  })

  it('lets the user list, read and withdraw their own grants at /me, and nobody else’s', async () => {
    const { config, browser, user, tenant } = await oidcWorld(t)
    const { access_token } = await redeem(config, await authorizeThroughBrowser(config, browser, user))
    const mine = await signInNative(t, tenant, user)
    const me = (method: string, path: string, token = mine.session_token) =>
      t.request(method, `/t/${tenant.slug}/v1/me/authorization-grants${path}`, { token })
    const list = (await (await me('GET', '')).json()) as { data: { id: string; user_id: string }[] }
    expect(list.data).toHaveLength(1)
    const id = list.data[0]!.id
    expect(((await (await me('GET', `/${id}`)).json()) as { id: string }).id).toBe(id)
    const stranger = await signInNative(t, tenant, await newUser(t, tenant))
    expect((await me('GET', `/${id}`, stranger.session_token)).status).toBe(404)
    expect((await me('DELETE', `/${id}`, stranger.session_token)).status).toBe(404)
    expect((await client.tokenIntrospection(config, access_token)).active).toBe(true)
    expect((await me('DELETE', `/${id}`)).status).toBe(200)
    expect((await client.tokenIntrospection(config, access_token)).active).toBe(false)
  })
})
