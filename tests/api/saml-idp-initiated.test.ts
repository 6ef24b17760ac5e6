import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { browserClient } from '../support/browser'
import { auditOf, newOrg, ok } from '../support/orgs'
import { generateIdpKey, signedResponse } from '../../src/features/saml/service'

/**
 * IdP-initiated SAML sign-in (API.md §16, `allow_idp_initiated`): a response no request of ours asked
 * for, posted from the IdP's dashboard. Off by default; when on, it must carry no InResponseTo, counts
 * once, and signs in on the browser that follows the redirect, going only to an allowed redirect URL.
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const IDP_ENTITY = 'https://idp.corp.example/saml'
const REDIRECT = `${PUBLIC_URL}/app/home`

type Key = Awaited<ReturnType<typeof generateIdpKey>>
interface Conn {
  id: string
  sp_entity_id: string
  acs_url: string
}

async function samlTenant(allowIdpInitiated: boolean) {
  const key = await generateIdpKey('Corp IdP')
  const tenant = await newTenant(t)
  const org = await newOrg(t, tenant)
  const conn = await ok<Conn>(
    await t.request('POST', '/v1/enterprise-connections', {
      token: tenant.secret_key,
      json: {
        protocol: 'saml',
        name: 'Corp Okta',
        organization_id: org.id,
        domains: ['corp.example'],
        idp_entity_id: IDP_ENTITY,
        idp_sso_url: 'https://idp.corp.example/saml/sso',
        idp_certificate: key.certificatePem,
        allow_idp_initiated: allowIdpInitiated,
      },
    }),
    201,
  )
  return { tenant, org, conn, key }
}

const emailAt = () => `pat-${crypto.randomUUID().slice(0, 8)}@corp.example`

function unsolicited(key: Key, conn: Conn, email: string, inResponseTo: string | null = null) {
  return signedResponse({
    idp: { entityId: IDP_ENTITY, ...key },
    sp: { entityId: conn.sp_entity_id, acsUrl: conn.acs_url },
    inResponseTo,
    nameId: email,
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    attributes: { email, given_name: 'Pat', family_name: 'Doe' },
    sessionIndex: '_s1',
    now: t.clock.now(),
    lifetimeS: 300,
  })
}

const post = (tenant: CreatedTenant, connId: string, form: Record<string, string>) =>
  t.request('POST', `/t/${tenant.slug}/saml/${connId}/acs`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://idp.corp.example' },
    body: new URLSearchParams(form).toString(),
  })

/** The cookie a response set, as `name=value`. */
const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .find((pair) => pair.startsWith(`${name}=`))

/**
 * Follows the POST's 303 to the GET, as the browser does: with the binding cookie the POST's answer set,
 * and the browser's own cookies if it has any.
 */
const follow = (posted: Response, cookie?: string, opts: { bound?: boolean } = {}) => {
  const next = new URL(posted.headers.get('location')!)
  const cookies = [opts.bound === false ? undefined : cookieOf(posted, '__saml_acs'), cookie].filter(Boolean)
  return t.request('GET', next.pathname + next.search, {
    headers: cookies.length ? { cookie: cookies.join('; ') } : {},
  })
}

const errorOf = (res: Response) => new URL(res.headers.get('location')!).searchParams.get('error')

/** The `__client` cookie a response set, as a Cookie header. */
const clientCookieOf = (res: Response) => cookieOf(res, '__client')

interface ClientView {
  sessions: { id: string; status: string; user_id: string }[]
  sign_in: { status: string } | null
}

describe('IdP-initiated SAML sign-in', () => {
  it('is refused unless the connection allows it', async () => {
    const { tenant, conn, key } = await samlTenant(false)
    const res = await post(tenant, conn.id, { SAMLResponse: unsolicited(key, conn, emailAt()), RelayState: REDIRECT })
    expect(errorOf(res)).toBe('sso_response_invalid')
    const audit = await auditOf(t, tenant)
    expect(
      audit.some((a) => a.action === 'sso.failed' && (a.data as { reason: string }).reason === 'unsolicited'),
    ).toBe(true)
  })

  it('signs a first-time browser in, provisioned in the organization, and goes to the allowed RelayState', async () => {
    const { tenant, org, conn, key } = await samlTenant(true)
    const email = emailAt()
    const posted = await post(tenant, conn.id, { SAMLResponse: unsolicited(key, conn, email), RelayState: REDIRECT })
    expect(posted.status).toBe(303)
    const done = await follow(posted)
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe(REDIRECT)
    const cookie = clientCookieOf(done)
    expect(cookie).toBeDefined()
    const browser = browserClient(t, tenant)
    const [name, value] = cookie!.split('=')
    browser.jar.set(name!, value!)
    const client = await ok<ClientView>(await browser.request('GET', '/client'))
    expect(client.sessions).toHaveLength(1)
    const userId = client.sessions[0]!.user_id
    const user = await ok<{ email_addresses: { email_address: string; verified: boolean }[] }>(
      await t.request('GET', `/v1/users/${userId}`, { token: tenant.secret_key }),
    )
    expect(user.email_addresses.map((e) => [e.email_address, e.verified])).toEqual([[email, true]])
    const members = await ok<{ data: { public_user_data: { user_id: string }; role: string }[] }>(
      await t.request('GET', `/v1/organizations/${org.id}/memberships`, { token: tenant.secret_key }),
    )
    expect(members.data.map((m) => m.public_user_data.user_id)).toContain(userId)
    const audit = await auditOf(t, tenant)
    expect(audit.some((a) => a.action === 'sso.succeeded')).toBe(true)
  })

  it('adds the session to the browser’s existing client', async () => {
    const { tenant, conn, key } = await samlTenant(true)
    const browser = browserClient(t, tenant)
    await browser.request('GET', '/client')
    const posted = await post(tenant, conn.id, {
      SAMLResponse: unsolicited(key, conn, emailAt()),
      RelayState: REDIRECT,
    })
    const done = await follow(posted, browser.cookieHeader())
    expect(done.headers.get('location')).toBe(REDIRECT)
    expect(clientCookieOf(done)).toBeUndefined()
    const client = await ok<ClientView>(await browser.request('GET', '/client'))
    expect(client.sessions.map((s) => s.status)).toEqual(['active'])
  })

  it('still asks an account with a second factor for it: the browser holds a sign-in, no session', async () => {
    const { tenant, conn, key } = await samlTenant(true)
    const email = emailAt()
    await ok(
      await t.request('POST', '/v1/users', {
        token: tenant.secret_key,
        json: { email_address: [email], totp_secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
      }),
      201,
    )
    const browser = browserClient(t, tenant)
    await browser.request('GET', '/client')
    const posted = await post(tenant, conn.id, { SAMLResponse: unsolicited(key, conn, email), RelayState: REDIRECT })
    expect((await follow(posted, browser.cookieHeader())).headers.get('location')).toBe(REDIRECT)
    const client = await ok<ClientView>(await browser.request('GET', '/client'))
    expect(client.sessions).toEqual([])
    expect(client.sign_in?.status).toBe('needs_second_factor')
  })

  it('counts once: a replayed response and a replayed redirect are refused', async () => {
    const { tenant, conn, key } = await samlTenant(true)
    const form = { SAMLResponse: unsolicited(key, conn, emailAt()), RelayState: REDIRECT }
    const posted = await post(tenant, conn.id, form)
    expect(errorOf(await post(tenant, conn.id, form))).toBe('sso_response_invalid')
    expect((await follow(posted)).headers.get('location')).toBe(REDIRECT)
    const again = await follow(posted)
    expect(errorOf(again)).toBe('sso_response_invalid')
    expect(clientCookieOf(again)).toBeUndefined()
    const reasons = (await auditOf(t, tenant))
      .filter((a) => a.action === 'sso.failed')
      .map((a) => (a.data as { reason: string }).reason)
    expect(reasons).toEqual(expect.arrayContaining(['replayed']))
  })

  it('refuses a response that answers a request (InResponseTo) when none of ours is pending', async () => {
    const { tenant, conn, key } = await samlTenant(true)
    const res = await post(tenant, conn.id, {
      SAMLResponse: unsolicited(key, conn, emailAt(), '_someone_elses_request'),
      RelayState: REDIRECT,
    })
    expect(errorOf(res)).toBe('sso_response_invalid')
    const reasons = (await auditOf(t, tenant))
      .filter((a) => a.action === 'sso.failed')
      .map((a) => (a.data as { reason: string }).reason)
    expect(reasons).toContain('in_response_to_mismatch')
  })

  it('never follows a RelayState outside the allowed redirect URLs: the hosted sign-in page instead', async () => {
    const { tenant, conn, key } = await samlTenant(true)
    const posted = await post(tenant, conn.id, {
      SAMLResponse: unsolicited(key, conn, emailAt()),
      RelayState: 'https://evil.example/steal',
    })
    const done = await follow(posted)
    expect(done.headers.get('location')).toBe(`${PUBLIC_URL}/t/${tenant.slug}/sign-in?resume=1`)
    const page = await t.request('GET', `/t/${tenant.slug}/sign-in?resume=1`, {
      headers: { cookie: clientCookieOf(done)! },
    })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('name="csrf"')
  })

  it('is refused when the connection stops allowing it between the POST and the browser’s GET, or after a minute', async () => {
    const { tenant, conn, key } = await samlTenant(true)
    const first = await post(tenant, conn.id, { SAMLResponse: unsolicited(key, conn, emailAt()), RelayState: REDIRECT })
    const late = await post(tenant, conn.id, { SAMLResponse: unsolicited(key, conn, emailAt()), RelayState: REDIRECT })
    await ok(
      await t.request('PATCH', `/v1/enterprise-connections/${conn.id}`, {
        token: tenant.secret_key,
        json: { allow_idp_initiated: false },
      }),
    )
    expect(errorOf(await follow(first))).toBe('sso_response_invalid')
    await ok(
      await t.request('PATCH', `/v1/enterprise-connections/${conn.id}`, {
        token: tenant.secret_key,
        json: { allow_idp_initiated: true },
      }),
    )
    t.clock.advance(61_000)
    const expired = await follow(late)
    expect(errorOf(expired)).toBe('sso_response_invalid')
    expect(clientCookieOf(expired)).toBeUndefined()
  })

  it('binds the continuation to the browser the form was posted from: a link minted elsewhere does nothing', async () => {
    const { tenant, conn, key } = await samlTenant(true)
    // An attacker posts a fresh response for their own account with curl and sends the URL to a victim.
    const posted = await post(tenant, conn.id, {
      SAMLResponse: unsolicited(key, conn, emailAt()),
      RelayState: REDIRECT,
    })
    const binding = posted.headers.getSetCookie().find((line) => line.startsWith('__saml_acs='))!
    expect(binding).toContain(`Path=/t/${tenant.slug}/saml/${conn.id}/acs`)
    expect(binding).toContain('HttpOnly')
    expect(binding).toContain('SameSite=Lax')
    const victim = await follow(posted, undefined, { bound: false })
    expect(errorOf(victim)).toBe('sso_response_invalid')
    expect(clientCookieOf(victim)).toBeUndefined()
    const reasons = (await auditOf(t, tenant))
      .filter((a) => a.action === 'sso.failed')
      .map((a) => (a.data as { reason: string }).reason)
    expect(reasons).toContain('other_browser')
  })

  it('refuses a browser already signed in as someone else; the same person signs in again', async () => {
    const { tenant, conn, key } = await samlTenant(true)
    const browser = browserClient(t, tenant)
    await browser.request('GET', '/client')
    const mine = emailAt()
    const first = await post(tenant, conn.id, { SAMLResponse: unsolicited(key, conn, mine), RelayState: REDIRECT })
    expect((await follow(first, browser.cookieHeader())).headers.get('location')).toBe(REDIRECT)
    const other = await post(tenant, conn.id, { SAMLResponse: unsolicited(key, conn, emailAt()), RelayState: REDIRECT })
    expect(errorOf(await follow(other, browser.cookieHeader()))).toBe('sso_response_invalid')
    const again = await post(tenant, conn.id, { SAMLResponse: unsolicited(key, conn, mine), RelayState: REDIRECT })
    expect((await follow(again, browser.cookieHeader())).headers.get('location')).toBe(REDIRECT)
    const client = await ok<ClientView>(await browser.request('GET', '/client'))
    expect(new Set(client.sessions.map((s) => s.user_id)).size).toBe(1)
    const reasons = (await auditOf(t, tenant))
      .filter((a) => a.action === 'sso.failed')
      .map((a) => (a.data as { reason: string }).reason)
    expect(reasons).toContain('signed_in_as_another')
  })

  it('never follows a RelayState into the tenant’s own routes (an authorization request, the SAML IdP)', async () => {
    const { tenant, conn, key } = await samlTenant(true)
    for (const relay of [
      `${PUBLIC_URL}/t/${tenant.slug}/oauth/authorize?client_id=x`,
      `${PUBLIC_URL}/t/${tenant.slug}/saml/idp/sso?SAMLRequest=x`,
    ]) {
      const posted = await post(tenant, conn.id, { SAMLResponse: unsolicited(key, conn, emailAt()), RelayState: relay })
      expect((await follow(posted)).headers.get('location')).toBe(`${PUBLIC_URL}/t/${tenant.slug}/sign-in?resume=1`)
    }
  })

  it('refuses a replay at the very end of the continuation’s minute', async () => {
    const { tenant, conn, key } = await samlTenant(true)
    const posted = await post(tenant, conn.id, {
      SAMLResponse: unsolicited(key, conn, emailAt()),
      RelayState: REDIRECT,
    })
    expect((await follow(posted)).headers.get('location')).toBe(REDIRECT)
    t.clock.advance(60_000)
    const replay = await follow(posted)
    expect(errorOf(replay)).toBe('sso_response_invalid')
    expect(clientCookieOf(replay)).toBeUndefined()
  })

  it('refuses a tampered or another connection’s continuation', async () => {
    const { tenant, conn, key } = await samlTenant(true)
    const other = await samlTenant(true)
    const posted = await post(tenant, conn.id, {
      SAMLResponse: unsolicited(key, conn, emailAt()),
      RelayState: REDIRECT,
    })
    const token = new URL(posted.headers.get('location')!).searchParams.get('continue')!
    const moved = await t.request('GET', `/t/${other.tenant.slug}/saml/${other.conn.id}/acs?continue=${token}`)
    expect(moved.status).toBe(400)
    expect(clientCookieOf(moved)).toBeUndefined()
  })
})
