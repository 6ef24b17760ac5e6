import { afterAll, describe, expect, it } from 'bun:test'
import type { Browser } from 'playwright-core'
import { launchChromium } from '../support/chromium'
import { startFakeOidc, type FakeIdp } from '../support/fake-idp'
import { liveServer, type LiveServer } from '../support/live-server'
import { sdkTenant } from '../support/sdk-tenant'
import { SAML } from '@node-saml/node-saml'
import { autoPostForm, generateIdpKey, parseAuthnRequest, signedResponse } from '../../src/features/saml/service'

/**
 * SSO in Chromium (API.md §16), each through the hosted pages: a social provider's button (a fake
 * OpenID provider on loopback) signs a new account up and a known one in; an enterprise OIDC and a
 * SAML connection are found by the address's domain (the SAML IdP posting cross-site, without the
 * browser's SameSite cookies); and a SAML service provider signs a user in with Tessera as its IdP.
 * Every flow lands signed in; no page may be blocked by its CSP.
 */
const cleanups: (() => Promise<unknown> | unknown)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

async function start(): Promise<{ server: LiveServer; browser: Browser; idp: FakeIdp }> {
  const idp = await startFakeOidc()
  cleanups.push(() => idp.stop())
  const [server, browser] = await Promise.allSettled([
    liveServer({ webhookAllowPrivate: true }, 'localhost'),
    launchChromium(),
  ])
  if (server.status === 'fulfilled') cleanups.push(() => server.value.close())
  if (browser.status === 'fulfilled') cleanups.push(() => browser.value.close())
  for (const started of [server, browser]) if (started.status === 'rejected') throw started.reason
  return {
    server: (server as PromiseFulfilledResult<LiveServer>).value,
    browser: (browser as PromiseFulfilledResult<Browser>).value,
    idp,
  }
}

const IDP_ENTITY = 'https://saml.corp.example/idp'

/** An organization and its SAML connection for corp.example, whose IdP is the test's server on `idpPort`. */
async function samlConnection(
  server: LiveServer,
  secretKey: string,
  input: { idpPort: number; certificatePem: string; allow_idp_initiated?: boolean },
) {
  const bapi = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (res) => {
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`)
      return (await res.json()) as { id: string; sp_entity_id: string; acs_url: string }
    })
  const org = await bapi('/v1/organizations', { name: 'Corp' })
  const conn = await bapi('/v1/enterprise-connections', {
    protocol: 'saml',
    name: 'Corp SAML',
    organization_id: org.id,
    domains: ['corp.example'],
    idp_entity_id: IDP_ENTITY,
    idp_sso_url: `http://127.0.0.1:${input.idpPort}/sso`,
    idp_certificate: input.certificatePem,
    allow_idp_initiated: input.allow_idp_initiated ?? false,
  })
  return { entityId: conn.sp_entity_id, acsUrl: conn.acs_url }
}

describe('social and enterprise sign-in on the hosted page in Chromium', () => {
  it('signs up a new account with the provider, then signs the same person in again', async () => {
    const { server, browser, idp } = await start()
    const { tenant } = await sdkTenant(server)
    const created = await fetch(`${server.url}/v1/oauth-providers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.secret_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        provider: 'custom_oidc',
        key: 'acme',
        name: 'Acme ID',
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        discovery_url: idp.issuer,
      }),
    })
    expect(created.status).toBe(201)
    idp.loginAs = { sub: 'acme-7', email: 'grace@example.com', email_verified: true, given_name: 'Grace' }

    const returnTo = `/t/${tenant.slug}/signed-in`
    const blocked: string[] = []
    for (const round of ['sign-up', 'sign-in']) {
      const context = await browser.newContext()
      const page = await context.newPage()
      page.on('console', (message) => {
        if (/Content.Security.Policy/i.test(message.text())) blocked.push(`${round}: ${message.text()}`)
      })
      await page.goto(`${server.url}/t/${tenant.slug}/sign-in?return_to=${encodeURIComponent(returnTo)}`)
      await page.getByRole('button', { name: 'Continue with Acme ID' }).click()
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.waitForURL(`${server.url}${returnTo}`)
      await page.getByRole('heading', { name: 'You are signed in' }).waitFor()
      const cookies = await context.cookies(`${server.url}/t/${tenant.slug}/`)
      expect(cookies.map((c) => c.name).sort()).toEqual(['__client', '__refresh', '__session'])
      await context.close()
    }
    expect(blocked).toEqual([])
    const users = await fetch(`${server.url}/v1/users?email_address=grace%40example.com`, {
      headers: { authorization: `Bearer ${tenant.secret_key}` },
    })
    const page = (await users.json()) as { data: { external_accounts: { provider_user_id: string }[] }[] }
    expect(page.data).toHaveLength(1)
    expect(page.data[0]!.external_accounts.map((a) => a.provider_user_id)).toEqual(['acme-7'])
  }, 60_000)

  it('signs in through an enterprise OIDC connection found by the address’s domain, provisioning the person', async () => {
    const { server, browser, idp } = await start()
    const { tenant } = await sdkTenant(server)
    const bapi = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.secret_key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (res) => {
        if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`)
        return (await res.json()) as { id: string }
      })
    const org = await bapi('/v1/organizations', { name: 'Corp' })
    await bapi('/v1/enterprise-connections', {
      protocol: 'oidc',
      name: 'Corp IdP',
      organization_id: org.id,
      domains: ['corp.example'],
      oidc_discovery_url: idp.issuer,
      oidc_client_id: idp.clientId,
      oidc_client_secret: idp.clientSecret,
    })
    idp.loginAs = { sub: 'corp-1', email: 'erin@corp.example', email_verified: true, given_name: 'Erin' }
    const context = await browser.newContext()
    const page = await context.newPage()
    const blocked: string[] = []
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) blocked.push(message.text())
    })
    const returnTo = `/t/${tenant.slug}/signed-in`
    await page.goto(`${server.url}/t/${tenant.slug}/sign-in?return_to=${encodeURIComponent(returnTo)}`)
    await page.getByLabel('Email address').fill('erin@corp.example')
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await page.getByRole('button', { name: 'Continue with single sign-on' }).click()
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await page.waitForURL(`${server.url}${returnTo}`)
    await page.getByRole('heading', { name: 'You are signed in' }).waitFor()
    expect(blocked).toEqual([])
    const members = await fetch(`${server.url}/v1/organizations/${org.id}/memberships`, {
      headers: { authorization: `Bearer ${tenant.secret_key}` },
    })
    const list = (await members.json()) as { data: { public_user_data: { identifier: string } }[] }
    expect(list.data.map((m) => m.public_user_data.identifier)).toEqual(['erin@corp.example'])
    await context.close()
  }, 60_000)

  it('signs in through a SAML connection whose IdP posts cross-site (no cookie) to the ACS', async () => {
    const { server, browser } = await start()
    const { tenant } = await sdkTenant(server)
    const key = await generateIdpKey('Corp SAML IdP')
    let acs = { entityId: '', acsUrl: '' }
    // A SAML IdP in the test: reads the AuthnRequest and auto-posts a response signed for it.
    const idp = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch(req) {
        const url = new URL(req.url)
        const request = parseAuthnRequest({
          binding: 'redirect',
          SAMLRequest: url.searchParams.get('SAMLRequest') ?? '',
        })
        if (!request.ok) return new Response(request.reason, { status: 400 })
        const samlResponse = signedResponse({
          idp: { entityId: IDP_ENTITY, ...key },
          sp: acs,
          inResponseTo: request.id,
          nameId: 'sam@corp.example',
          nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
          attributes: { email: 'sam@corp.example', given_name: 'Sam' },
          sessionIndex: '_s1',
          now: Date.now(),
          lifetimeS: 300,
        })
        const html = autoPostForm(acs.acsUrl, samlResponse, url.searchParams.get('RelayState'), 'n0nce')
        return new Response(html, { headers: { 'content-type': 'text/html' } })
      },
    })
    cleanups.push(() => idp.stop(true))
    acs = await samlConnection(server, tenant.secret_key, { idpPort: idp.port!, certificatePem: key.certificatePem })
    const context = await browser.newContext()
    const page = await context.newPage()
    const returnTo = `/t/${tenant.slug}/signed-in`
    await page.goto(`${server.url}/t/${tenant.slug}/sign-in?return_to=${encodeURIComponent(returnTo)}`)
    await page.getByLabel('Email address').fill('sam@corp.example')
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await page.getByRole('button', { name: 'Continue with single sign-on' }).click()
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await page.waitForURL(`${server.url}${returnTo}`)
    await page.getByRole('heading', { name: 'You are signed in' }).waitFor()
    const cookies = await context.cookies(`${server.url}/t/${tenant.slug}/`)
    expect(cookies.map((c) => c.name).sort()).toEqual(['__client', '__refresh', '__session'])
    await context.close()
  }, 60_000)

  it('signs in from the IdP’s dashboard (IdP-initiated SAML), bound to the browser the IdP posted from', async () => {
    const { server, browser } = await start()
    const { tenant } = await sdkTenant(server)
    const key = await generateIdpKey('Corp SAML IdP')
    let acs = { entityId: '', acsUrl: '' }
    // The IdP's dashboard tile: an unsolicited response (no InResponseTo), posted cross-site.
    const idp = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch() {
        const samlResponse = signedResponse({
          idp: { entityId: IDP_ENTITY, ...key },
          sp: acs,
          inResponseTo: null,
          nameId: 'tile@corp.example',
          nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
          attributes: { email: 'tile@corp.example', given_name: 'Tia' },
          sessionIndex: '_s1',
          now: Date.now(),
          lifetimeS: 300,
        })
        const html = autoPostForm(acs.acsUrl, samlResponse, null, 'n0nce')
        return new Response(html, { headers: { 'content-type': 'text/html' } })
      },
    })
    cleanups.push(() => idp.stop(true))
    acs = await samlConnection(server, tenant.secret_key, {
      idpPort: idp.port!,
      certificatePem: key.certificatePem,
      allow_idp_initiated: true,
    })
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`http://127.0.0.1:${idp.port}/tile`)
    // No RelayState: the hosted sign-in page resumes the completed attempt, whose Continue takes the session.
    await page.waitForURL(`${server.url}/t/${tenant.slug}/sign-in?resume=1`)
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await page.waitForURL(`${server.url}/t/${tenant.slug}/signed-in`)
    await page.getByRole('heading', { name: 'You are signed in' }).waitFor()
    const cookies = await context.cookies(`${server.url}/t/${tenant.slug}/`)
    expect(cookies.map((c) => c.name).sort()).toEqual(['__client', '__refresh', '__session'])
    await context.close()
  }, 60_000)

  it('signs a user in to a SAML service provider with Tessera as the IdP (hosted sign-in first)', async () => {
    const { server, browser } = await start()
    const { tenant, newUser } = await sdkTenant(server)
    const user = await newUser()
    const spEntity = 'https://sp.example.test/saml'
    let sp: SAML | null = null
    // The service provider in the test: /login starts the SSO, /acs validates the posted response.
    const spServer = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      async fetch(req) {
        const url = new URL(req.url)
        if (url.pathname === '/login')
          return Response.redirect(await sp!.getAuthorizeUrlAsync('r1', undefined, {}), 302)
        if (url.pathname !== '/acs' || req.method !== 'POST') return new Response('not found', { status: 404 })
        const form = new URLSearchParams(await req.text())
        const { profile } = await sp!.validatePostResponseAsync({ SAMLResponse: form.get('SAMLResponse')! })
        return new Response(`<h1>Welcome ${profile?.nameID}</h1>`, { headers: { 'content-type': 'text/html' } })
      },
    })
    cleanups.push(() => spServer.stop(true))
    const acsUrl = `http://127.0.0.1:${spServer.port}/acs`
    const created = await fetch(`${server.url}/v1/saml-service-providers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.secret_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Wiki', entity_id: spEntity, acs_url: acsUrl }),
    })
    expect(created.status).toBe(201)
    const metadata = await (await fetch(`${server.url}/t/${tenant.slug}/saml/idp/metadata`)).text()
    const cert = /<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>/.exec(metadata)![1]!
    sp = new SAML({
      entryPoint: `${server.url}/t/${tenant.slug}/saml/idp/sso`,
      issuer: spEntity,
      callbackUrl: acsUrl,
      idpCert: `-----BEGIN CERTIFICATE-----\n${cert}\n-----END CERTIFICATE-----\n`,
      audience: spEntity,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: true,
    })
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`http://127.0.0.1:${spServer.port}/login`)
    await page.getByLabel('Email address').fill(user.email)
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await page.getByLabel('Password').fill(user.password)
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await page.getByRole('heading', { name: `Welcome ${user.email}` }).waitFor()
    await context.close()
  }, 60_000)
})
