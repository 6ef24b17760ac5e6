import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { enterpriseConnections, samlAssertionIds } from '../../src/features/enterprise-connections/schema'
import * as EnterpriseConnectionsService from '../../src/features/enterprise-connections/service'
import { idpMetadataXml } from '../../src/features/saml/idp'
import { validateResponse } from '../../src/features/saml/service'
import { auditEvents, outbox } from '../../src/platform/db/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { startFakeOidc, type FakeIdp } from '../support/fake-idp'
import { newOrg } from '../support/orgs'
import { generateIdpKey, IDP_ENTITY_ID, NOW, respond, type TestKey } from '../support/saml'
import { serveLocal, type LocalServer } from '../support/local-server'

let t: TestApp
let idp: FakeIdp
let key: TestKey
let metadataServer: LocalServer
let metadataUrl: string
const SSO_URL = 'https://idp.example.com/saml/sso'

beforeAll(async () => {
  t = await testApp({ webhookAllowPrivate: true })
  idp = await startFakeOidc()
  key = await generateIdpKey('Example IdP')
  const xml = idpMetadataXml({ entityId: IDP_ENTITY_ID, ssoUrl: SSO_URL, certificatePems: [key.certificatePem] })
  metadataServer = serveLocal({
    fetch: (req) =>
      new URL(req.url).pathname === '/metadata'
        ? new Response(xml, { headers: { 'content-type': 'application/samlmetadata+xml' } })
        : new Response('not found', { status: 404 }),
  })
  metadataUrl = `http://127.0.0.1:${metadataServer.port}/metadata`
})
afterAll(async () => {
  idp.stop()
  metadataServer.stop()
  await t.close()
})

interface Connection {
  object: string
  id: string
  name: string
  protocol: 'oidc' | 'saml'
  organization_id: string
  domains: string[]
  active: boolean
  oidc_discovery_url: string | null
  oidc_client_id: string | null
  oidc_scopes: string[] | null
  redirect_uri: string | null
  idp_metadata_url: string | null
  idp_entity_id: string | null
  idp_sso_url: string | null
  idp_certificate: string | null
  sp_entity_id: string | null
  acs_url: string | null
  sp_metadata_url: string | null
  attribute_mapping: Record<string, string>
  role_mapping: { group: string; role: string }[]
  default_role: string | null
  allow_idp_initiated: boolean
  jit_provisioning: boolean
  created_at: number
  updated_at: number
}

const api = (tenant: CreatedTenant, method: string, path = '', json?: unknown, token = tenant.secret_key) =>
  t.request(method, `/v1/enterprise-connections${path}`, { token, ...(json === undefined ? {} : { json }) })

async function create(tenant: CreatedTenant, body: Record<string, unknown>): Promise<Connection> {
  const res = await api(tenant, 'POST', '', body)
  if (res.status !== 201) throw new Error(`connection creation failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as Connection
}

async function expectError(res: Response, status: number, code: string, meta: Record<string, unknown> = {}) {
  const text = await res.clone().text()
  expect(`${res.status} ${text}`).toStartWith(`${status} `)
  const error = await firstError(res)
  expect(error.code).toBe(code)
  expect(error.meta).toMatchObject(meta)
}

/** The tenant as the service's lookups take it (none of these has a custom domain). */
const address = (tenant: CreatedTenant) => ({ ...tenant, customHost: null })

const rowOf = (tenant: CreatedTenant, id: string) =>
  withTenant(t.deps.db, tenant.id, async (tx) => {
    const [row] = await tx.select().from(enterpriseConnections).where(eq(enterpriseConnections.id, id))
    return row ?? null
  })

/** A tenant with an organization, and the bodies of its connections. */
async function setup() {
  const tenant = await newTenant(t)
  const org = await newOrg(t, tenant)
  const oidc = (extra: Record<string, unknown> = {}) => ({
    protocol: 'oidc',
    name: 'Acme Okta',
    organization_id: org.id,
    domains: ['acme.com'],
    oidc_discovery_url: idp.issuer,
    oidc_client_id: idp.clientId,
    oidc_client_secret: idp.clientSecret,
    ...extra,
  })
  const saml = (extra: Record<string, unknown> = {}) => ({
    protocol: 'saml',
    name: 'Acme ADFS',
    organization_id: org.id,
    domains: ['acme.com'],
    idp_entity_id: IDP_ENTITY_ID,
    idp_sso_url: SSO_URL,
    idp_certificate: key.certificatePem,
    ...extra,
  })
  return { tenant, org, oidc, saml }
}

describe('POST /v1/enterprise-connections (OIDC)', () => {
  it('creates a connection with its defaults and redirect URI, checks discovery, and never returns the secret', async () => {
    const { tenant, org, oidc } = await setup()
    const res = await api(tenant, 'POST', '', oidc({ domains: ['Acme.COM', 'acme.com.', 'eu.acme.com'] }))
    const text = await res.text()
    expect(res.status).toBe(201)
    expect(text).not.toContain(idp.clientSecret)
    const conn = JSON.parse(text) as Connection
    expect(conn.id).toStartWith('conn_')
    expect(conn).toMatchObject({
      object: 'enterprise_connection',
      name: 'Acme Okta',
      protocol: 'oidc',
      organization_id: org.id,
      domains: ['acme.com', 'eu.acme.com'],
      active: true,
      oidc_discovery_url: idp.issuer,
      oidc_client_id: idp.clientId,
      oidc_scopes: ['openid', 'email', 'profile'],
      redirect_uri: `${PUBLIC_URL}/t/${tenant.slug}/v1/oauth-callback/${conn.id}`,
      idp_certificate: null,
      // Every server-set URL is shown, as API.md §16 lists them.
      sp_entity_id: `${PUBLIC_URL}/t/${tenant.slug}/saml/${conn.id}/metadata`,
      acs_url: `${PUBLIC_URL}/t/${tenant.slug}/saml/${conn.id}/acs`,
      attribute_mapping: {
        user_id: 'sub',
        email_address: 'email',
        first_name: 'given_name',
        last_name: 'family_name',
        groups: 'groups',
      },
      role_mapping: [],
      default_role: null,
      allow_idp_initiated: false,
      jit_provisioning: true,
    })
    expect(conn).not.toHaveProperty('oidc_client_secret')
    const row = (await rowOf(tenant, conn.id))!
    expect(row.oidcClientSecretSealed).not.toContain(idp.clientSecret)
    const config = await withTenant(t.deps.db, tenant.id, (tx) =>
      EnterpriseConnectionsService.findById(t.deps, tx, address(tenant), conn.id),
    )
    expect(await EnterpriseConnectionsService.oidcClientSecretOf(t.deps, config!)).toBe(idp.clientSecret)

    for (const read of [await api(tenant, 'GET', `/${conn.id}`), await api(tenant, 'GET')]) {
      expect(read.status).toBe(200)
      expect(await read.text()).not.toContain(idp.clientSecret)
    }
    const events = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(outbox).where(eq(outbox.tenantId, tenant.id)),
    )
    const created = events.filter((e) => e.type === 'enterpriseConnection.created')
    expect(created).toHaveLength(1)
    expect(JSON.stringify(created)).not.toContain(idp.clientSecret)
    const audit = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.targetId, conn.id))),
    )
    expect(audit.map((a) => [a.action, a.actorType])).toEqual([['enterpriseConnection.created', 'secret_key']])
  })

  it('gives openid-client a configuration discovered through the outbound adapter', async () => {
    const { tenant, oidc } = await setup()
    const conn = await create(tenant, oidc({ oidc_scopes: ['email'] }))
    expect(conn.oidc_scopes).toEqual(['openid', 'email'])
    const config = await withTenant(t.deps.db, tenant.id, (tx) =>
      EnterpriseConnectionsService.findById(t.deps, tx, address(tenant), conn.id),
    )
    const configuration = await EnterpriseConnectionsService.oidcConfigurationOf(t.deps, config!)
    expect(configuration.serverMetadata().issuer).toBe(idp.issuer)
    expect(configuration.clientMetadata().client_id).toBe(idp.clientId)
  })

  it('refuses an unreachable discovery URL, a foreign issuer, missing fields and SAML fields', async () => {
    const { tenant, oidc } = await setup()
    await expectError(
      await api(tenant, 'POST', '', oidc({ oidc_discovery_url: 'http://127.0.0.1:1' })),
      422,
      'form_param_format_invalid',
      {
        param_name: 'oidc_discovery_url',
        reason: 'unreachable',
      },
    )
    idp.tamper.documentIssuer = 'https://evil.example.com'
    try {
      await expectError(await api(tenant, 'POST', '', oidc()), 422, 'form_param_format_invalid', {
        param_name: 'oidc_discovery_url',
        reason: 'issuer_mismatch',
      })
    } finally {
      idp.tamper.documentIssuer = undefined
    }
    await expectError(
      await api(tenant, 'POST', '', oidc({ oidc_client_secret: undefined })),
      422,
      'form_param_missing',
      {
        param_name: 'oidc_client_secret',
      },
    )
    await expectError(
      await api(tenant, 'POST', '', oidc({ idp_entity_id: 'https://idp' })),
      422,
      'form_param_format_invalid',
      { param_name: 'idp_entity_id', reason: 'not_applicable' },
    )
    await expectError(
      await api(tenant, 'POST', '', oidc({ domains: ['gmail.com'] })),
      422,
      'form_param_format_invalid',
      {
        param_name: 'domains',
        reason: 'public_email_domain',
      },
    )
    await expectError(
      await api(tenant, 'POST', '', oidc({ domains: ['not a domain'] })),
      422,
      'form_param_format_invalid',
      {
        param_name: 'domains',
      },
    )
    await expectError(await api(tenant, 'POST', '', oidc({ organization_id: 'org_nope' })), 404, 'resource_not_found')
  })
})

describe('POST /v1/enterprise-connections (SAML)', () => {
  it('takes entity id + SSO URL + PEM and shows the server-set SP URLs', async () => {
    const { tenant, saml } = await setup()
    const conn = await create(tenant, saml())
    const issuer = `${PUBLIC_URL}/t/${tenant.slug}`
    expect(conn).toMatchObject({
      protocol: 'saml',
      idp_entity_id: IDP_ENTITY_ID,
      idp_sso_url: SSO_URL,
      idp_metadata_url: null,
      idp_certificate: key.certificatePem,
      sp_entity_id: `${issuer}/saml/${conn.id}/metadata`,
      sp_metadata_url: `${issuer}/saml/${conn.id}/metadata`,
      acs_url: `${issuer}/saml/${conn.id}/acs`,
      redirect_uri: `${issuer}/v1/oauth-callback/${conn.id}`,
      oidc_client_id: null,
      attribute_mapping: { user_id: 'NameID', email_address: 'email', groups: 'groups' },
    })
  })

  it('takes metadata XML (write-only) and a metadata URL fetched through the outbound adapter', async () => {
    const { tenant, saml } = await setup()
    const xml = idpMetadataXml({ entityId: IDP_ENTITY_ID, ssoUrl: SSO_URL, certificatePems: [key.certificatePem] })
    const explicit = { idp_entity_id: undefined, idp_sso_url: undefined, idp_certificate: undefined }
    const res = await api(tenant, 'POST', '', saml({ ...explicit, idp_metadata: xml }))
    const text = await res.text()
    expect(res.status).toBe(201)
    expect(text).not.toContain('EntityDescriptor')
    expect(JSON.parse(text)).toMatchObject({
      idp_entity_id: IDP_ENTITY_ID,
      idp_sso_url: SSO_URL,
      idp_certificate: key.certificatePem,
      idp_metadata_url: null,
    })
    expect(JSON.parse(text)).not.toHaveProperty('idp_metadata')

    const fromUrl = await create(tenant, saml({ ...explicit, domains: ['other.com'], idp_metadata_url: metadataUrl }))
    expect(fromUrl).toMatchObject({
      idp_entity_id: IDP_ENTITY_ID,
      idp_sso_url: SSO_URL,
      idp_certificate: key.certificatePem,
      idp_metadata_url: metadataUrl,
    })
  })

  it('refuses a bad PEM, bad metadata, an unreachable metadata URL, mixed sources and a missing source', async () => {
    const { tenant, saml } = await setup()
    const explicit = { idp_entity_id: undefined, idp_sso_url: undefined, idp_certificate: undefined }
    await expectError(
      await api(
        tenant,
        'POST',
        '',
        saml({ idp_certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }),
      ),
      422,
      'form_param_format_invalid',
      { param_name: 'idp_certificate', reason: 'certificate_invalid' },
    )
    await expectError(
      await api(tenant, 'POST', '', saml({ idp_certificate: key.privateKeyPem })),
      422,
      'form_param_format_invalid',
      { param_name: 'idp_certificate', reason: 'certificate_invalid' },
    )
    await expectError(
      await api(tenant, 'POST', '', saml({ ...explicit, idp_metadata: '<nope/>' })),
      422,
      'form_param_format_invalid',
      { param_name: 'idp_metadata', reason: 'metadata_invalid' },
    )
    await expectError(
      await api(tenant, 'POST', '', saml({ ...explicit, idp_metadata_url: metadataUrl.replace('/metadata', '/gone') })),
      422,
      'form_param_format_invalid',
      { param_name: 'idp_metadata_url', reason: 'unreachable' },
    )
    await expectError(
      await api(tenant, 'POST', '', saml({ idp_metadata_url: metadataUrl })),
      422,
      'form_param_format_invalid',
      { param_name: 'idp_entity_id' },
    )
    await expectError(
      await api(tenant, 'POST', '', saml({ idp_sso_url: 'ftp://idp.example.com/sso' })),
      422,
      'form_param_format_invalid',
      {
        param_name: 'idp_sso_url',
      },
    )
    await expectError(await api(tenant, 'POST', '', saml(explicit)), 422, 'form_param_missing', {
      param_name: 'idp_metadata_url',
    })
    await expectError(await api(tenant, 'POST', '', saml({ oidc_client_id: 'x' })), 422, 'form_param_format_invalid', {
      param_name: 'oidc_client_id',
      reason: 'not_applicable',
    })
  })
})

describe('domains and roles', () => {
  it('lets a domain have one active connection (409 duplicate_record on domains), case-insensitively', async () => {
    const { tenant, saml, oidc } = await setup()
    const first = await create(tenant, saml({ domains: ['acme.com'] }))
    await expectError(
      await api(tenant, 'POST', '', oidc({ domains: ['x.com', 'ACME.com'] })),
      409,
      'duplicate_record',
      {
        param_name: 'domains',
      },
    )
    const inactive = await create(tenant, oidc({ domains: ['acme.com'], active: false }))
    expect(inactive.active).toBe(false)
    await expectError(await api(tenant, 'PATCH', `/${inactive.id}`, { active: true }), 409, 'duplicate_record', {
      param_name: 'domains',
    })
    expect((await api(tenant, 'PATCH', `/${first.id}`, { active: false })).status).toBe(200)
    expect((await api(tenant, 'PATCH', `/${inactive.id}`, { active: true })).status).toBe(200)

    const found = await withTenant(t.deps.db, tenant.id, (tx) =>
      EnterpriseConnectionsService.findActiveForEmailDomain(t.deps, tx, address(tenant), 'Acme.Com'),
    )
    expect(found?.id).toBe(inactive.id)
    expect(found?.oidc?.redirectUri).toBe(`${PUBLIC_URL}/t/${tenant.slug}/v1/oauth-callback/${inactive.id}`)
    const none = await withTenant(t.deps.db, tenant.id, (tx) =>
      EnterpriseConnectionsService.findActiveForEmailDomain(t.deps, tx, address(tenant), 'other.com'),
    )
    expect(none).toBeNull()

    // Another tenant may use the same domain.
    const other = await setup()
    await create(other.tenant, other.saml({ domains: ['acme.com'] }))
  })

  it('takes organization role keys in role_mapping and default_role, and refuses others with 422', async () => {
    const { tenant, saml } = await setup()
    const conn = await create(
      tenant,
      saml({ role_mapping: [{ group: 'admins', role: 'org:admin' }], default_role: 'org:member' }),
    )
    expect(conn).toMatchObject({ role_mapping: [{ group: 'admins', role: 'org:admin' }], default_role: 'org:member' })
    await expectError(
      await api(tenant, 'POST', '', saml({ domains: ['b.com'], role_mapping: [{ group: 'x', role: 'org:wizard' }] })),
      422,
      'form_param_format_invalid',
      { param_name: 'role_mapping', reason: 'unknown_role' },
    )
    await expectError(
      await api(tenant, 'PATCH', `/${conn.id}`, { default_role: 'admin' }),
      422,
      'form_param_format_invalid',
      { param_name: 'default_role', reason: 'unknown_role' },
    )
    expect((await api(tenant, 'PATCH', `/${conn.id}`, { default_role: null })).status).toBe(200)
  })
})

describe('GET, PATCH, DELETE /v1/enterprise-connections/:id', () => {
  it('updates fields, rotates the secret, keeps the protocol, deletes, and answers 404 for another tenant', async () => {
    const { tenant, oidc } = await setup()
    const conn = await create(tenant, oidc())
    const patched = await api(tenant, 'PATCH', `/${conn.id}`, {
      name: 'Renamed',
      oidc_client_secret: 'rotated-secret',
      attribute_mapping: { email_address: 'upn' },
      jit_provisioning: false,
    })
    const text = await patched.text()
    expect(patched.status).toBe(200)
    expect(text).not.toContain('rotated-secret')
    expect(JSON.parse(text)).toMatchObject({
      name: 'Renamed',
      jit_provisioning: false,
      attribute_mapping: { user_id: 'sub', email_address: 'upn' },
    })
    const config = await withTenant(t.deps.db, tenant.id, (tx) =>
      EnterpriseConnectionsService.findById(t.deps, tx, address(tenant), conn.id),
    )
    expect(await EnterpriseConnectionsService.oidcClientSecretOf(t.deps, config!)).toBe('rotated-secret')
    await expectError(
      await api(tenant, 'PATCH', `/${conn.id}`, { protocol: 'saml' }),
      422,
      'form_param_format_invalid',
      {
        param_name: 'protocol',
        reason: 'immutable',
      },
    )

    const stranger = await newTenant(t)
    for (const [method, path, body] of [
      ['GET', `/${conn.id}`, undefined],
      ['PATCH', `/${conn.id}`, { name: 'x' }],
      ['DELETE', `/${conn.id}`, undefined],
      ['POST', `/${conn.id}/test`, undefined],
    ] as const) {
      await expectError(await api(stranger, method, path, body), 404, 'resource_not_found')
    }
    const foreign = await withTenant(t.deps.db, stranger.id, (tx) =>
      EnterpriseConnectionsService.findById(t.deps, tx, address(stranger), conn.id),
    )
    expect(foreign).toBeNull()

    const deleted = await api(tenant, 'DELETE', `/${conn.id}`)
    expect(await deleted.json()).toEqual({ object: 'enterprise_connection', id: conn.id, deleted: true })
    await expectError(await api(tenant, 'GET', `/${conn.id}`), 404, 'resource_not_found')
    expect(await rowOf(tenant, conn.id)).toBeNull()
  })

  it('takes a service key with connections:manage and refuses other scopes with 403', async () => {
    const { tenant, saml } = await setup()
    const keyWith = async (scopes: string[]) => {
      const res = await t.request('POST', '/v1/api-keys', { token: tenant.secret_key, json: { name: 'k', scopes } })
      return ((await res.json()) as { key: string }).key
    }
    const manage = await keyWith(['connections:manage'])
    const res = await t.request('POST', '/v1/enterprise-connections', {
      headers: { 'x-api-key': manage },
      json: saml(),
    })
    expect(res.status).toBe(201)
    const other = await keyWith(['users:write'])
    const denied = await t.request('GET', '/v1/enterprise-connections', { headers: { 'x-api-key': other } })
    await expectError(denied, 403, 'permission_denied', { required_scope: 'connections:manage' })
  })
})

describe('GET {issuer}/saml/:id/metadata', () => {
  it('serves SP metadata XML for a SAML connection and 404 for unknown, OIDC or another tenant’s ids', async () => {
    const { tenant, saml, oidc } = await setup()
    const conn = await create(tenant, saml())
    const res = await t.request('GET', `/t/${tenant.slug}/saml/${conn.id}/metadata`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toStartWith('application/samlmetadata+xml')
    const xml = await res.text()
    expect(xml).toContain(`entityID="${conn.sp_entity_id}"`)
    expect(xml).toContain(`Location="${conn.acs_url}"`)

    const oidcConn = await create(tenant, oidc({ domains: ['oidc.example'] }))
    const stranger = await newTenant(t)
    for (const path of [
      `/t/${tenant.slug}/saml/conn_01HZZZZZZZZZZZZZZZZZZZZZZZ/metadata`,
      `/t/${tenant.slug}/saml/${oidcConn.id}/metadata`,
      `/t/${stranger.slug}/saml/${conn.id}/metadata`,
    ]) {
      expect((await t.request('GET', path)).status).toBe(404)
    }
  })
})

describe('POST /v1/enterprise-connections/:id/test', () => {
  it('checks OIDC discovery and JWKS', async () => {
    const { tenant, oidc } = await setup()
    const conn = await create(tenant, oidc())
    const res = await api(tenant, 'POST', `/${conn.id}/test`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { object: string; ok: boolean; checks: { name: string; ok: boolean }[] }
    expect(body.object).toBe('connection_test')
    expect(body.checks.map((c) => [c.name, c.ok])).toEqual([
      ['discovery', true],
      ['jwks', true],
    ])
    expect(body.ok).toBe(true)
  })

  it('checks SAML metadata, certificate validity and an https SSO URL', async () => {
    const { tenant, saml } = await setup()
    const explicit = { idp_entity_id: undefined, idp_sso_url: undefined, idp_certificate: undefined }
    const conn = await create(tenant, saml({ ...explicit, idp_metadata_url: metadataUrl }))
    const ok = (await (await api(tenant, 'POST', `/${conn.id}/test`)).json()) as {
      ok: boolean
      checks: { name: string; ok: boolean }[]
    }
    expect(ok.checks.map((c) => [c.name, c.ok])).toEqual([
      ['metadata', true],
      ['certificate', true],
      ['sso_url', true],
    ])
    expect(ok.ok).toBe(true)

    const plain = await create(tenant, saml({ domains: ['plain.example'], idp_sso_url: 'http://127.0.0.1:9/sso' }))
    t.clock.advance(20 * 365 * 86_400_000)
    try {
      const failed = (await (await api(tenant, 'POST', `/${plain.id}/test`)).json()) as {
        ok: boolean
        checks: { name: string; ok: boolean }[]
      }
      expect(failed.checks.map((c) => [c.name, c.ok])).toEqual([
        ['certificate', false],
        ['sso_url', false],
      ])
      expect(failed.ok).toBe(false)
    } finally {
      t.clock.advance(-20 * 365 * 86_400_000)
    }
  })
})

describe('SAML replay cache and the sign-in service API', () => {
  it('reports a second use of an assertion id as seen, on this node and on another', async () => {
    const { tenant, saml } = await setup()
    const conn = await create(tenant, saml())
    const remember = (app: TestApp, id: string, keepUntil: number) =>
      withTenant(app.deps.db, tenant.id, (tx) =>
        EnterpriseConnectionsService.rememberAssertion(app.deps, tx, tenant.id, conn.id, id, keepUntil),
      )
    const keepUntil = t.clock.now() + 600_000
    expect(await remember(t, '_a1', keepUntil)).toBe(true)
    expect(await remember(t, '_a1', keepUntil)).toBe(false)
    const t2 = await testApp({ webhookAllowPrivate: true })
    try {
      t2.clock.set(t.clock.now())
      expect(await remember(t2, '_a1', keepUntil)).toBe(false)
      expect(await remember(t2, '_a2', keepUntil)).toBe(true)
      expect(await remember(t, '_a2', keepUntil)).toBe(false)
      const racing = await Promise.all([remember(t, '_a3', keepUntil), remember(t2, '_a3', keepUntil)])
      expect(racing.sort()).toEqual([false, true])
    } finally {
      await t2.close()
    }
    // A long id is kept hashed, and still recognised.
    const long = `_${'x'.repeat(1000)}`
    expect(await remember(t, long, keepUntil)).toBe(true)
    expect(await remember(t, long, keepUntil)).toBe(false)

    // Past its keep-until a row no longer counts, and the sweeper deletes it.
    expect(await remember(t, '_old', t.clock.now() - 1)).toBe(true)
    expect(await remember(t, '_old', t.clock.now() + 1_000)).toBe(true)
    expect(await remember(t, '_old', t.clock.now() + 1_000)).toBe(false)
    const swept = await EnterpriseConnectionsService.sweepAssertionIds(t.deps, new Date(keepUntil + 1))
    expect(swept).toBeGreaterThanOrEqual(5)
    const left = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(samlAssertionIds).where(eq(samlAssertionIds.connectionId, conn.id)),
    )
    expect(left).toEqual([])
  })

  it('hands sp.ts a SamlConnection that validates the IdP’s response once, and refuses its replay', async () => {
    const { tenant, saml } = await setup()
    const conn = await create(tenant, saml())
    const config = await withTenant(t.deps.db, tenant.id, (tx) =>
      EnterpriseConnectionsService.findById(t.deps, tx, address(tenant), conn.id),
    )
    const sp = EnterpriseConnectionsService.samlConnectionOf(config!)
    expect(sp).toEqual({
      spEntityId: conn.sp_entity_id!,
      acsUrl: conn.acs_url!,
      idpEntityId: IDP_ENTITY_ID,
      idpSsoUrl: SSO_URL,
      idpCertificates: [key.certificatePem],
      allowIdpInitiated: false,
    })
    const response = respond(key, { sp: { entityId: sp.spEntityId, acsUrl: sp.acsUrl } })
    const validate = () =>
      withTenant(t.deps.db, tenant.id, (tx) =>
        validateResponse(sp, response, {
          expectedInResponseTo: '_req_1',
          now: NOW,
          seen: async (id, keepUntil) =>
            !(await EnterpriseConnectionsService.rememberAssertion(t.deps, tx, tenant.id, conn.id, id, keepUntil)),
        }),
      )
    // The signed response is valid at NOW; the replay cache keeps its id by the same clock.
    const saved = t.clock.now()
    t.clock.set(NOW)
    try {
      const first = await validate()
      expect(first).toMatchObject({ ok: true, nameId: 'ada@example.com' })
      expect(await validate()).toEqual({ ok: false, reason: 'replayed' })
    } finally {
      t.clock.set(saved)
    }
  })
})
