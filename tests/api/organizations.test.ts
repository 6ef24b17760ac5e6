import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { organizationMemberships } from '../../src/features/organizations/schema'
import { withTenant } from '../../src/platform/db/tx'
import { testApp, type TestApp } from '../support/app'
import { addMember, auditOf, bapi, expectError, member, newOrg, ok, orgTenant, outboxOf } from '../support/orgs'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

interface Org {
  object: string
  id: string
  name: string
  slug: string
  image_url: string | null
  max_memberships: number
  members_count: number
  public_metadata: Record<string, unknown>
  private_metadata?: Record<string, unknown>
  created_by: string | null
  created_at: number
  updated_at: number
}

describe('/v1/organizations', () => {
  it('creates an organization whose creator joins as owner; reads it by id or slug; updates; deletes', async () => {
    const tenant = await orgTenant(t)
    const api = bapi(t, tenant)
    const creator = await member(t, tenant)
    const org = await ok<Org>(
      await api('POST', '/organizations', {
        name: 'Acme Corp',
        created_by: creator.id,
        public_metadata: { plan: 'pro' },
        private_metadata: { crm: 42 },
      }),
      201,
    )
    expect(org).toMatchObject({
      object: 'organization',
      name: 'Acme Corp',
      slug: 'acme-corp',
      image_url: null,
      max_memberships: 0,
      members_count: 1,
      public_metadata: { plan: 'pro' },
      private_metadata: { crm: 42 },
      created_by: creator.id,
    })
    expect(org.id).toMatch(/^org_/)
    expect(await ok(await api('GET', `/organizations/${org.id}`))).toEqual(org)
    expect(await ok(await api('GET', '/organizations/acme-corp'))).toEqual(org)
    const memberships = await ok<{
      data: { role: string; public_user_data: { user_id: string; identifier: string } }[]
    }>(await api('GET', `/organizations/${org.id}/memberships`))
    expect(memberships.data.map((m) => [m.role, m.public_user_data.user_id, m.public_user_data.identifier])).toEqual([
      ['org:owner', creator.id, creator.email],
    ])

    const updated = await ok<Org>(
      await api('PATCH', `/organizations/${org.id}`, { name: 'Acme', slug: 'acme', private_metadata: { crm: 7 } }),
    )
    expect(updated).toMatchObject({
      name: 'Acme',
      slug: 'acme',
      public_metadata: { plan: 'pro' },
      private_metadata: { crm: 7 },
    })

    expect(await ok(await api('DELETE', `/organizations/${org.id}`))).toEqual({
      object: 'organization',
      id: org.id,
      deleted: true,
    })
    await expectError(await api('GET', `/organizations/${org.id}`), 404, 'resource_not_found')
    const left = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(organizationMemberships).where(eq(organizationMemberships.organizationId, org.id)),
    )
    expect(left).toEqual([])

    const events = await outboxOf(t, tenant)
    expect(events.filter((e) => e.type.startsWith('organization')).map((e) => e.type)).toEqual([
      'organizationMembership.created',
      'organization.created',
      'organization.updated',
      'organization.deleted',
    ])
    const created = events.find((e) => e.type === 'organization.created')!
    expect(created.subject).toBe('tessera.events.organization.created')
    expect((created.payload as { data: Org }).data.id).toBe(org.id)
    const audit = (await auditOf(t, tenant)).filter((a) => a.action.startsWith('organization'))
    expect(audit.map((a) => [a.action, a.actorType])).toEqual([
      ['organizationMembership.created', 'secret_key'],
      ['organization.created', 'secret_key'],
      ['organization.updated', 'secret_key'],
      ['organization.deleted', 'secret_key'],
    ])
  })

  it('derives, validates and keeps slugs unique per tenant (409 duplicate_record)', async () => {
    const tenant = await orgTenant(t)
    const api = bapi(t, tenant)
    expect((await newOrg(t, tenant, { name: '  Ünïcode & Co!  ' })).slug).toBe('unicode-co')
    const second = await newOrg(t, tenant, { name: 'Unicode Co' })
    expect(second.slug).toMatch(/^unicode-co-[a-z0-9]{6}$/)
    for (const slug of ['-acme', 'acme-', 'Acme', 'ac_me', 'a'.repeat(65), ''])
      await expectError(await api('POST', '/organizations', { name: 'x', slug }), 422, 'form_param_format_invalid', {
        param_name: 'slug',
      })
    expect((await newOrg(t, tenant, { slug: 'a' })).slug).toBe('a')
    await expectError(await api('POST', '/organizations', { name: 'x', slug: 'unicode-co' }), 409, 'duplicate_record', {
      param_name: 'slug',
    })
    await expectError(
      await api('PATCH', `/organizations/${second.id}`, { slug: 'unicode-co' }),
      409,
      'duplicate_record',
      {
        param_name: 'slug',
      },
    )
    // Another tenant may use the same slug.
    expect((await newOrg(t, await orgTenant(t), { slug: 'unicode-co' })).slug).toBe('unicode-co')
  })

  it('lists newest first with query, user_id and pagination; another tenant’s ids are 404', async () => {
    const tenant = await orgTenant(t)
    const api = bapi(t, tenant)
    const user = await member(t, tenant)
    const a = await newOrg(t, tenant, { name: 'Alpha Labs' })
    const b = await newOrg(t, tenant, { name: 'Beta Works', created_by: user.id })
    const c = await newOrg(t, tenant, { name: 'Gamma Labs' })
    const list = async (q: string) =>
      await ok<{ data: Org[]; meta: { next_cursor: string | null } }>(await api('GET', `/organizations${q}`))
    expect((await list('')).data.map((o) => o.id)).toEqual([c.id, b.id, a.id])
    expect((await list('?query=labs')).data.map((o) => o.id)).toEqual([c.id, a.id])
    expect((await list(`?query=${b.id}`)).data.map((o) => o.id)).toEqual([b.id])
    expect((await list(`?user_id=${user.id}`)).data.map((o) => o.id)).toEqual([b.id])
    const first = await list('?limit=2')
    expect(first.data.map((o) => o.id)).toEqual([c.id, b.id])
    const next = await list(`?limit=2&cursor=${first.meta.next_cursor}`)
    expect(next.data.map((o) => o.id)).toEqual([a.id])
    expect(next.meta.next_cursor).toBeNull()
    await expectError(await api('GET', '/organizations?limit=0'), 422, 'form_param_format_invalid', {
      param_name: 'limit',
    })

    const other = bapi(t, await orgTenant(t))
    await expectError(await other('GET', `/organizations/${a.id}`), 404, 'resource_not_found')
    await expectError(await other('PATCH', `/organizations/${a.id}`, { name: 'x' }), 404, 'resource_not_found')
    await expectError(await other('DELETE', `/organizations/${a.id}`), 404, 'resource_not_found')
    await expectError(await other('GET', `/organizations/${a.id}/memberships`), 404, 'resource_not_found')
    await expectError(
      await other('POST', `/organizations/${a.id}/memberships`, { user_id: user.id, role: 'org:member' }),
      404,
      'resource_not_found',
    )
  })

  it('has organizations settings defaults; unknown keys are 422; default_max_memberships applies', async () => {
    const tenant = await orgTenant(t, { organizations: { default_max_memberships: 5 } })
    expect(tenant.settings.organizations).toEqual({
      allow_user_creation: true,
      creator_role: 'org:owner',
      default_role: 'org:member',
      default_max_memberships: 5,
      invitation_expiry_days: 7,
    })
    expect((await newOrg(t, tenant)) as unknown as Org).toMatchObject({ max_memberships: 5 })
    const res = await t.request('PATCH', '/v1/settings', {
      token: tenant.secret_key,
      json: { organizations: { nope: true } },
    })
    expect(res.status).toBe(422)
  })
})

describe('Frontend API organizations', () => {
  it('a signed-in user creates an organization as creator_role; the answer has no private_metadata', async () => {
    const tenant = await orgTenant(t)
    const user = await member(t, tenant)
    const org = await ok<Org>(await user.fapi('POST', '/organizations', { name: 'My Team' }), 201)
    expect(org).toMatchObject({ object: 'organization', slug: 'my-team', members_count: 1, created_by: user.id })
    expect('private_metadata' in org).toBe(false)
    await ok(await bapi(t, tenant)('PATCH', `/organizations/${org.id}`, { private_metadata: { secret: 1 } }))
    const read = await ok<Org>(await user.fapi('GET', `/organizations/${org.id}`))
    expect(JSON.stringify(read)).not.toContain('private_metadata')
    const mine = await ok<{ data: { role: string }[] }>(await user.fapi('GET', '/me/organization-memberships'))
    expect(mine.data.map((m) => m.role)).toEqual(['org:owner'])
    expect(JSON.stringify(mine)).not.toContain('private_metadata')
    const memberships = await user.fapi('GET', `/organizations/${org.id}/memberships`)
    expect(JSON.stringify(await ok(memberships))).not.toContain('private_metadata')
    const audit = (await auditOf(t, tenant)).find((a) => a.action === 'organization.created')!
    expect([audit.actorType, audit.actorId]).toEqual(['user', user.id])
  })

  it('refuses creation with 403 organization_creation_disabled when the tenant forbids it', async () => {
    const tenant = await orgTenant(t, { organizations: { allow_user_creation: false } })
    const user = await member(t, tenant)
    await expectError(await user.fapi('POST', '/organizations', { name: 'x' }), 403, 'permission_denied', {
      reason: 'organization_creation_disabled',
    })
    await expectError(
      await t.request('POST', `/t/${tenant.slug}/v1/organizations`, { json: { name: 'x' } }),
      401,
      'authentication_invalid',
    )
  })

  it('answers 404 to non-members and to another tenant’s organization', async () => {
    const tenant = await orgTenant(t)
    const owner = await member(t, tenant)
    const outsider = await member(t, tenant)
    const org = await newOrg(t, tenant, { created_by: owner.id })
    for (const [method, path] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['GET', '/roles'],
      ['GET', '/memberships'],
      ['POST', '/memberships'],
      ['PATCH', `/memberships/${owner.id}`],
      ['DELETE', `/memberships/${owner.id}`],
    ] as const) {
      const body =
        method === 'GET' || method === 'DELETE'
          ? undefined
          : method === 'POST'
            ? { user_id: outsider.id, role: 'org:member' }
            : method === 'PATCH' && path
              ? { role: 'org:member' }
              : { name: 'x' }
      await expectError(await outsider.fapi(method, `/organizations/${org.id}${path}`, body), 404, 'resource_not_found')
    }
    const elsewhere = await orgTenant(t)
    const stranger = await member(t, elsewhere)
    await expectError(await stranger.fapi('GET', `/organizations/${org.id}`), 404, 'resource_not_found')
  })

  it('needs the route’s permission (403 required_permission); any member reads the org and its roles', async () => {
    const tenant = await orgTenant(t)
    const api = bapi(t, tenant)
    const owner = await member(t, tenant)
    const org = await newOrg(t, tenant, { created_by: owner.id })
    // A role without any permission: even reading memberships is refused.
    await ok(await api('POST', '/roles', { key: 'org:guest', name: 'Guest', level: 1 }), 201)
    const guest = await member(t, tenant)
    const plain = await member(t, tenant)
    await addMember(t, tenant, org.id, guest.id, 'org:guest')
    await addMember(t, tenant, org.id, plain.id, 'org:member')

    expect((await ok<Org>(await guest.fapi('GET', `/organizations/${org.id}`))).id).toBe(org.id)
    const roles = await ok<{ data: { key: string }[] }>(await guest.fapi('GET', `/organizations/${org.id}/roles`))
    expect(roles.data.map((r) => r.key)).toEqual(['org:owner', 'org:admin', 'org:manager', 'org:member', 'org:guest'])

    const need = async (who: typeof guest, method: string, path: string, body: unknown, permission: string) =>
      expectError(await who.fapi(method, `/organizations/${org.id}${path}`, body), 403, 'permission_denied', {
        required_permission: permission,
      })
    await need(plain, 'PATCH', '', { name: 'x' }, 'org:sys_profile:manage')
    await need(plain, 'DELETE', '', undefined, 'org:sys_profile:delete')
    await need(guest, 'GET', '/memberships', undefined, 'org:sys_memberships:read')
    await need(plain, 'POST', '/memberships', { user_id: guest.id, role: 'org:member' }, 'org:sys_memberships:manage')
    await need(plain, 'PATCH', `/memberships/${guest.id}`, { role: 'org:member' }, 'org:sys_memberships:manage')
    await need(plain, 'DELETE', `/memberships/${guest.id}`, undefined, 'org:sys_memberships:manage')
    expect(
      (await ok<{ data: unknown[] }>(await plain.fapi('GET', `/organizations/${org.id}/memberships`))).data,
    ).toHaveLength(3)

    const renamed = await ok<Org>(await owner.fapi('PATCH', `/organizations/${org.id}`, { name: 'Renamed' }))
    expect(renamed.name).toBe('Renamed')
    expect(await ok(await owner.fapi('DELETE', `/organizations/${org.id}`))).toEqual({
      object: 'organization',
      id: org.id,
      deleted: true,
    })
  })
})
