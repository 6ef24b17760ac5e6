import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { localDns } from '../support/dns'
import { startFakeOidc, type FakeIdp } from '../support/fake-idp'
import { browserClient } from '../support/browser'
import { introspect, lastMessage, linkIn, newUser, signInNative } from '../support/flows'
import { CALLBACK, createApplication } from '../support/oidc'
import { fastHashing, newOrg, ok } from '../support/orgs'
import { generateIdpKey, signedResponse } from '../../src/features/saml/service'

/**
 * Sign-in through other providers at a tenant's custom domain (API.md §1, §16): once the domain is verified,
 * the URLs registered at providers and IdPs are under `https://{host}` (the issuer), and every step a browser
 * takes there stays at that host, where its cookies are.
 */
let t: TestApp
let dns: Awaited<ReturnType<typeof localDns>>
let idp: FakeIdp
beforeAll(async () => {
  dns = await localDns()
  idp = await startFakeOidc()
  t = await testApp({ dnsResolver: dns.address, webhookAllowPrivate: true })
})
afterAll(async () => {
  idp.stop()
  await t.close()
  dns.close()
})

const REDIRECT = `${PUBLIC_URL}/app/home`
const IDP_ENTITY = 'https://idp.corp.example/saml'

const bapi = (tenant: CreatedTenant, method: string, path: string, json?: unknown) =>
  t.request(method, path, { token: tenant.secret_key, ...(json === undefined ? {} : { json }) })

async function withDomain(tenant: CreatedTenant) {
  const host = `auth-${crypto.randomUUID().slice(0, 8)}.acme.example`
  const domain = await ok<{ id: string; verification: { name: string; value: string } }>(
    await bapi(tenant, 'POST', '/v1/custom-domains', { host }),
    201,
  )
  dns.txt.set(domain.verification.name, [domain.verification.value])
  await ok(await bapi(tenant, 'POST', `/v1/custom-domains/${domain.id}/verify`))
  return host
}

/** A browser at `host` (the TLS terminator in front forwards the Host): it keeps the cookies set for a path. */
function browserAt(host: string) {
  const jar = new Map<string, { value: string; path: string }>()
  const cookieFor = (path: string) =>
    [...jar]
      .filter(([, c]) => path === c.path || path.startsWith(c.path === '/' ? '/' : `${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ')
  return {
    jar,
    async request(method: string, path: string, init: { json?: unknown; form?: Record<string, string> } = {}) {
      const headers: Record<string, string> = { origin: `https://${host}` }
      const cookie = cookieFor(path.split('?')[0]!)
      if (cookie) headers.cookie = cookie
      let body: string | undefined
      if (init.json !== undefined) {
        headers['content-type'] = 'application/json'
        body = JSON.stringify(init.json)
      } else if (init.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded'
        body = new URLSearchParams(init.form).toString()
      }
      const res = await t.app.handle(new Request(`http://${host}${path}`, { method, headers, body }))
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attrs] = line.split('; ')
        const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)]
        const path = attrs.find((a) => a.startsWith('Path='))?.slice(5) ?? '/'
        expect(attrs).toContain('Secure')
        jar.set(name, { value, path })
      }
      return res
    },
  }
}

/** The path and query of an absolute URL at `host` (asserting it is there). */
const atHost = (host: string, url: string) => {
  const parsed = new URL(url)
  expect(parsed.origin).toBe(`https://${host}`)
  return parsed.pathname + parsed.search
}

/** A tenant with a verified domain and a custom_oidc provider at the fake IdP (its callback at the domain). */
async function socialTenant() {
  const tenant = await newTenant(t)
  const host = await withDomain(tenant)
  const provider = await ok<{ callback_url: string }>(
    await bapi(tenant, 'POST', '/v1/oauth-providers', {
      provider: 'custom_oidc',
      key: 'acme',
      client_id: idp.clientId,
      client_secret: idp.clientSecret,
      discovery_url: idp.issuer,
    }),
    201,
  )
  return { tenant, host, provider }
}

describe('social sign-in at a custom domain', () => {
  it('registers the callback at the domain, and signs in the browser that started there', async () => {
    const { host, provider } = await socialTenant()
    expect(provider.callback_url).toBe(`https://${host}/v1/oauth-callback/acme`)
    const browser = browserAt(host)
    const signIn = await ok<{ current_challenge: { external_redirect_url: string } }>(
      await browser.request('POST', '/v1/client/sign-ins', {
        json: { strategy: 'oauth_custom_acme', redirect_url: REDIRECT },
      }),
    )
    const url = signIn.current_challenge.external_redirect_url
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(provider.callback_url)
    const email = `ada-${crypto.randomUUID().slice(0, 8)}@example.com`
    const params = idp.authorize(url, { sub: crypto.randomUUID(), email, email_verified: true })
    const back = await browser.request('GET', `/v1/oauth-callback/acme?${new URLSearchParams(params)}`)
    expect(back.status).toBe(303)
    expect(back.headers.get('location')).toBe(REDIRECT)
    const client = await ok<{ sessions: { user_id: string }[] }>(await browser.request('GET', '/v1/client'))
    expect(client.sessions).toHaveLength(1)
  })

  it('sends a form_post answer on to the GET at the same host', async () => {
    const { host } = await socialTenant()
    const res = await browserAt(host).request('POST', '/v1/oauth-callback/acme', {
      form: { code: 'c', state: 's' },
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`https://${host}/v1/oauth-callback/acme?code=c&state=s`)
  })

  it('still answers under PUBLIC_URL, whose form_post stays there', async () => {
    const { tenant } = await socialTenant()
    const res = await t.request('POST', `/t/${tenant.slug}/v1/oauth-callback/acme`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'code=c&state=s',
    })
    expect(res.headers.get('location')).toBe(`${PUBLIC_URL}/t/${tenant.slug}/v1/oauth-callback/acme?code=c&state=s`)
  })
})

describe('flows started under PUBLIC_URL after the domain is verified', () => {
  it('a provider’s callback at the domain sends the browser back to where its client is', async () => {
    const { tenant, host } = await socialTenant()
    const browser = browserClient(t, tenant)
    const signIn = await ok<{ current_challenge: { external_redirect_url: string } }>(
      await browser.request('POST', '/client/sign-ins', { strategy: 'oauth_custom_acme', redirect_url: REDIRECT }),
    )
    const url = signIn.current_challenge.external_redirect_url
    const email = `ada-${crypto.randomUUID().slice(0, 8)}@example.com`
    const params = idp.authorize(url, { sub: crypto.randomUUID(), email, email_verified: true })
    // The registered callback is at the domain, where this browser has no cookie: back to PUBLIC_URL, unspent.
    const atDomain = await browserAt(host).request('GET', `/v1/oauth-callback/acme?${new URLSearchParams(params)}`)
    expect(atDomain.status).toBe(303)
    const there = new URL(atDomain.headers.get('location')!)
    expect(there.origin + there.pathname).toBe(`${PUBLIC_URL}/t/${tenant.slug}/v1/oauth-callback/acme`)
    expect(there.searchParams.get('state')).toBe(params.state!)
    const back = await t.request('GET', there.pathname + there.search, { headers: { cookie: browser.cookieHeader() } })
    expect(back.status).toBe(303)
    expect(back.headers.get('location')).toBe(REDIRECT)
    const client = await ok<{ sessions: unknown[] }>(await browser.request('GET', '/client'))
    expect(client.sessions).toHaveLength(1)
    // Another browser at PUBLIC_URL with the same answer is refused (spent, and not its client).
    const replay = await t.request('GET', there.pathname + there.search)
    expect(new URL(replay.headers.get('location')!).searchParams.get('error')).toBe('oauth_callback_invalid')
  })

  it('mails links to PUBLIC_URL, and the OIDC provider keeps the browser there', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const user = await newUser(t, tenant)
    await withDomain(tenant)
    const browser = browserClient(t, tenant)
    const started = await browser.request('POST', '/client/sign-ins', {
      identifier: user.email,
      strategy: 'email_link',
    })
    expect(started.status).toBe(200)
    const link = linkIn((await lastMessage(t, user.email)).text)!
    expect(link).toStartWith(`${PUBLIC_URL}/t/${tenant.slug}/v1/verify?token=`)
    const app = await createApplication(t, tenant)
    const authorize = await t.request(
      'GET',
      `/t/${tenant.slug}/oauth/authorize?${new URLSearchParams({
        client_id: app.client_id,
        redirect_uri: CALLBACK,
        response_type: 'code',
        scope: 'openid',
        code_challenge: 'x'.repeat(43),
        code_challenge_method: 'S256',
      })}`,
    )
    expect(authorize.status).toBe(302)
    expect(authorize.headers.get('location')).toStartWith(`${PUBLIC_URL}/t/${tenant.slug}/sign-in?auth_request=`)
  })

  it('keeps session tokens signed before the domain was verified valid until they expire', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const user = await newUser(t, tenant)
    const before = await signInNative(t, tenant, user)
    const host = await withDomain(tenant)
    expect(await introspect(t, tenant, before.session_token)).toMatchObject({ active: true })
    const after = await signInNative(t, tenant, user)
    const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString())
    expect(claims(before.session_token).iss).toBe(`${PUBLIC_URL}/t/${tenant.slug}`)
    expect(claims(after.session_token).iss).toBe(`https://${host}`)
    const me = await t.request('GET', `/t/${tenant.slug}/v1/me`, {
      headers: { authorization: `Bearer ${before.session_token}` },
    })
    expect(me.status).toBe(200)
  })
})

describe('enterprise SSO at a custom domain', () => {
  it('publishes the SP’s URLs at the domain, and an IdP-initiated response signs in there', async () => {
    const key = await generateIdpKey('Corp IdP')
    const tenant = await newTenant(t)
    const host = await withDomain(tenant)
    const org = await newOrg(t, tenant)
    const conn = await ok<{ id: string; sp_entity_id: string; acs_url: string; redirect_uri: string }>(
      await bapi(tenant, 'POST', '/v1/enterprise-connections', {
        protocol: 'saml',
        name: 'Corp Okta',
        organization_id: org.id,
        domains: ['corp.example'],
        idp_entity_id: IDP_ENTITY,
        idp_sso_url: 'https://idp.corp.example/saml/sso',
        idp_certificate: key.certificatePem,
        allow_idp_initiated: true,
      }),
      201,
    )
    expect(conn).toMatchObject({
      sp_entity_id: `https://${host}/saml/${conn.id}/metadata`,
      acs_url: `https://${host}/saml/${conn.id}/acs`,
      redirect_uri: `https://${host}/v1/oauth-callback/${conn.id}`,
    })
    const email = `pat-${crypto.randomUUID().slice(0, 8)}@corp.example`
    const response = signedResponse({
      idp: { entityId: IDP_ENTITY, ...key },
      sp: { entityId: conn.sp_entity_id, acsUrl: conn.acs_url },
      inResponseTo: null,
      nameId: email,
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      attributes: { email },
      sessionIndex: '_s1',
      now: t.clock.now(),
      lifetimeS: 300,
    })
    const browser = browserAt(host)
    const posted = await browser.request('POST', `/saml/${conn.id}/acs`, {
      form: { SAMLResponse: response, RelayState: REDIRECT },
    })
    expect(posted.status).toBe(303)
    // The binding cookie is this host's, for the path the continue URL is at.
    expect(browser.jar.get('__saml_acs')?.path).toBe(`/saml/${conn.id}/acs`)
    const done = await browser.request('GET', atHost(host, posted.headers.get('location')!))
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe(REDIRECT)
    const client = await ok<{ sessions: { user_id: string }[] }>(await browser.request('GET', '/v1/client'))
    expect(client.sessions).toHaveLength(1)
  })

  it('gives SCIM its base URL at the domain', async () => {
    const tenant = await newTenant(t)
    const host = await withDomain(tenant)
    const org = await newOrg(t, tenant)
    const endpoint = await ok<{ base_url: string }>(
      await bapi(tenant, 'GET', `/v1/organizations/${org.id}/scim/endpoint`),
    )
    expect(endpoint.base_url).toBe(`https://${host}/scim/v2`)
  })
})

describe('hosted pages at a custom domain', () => {
  it('a provider’s button comes back to the sign-in page at the domain, which resumes the attempt', async () => {
    const { host } = await socialTenant()
    const browser = browserAt(host)
    const html = await (await browser.request('GET', '/sign-in')).text()
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!
    const action = /<form[^>]* action="([^"]+)"/.exec(html)![1]!
    const handOff = await browser.request('POST', action, {
      form: { csrf, action: 'external', strategy: 'oauth_custom_acme' },
    })
    expect(handOff.status).toBe(200)
    const url = /id="external-continue" href="([^"]+)"|href="([^"]+)" id="external-continue"/
      .exec(await handOff.text())!
      .slice(1)
      .find(Boolean)!
      .replaceAll('&#38;', '&')
    const email = `ada-${crypto.randomUUID().slice(0, 8)}@example.com`
    const params = idp.authorize(url, { sub: crypto.randomUUID(), email, email_verified: true })
    const back = await browser.request('GET', `/v1/oauth-callback/acme?${new URLSearchParams(params)}`)
    expect(back.status).toBe(303)
    const resume = atHost(host, back.headers.get('location')!)
    expect(resume).toStartWith('/sign-in?resume=1&return_to=')
    const page = await browser.request('GET', resume)
    expect(page.status).toBe(200)
    // The browser's cookies were there: the page knows the attempt (a new account: signed in elsewhere, or
    // the continue form), not the empty identifier step.
    expect(await page.text()).not.toContain('name="identifier"')
  })
})
