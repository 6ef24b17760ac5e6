import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { browserClient } from '../support/browser'
import { startFakeOidc, type FakeIdp, type FakeUser } from '../support/fake-idp'
import { newUser } from '../support/flows'
import { auditOf, newOrg, ok } from '../support/orgs'

/**
 * Attacks on social and enterprise sign-in (API.md §12, §16), each one a way in that must stay shut:
 * an attempt completed for someone the provider did not name, a provider's claim to an address that
 * home realm discovery reserves for an enterprise IdP, and every refusal audited with its reason.
 */
let t: TestApp
let idp: FakeIdp
beforeAll(async () => {
  t = await testApp({ webhookAllowPrivate: true })
  // Requests without the header come from no address (no per-IP limit), as in the other API tests.
  t.deps.peerOf = (request) => request.headers.get('x-test-peer')
  idp = await startFakeOidc()
})
afterAll(async () => {
  idp.stop()
  await t.close()
})

const REDIRECT = `${PUBLIC_URL}/app/after-sso`
const STRATEGY = 'oauth_custom_acme'

interface SignIn {
  id: string
  status: string
  created_session_id: string | null
  current_challenge: { id: string; external_redirect_url?: string } | null
}
interface ClientObject {
  sessions: { id: string; user_id: string }[]
}

const person = (extra: Partial<FakeUser> = {}): FakeUser => ({
  sub: crypto.randomUUID(),
  email: `p-${crypto.randomUUID().slice(0, 8)}@example.com`,
  email_verified: true,
  given_name: 'Pat',
  family_name: 'Doe',
  ...extra,
})

/** A tenant with the custom_oidc provider `acme` and an OIDC connection for corp.example, both at the fake IdP. */
async function ssoTenant(settings: Record<string, unknown> = {}) {
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
  const org = await newOrg(t, tenant)
  const conn = await ok<{ id: string }>(
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
  return { tenant, conn }
}

/** The provider (or connection, by its id) sends the browser back with its answer. */
const callback = (tenant: CreatedTenant, name: string, params: Record<string, string>, cookie: string) =>
  t.request('GET', `/t/${tenant.slug}/v1/oauth-callback/${name}?${new URLSearchParams(params)}`, {
    headers: cookie ? { cookie } : {},
  })

const errorOf = (res: Response) => new URL(res.headers.get('location')!).searchParams.get('error')

const sessionsOfUser = async (tenant: CreatedTenant, userId: string) =>
  (
    await ok<{ data: { id: string; status: string }[] }>(
      await t.request('GET', `/v1/sessions?user_id=${userId}`, { token: tenant.secret_key }),
    )
  ).data.filter((s) => s.status === 'active')

const failures = async (tenant: CreatedTenant) =>
  (await auditOf(t, tenant)).filter((a) => a.action === 'sso.failed').map((a) => (a.data as { reason?: string }).reason)

describe('an identified attempt is completed for no one but the account the provider names', () => {
  it('refuses the IdP’s answer for another person once the identified user is banned mid-attempt', async () => {
    const { tenant, conn } = await ssoTenant()
    const bob = await newUser(t, tenant, { email_address: ['bob@corp.example'] })
    await newUser(t, tenant, { email_address: ['alice@corp.example'] })
    const browser = browserClient(t, tenant)
    const signIn = await ok<SignIn>(
      await browser.request('POST', '/client/sign-ins', {
        identifier: 'bob@corp.example',
        strategy: 'enterprise_sso',
        redirect_url: REDIRECT,
      }),
    )
    await ok(await t.request('POST', `/v1/users/${bob.id}/ban`, { token: tenant.secret_key }))
    // Alice signs in at the IdP in the browser whose attempt names Bob.
    const params = idp.authorize(
      signIn.current_challenge!.external_redirect_url!,
      person({ email: 'alice@corp.example' }),
    )
    const res = await callback(tenant, conn.id, params, browser.cookieHeader())
    expect(errorOf(res)).toBe('oauth_callback_invalid')
    expect((await ok<SignIn>(await browser.request('GET', `/client/sign-ins/${signIn.id}`))).status).not.toBe(
      'complete',
    )
    expect((await ok<ClientObject>(await browser.request('GET', '/client'))).sessions).toEqual([])
    expect(await sessionsOfUser(tenant, bob.id)).toEqual([])
    // Refused as soon as the IdP's answer names another account, before anything is provisioned.
    expect(await failures(tenant)).toContain('other_user')
  })
})

describe('home realm discovery: an address at a connection’s domain is its IdP’s to vouch for', () => {
  /** A social sign-in in a fresh browser, answered by the provider for `who`. */
  async function socialSignIn(tenant: CreatedTenant, who: FakeUser) {
    const browser = browserClient(t, tenant)
    const signIn = await ok<SignIn>(
      await browser.request('POST', '/client/sign-ins', { strategy: STRATEGY, redirect_url: REDIRECT }),
    )
    const params = idp.authorize(signIn.current_challenge!.external_redirect_url!, who)
    return { browser, res: await callback(tenant, 'acme', params, browser.cookieHeader()) }
  }

  it('a social provider’s verified claim to a corp address neither signs its holder in nor links', async () => {
    const { tenant } = await ssoTenant()
    const bob = await newUser(t, tenant, { email_address: ['bob@corp.example'] })
    // Deprovisioned at the IdP, Bob (or whoever once verified the address at the provider) tries a detour.
    const { browser, res } = await socialSignIn(tenant, person({ email: 'Bob@corp.example' }))
    expect(errorOf(res)).toBe('external_account_link_required')
    expect((await ok<ClientObject>(await browser.request('GET', '/client'))).sessions).toEqual([])
    expect(await sessionsOfUser(tenant, bob.id)).toEqual([])
    const user = await ok<{ external_accounts: unknown[] }>(
      await t.request('GET', `/v1/users/${bob.id}`, { token: tenant.secret_key }),
    )
    expect(user.external_accounts).toEqual([])
    expect(await failures(tenant)).toContain('sso_domain')
  })

  it('nor signs up a corp address outside the IdP (which would later link the real person into it)', async () => {
    const { tenant } = await ssoTenant()
    const { browser, res } = await socialSignIn(tenant, person({ email: 'carol@corp.example' }))
    expect(errorOf(res)).toBe('external_account_link_required')
    const client = await ok<ClientObject & { sign_up: unknown }>(await browser.request('GET', '/client'))
    expect(client.sessions).toEqual([])
    expect(client.sign_up).toBeNull()
    const users = await ok<{ data: unknown[] }>(
      await t.request('GET', '/v1/users?email_address=carol%40corp.example', { token: tenant.secret_key }),
    )
    expect(users.data).toEqual([])
  })

  it('still signs in a social account at any other domain', async () => {
    const { tenant } = await ssoTenant()
    const { browser, res } = await socialSignIn(tenant, person())
    expect(errorOf(res)).toBeNull()
    expect((await ok<ClientObject>(await browser.request('GET', '/client'))).sessions).toHaveLength(1)
  })
})

describe('made-up callbacks (DoS of the audit trail)', () => {
  it('counts callbacks and SAML posts per IP, so a flood of unknown states stops being audited', async () => {
    const { tenant, conn } = await ssoTenant({ rate_limits: { per_ip_per_minute: 3, per_identifier_per_minute: 0 } })
    const headers = { 'x-test-peer': '198.51.100.7' }
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) {
      const state = crypto.randomUUID().replaceAll('-', '')
      const res = await t.request('GET', `/t/${tenant.slug}/v1/oauth-callback/acme?code=x&state=${state}`, { headers })
      statuses.push(res.status)
    }
    const acs = await t.request('POST', `/t/${tenant.slug}/saml/${conn.id}/acs`, {
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLResponse: 'PHg+', RelayState: 'z'.repeat(43) }).toString(),
    })
    statuses.push(acs.status)
    const more = await t.request('GET', `/t/${tenant.slug}/v1/oauth-callback/acme?code=x&state=${'q'.repeat(43)}`, {
      headers,
    })
    statuses.push(more.status)
    expect(statuses).toEqual([400, 400, 400, 429, 429])
    expect(Number(more.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await failures(tenant)).toEqual(['unknown_state', 'unknown_state', 'unknown_state'])
    // Another address, and the same one a minute later, are served again.
    const other = await t.request('GET', `/t/${tenant.slug}/v1/oauth-callback/acme?code=x&state=${'r'.repeat(43)}`, {
      headers: { 'x-test-peer': '198.51.100.8' },
    })
    expect(other.status).toBe(400)
    t.clock.advance(60_000)
    expect(
      (await t.request('GET', `/t/${tenant.slug}/v1/oauth-callback/acme?code=x&state=${'s'.repeat(43)}`, { headers }))
        .status,
    ).toBe(400)
  })
})
