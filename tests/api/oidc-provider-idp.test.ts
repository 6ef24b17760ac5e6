import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { browserClient } from '../support/browser'
import type { FakeUser } from '../support/fake-idp'
import { newUser } from '../support/flows'
import { startOidcProvider, type OidcProviderIdp } from '../support/oidc-provider-idp'
import { auditOf, newOrg, ok } from '../support/orgs'

/**
 * Social and enterprise OIDC sign-in against panva's oidc-provider (a certified OpenID Provider) on
 * loopback: discovery, PKCE S256, nonce, client_secret_basic and the signed ID token as a real IdP does
 * them. The same flows run against the hand-made fake in social-sign-in and enterprise-sso, which can
 * also misbehave on purpose.
 */
let t: TestApp
let op: OidcProviderIdp
beforeAll(async () => {
  t = await testApp({ webhookAllowPrivate: true })
  op = await startOidcProvider()
})
afterAll(async () => {
  await op.stop()
  await t.close()
})

const REDIRECT = `${PUBLIC_URL}/app/after-sign-in`

interface SignIn {
  id: string
  status: string
  current_challenge: { external_redirect_url?: string } | null
}
interface ClientObject {
  sessions: { id: string; user_id: string; factors: string[] }[]
}
interface User {
  id: string
  email_addresses: { email_address: string; verified: boolean }[]
  first_name: string | null
  external_accounts: { provider: string; provider_user_id: string; email_verified: boolean }[]
}

const person = (domain: string, extra: Partial<FakeUser> = {}): FakeUser => ({
  sub: crypto.randomUUID(),
  email: `lin-${crypto.randomUUID().slice(0, 8)}@${domain}`,
  email_verified: true,
  given_name: 'Lin',
  family_name: 'Park',
  ...extra,
})

/** A client registered at the provider for this redirect URI; its id and secret. */
function registered(redirectUri: string) {
  const client = { clientId: `client-${crypto.randomUUID()}`, clientSecret: crypto.randomUUID() + crypto.randomUUID() }
  op.registerClient({ ...client, redirectUris: [redirectUri] })
  return client
}

async function socialTenant(): Promise<CreatedTenant> {
  const tenant = await newTenant(t)
  const client = registered(`${tenant.issuer}/v1/oauth-callback/op`)
  await ok(
    await t.request('POST', '/v1/oauth-providers', {
      token: tenant.secret_key,
      json: {
        provider: 'custom_oidc',
        key: 'op',
        client_id: client.clientId,
        client_secret: client.clientSecret,
        discovery_url: op.issuer,
      },
    }),
    201,
  )
  return tenant
}

const callback = (tenant: CreatedTenant, name: string, params: Record<string, string>, cookie: string) =>
  t.request('GET', `/t/${tenant.slug}/v1/oauth-callback/${name}?${new URLSearchParams(params)}`, {
    headers: { cookie },
  })

const errorOf = (res: Response) => new URL(res.headers.get('location')!).searchParams.get('error')

async function userByEmail(tenant: CreatedTenant, email: string): Promise<User | null> {
  const page = await ok<{ data: User[] }>(
    await t.request('GET', `/v1/users?email_address=${encodeURIComponent(email)}`, { token: tenant.secret_key }),
  )
  return page.data[0] ?? null
}

async function socialSignIn(tenant: CreatedTenant, who: FakeUser) {
  const browser = browserClient(t, tenant)
  const signIn = await ok<SignIn>(
    await browser.request('POST', '/client/sign-ins', { strategy: 'oauth_custom_op', redirect_url: REDIRECT }),
  )
  const params = await op.authorize(signIn.current_challenge!.external_redirect_url!, who)
  return { browser, signIn, params, res: await callback(tenant, 'op', params, browser.cookieHeader()) }
}

describe('a social provider backed by oidc-provider', () => {
  it('signs a new person up, then signs them in again, with the provider-verified address', async () => {
    const tenant = await socialTenant()
    const lin = person('example.com')
    const first = await socialSignIn(tenant, lin)
    expect(first.res.headers.get('location')).toBe(REDIRECT)
    const user = (await userByEmail(tenant, lin.email!))!
    expect(user).toMatchObject({
      first_name: 'Lin',
      email_addresses: [{ email_address: lin.email, verified: true }],
      external_accounts: [{ provider: 'custom_op', provider_user_id: lin.sub, email_verified: true }],
    })
    const second = await socialSignIn(tenant, lin)
    expect(second.res.headers.get('location')).toBe(REDIRECT)
    const client = await ok<ClientObject>(await second.browser.request('GET', '/client'))
    expect(client.sessions.map((s) => [s.user_id, s.factors])).toEqual([[user.id, ['oauth_custom_op']]])
    // The code was redeemed: the same callback again is refused, and changes nothing.
    expect(errorOf(await callback(tenant, 'op', second.params, second.browser.cookieHeader()))).toBe(
      'oauth_callback_invalid',
    )
  })

  it('never links an existing account on an address the provider did not verify', async () => {
    const tenant = await socialTenant()
    const owner = await newUser(t, tenant)
    const { res } = await socialSignIn(tenant, person('example.com', { email: owner.email, email_verified: false }))
    expect(errorOf(res)).toBe('external_account_link_required')
    expect((await userByEmail(tenant, owner.email))!.external_accounts).toEqual([])
  })

  it('refuses a callback whose state was changed, and one in another browser', async () => {
    const tenant = await socialTenant()
    const browser = browserClient(t, tenant)
    const signIn = await ok<SignIn>(
      await browser.request('POST', '/client/sign-ins', { strategy: 'oauth_custom_op', redirect_url: REDIRECT }),
    )
    const params = await op.authorize(signIn.current_challenge!.external_redirect_url!, person('example.com'))
    const forged = await callback(tenant, 'op', { ...params, state: `${params.state}x` }, browser.cookieHeader())
    expect(forged.status).toBe(400)
    const elsewhere = browserClient(t, tenant)
    await elsewhere.request('GET', '/client')
    expect(errorOf(await callback(tenant, 'op', params, elsewhere.cookieHeader()))).toBe('oauth_callback_invalid')
    const reasons = (await auditOf(t, tenant))
      .filter((a) => a.action === 'sso.failed')
      .map((a) => (a.data as { reason: string }).reason)
    expect(reasons).toEqual(expect.arrayContaining(['unknown_state', 'other_client']))
  })
})

describe('an enterprise OIDC connection backed by oidc-provider', () => {
  it('provisions the person just in time with the role their groups map to', async () => {
    const tenant = await newTenant(t)
    const org = await newOrg(t, tenant)
    const conn = await ok<{ id: string; redirect_uri: string }>(
      await t.request('POST', '/v1/enterprise-connections', {
        token: tenant.secret_key,
        json: {
          protocol: 'oidc',
          name: 'Corp IdP',
          organization_id: org.id,
          domains: ['corp.example'],
          oidc_discovery_url: op.issuer,
          oidc_client_id: 'pending',
          oidc_client_secret: 'pending-secret-pending-secret',
          oidc_scopes: ['openid', 'email', 'profile', 'groups'],
          role_mapping: [{ group: 'admins', role: 'org:admin' }],
        },
      }),
      201,
    )
    const client = registered(conn.redirect_uri)
    await ok(
      await t.request('PATCH', `/v1/enterprise-connections/${conn.id}`, {
        token: tenant.secret_key,
        json: { oidc_client_id: client.clientId, oidc_client_secret: client.clientSecret },
      }),
    )
    const erin = person('corp.example', { groups: ['admins'] })
    const browser = browserClient(t, tenant)
    const signIn = await ok<SignIn>(
      await browser.request('POST', '/client/sign-ins', { identifier: erin.email, redirect_url: REDIRECT }),
    )
    const challenge = await ok<{ external_redirect_url: string }>(
      await browser.request('POST', `/client/sign-ins/${signIn.id}/challenges`, { strategy: 'enterprise_sso' }),
      201,
    )
    expect(challenge.external_redirect_url).toStartWith(`${op.issuer}/auth?`)
    const params = await op.authorize(challenge.external_redirect_url, erin)
    const res = await callback(tenant, conn.id, params, browser.cookieHeader())
    expect(res.headers.get('location')).toBe(REDIRECT)
    const user = (await userByEmail(tenant, erin.email!))!
    expect(user.email_addresses).toEqual([expect.objectContaining({ email_address: erin.email, verified: true })])
    const members = await ok<{ data: { public_user_data: { user_id: string }; role: string }[] }>(
      await t.request('GET', `/v1/organizations/${org.id}/memberships`, { token: tenant.secret_key }),
    )
    expect(members.data.find((m) => m.public_user_data.user_id === user.id)?.role).toBe('org:admin')
  })
})
