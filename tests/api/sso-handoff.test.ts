import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { browserClient } from '../support/browser'
import { startFakeOidc, type FakeIdp, type FakeUser } from '../support/fake-idp'
import { nativeClient, newUser } from '../support/flows'
import { auditOf, newOrg, ok } from '../support/orgs'

/**
 * The hand-off to native apps, linking from /me and SSO domains under attack (a review of the last
 * SSO pieces): each scenario once got a session or a way in it should not have; now it is refused.
 */
let t: TestApp
let idp: FakeIdp
beforeAll(async () => {
  t = await testApp({ webhookAllowPrivate: true })
  idp = await startFakeOidc()
})
afterAll(async () => {
  idp.stop()
  await t.close()
})

const REDIRECT = `${PUBLIC_URL}/app/after-sign-in`
const STRATEGY = 'oauth_custom_acme'

async function socialTenant(settings: Record<string, unknown> = {}) {
  const tenant = await newTenant(t, { settings })
  await ok(
    await t.request('POST', '/v1/oauth-providers', {
      token: tenant.secret_key,
      json: {
        provider: 'custom_oidc',
        key: 'acme',
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        discovery_url: idp.issuer,
      },
    }),
    201,
  )
  return tenant
}

const someone = (extra: Partial<FakeUser> = {}): FakeUser => ({
  sub: crypto.randomUUID(),
  email: `grace-${crypto.randomUUID().slice(0, 8)}@example.com`,
  email_verified: true,
  given_name: 'Grace',
  family_name: 'Hopper',
  ...extra,
})

const callback = (tenant: CreatedTenant, params: Record<string, string>, cookie: string) =>
  t.request('GET', `/t/${tenant.slug}/v1/oauth-callback/acme?${new URLSearchParams(params)}`, {
    headers: cookie ? { cookie } : {},
  })

const errorOf = (res: Response) => new URL(res.headers.get('location')!).searchParams.get('error')
const tokenOf = (res: Response) =>
  new URLSearchParams(new URL(res.headers.get('location')!).hash.slice(1)).get('external_token')

describe('the hand-off to native apps', () => {
  it('never hands a browser attempt to anyone: answered where no client lives, it is refused', async () => {
    const tenant = await socialTenant()
    const attacker = browserClient(t, tenant)
    const attempt = await ok<{ id: string; current_challenge: { external_redirect_url: string } }>(
      await attacker.request('POST', '/client/sign-ins', {
        strategy: STRATEGY,
        redirect_url: `${PUBLIC_URL}/any/page`,
      }),
    )
    const res = await callback(tenant, idp.authorize(attempt.current_challenge.external_redirect_url, someone()), '')
    expect(errorOf(res)).toBe('oauth_callback_invalid')
    expect(tokenOf(res)).toBeNull()
    expect((await ok<{ sessions: unknown[] }>(await attacker.request('GET', '/client'))).sessions).toEqual([])
  })

  it('hands a native attempt off even when the system browser holds a web client, and audits it', async () => {
    const tenant = await socialTenant()
    const app = nativeClient(t, tenant)
    const signIn = await ok<{ id: string; current_challenge: { external_redirect_url: string } }>(
      await app.request('POST', '/client/sign-ins', { strategy: STRATEGY, redirect_url: REDIRECT }),
    )
    const web = browserClient(t, tenant)
    await web.request('GET', '/client')
    const res = await callback(
      tenant,
      idp.authorize(signIn.current_challenge.external_redirect_url, someone()),
      web.cookieHeader(),
    )
    const token = tokenOf(res)!
    expect(token).toBeString()
    expect((await auditOf(t, tenant)).some((a) => a.action === 'sso.handed_off')).toBe(true)
    // The web client of the same browser cannot complete the app's attempt; a bad token is audited.
    expect((await web.request('POST', `/client/sign-ins/${signIn.id}/external`, { token })).status).toBe(404)
    expect((await app.request('POST', `/client/sign-ins/${signIn.id}/external`, { token: 'x.y' })).status).toBe(422)
    const failures = (await auditOf(t, tenant)).filter((a) => a.action === 'sso.failed')
    expect(failures.map((a) => (a.data as { reason: string }).reason)).toContain('external_token_invalid')
  })
})

describe('linking from /me', () => {
  it('links nothing once the session that asked is revoked', async () => {
    const tenant = await socialTenant()
    const user = await newUser(t, tenant)
    const browser = browserClient(t, tenant)
    await ok(await browser.request('POST', '/client/sign-ins', { identifier: user.email, password: user.password }))
    const session = (await ok<{ sessions: { id: string }[] }>(await browser.request('GET', '/client'))).sessions[0]!
    const challenge = await ok<{ external_redirect_url: string }>(
      await browser.request('POST', '/me/external-accounts', { strategy: STRATEGY, redirect_url: REDIRECT }),
      201,
    )
    await ok(await t.request('POST', `/v1/sessions/${session.id}/revoke`, { token: tenant.secret_key }))
    const res = await callback(
      tenant,
      idp.authorize(challenge.external_redirect_url, someone()),
      browser.cookieHeader(),
    )
    expect(errorOf(res)).toBe('oauth_callback_invalid')
    const got = await ok<{ external_accounts: unknown[] }>(
      await t.request('GET', `/v1/users/${user.id}`, { token: tenant.secret_key }),
    )
    expect(got.external_accounts).toEqual([])
  })

  it('gives a user of an enterprise SSO domain no personal way around its IdP', async () => {
    const tenant = await socialTenant()
    const org = await newOrg(t, tenant)
    const user = await newUser(t, tenant, { email_address: ['dana@corp.example'] })
    const browser = browserClient(t, tenant)
    await ok(
      await browser.request('POST', '/client/sign-ins', { identifier: 'dana@corp.example', password: user.password }),
    )
    // Linked before the company configured its IdP...
    const challenge = await ok<{ external_redirect_url: string }>(
      await browser.request('POST', '/me/external-accounts', { strategy: STRATEGY, redirect_url: REDIRECT }),
      201,
    )
    const personal = someone()
    await callback(tenant, idp.authorize(challenge.external_redirect_url, personal), browser.cookieHeader())
    await ok(
      await t.request('POST', '/v1/enterprise-connections', {
        token: tenant.secret_key,
        json: {
          protocol: 'oidc',
          name: 'Corp IdP',
          organization_id: org.id,
          domains: ['corp.example'],
          oidc_discovery_url: idp.issuer,
          oidc_client_id: idp.clientId,
          oidc_client_secret: idp.clientSecret,
        },
      }),
      201,
    )
    // ...it no longer signs in, and no new one can be linked.
    const later = browserClient(t, tenant)
    const attempt = await ok<{ current_challenge: { external_redirect_url: string } }>(
      await later.request('POST', '/client/sign-ins', { strategy: STRATEGY, redirect_url: REDIRECT }),
    )
    const res = await callback(
      tenant,
      idp.authorize(attempt.current_challenge.external_redirect_url, personal),
      later.cookieHeader(),
    )
    expect(errorOf(res)).toBe('external_account_link_required')
    expect((await ok<{ sessions: unknown[] }>(await later.request('GET', '/client'))).sessions).toEqual([])
    const again = await browser.request('POST', '/me/external-accounts', { strategy: STRATEGY, redirect_url: REDIRECT })
    expect(again.status).toBe(422)
  })
})
