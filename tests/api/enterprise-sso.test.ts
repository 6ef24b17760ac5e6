import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { browserClient } from '../support/browser'
import { startFakeOidc, type FakeIdp, type FakeUser } from '../support/fake-idp'
import { newUser } from '../support/flows'
import { auditOf, newOrg, ok } from '../support/orgs'
import { generateIdpKey, parseAuthnRequest, signedResponse } from '../../src/features/saml/service'

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

const REDIRECT = `${PUBLIC_URL}/app/after-sso`

interface SignIn {
  id: string
  status: string
  supported_first_factors: { strategy: string }[]
  created_session_id: string | null
}
interface Challenge {
  id: string
  strategy: string
  external_redirect_url?: string
}

/** A tenant whose organization signs in with an OIDC connection for corp.example. */
async function ssoTenant(extra: Record<string, unknown> = {}) {
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
        oidc_discovery_url: idp.issuer,
        oidc_client_id: idp.clientId,
        oidc_client_secret: idp.clientSecret,
        role_mapping: [{ group: 'admins', role: 'org:admin' }],
        ...extra,
      },
    }),
    201,
  )
  return { tenant, org, conn }
}

const employee = (extra: Partial<FakeUser> = {}): FakeUser => ({
  sub: crypto.randomUUID(),
  email: `emp-${crypto.randomUUID().slice(0, 8)}@corp.example`,
  email_verified: true,
  given_name: 'Erin',
  family_name: 'Employee',
  ...extra,
})

/** Identifies with a corp address, starts the enterprise challenge and lets the IdP answer. */
async function signInThroughIdp(tenant: CreatedTenant, connId: string, person: FakeUser) {
  const browser = browserClient(t, tenant)
  const signIn = await ok<SignIn>(
    await browser.request('POST', '/client/sign-ins', { identifier: person.email, redirect_url: REDIRECT }),
  )
  const challenge = await ok<Challenge>(
    await browser.request('POST', `/client/sign-ins/${signIn.id}/challenges`, { strategy: 'enterprise_sso' }),
    201,
  )
  const params = idp.authorize(challenge.external_redirect_url!, person)
  const res = await t.request('GET', `/t/${tenant.slug}/v1/oauth-callback/${connId}?${new URLSearchParams(params)}`, {
    headers: { cookie: browser.cookieHeader() },
  })
  return { browser, signIn, challenge, res }
}

const errorOf = (res: Response) => new URL(res.headers.get('location')!).searchParams.get('error')

describe('enterprise SSO (OIDC connection, home realm discovery)', () => {
  it('offers only enterprise_sso for an address at the connection’s domain, for known and unknown alike', async () => {
    const { tenant } = await ssoTenant()
    await newUser(t, tenant, { email_address: ['boss@corp.example'] })
    for (const identifier of ['boss@corp.example', 'nobody@corp.example']) {
      const browser = browserClient(t, tenant)
      const signIn = await ok<SignIn>(await browser.request('POST', '/client/sign-ins', { identifier }))
      expect(signIn.supported_first_factors).toEqual([{ strategy: 'enterprise_sso' }])
      const password = await browser.request('POST', `/client/sign-ins/${signIn.id}/challenges`, {
        strategy: 'password',
      })
      expect(password.status).toBe(422)
    }
    const elsewhere = await ok<SignIn>(
      await browserClient(t, tenant).request('POST', '/client/sign-ins', { identifier: 'someone@other.example' }),
    )
    expect(elsewhere.supported_first_factors.map((f) => f.strategy)).not.toContain('enterprise_sso')
  })

  it('provisions a new person just in time, with the verified address and the mapped organization role', async () => {
    const { tenant, org, conn } = await ssoTenant()
    const person = employee({ groups: ['admins', 'staff'] })
    const { browser, signIn, res } = await signInThroughIdp(tenant, conn.id, person)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(REDIRECT)
    const done = await ok<SignIn & { session_token?: string }>(
      await browser.request('GET', `/client/sign-ins/${signIn.id}`),
    )
    expect(done.status).toBe('complete')
    const users = await ok<{
      data: { id: string; email_addresses: { verified: boolean }[]; external_accounts: unknown[] }[]
    }>(
      await t.request('GET', `/v1/users?email_address=${encodeURIComponent(person.email!)}`, {
        token: tenant.secret_key,
      }),
    )
    expect(users.data).toHaveLength(1)
    expect(users.data[0]!.email_addresses[0]!.verified).toBe(true)
    expect(users.data[0]!.external_accounts).toMatchObject([{ strategy: 'enterprise_sso', connection_id: conn.id }])
    const memberships = await ok<{ data: { organization: { id: string }; role: string }[] }>(
      await t.request('GET', `/v1/users/${users.data[0]!.id}/organization-memberships`, { token: tenant.secret_key }),
    )
    expect(memberships.data).toMatchObject([{ organization: { id: org.id }, role: 'org:admin' }])
    // Re-evaluated at every sign-in: out of the admins group, back to the default role.
    await signInThroughIdp(tenant, conn.id, { ...person, groups: ['staff'] })
    const after = await ok<{ data: { role: string }[] }>(
      await t.request('GET', `/v1/users/${users.data[0]!.id}/organization-memberships`, { token: tenant.secret_key }),
    )
    expect(after.data[0]!.role).toBe('org:member')
  })

  it('links the user who holds the address, and refuses an unknown person when provisioning is off', async () => {
    const { tenant, conn } = await ssoTenant({ jit_provisioning: false })
    const existing = await newUser(t, tenant, { email_address: ['known@corp.example'] })
    const linked = await signInThroughIdp(tenant, conn.id, employee({ email: 'known@corp.example' }))
    expect(errorOf(linked.res)).toBeNull()
    const session = await ok<SignIn>(await linked.browser.request('GET', `/client/sign-ins/${linked.signIn.id}`))
    expect(session.status).toBe('complete')
    const client = await ok<{ sessions: { user_id: string }[] }>(await linked.browser.request('GET', '/client'))
    expect(client.sessions.map((s) => s.user_id)).toEqual([existing.id])
    const stranger = await signInThroughIdp(tenant, conn.id, employee())
    expect(errorOf(stranger.res)).toBe('sso_user_not_provisioned')
    const audit = await auditOf(t, tenant)
    expect(
      audit.some((a) => a.action === 'sso.failed' && (a.data as { reason?: string }).reason === 'not_provisioned'),
    ).toBe(true)
  })

  it('never lets the IdP sign an identified person in as someone else', async () => {
    const { tenant, conn } = await ssoTenant()
    await newUser(t, tenant, { email_address: ['alice@corp.example'] })
    const mallory = await newUser(t, tenant, { email_address: ['mallory@corp.example'] })
    const browser = browserClient(t, tenant)
    const signIn = await ok<SignIn>(
      await browser.request('POST', '/client/sign-ins', { identifier: 'alice@corp.example', redirect_url: REDIRECT }),
    )
    const challenge = await ok<Challenge>(
      await browser.request('POST', `/client/sign-ins/${signIn.id}/challenges`, { strategy: 'enterprise_sso' }),
      201,
    )
    const params = idp.authorize(challenge.external_redirect_url!, employee({ email: 'mallory@corp.example' }))
    const res = await t.request(
      'GET',
      `/t/${tenant.slug}/v1/oauth-callback/${conn.id}?${new URLSearchParams(params)}`,
      {
        headers: { cookie: browser.cookieHeader() },
      },
    )
    expect(errorOf(res)).toBe('oauth_callback_invalid')
    expect((await ok<SignIn>(await browser.request('GET', `/client/sign-ins/${signIn.id}`))).status).not.toBe(
      'complete',
    )
    expect((await ok<{ sessions: unknown[] }>(await browser.request('GET', '/client'))).sessions).toEqual([])
    // Refused before anything happened to the account the IdP named: no membership, no role.
    const memberships = await ok<{ data: unknown[] }>(
      await t.request('GET', `/v1/users/${mallory.id}/organization-memberships`, { token: tenant.secret_key }),
    )
    expect(memberships.data).toEqual([])
  })
})

describe('enterprise SSO (SAML connection)', () => {
  const IDP_ENTITY = 'https://idp.corp.example/saml'

  async function samlTenant() {
    const key = await generateIdpKey('Corp IdP')
    const tenant = await newTenant(t)
    const org = await newOrg(t, tenant)
    const conn = await ok<{ id: string; sp_entity_id: string; acs_url: string }>(
      await t.request('POST', '/v1/enterprise-connections', {
        token: tenant.secret_key,
        json: {
          protocol: 'saml',
          name: 'Corp ADFS',
          organization_id: org.id,
          domains: ['corp.example'],
          idp_entity_id: IDP_ENTITY,
          idp_sso_url: 'https://idp.corp.example/saml/sso',
          idp_certificate: key.certificatePem,
        },
      }),
      201,
    )
    return { tenant, conn, key }
  }

  /** The IdP's side: reads the AuthnRequest of the redirect and signs a response to it. */
  function idpAnswer(
    key: Awaited<ReturnType<typeof generateIdpKey>>,
    conn: { sp_entity_id: string; acs_url: string },
    redirect: string,
    email: string,
  ) {
    const url = new URL(redirect)
    const request = parseAuthnRequest({ binding: 'redirect', SAMLRequest: url.searchParams.get('SAMLRequest')! })
    if (!request.ok) throw new Error(`AuthnRequest: ${request.reason}`)
    const samlResponse = signedResponse({
      idp: { entityId: IDP_ENTITY, ...key },
      sp: { entityId: conn.sp_entity_id, acsUrl: conn.acs_url },
      inResponseTo: request.id,
      nameId: email,
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      attributes: { email, given_name: 'Sam', family_name: 'Lee' },
      sessionIndex: '_s1',
      now: t.clock.now(),
      lifetimeS: 300,
    })
    return { SAMLResponse: samlResponse, RelayState: url.searchParams.get('RelayState')! }
  }

  const post = (tenant: CreatedTenant, connId: string, form: Record<string, string>) =>
    t.request('POST', `/t/${tenant.slug}/saml/${connId}/acs`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://idp.corp.example' },
      body: new URLSearchParams(form).toString(),
    })

  it('signs in through the IdP’s signed response, bound to the browser that asked; a replay is refused', async () => {
    const { tenant, conn, key } = await samlTenant()
    const browser = browserClient(t, tenant)
    const email = `sam-${crypto.randomUUID().slice(0, 6)}@corp.example`
    const signIn = await ok<SignIn>(
      await browser.request('POST', '/client/sign-ins', { identifier: email, redirect_url: REDIRECT }),
    )
    const challenge = await ok<Challenge>(
      await browser.request('POST', `/client/sign-ins/${signIn.id}/challenges`, { strategy: 'enterprise_sso' }),
      201,
    )
    expect(challenge.external_redirect_url).toStartWith('https://idp.corp.example/saml/sso?')
    const form = idpAnswer(key, conn, challenge.external_redirect_url!, email)
    // The IdP's cross-site POST carries no cookie: it only validates, then sends the browser on.
    const posted = await post(tenant, conn.id, form)
    expect(posted.status).toBe(303)
    const next = posted.headers.get('location')!
    expect(next).toStartWith(`${PUBLIC_URL}/t/${tenant.slug}/saml/${conn.id}/acs?continue=`)
    const elsewhere = browserClient(t, tenant)
    await elsewhere.request('GET', '/client')
    const stolen = await t.request('GET', new URL(next).pathname + new URL(next).search, {
      headers: { cookie: elsewhere.cookieHeader() },
    })
    expect(errorOf(stolen)).toBe('sso_response_invalid')
    const done = await t.request('GET', new URL(next).pathname + new URL(next).search, {
      headers: { cookie: browser.cookieHeader() },
    })
    expect(done.headers.get('location')).toBe(REDIRECT)
    expect((await ok<SignIn>(await browser.request('GET', `/client/sign-ins/${signIn.id}`))).status).toBe('complete')
    expect(errorOf(await post(tenant, conn.id, form))).toBe('sso_response_invalid')
  })

  it('refuses a response signed by another key, or answering no request of ours', async () => {
    const { tenant, conn, key } = await samlTenant()
    const browser = browserClient(t, tenant)
    const signIn = await ok<SignIn>(
      await browser.request('POST', '/client/sign-ins', { identifier: 'x@corp.example', redirect_url: REDIRECT }),
    )
    const challenge = await ok<Challenge>(
      await browser.request('POST', `/client/sign-ins/${signIn.id}/challenges`, { strategy: 'enterprise_sso' }),
      201,
    )
    const forged = idpAnswer(await generateIdpKey('Mallory'), conn, challenge.external_redirect_url!, 'x@corp.example')
    expect(errorOf(await post(tenant, conn.id, forged))).toBe('sso_response_invalid')
    const good = idpAnswer(key, conn, challenge.external_redirect_url!, 'x@corp.example')
    const unsolicited = await post(tenant, conn.id, { SAMLResponse: good.SAMLResponse })
    expect(unsolicited.status).toBe(400)
    const audit = await auditOf(t, tenant)
    expect(audit.filter((a) => a.action === 'sso.failed').map((a) => (a.data as { reason: string }).reason)).toEqual(
      expect.arrayContaining(['bad_signature', 'unsolicited']),
    )
  })
})
