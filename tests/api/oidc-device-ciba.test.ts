import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import * as client from 'openid-client'
import { testApp, type TestApp } from '../support/app'
import { signInNative } from '../support/flows'
import { outboxOf } from '../support/orgs'
import { oidcWorld } from '../support/oidc'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code'
const CIBA = 'urn:openid:params:grant-type:ciba'
const tokenCall = (t: TestApp, issuer: string, fields: Record<string, string>) =>
  t.app.handle(
    new Request(`${issuer}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    }),
  )

describe('device authorization (RFC 8628)', () => {
  it('polls pending, slows down a hasty client, and issues tokens once the person allows on /device', async () => {
    const { config, browser, user, tenant, app } = await oidcWorld(t, {
      app: { public: true, grant_types: [DEVICE, 'refresh_token'], redirect_uris: [], scopes: ['openid', 'profile'] },
    })
    const started = await client.initiateDeviceAuthorization(config, { scope: 'openid profile' })
    expect(started.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/)
    expect(started.verification_uri).toBe(`${tenant.issuer}/device`)
    expect(started.verification_uri_complete).toBe(`${tenant.issuer}/device?user_code=${started.user_code}`)
    expect(started.interval).toBe(5)
    const poll = () =>
      tokenCall(t, tenant.issuer, { grant_type: DEVICE, device_code: started.device_code, client_id: app.client_id })
    expect(await (await poll()).json()).toMatchObject({ error: 'authorization_pending' })
    expect(await (await poll()).json()).toMatchObject({ error: 'slow_down' })

    // The complete URI only pre-fills the code: nothing is approved until the person confirms.
    let page = await browser.open(started.verification_uri_complete!)
    page = await browser.signIn(page, user)
    expect(page.url).toContain('/device?user_code=')
    expect(page.html).toContain(`value="${started.user_code}"`)
    t.clock.advance(5_000)
    expect(await (await poll()).json()).toMatchObject({ error: 'authorization_pending' })
    const confirm = await browser.submit(page, 'lookup', { user_code: started.user_code })
    expect(confirm.html).toContain('Relying party')
    const done = await browser.submit(confirm, 'answer', { decision: 'allow' })
    expect(done.html).toContain('Device connected')

    t.clock.advance(5_000)
    const tokens = (await (await poll()).json()) as { access_token: string; id_token: string }
    expect(tokens.access_token).toBeTruthy()
    expect(tokens.id_token).toBeTruthy()
    t.clock.advance(5_000)
    expect(await (await poll()).json()).toMatchObject({ error: 'invalid_grant' })
    expect((await outboxOf(t, tenant)).map((m) => m.type)).toContain('deviceAuthorization.approved')
  })

  it('answers access_denied after a denial and expired_token after 600 s; a wrong code shows the form again', async () => {
    const { config, browser, user, tenant, app } = await oidcWorld(t, {
      app: { public: true, grant_types: [DEVICE], redirect_uris: [] },
    })
    const denied = await client.initiateDeviceAuthorization(config, { scope: 'openid' })
    const expired = await client.initiateDeviceAuthorization(config, { scope: 'openid' })
    let page = await browser.signIn(await browser.open(`${tenant.issuer}/device`), user)
    const wrong = await browser.submit(page, 'lookup', { user_code: 'BBBB-BBBB' })
    expect(wrong.status).toBe(422)
    expect(wrong.html).toContain('role="alert"')
    page = await browser.submit(wrong, 'lookup', { user_code: denied.user_code.toLowerCase() })
    await browser.submit(page, 'answer', { decision: 'deny' })
    const poll = (code: string) =>
      tokenCall(t, tenant.issuer, { grant_type: DEVICE, device_code: code, client_id: app.client_id })
    expect(await (await poll(denied.device_code)).json()).toMatchObject({ error: 'access_denied' })
    t.clock.advance(601_000)
    expect(await (await poll(expired.device_code)).json()).toMatchObject({ error: 'expired_token' })
  })
})

describe('CIBA poll mode', () => {
  const ciba = { grant_types: [CIBA], redirect_uris: [], scopes: ['openid', 'email'] }

  it('asks the user named by login_hint, who approves at /me/ciba-requests; the poll then gets tokens', async () => {
    const { config, user, tenant } = await oidcWorld(t, { app: ciba })
    const started = await client.initiateBackchannelAuthentication(config, {
      scope: 'openid email',
      login_hint: user.email,
      binding_message: 'Pay 10 EUR',
    })
    expect(started.interval).toBe(5)
    const poll = () =>
      client.pollBackchannelAuthenticationGrant(config, started).then(
        () => 'tokens',
        (e: { error?: string }) => e.error,
      )
    const signedIn = await signInNative(t, tenant, user)
    const me = (method: string, path: string) =>
      t.request(method, `/t/${tenant.slug}/v1/me${path}`, { token: signedIn.session_token })
    const list = (await (await me('GET', '/ciba-requests?status=pending')).json()) as {
      data: { id: string; binding_message: string; application: { name: string }; status: string }[]
    }
    expect(list.data).toHaveLength(1)
    expect(list.data[0]).toMatchObject({
      binding_message: 'Pay 10 EUR',
      status: 'pending',
      application: { name: 'Relying party' },
    })
    const approved = await me('POST', `/ciba-requests/${list.data[0]!.id}/approve`)
    expect(approved.status).toBe(200)
    const tokens = await client.pollBackchannelAuthenticationGrant(config, started)
    expect(tokens.claims()!.sub).toBe(user.id)
    expect(tokens.claims()!.email).toBe(user.email)
    expect(await poll()).toBe('invalid_grant')
    const types = (await outboxOf(t, tenant)).map((m) => m.type)
    expect(types).toContain('cibaRequest.created')
    expect(types).toContain('cibaRequest.approved')
  })

  it('refuses an unknown user, needs a recent factor to approve, and answers access_denied after a denial', async () => {
    const { config, user, tenant, app } = await oidcWorld(t, { app: ciba })
    await expect(
      client.initiateBackchannelAuthentication(config, { scope: 'openid', login_hint: 'nobody@example.com' }),
    ).rejects.toMatchObject({ error: 'unknown_user_id' })
    const signedIn = await signInNative(t, tenant, user)
    t.clock.advance(11 * 60_000)
    const started = await client.initiateBackchannelAuthentication(config, { scope: 'openid', login_hint: user.id })
    const other = await oidcWorld(t)
    const foreign = await t.request('POST', `/t/${other.tenant.slug}/v1/me/ciba-requests/${started.auth_req_id}/deny`, {
      token: signedIn.session_token,
    })
    expect(foreign.status).toBe(401)
    const refresh = await signInNative(t, tenant, user)
    const stale = await t.request('POST', `/t/${tenant.slug}/v1/me/ciba-requests/${started.auth_req_id}/approve`, {
      token: signedIn.session_token,
    })
    expect([401, 403]).toContain(stale.status)
    const denied = await t.request('POST', `/t/${tenant.slug}/v1/me/ciba-requests/${started.auth_req_id}/deny`, {
      token: refresh.session_token,
    })
    expect(denied.status).toBe(200)
    const poll = await tokenCall(t, tenant.issuer, {
      grant_type: CIBA,
      auth_req_id: started.auth_req_id,
      client_id: app.client_id,
      client_secret: app.client_secret!,
    })
    expect(poll.status).toBe(401) // the app authenticates with client_secret_basic, not post
    await expect(client.pollBackchannelAuthenticationGrant(config, started)).rejects.toMatchObject({
      error: 'access_denied',
    })
  })
})
