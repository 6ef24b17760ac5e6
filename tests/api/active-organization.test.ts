import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose'
import { organizationMemberships } from '../../src/features/organizations/schema'
import { withTenant } from '../../src/platform/db/tx'
import { testApp, type CreatedTenant, type TestApp } from '../support/app'
import { nativeClient, newUser, signInNative } from '../support/flows'
import { addMember, bapi, expectError, newOrg, ok, orgTenant } from '../support/orgs'
import { waitFor } from '../support/wait'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

interface Session {
  object: string
  id: string
  status: string
  last_active_organization_id: string | null
}

/** A signed-in native client: its session, tokens, and the calls on that session. */
async function signedIn(tenant: CreatedTenant) {
  const user = await newUser(t, tenant)
  const client = nativeClient(t, tenant)
  const signed = await signInNative(t, tenant, user, client)
  let refreshToken = signed.refresh_token
  const sid = signed.session.id
  return {
    user,
    client,
    sid,
    token: signed.session_token,
    switchTo: (organizationId: string | null) =>
      client.request('PATCH', `/client/sessions/${sid}/active-organization`, { organization_id: organizationId }),
    /** Refreshes (optionally switching with `organization_id`) and keeps the rotated refresh token. */
    async refresh(extra: Record<string, unknown> = {}): Promise<string> {
      const body = await ok<{ jwt: string; refresh_token: string }>(
        await client.request('POST', `/client/sessions/${sid}/tokens`, { refresh_token: refreshToken, ...extra }),
      )
      refreshToken = body.refresh_token
      return body.jwt
    },
    /** The FAPI template mint: the client and this session's token (API.md §14). */
    mint: (name: string, json?: unknown) =>
      t.request('POST', `/t/${tenant.slug}/v1/client/sessions/${sid}/tokens/${name}`, {
        headers: { 'x-client-token': client.token!, authorization: `Bearer ${signed.session_token}` },
        ...(json === undefined ? {} : { json }),
      }),
    refreshRaw: (extra: Record<string, unknown>) =>
      client.request('POST', `/client/sessions/${sid}/tokens`, { refresh_token: refreshToken, ...extra }),
  }
}

/** The session token's claims, verified with the tenant's JWKS as a backend would. */
async function claimsOf(tenant: CreatedTenant, jwt: string): Promise<JWTPayload> {
  const jwks = createLocalJWKSet(
    (await (await t.request('GET', `/t/${tenant.slug}/.well-known/jwks.json`)).json()) as JSONWebKeySet,
  )
  return (await jwtVerify(jwt, jwks, { issuer: tenant.issuer, currentDate: new Date(t.clock.now()) })).payload
}

const introspect = async (app: TestApp, tenant: CreatedTenant, token: string, organizationId?: string) =>
  ok<Record<string, unknown>>(
    await app.request('POST', '/v1/tokens/introspect', {
      token: tenant.secret_key,
      json: { token, ...(organizationId === undefined ? {} : { organization_id: organizationId }) },
    }),
  )

const NO_ORG = { org_id: null, org_slug: null, org_role: null, permissions: [] }

/** A tenant with a custom organization role `org:billing` holding two custom permissions. */
async function billingTenant() {
  const tenant = await orgTenant(t)
  const api = bapi(t, tenant)
  for (const key of ['org:invoices:write', 'org:invoices:read'])
    await ok(await api('POST', '/permissions', { key, name: key }), 201)
  const role = await ok<{ id: string }>(
    await api('POST', '/roles', {
      key: 'org:billing',
      name: 'Billing',
      level: 20,
      permissions: ['org:invoices:write', 'org:invoices:read'],
    }),
    201,
  )
  return { tenant, api, role }
}

/** A tenant, an organization and a signed-in member of it with `role`. */
async function memberOf(role = 'org:member') {
  const tenant = await orgTenant(t)
  const org = await newOrg(t, tenant, { name: 'Acme', slug: `acme-${crypto.randomUUID().slice(0, 8)}` })
  const s = await signedIn(tenant)
  await addMember(t, tenant, org.id, s.user.id, role)
  return { tenant, org, s, api: bapi(t, tenant) }
}

describe('PATCH /client/sessions/:sid/active-organization', () => {
  it('switches: the Session shows it; the next token carries org_id, org_slug, org_role, org_permissions', async () => {
    const { tenant, api } = await billingTenant()
    const org = await newOrg(t, tenant, { name: 'Acme', slug: 'acme' })
    const s = await signedIn(tenant)
    await addMember(t, tenant, org.id, s.user.id, 'org:billing')
    expect(await claimsOf(tenant, s.token)).not.toHaveProperty('org_id')

    const session = await ok<Session>(await s.switchTo(org.id))
    expect(session).toMatchObject({
      object: 'session',
      id: s.sid,
      status: 'active',
      last_active_organization_id: org.id,
    })
    const read = await ok<Session>(await api('GET', `/sessions/${s.sid}`))
    expect(read.last_active_organization_id).toBe(org.id)

    const jwt = await s.refresh()
    expect(await claimsOf(tenant, jwt)).toMatchObject({
      sub: s.user.id,
      sid: s.sid,
      org_id: org.id,
      org_slug: 'acme',
      org_role: 'org:billing',
      org_permissions: ['org:invoices:read', 'org:invoices:write'],
    })
    expect(await introspect(t, tenant, jwt)).toMatchObject({
      active: true,
      org_id: org.id,
      org_slug: 'acme',
      org_role: 'org:billing',
      permissions: ['org:invoices:read', 'org:invoices:write'],
    })
  })

  it('answers 404 for a non-member’s, unknown or foreign organization, or another client’s session', async () => {
    const { tenant, org, s } = await memberOf()
    const elsewhere = await newOrg(t, tenant, { name: 'Elsewhere' })
    const otherTenant = await orgTenant(t)
    const foreign = await newOrg(t, otherTenant)
    const stranger = await signedIn(tenant)
    for (const id of [elsewhere.id, 'org_unknown', foreign.id, org.slug])
      await expectError(await s.switchTo(id), 404, 'resource_not_found')
    await expectError(
      await stranger.client.request('PATCH', `/client/sessions/${s.sid}/active-organization`, {
        organization_id: org.id,
      }),
      404,
      'resource_not_found',
    )
    // Nothing changed: the session has no active organization and its refresh token still works.
    expect(
      (await ok<Session>(await bapi(t, tenant)('GET', `/sessions/${s.sid}`))).last_active_organization_id,
    ).toBeNull()
    await expectError(await s.refreshRaw({ organization_id: elsewhere.id }), 404, 'resource_not_found')
    expect(await claimsOf(tenant, await s.refresh())).not.toHaveProperty('org_id')
  })

  it('refuses a suspended membership, a missing or mistyped organization_id, and an ended session', async () => {
    const { tenant, org, s } = await memberOf()
    // No route suspends a membership yet: the row is changed directly.
    await withTenant(t.deps.db, tenant.id, (tx) =>
      tx
        .update(organizationMemberships)
        .set({ status: 'suspended' })
        .where(eq(organizationMemberships.userId, s.user.id)),
    )
    await expectError(await s.switchTo(org.id), 404, 'resource_not_found')
    await expectError(
      await s.client.request('PATCH', `/client/sessions/${s.sid}/active-organization`, {}),
      422,
      'form_param_missing',
    )
    await expectError(
      await s.client.request('PATCH', `/client/sessions/${s.sid}/active-organization`, { organization_id: 7 }),
      422,
      'form_param_format_invalid',
    )
    expect((await s.client.request('POST', `/client/sessions/${s.sid}/end`)).status).toBe(200)
    await expectError(await s.switchTo(org.id), 401, 'authentication_invalid')
    expect(
      (await ok<Session>(await bapi(t, tenant)('GET', `/sessions/${s.sid}`))).last_active_organization_id,
    ).toBeNull()
  })

  it('null clears it: the Session shows null and the next token has no org claims', async () => {
    const { tenant, org, s } = await memberOf()
    await ok(await s.switchTo(org.id))
    expect(await claimsOf(tenant, await s.refresh())).toMatchObject({ org_id: org.id, org_role: 'org:member' })
    expect((await ok<Session>(await s.switchTo(null))).last_active_organization_id).toBeNull()
    const claims = await claimsOf(tenant, await s.refresh())
    for (const name of ['org_id', 'org_slug', 'org_role', 'org_permissions']) expect(claims).not.toHaveProperty(name)
  })
})

describe('POST /client/sessions/:sid/tokens { organization_id }', () => {
  it('switches and the new token carries the claims; null switches back to none', async () => {
    const { tenant, org, s, api } = await memberOf('org:manager')
    const claims = await claimsOf(tenant, await s.refresh({ organization_id: org.id }))
    expect(claims).toMatchObject({
      org_id: org.id,
      org_slug: org.slug,
      org_role: 'org:manager',
      org_permissions: ['org:sys_domains:read', 'org:sys_memberships:manage', 'org:sys_memberships:read'],
    })
    expect((await ok<Session>(await api('GET', `/sessions/${s.sid}`))).last_active_organization_id).toBe(org.id)
    expect(await claimsOf(tenant, await s.refresh({ organization_id: null }))).not.toHaveProperty('org_id')
    expect((await ok<Session>(await api('GET', `/sessions/${s.sid}`))).last_active_organization_id).toBeNull()
  })
})

describe('organization claims follow the membership', () => {
  it('a role change: introspection shows it at once, the next refresh carries it', async () => {
    const { tenant, org, s, api } = await memberOf('org:manager')
    const before = await s.refresh({ organization_id: org.id })
    expect(await introspect(t, tenant, before)).toMatchObject({ org_role: 'org:manager' })
    await ok(await api('PATCH', `/organizations/${org.id}/memberships/${s.user.id}`, { role: 'org:member' }))
    expect(await introspect(t, tenant, before)).toMatchObject({
      active: true,
      org_id: org.id,
      org_role: 'org:member',
      permissions: ['org:sys_memberships:read'],
    })
    // The token itself is not rewritten: it keeps what was true when it was signed.
    expect(await claimsOf(tenant, before)).toMatchObject({ org_role: 'org:manager' })
    expect(await claimsOf(tenant, await s.refresh())).toMatchObject({
      org_role: 'org:member',
      org_permissions: ['org:sys_memberships:read'],
    })
  })

  it("a change of the role's permissions: introspection shows it at once, the next refresh carries it", async () => {
    const { tenant, api, role } = await billingTenant()
    const org = await newOrg(t, tenant)
    const s = await signedIn(tenant)
    await addMember(t, tenant, org.id, s.user.id, 'org:billing')
    const jwt = await s.refresh({ organization_id: org.id })
    expect(await introspect(t, tenant, jwt)).toMatchObject({ permissions: ['org:invoices:read', 'org:invoices:write'] })
    await ok(await api('PUT', `/roles/${role.id}/permissions`, { permissions: ['org:invoices:read'] }))
    expect(await introspect(t, tenant, jwt)).toMatchObject({
      org_role: 'org:billing',
      permissions: ['org:invoices:read'],
    })
    expect(await claimsOf(tenant, await s.refresh())).toMatchObject({ org_permissions: ['org:invoices:read'] })
  })

  it('a removed member: org_* null and permissions [] at once here, and on a second node within 1 s', async () => {
    const { tenant, org, s, api } = await memberOf('org:admin')
    const jwt = await s.refresh({ organization_id: org.id })
    const nodeB = await testApp({ platformApiKey: t.platformKey, encryptionKey: t.deps.config.encryptionKey })
    try {
      nodeB.clock.set(t.clock.now())
      nodeB.deps.changes.start()
      // Node B has the membership cached before the removal.
      expect(await introspect(nodeB, tenant, jwt)).toMatchObject({
        active: true,
        org_id: org.id,
        org_role: 'org:admin',
      })
      await ok(await api('DELETE', `/organizations/${org.id}/memberships/${s.user.id}`))
      expect(await introspect(t, tenant, jwt)).toMatchObject({ active: true, ...NO_ORG })
      // Node B shares no bus with this one in embedded mode: its poll of the change feed tells it.
      const started = performance.now()
      await waitFor(async () => (await introspect(nodeB, tenant, jwt)).org_id === null, 1000)
      expect(performance.now() - started).toBeLessThan(1000)
      expect(await introspect(nodeB, tenant, jwt)).toMatchObject({ active: true, ...NO_ORG })
    } finally {
      await nodeB.close()
    }
    // The session still names the organization, but a non-member's token carries no claims of it.
    const claims = await claimsOf(tenant, await s.refresh())
    expect(claims).not.toHaveProperty('org_id')
    expect(claims).not.toHaveProperty('org_permissions')
  })

  it('a deleted organization: the session loses it, introspection shows null at once, no org claims next', async () => {
    const { tenant, org, s, api } = await memberOf('org:owner')
    const jwt = await s.refresh({ organization_id: org.id })
    expect(await introspect(t, tenant, jwt)).toMatchObject({ org_id: org.id, org_role: 'org:owner' })
    await ok(await api('DELETE', `/organizations/${org.id}`))
    expect(await introspect(t, tenant, jwt)).toMatchObject({ active: true, ...NO_ORG })
    expect((await ok<Session>(await api('GET', `/sessions/${s.sid}`))).last_active_organization_id).toBeNull()
    expect(await claimsOf(tenant, await s.refresh())).not.toHaveProperty('org_id')
  })
})

describe('POST /v1/tokens/introspect { organization_id }', () => {
  it("describes that organization instead of the token's; a non-member's is null with no permissions", async () => {
    const { tenant, org, s } = await memberOf('org:member')
    const second = await newOrg(t, tenant, { name: 'Second' })
    await addMember(t, tenant, second.id, s.user.id, 'org:admin')
    const unrelated = await newOrg(t, tenant, { name: 'Unrelated' })
    const jwt = await s.refresh({ organization_id: org.id })
    expect(await introspect(t, tenant, jwt, second.id)).toMatchObject({
      active: true,
      org_id: second.id,
      org_slug: second.slug,
      org_role: 'org:admin',
    })
    expect((await introspect(t, tenant, jwt, second.id)).permissions).toContain('org:sys_memberships:manage')
    expect(await introspect(t, tenant, jwt, unrelated.id)).toMatchObject({ active: true, ...NO_ORG })
    expect(await introspect(t, tenant, jwt, 'org_unknown')).toMatchObject({ active: true, ...NO_ORG })
    // A token without an active organization can still be asked about one.
    expect(await introspect(t, tenant, s.token, second.id)).toMatchObject({ org_id: second.id, org_role: 'org:admin' })
    expect(await introspect(t, tenant, s.token)).toMatchObject(NO_ORG)
  })
})

describe('POST /v1/tokens/introspect: tenant roles', () => {
  it('answers the user’s current tenant roles, not the token’s', async () => {
    const tenant = await orgTenant(t)
    const api = bapi(t, tenant)
    const s = await signedIn(tenant)
    expect(await introspect(t, tenant, s.token)).toMatchObject({ roles: [] })
    for (const key of ['support', 'billing'])
      await ok(await api('POST', '/roles', { key, name: key, scope: 'tenant' }), 201)
    await ok(await api('PUT', `/users/${s.user.id}/roles`, { roles: ['support', 'billing'] }))
    expect(await introspect(t, tenant, s.token)).toMatchObject({ active: true, roles: ['billing', 'support'] })
    expect((await claimsOf(tenant, s.token)).roles).toEqual([])
    await ok(await api('PUT', `/users/${s.user.id}/roles`, { roles: [] }))
    expect(await introspect(t, tenant, s.token)).toMatchObject({ roles: [] })
  })
})

describe('JWT templates: {{org.*}}', () => {
  const claims = { role: '{{org.role}}', perms: '{{org.permissions}}', org: '{{org.slug}}', team: '{{org.name}} team' }
  const payloadOf = async (tenant: CreatedTenant, res: Response) =>
    claimsOf(tenant, (await ok<{ jwt: string }>(res)).jwt)

  it('resolves from organization_id (a membership) and else from the session’s active organization', async () => {
    const { tenant, api, role } = await billingTenant()
    const org = await newOrg(t, tenant, { name: 'Acme', slug: 'acme' })
    const other = await newOrg(t, tenant, { name: 'Other', slug: 'other' })
    const s = await signedIn(tenant)
    await addMember(t, tenant, org.id, s.user.id, 'org:billing')
    await addMember(t, tenant, other.id, s.user.id, 'org:member')
    await ok(await api('POST', '/jwt-templates', { name: 'backend', claims }), 201)
    const fapiMint = (json?: unknown) => s.mint('backend', json)
    const bapiMint = (json: unknown) => api('POST', `/users/${s.user.id}/jwt-templates/backend/tokens`, json)
    const billing = { role: 'org:billing', perms: ['org:invoices:read', 'org:invoices:write'], org: 'acme' }

    expect(await payloadOf(tenant, await fapiMint())).toMatchObject({
      role: null,
      perms: null,
      org: null,
      team: ' team',
    })
    expect(await payloadOf(tenant, await fapiMint({ organization_id: org.id }))).toMatchObject({
      ...billing,
      team: 'Acme team',
    })
    expect(await payloadOf(tenant, await bapiMint({ organization_id: org.id }))).toMatchObject(billing)

    await ok(await s.switchTo(other.id))
    const viaActive = { role: 'org:member', perms: ['org:sys_memberships:read'], org: 'other' }
    expect(await payloadOf(tenant, await fapiMint())).toMatchObject(viaActive)
    expect(await payloadOf(tenant, await bapiMint({ session_id: s.sid }))).toMatchObject(viaActive)
    // organization_id wins over the active organization; without a session there is none.
    expect(await payloadOf(tenant, await fapiMint({ organization_id: org.id }))).toMatchObject(billing)
    expect(await payloadOf(tenant, await bapiMint({}))).toMatchObject({ role: null, org: null })

    // A role's permissions change reaches the next template token.
    await ok(await api('PUT', `/roles/${role.id}/permissions`, { permissions: ['org:invoices:write'] }))
    expect(await payloadOf(tenant, await fapiMint({ organization_id: org.id }))).toMatchObject({
      perms: ['org:invoices:write'],
    })
  })

  it('answers 404 for an organization_id the user is not an active member of', async () => {
    const { tenant, s, api } = await memberOf()
    const elsewhere = await newOrg(t, tenant, { name: 'Elsewhere' })
    await ok(await api('POST', '/jwt-templates', { name: 'backend', claims }), 201)
    for (const res of [
      await s.mint('backend', { organization_id: elsewhere.id }),
      await api('POST', `/users/${s.user.id}/jwt-templates/backend/tokens`, { organization_id: elsewhere.id }),
    ])
      await expectError(res, 404, 'resource_not_found')
  })
})
