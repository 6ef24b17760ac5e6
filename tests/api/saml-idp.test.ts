import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { inflateRawSync } from 'node:zlib'
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml'
import { eq } from 'drizzle-orm'
import { samlIdpKeys, samlServiceProviders } from '../../src/features/saml-idp/schema'
import { generateIdpKey } from '../../src/features/saml/idp'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { newUser } from '../support/flows'
import { oauthBrowser, type Hop, type OAuthBrowser } from '../support/oidc'
import { addMember, auditOf, fastHashing, newOrg, outboxOf } from '../support/orgs'

/**
 * Tessera as a SAML IdP (API.md §16): the BAPI registry of service providers, the metadata, and SSO driven by
 * a real SP (node-saml) whose AuthnRequests a cookie-keeping browser carries through the hosted sign-in.
 */
let t: TestApp
let spKey: Awaited<ReturnType<typeof generateIdpKey>>
let otherKey: Awaited<ReturnType<typeof generateIdpKey>>
beforeAll(async () => {
  t = await testApp()
  ;[spKey, otherKey] = await Promise.all([generateIdpKey('Test SP'), generateIdpKey('Other')])
})
afterAll(() => t.close())

const ACS = 'https://sp.example/saml/acs'
const SP_ENTITY = 'https://sp.example/saml/metadata'
const EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'
const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'

interface ServiceProvider {
  object: string
  id: string
  name: string
  entity_id: string
  acs_url: string
  name_id_format: string
  attribute_mapping: Record<string, string>
  sp_certificate: string | null
  want_authn_requests_signed: boolean
  organization_id: string | null
  enabled: boolean
  created_at: number
  updated_at: number
}

const api = (tenant: CreatedTenant, method: string, path = '', json?: unknown, token = tenant.secret_key) =>
  t.request(method, `/v1/saml-service-providers${path}`, { token, ...(json === undefined ? {} : { json }) })

async function createSp(tenant: CreatedTenant, body: Record<string, unknown> = {}): Promise<ServiceProvider> {
  const res = await api(tenant, 'POST', '', { name: 'Wiki', entity_id: SP_ENTITY, acs_url: ACS, ...body })
  if (res.status !== 201) throw new Error(`SP creation failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as ServiceProvider
}

async function expectInvalid(res: Response, param: string, reason?: string) {
  expect(res.status).toBe(422)
  const error = await firstError(res)
  expect(error.code).toBe('form_param_format_invalid')
  expect(error.meta.param_name).toBe(param)
  if (reason) expect(error.meta.reason).toBe(reason)
}

const tenantWithUser = async () => {
  const tenant = await newTenant(t, { settings: fastHashing })
  const user = await newUser(t, tenant, { first_name: 'Ada', last_name: 'Lovelace', public_metadata: { dept: 'R&D' } })
  return { tenant, user }
}

/** Every signing certificate the metadata publishes, in its order, as PEM. */
async function certificatesOf(tenant: CreatedTenant): Promise<string[]> {
  const xml = await (await t.request('GET', `/t/${tenant.slug}/saml/idp/metadata`)).text()
  return [...xml.matchAll(/<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>/g)].map(
    (m) => `-----BEGIN CERTIFICATE-----\n${m[1]}\n-----END CERTIFICATE-----\n`,
  )
}

async function idpCertificate(tenant: CreatedTenant): Promise<string> {
  const res = await t.request('GET', `/t/${tenant.slug}/saml/idp/metadata`)
  const body = /<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>/.exec(await res.text())?.[1]
  if (!body) throw new Error('no certificate in metadata')
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`
}

/** node-saml as the service provider, insisting on both signatures, the audience and InResponseTo. */
async function nodeSamlSp(tenant: CreatedTenant, extra: Record<string, unknown> = {}) {
  return new SAML({
    entryPoint: `${tenant.issuer}/saml/idp/sso`,
    issuer: SP_ENTITY,
    callbackUrl: ACS,
    idpCert: await idpCertificate(tenant),
    idpIssuer: `${tenant.issuer}/saml/idp/metadata`,
    audience: SP_ENTITY,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    validateInResponseTo: ValidateInResponseTo.always,
    ...extra,
  })
}

const requestIdOf = (url: string) => {
  const xml = inflateRawSync(Buffer.from(new URL(url).searchParams.get('SAMLRequest')!, 'base64')).toString()
  return /\bID="([^"]+)"/.exec(xml)![1]!
}

const unescape = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))

/** The auto-POST page: its form's action and hidden fields. */
function postedForm(hop: Hop) {
  const action = /<form id="saml-post" method="post" action="([^"]+)">/.exec(hop.html)?.[1]
  if (!action) throw new Error(`not an auto-POST page: ${hop.status} ${hop.url}\n${hop.html}`)
  const fields: Record<string, string> = {}
  for (const [, name, value] of hop.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[name!] = unescape(value!)
  return { action: unescape(action), fields }
}

/** Opens the SP's redirect URL and signs in on the hosted page when sent there. */
async function throughBrowser(browser: OAuthBrowser, url: string, user: { email: string; password: string }) {
  let hop = await browser.open(url)
  if (hop.url.includes('/sign-in')) hop = await browser.signIn(hop, user)
  return hop
}

const errorPageOf = (hop: Hop) => {
  expect(hop.status).toBeGreaterThanOrEqual(400)
  expect(hop.location).toBeNull()
  expect(hop.html).not.toContain('SAMLResponse')
  expect(hop.html).toContain('This sign-in cannot be completed')
}

describe('/v1/saml-service-providers', () => {
  it('creates with defaults, records the event and audit, and lists, gets, updates and deletes', async () => {
    const tenant = await newTenant(t)
    const sp = await createSp(tenant, { attribute_mapping: { email: '{{user.primary_email_address}}' } })
    expect(sp).toMatchObject({
      object: 'saml_service_provider',
      name: 'Wiki',
      entity_id: SP_ENTITY,
      acs_url: ACS,
      name_id_format: EMAIL,
      attribute_mapping: { email: '{{user.primary_email_address}}' },
      sp_certificate: null,
      want_authn_requests_signed: false,
      organization_id: null,
      enabled: true,
    })
    expect(sp.id).toMatch(/^samlsp_[0-9A-Z]{26}$/)
    const row = await withTenant(t.deps.db, tenant.id, async (tx) =>
      tx.select().from(samlServiceProviders).where(eq(samlServiceProviders.id, sp.id)),
    )
    expect(row[0]?.tenantId).toBe(tenant.id)

    const list = (await (await api(tenant, 'GET')).json()) as { data: ServiceProvider[] }
    expect(list.data.map((s) => s.id)).toEqual([sp.id])
    expect(await (await api(tenant, 'GET', `/${sp.id}`)).json()).toEqual(sp)

    const patched = await api(tenant, 'PATCH', `/${sp.id}`, {
      name_id_format: PERSISTENT,
      sp_certificate: spKey.certificatePem,
      want_authn_requests_signed: true,
      enabled: false,
    })
    expect(patched.status).toBe(200)
    const updated = (await patched.json()) as ServiceProvider
    expect(updated).toMatchObject({ name_id_format: PERSISTENT, want_authn_requests_signed: true, enabled: false })
    expect(updated.sp_certificate).toContain('BEGIN CERTIFICATE')
    // The certificate cannot go while signed requests are wanted.
    await expectInvalid(
      await api(tenant, 'PATCH', `/${sp.id}`, { sp_certificate: null }),
      'want_authn_requests_signed',
      'sp_certificate_required',
    )

    const deleted = await api(tenant, 'DELETE', `/${sp.id}`)
    expect(await deleted.json()).toEqual({ object: 'saml_service_provider', id: sp.id, deleted: true })
    expect((await api(tenant, 'GET', `/${sp.id}`)).status).toBe(404)

    const types = (await outboxOf(t, tenant)).map((m) => m.type).filter((x) => x.startsWith('samlServiceProvider'))
    expect(types).toEqual(['samlServiceProvider.created', 'samlServiceProvider.updated', 'samlServiceProvider.deleted'])
    const actions = (await auditOf(t, tenant)).map((a) => a.action).filter((a) => a.startsWith('samlServiceProvider'))
    expect(actions).toEqual(types)
  })

  it('refuses a second SP with the same entity_id: 409 duplicate_record', async () => {
    const tenant = await newTenant(t)
    await createSp(tenant)
    const res = await api(tenant, 'POST', '', { name: 'Again', entity_id: SP_ENTITY, acs_url: ACS })
    expect(res.status).toBe(409)
    const error = await firstError(res)
    expect(error.code).toBe('duplicate_record')
    expect(error.meta.param_name).toBe('entity_id')
    // Another tenant may register the same SP.
    await createSp(await newTenant(t))
  })

  it('validates the ACS URL, the certificate, signing, shortcodes, the organization and the format', async () => {
    const tenant = await newTenant(t)
    const other = await newTenant(t)
    const foreignOrg = await newOrg(t, other)
    const base = { name: 'Wiki', entity_id: SP_ENTITY, acs_url: ACS }
    const post = (body: Record<string, unknown>) => api(tenant, 'POST', '', { ...base, ...body })
    await expectInvalid(await post({ acs_url: 'http://sp.example/acs' }), 'acs_url', 'https_required')
    await expectInvalid(await post({ acs_url: 'javascript:alert(1)' }), 'acs_url', 'https_required')
    await expectInvalid(await post({ acs_url: 'https://u:p@sp.example/acs' }), 'acs_url')
    await expectInvalid(await post({ acs_url: 'not a url' }), 'acs_url', 'not_a_url')
    await expectInvalid(await post({ sp_certificate: 'not a certificate' }), 'sp_certificate', 'certificate_invalid')
    await expectInvalid(
      await post({ want_authn_requests_signed: true }),
      'want_authn_requests_signed',
      'sp_certificate_required',
    )
    await expectInvalid(
      await post({ attribute_mapping: { email: '{{user.password}}' } }),
      'attribute_mapping.email',
      'shortcode_unknown',
    )
    await expectInvalid(await post({ organization_id: foreignOrg.id }), 'organization_id', 'organization_not_found')
    await expectInvalid(
      await post({ name_id_format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' }),
      'name_id_format',
    )
    const wrongType = await post({ enabled: 'yes' })
    expect(wrongType.status).toBe(422)
    const unknownField = await post({ surprise: 1 })
    expect(unknownField.status).toBe(422)
    // http is fine on loopback (an SP in development).
    expect((await post({ acs_url: 'http://localhost:3000/acs' })).status).toBe(201)
  })

  it("answers 404 for another tenant's SP and needs connections:manage", async () => {
    const tenant = await newTenant(t)
    const sp = await createSp(tenant)
    const other = await newTenant(t)
    expect((await api(other, 'GET', `/${sp.id}`)).status).toBe(404)
    expect((await api(other, 'PATCH', `/${sp.id}`, { name: 'x' })).status).toBe(404)
    expect((await api(other, 'DELETE', `/${sp.id}`)).status).toBe(404)
    const key = await t.request('POST', '/v1/api-keys', {
      token: tenant.secret_key,
      json: { name: 'reader', scopes: ['users:read'] },
    })
    const { key: serviceKey } = (await key.json()) as { key: string }
    const refused = await api(tenant, 'GET', '', undefined, serviceKey)
    expect(refused.status).toBe(403)
    expect((await firstError(refused)).meta.required_scope).toBe('connections:manage')
  })
})

describe('GET {issuer}/saml/idp/metadata', () => {
  it('publishes the entity id, both SSO bindings and one stable certificate per tenant', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('GET', `/t/${tenant.slug}/saml/idp/metadata`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/samlmetadata+xml')
    const xml = await res.text()
    expect(xml).toContain(`entityID="${tenant.issuer}/saml/idp/metadata"`)
    expect(xml).toContain(`Location="${tenant.issuer}/saml/idp/sso"`)
    expect(xml).toContain('HTTP-Redirect')
    expect(xml).toContain('HTTP-POST')
    const [again, other] = await Promise.all([idpCertificate(tenant), idpCertificate(await newTenant(t))])
    expect(again).toBe(await idpCertificate(tenant))
    expect(other).not.toBe(again)
    const row = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(samlIdpKeys).where(eq(samlIdpKeys.tenantId, tenant.id)),
    )
    expect(row).toHaveLength(1)
    expect(row[0]!.privateKeySealed.startsWith('v1.')).toBe(true)
    expect(row[0]!.privateKeySealed).not.toContain('PRIVATE KEY')
  })

  it('converges concurrent first uses on one key', async () => {
    const tenant = await newTenant(t)
    const certs = await Promise.all([1, 2, 3].map(() => idpCertificate(tenant)))
    expect(new Set(certs).size).toBe(1)
  })

  it('rotates the certificate with the tenant’s signing keys, the old one kept in metadata for the overlap', async () => {
    const { tenant, user } = await tenantWithUser()
    await createSp(tenant)
    const first = (await certificatesOf(tenant))[0]!
    expect(await certificatesOf(tenant)).toEqual([first])
    const rotate = await t.request('POST', `/platform/v1/tenants/${tenant.id}/keys/rotate`, { token: t.platformKey })
    expect(rotate.status).toBe(200)
    // Published before it signs: SPs that refresh metadata trust the next certificate in time.
    const during = await certificatesOf(tenant)
    expect(during).toHaveLength(2)
    expect(during[0]).toBe(first)
    const next = during[1]!
    const browser = oauthBrowser(t, tenant)
    const signIn = async (cert: string) => {
      // The test's clock runs ahead of the wall clock node-saml reads: its time checks are off here.
      const sp = await nodeSamlSp(tenant, { idpCert: cert, acceptedClockSkewMs: -1 })
      const hop = await throughBrowser(browser, await sp.getAuthorizeUrlAsync('r', undefined, {}), user)
      return sp.validatePostResponseAsync({ SAMLResponse: postedForm(hop).fields.SAMLResponse! })
    }
    expect((await signIn(first)).profile?.nameID).toBe(user.email)
    await expect(signIn(next)).rejects.toThrow()
    // The other tests of this file read node-saml's wall clock: the test clock goes back where it was.
    const started = t.clock.now()
    try {
      t.clock.advance(300_000)
      expect(await certificatesOf(tenant)).toEqual([next, first])
      expect((await signIn(next)).profile?.nameID).toBe(user.email)
      await expect(signIn(first)).rejects.toThrow()
      t.clock.advance(86_400_000)
      expect(await certificatesOf(tenant)).toEqual([next])
    } finally {
      t.clock.set(started)
    }
  })
})

describe('{issuer}/saml/idp/sso with node-saml as the SP', () => {
  it('signs in on the hosted page, then auto-POSTs a signed response node-saml accepts', async () => {
    const { tenant, user } = await tenantWithUser()
    await createSp(tenant, {
      attribute_mapping: {
        email: '{{user.primary_email_address}}',
        displayName: '{{user.first_name}} {{user.last_name}}',
        dept: '{{user.public_metadata.dept}}',
        missing: '{{user.username}}',
      },
    })
    const sp = await nodeSamlSp(tenant)
    const url = await sp.getAuthorizeUrlAsync('relay-1', undefined, {})
    const browser = oauthBrowser(t, tenant)
    const hop = await throughBrowser(browser, url, user)
    expect(hop.status).toBe(200)
    const { action, fields } = postedForm(hop)
    expect(action).toBe(ACS)
    expect(fields.RelayState).toBe('relay-1')

    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: fields.SAMLResponse! })
    expect(profile?.nameID).toBe(user.email)
    expect(profile?.nameIDFormat).toBe(EMAIL)
    expect(profile?.issuer).toBe(`${tenant.issuer}/saml/idp/metadata`)
    expect(profile?.sessionIndex).toMatch(/^sess_/)
    expect(profile?.attributes).toEqual({ email: user.email, displayName: 'Ada Lovelace', dept: 'R&D' })
    const xml = Buffer.from(fields.SAMLResponse!, 'base64').toString()
    expect(xml).toContain(`InResponseTo="${requestIdOf(url)}"`)
    expect(xml).toContain(`<saml:Audience>${SP_ENTITY}</saml:Audience>`)

    // Already signed in: the next request goes straight to the auto-POST page.
    const url2 = await sp.getAuthorizeUrlAsync('relay-2', undefined, {})
    const second = await browser.open(url2)
    const again = postedForm(second)
    expect(again.fields.RelayState).toBe('relay-2')
    const { profile: p2 } = await sp.validatePostResponseAsync({ SAMLResponse: again.fields.SAMLResponse! })
    expect(p2?.sessionIndex).toBe(profile?.sessionIndex)

    const audit = await auditOf(t, tenant)
    const issued = audit.filter((a) => a.action === 'saml_idp.response_issued')
    expect(issued).toHaveLength(2)
    expect(issued[0]).toMatchObject({ actorType: 'user', actorId: user.id })
  })

  it('answers IsPassive without a session by a signed NoPassive status, never the sign-in page', async () => {
    const { tenant, user } = await tenantWithUser()
    await createSp(tenant)
    const sp = await nodeSamlSp(tenant, { passive: true })
    const url = await sp.getAuthorizeUrlAsync('relay-p', undefined, {})
    const browser = oauthBrowser(t, tenant)
    const hop = await browser.open(url)
    const { action, fields } = postedForm(hop)
    expect(action).toBe(ACS)
    expect(fields.RelayState).toBe('relay-p')
    const xml = Buffer.from(fields.SAMLResponse!, 'base64').toString()
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:NoPassive')
    expect(xml).toContain(`InResponseTo="${requestIdOf(url)}"`)
    expect(xml).not.toContain('Assertion')
    // node-saml checks the signature and reads it as "nobody is signed in there".
    const passive = await sp.validatePostResponseAsync({ SAMLResponse: fields.SAMLResponse! })
    expect(passive.profile).toBeNull()

    // Signed in, the same passive request is answered with the person's assertion.
    await throughBrowser(browser, await (await nodeSamlSp(tenant)).getAuthorizeUrlAsync('r', undefined, {}), user)
    const url2 = await sp.getAuthorizeUrlAsync('relay-p2', undefined, {})
    const { fields: signedIn } = postedForm(await browser.open(url2))
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: signedIn.SAMLResponse! })
    expect(profile?.nameID).toBe(user.email)
  })

  it('sends the CSP form-action to the ACS origin and a nonce on the submitting script', async () => {
    const { tenant, user } = await tenantWithUser()
    await createSp(tenant)
    const sp = await nodeSamlSp(tenant)
    const browser = oauthBrowser(t, tenant)
    await throughBrowser(browser, await sp.getAuthorizeUrlAsync('', undefined, {}), user)
    const cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ')
    const res = await t.app.handle(
      new Request(await sp.getAuthorizeUrlAsync('', undefined, {}), { headers: { cookie } }),
    )
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy')!
    expect(csp).toContain("form-action 'self' https://sp.example")
    expect(csp).toContain("frame-ancestors 'none'")
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1]!
    expect(await res.text()).toContain(`<script nonce="${nonce}">`)
  })

  it('takes the HTTP-POST binding: the form post binds on the GET it redirects to', async () => {
    const { tenant, user } = await tenantWithUser()
    await createSp(tenant, { name_id_format: PERSISTENT })
    // SAML bindings §3.5.4: the POST binding's request is not deflated (node-saml deflates unless told).
    const sp = await nodeSamlSp(tenant, { authnRequestBinding: 'HTTP-POST', skipRequestCompression: true })
    const form = await sp.getAuthorizeFormAsync('relay-post', undefined, {})
    const samlRequest = /name="SAMLRequest" value="([^"]+)"/.exec(form)![1]!
    const browser = oauthBrowser(t, tenant)
    let hop = await browser.post(
      `${tenant.issuer}/saml/idp/sso`,
      { SAMLRequest: unescape(samlRequest), RelayState: 'relay-post' },
      'https://sp.example',
    )
    if (hop.url.includes('/sign-in')) hop = await browser.signIn(hop, user)
    const { fields } = postedForm(hop)
    expect(fields.RelayState).toBe('relay-post')
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: fields.SAMLResponse! })
    expect(profile?.nameID).toBe(user.id)
    expect(profile?.nameIDFormat).toBe(PERSISTENT)
  })

  it('accepts a signed request when the SP wants signed requests', async () => {
    const { tenant, user } = await tenantWithUser()
    await createSp(tenant, { sp_certificate: spKey.certificatePem, want_authn_requests_signed: true })
    const sp = await nodeSamlSp(tenant, { privateKey: spKey.privateKeyPem, signatureAlgorithm: 'sha256' })
    const hop = await throughBrowser(oauthBrowser(t, tenant), await sp.getAuthorizeUrlAsync('r', undefined, {}), user)
    const { fields } = postedForm(hop)
    expect((await sp.validatePostResponseAsync({ SAMLResponse: fields.SAMLResponse! })).profile?.nameID).toBe(
      user.email,
    )
  })
})

describe('IdP-initiated sign-in to an SP (not offered: API.md §18 settled points)', () => {
  it('answers `?sp=<id>` with an error page and posts nothing, even for a registered SP and a signed-in user', async () => {
    const { tenant, user } = await tenantWithUser()
    const registered = await createSp(tenant)
    const browser = oauthBrowser(t, tenant)
    await throughBrowser(browser, await (await nodeSamlSp(tenant)).getAuthorizeUrlAsync('r', undefined, {}), user)
    errorPageOf(await browser.open(`${tenant.issuer}/saml/idp/sso?sp=${registered.id}&RelayState=home`))
  })
})

describe('{issuer}/saml/idp/sso refusals (error pages, never a POST elsewhere)', () => {
  it('refuses an unknown Issuer', async () => {
    const { tenant } = await tenantWithUser()
    const sp = await nodeSamlSp(tenant)
    const hop = await oauthBrowser(t, tenant).open(await sp.getAuthorizeUrlAsync('', undefined, {}))
    errorPageOf(hop)
    const refused = (await auditOf(t, tenant)).find((a) => a.action === 'saml_idp.request_refused')
    expect(refused?.data).toMatchObject({ reason: 'unknown_sp', issuer: SP_ENTITY })
  })

  it('refuses a disabled SP', async () => {
    const { tenant } = await tenantWithUser()
    await createSp(tenant, { enabled: false })
    const sp = await nodeSamlSp(tenant)
    errorPageOf(await oauthBrowser(t, tenant).open(await sp.getAuthorizeUrlAsync('', undefined, {})))
  })

  it('refuses an AssertionConsumerServiceURL other than the registered one', async () => {
    const { tenant, user } = await tenantWithUser()
    await createSp(tenant)
    const sp = await nodeSamlSp(tenant, { callbackUrl: 'https://evil.example/acs' })
    const browser = oauthBrowser(t, tenant)
    const hop = await throughBrowser(browser, await sp.getAuthorizeUrlAsync('', undefined, {}), user)
    errorPageOf(hop)
    expect(hop.html).not.toContain('evil.example')
  })

  it('refuses an unsigned or tampered request when the SP wants signed requests', async () => {
    const { tenant } = await tenantWithUser()
    await createSp(tenant, { sp_certificate: spKey.certificatePem, want_authn_requests_signed: true })
    const browser = oauthBrowser(t, tenant)
    const unsigned = await nodeSamlSp(tenant)
    errorPageOf(await browser.open(await unsigned.getAuthorizeUrlAsync('', undefined, {})))

    const signed = await nodeSamlSp(tenant, { privateKey: spKey.privateKeyPem, signatureAlgorithm: 'sha256' })
    const url = new URL(await signed.getAuthorizeUrlAsync('relay', undefined, {}))
    url.searchParams.set('RelayState', 'tampered')
    errorPageOf(await browser.open(url.toString()))

    const forged = await nodeSamlSp(tenant, { privateKey: otherKey.privateKeyPem, signatureAlgorithm: 'sha256' })
    errorPageOf(await browser.open(await forged.getAuthorizeUrlAsync('', undefined, {})))
    const reasons = (await auditOf(t, tenant))
      .filter((a) => a.action === 'saml_idp.request_refused')
      .map((a) => (a.data as { reason: string }).reason)
    expect(reasons).toEqual(['unsigned', 'bad_signature', 'bad_signature'])
  })

  it("refuses a non-member of the SP's organization, and lets a member in", async () => {
    const { tenant, user } = await tenantWithUser()
    const org = await newOrg(t, tenant)
    await createSp(tenant, {
      organization_id: org.id,
      attribute_mapping: { org: '{{org.slug}}', role: '{{org.role}}' },
    })
    const sp = await nodeSamlSp(tenant)
    const hop = await throughBrowser(oauthBrowser(t, tenant), await sp.getAuthorizeUrlAsync('', undefined, {}), user)
    errorPageOf(hop)
    expect(hop.status).toBe(403)
    const refused = (await auditOf(t, tenant)).find((a) => a.action === 'saml_idp.request_refused')
    expect(refused).toMatchObject({ actorId: user.id, data: { reason: 'not_a_member' } })

    // Asked passively, the same refusal is a signed RequestDenied status at the ACS, not a page.
    const passive = await nodeSamlSp(tenant, { passive: true })
    const browser = oauthBrowser(t, tenant)
    await throughBrowser(browser, await sp.getAuthorizeUrlAsync('', undefined, {}), user)
    const denied = postedForm(await browser.open(await passive.getAuthorizeUrlAsync('rs', undefined, {})))
    expect(denied.action).toBe(ACS)
    expect(Buffer.from(denied.fields.SAMLResponse!, 'base64').toString()).toContain('status:RequestDenied')
    await expect(passive.validatePostResponseAsync({ SAMLResponse: denied.fields.SAMLResponse! })).rejects.toThrow()

    const insider = await newUser(t, tenant)
    await addMember(t, tenant, org.id, insider.id, 'org:member')
    const ok = await throughBrowser(oauthBrowser(t, tenant), await sp.getAuthorizeUrlAsync('', undefined, {}), insider)
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: postedForm(ok).fields.SAMLResponse! })
    expect(profile?.attributes).toEqual({ org: org.slug, role: 'org:member' })
  })

  it("refuses another tenant's SP: the Issuer is unknown at this tenant", async () => {
    const { tenant } = await tenantWithUser()
    const owner = await newTenant(t)
    await createSp(owner)
    // The SP is registered at `owner`, but its request goes to `tenant`'s SSO endpoint.
    const sp = new SAML({
      entryPoint: `${tenant.issuer}/saml/idp/sso`,
      issuer: SP_ENTITY,
      callbackUrl: ACS,
      idpCert: await idpCertificate(owner),
    })
    errorPageOf(await oauthBrowser(t, tenant).open(await sp.getAuthorizeUrlAsync('', undefined, {})))
  })

  it('refuses a pending request in another browser, or one that has expired', async () => {
    const { tenant, user } = await tenantWithUser()
    await createSp(tenant)
    const sp = await nodeSamlSp(tenant)
    const first = await oauthBrowser(t, tenant).open(await sp.getAuthorizeUrlAsync('', undefined, {}))
    expect(first.url).toContain('/sign-in')
    const returnTo = new URL(first.url).searchParams.get('return_to')!
    expect(returnTo).toMatch(/^\/t\/[^/]+\/saml\/idp\/sso\?pending=/)
    // The attacker's browser signs in with its own account and opens the victim's pending request.
    const attacker = oauthBrowser(t, tenant)
    const signedIn = await throughBrowser(attacker, await sp.getAuthorizeUrlAsync('', undefined, {}), user)
    postedForm(signedIn)
    errorPageOf(await attacker.open(`${PUBLIC_URL}${returnTo}`))
    // Expired: even the browser it is bound to cannot use it after ten minutes.
    const owner = oauthBrowser(t, tenant)
    const pending = await owner.open(await sp.getAuthorizeUrlAsync('', undefined, {}))
    const later = new URL(pending.url).searchParams.get('return_to')!
    const now = t.clock.now()
    t.clock.advance(601_000)
    try {
      errorPageOf(await owner.open(`${PUBLIC_URL}${later}`))
    } finally {
      t.clock.set(now)
    }
  })
})
