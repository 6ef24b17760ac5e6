import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { testApp, type CreatedTenant, type TestApp } from '../support/app'
import { addMember, auditOf, bapi, expectError, member, newOrg, ok, orgTenant, outboxOf } from '../support/orgs'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

interface Membership {
  object: string
  id: string
  organization: { id: string; name: string; slug: string; image_url: string | null }
  public_user_data: { user_id: string; first_name: string | null; last_name: string | null; identifier: string | null }
  role: string
  role_name: string
  permissions: string[]
  status: string
  public_metadata: Record<string, unknown>
  private_metadata?: Record<string, unknown>
}
type Page = { data: Membership[]; meta: { next_cursor: string | null } }

/** A tenant, an organization owned by a signed-in owner, and the backend's caller. */
async function ownedOrg(body: Record<string, unknown> = {}) {
  const tenant = await orgTenant(t)
  const owner = await member(t, tenant, { first_name: 'Olive' })
  const org = await newOrg(t, tenant, { created_by: owner.id, ...body })
  return { tenant, owner, org, api: bapi(t, tenant) }
}

const membershipsPath = (orgId: string, rest = '') => `/organizations/${orgId}/memberships${rest}`
const signedMember = (tenant: CreatedTenant, org: { id: string }, role: string) =>
  member(t, tenant).then(async (m) => {
    await addMember(t, tenant, org.id, m.id, role)
    return m
  })

describe('/v1/organizations/:id/memberships', () => {
  it('adds, lists, filters, updates and removes members, with events and audit', async () => {
    const { tenant, owner, org, api } = await ownedOrg()
    const user = await member(t, tenant, { first_name: 'Ada', last_name: 'Lovelace' })
    const added = await ok<Membership>(
      await api('POST', membershipsPath(org.id), {
        user_id: user.id,
        role: 'org:member',
        public_metadata: { team: 'red' },
        private_metadata: { note: 'vip' },
      }),
      201,
    )
    expect(added).toMatchObject({
      object: 'organization_membership',
      organization: { id: org.id, name: 'Acme', slug: org.slug, image_url: null },
      public_user_data: { user_id: user.id, first_name: 'Ada', last_name: 'Lovelace', identifier: user.email },
      role: 'org:member',
      role_name: 'Member',
      permissions: ['org:sys_memberships:read'],
      status: 'active',
      public_metadata: { team: 'red' },
      private_metadata: { note: 'vip' },
    })
    expect(added.id).toMatch(/^orgmem_/)
    await expectError(
      await api('POST', membershipsPath(org.id), { user_id: user.id, role: 'org:admin' }),
      409,
      'duplicate_record',
      { param_name: 'user_id' },
    )
    await expectError(
      await api('POST', membershipsPath(org.id), { user_id: 'user_nope', role: 'org:member' }),
      404,
      'resource_not_found',
    )
    const third = await member(t, tenant)
    await expectError(
      await api('POST', membershipsPath(org.id), { user_id: third.id, role: 'org:nope' }),
      422,
      'form_param_format_invalid',
      { param_name: 'role' },
    )

    const list = async (q = '') => (await ok<Page>(await api('GET', membershipsPath(org.id, q)))).data
    expect((await list()).map((m) => m.public_user_data.user_id)).toEqual([user.id, owner.id])
    expect((await list('?role=org:owner')).map((m) => m.public_user_data.user_id)).toEqual([owner.id])
    expect((await list('?query=lovelace')).map((m) => m.public_user_data.user_id)).toEqual([user.id])
    expect((await list('?query=nobody')).length).toBe(0)
    const page = await ok<Page>(await api('GET', membershipsPath(org.id, '?limit=1')))
    expect(page.data).toHaveLength(1)
    const rest = await ok<Page>(await api('GET', membershipsPath(org.id, `?limit=1&cursor=${page.meta.next_cursor}`)))
    expect(rest.data.map((m) => m.public_user_data.user_id)).toEqual([owner.id])

    const ofUser = await ok<Page>(await api('GET', `/users/${user.id}/organization-memberships`))
    expect(ofUser.data.map((m) => m.id)).toEqual([added.id])

    const changed = await ok<Membership>(
      await api('PATCH', membershipsPath(org.id, `/${user.id}`), { role: 'org:admin', private_metadata: {} }),
    )
    expect(changed).toMatchObject({
      role: 'org:admin',
      role_name: 'Admin',
      private_metadata: {},
      public_metadata: { team: 'red' },
    })
    expect(await ok(await api('DELETE', membershipsPath(org.id, `/${user.id}`)))).toEqual({
      object: 'organization_membership',
      id: added.id,
      deleted: true,
    })
    await expectError(await api('DELETE', membershipsPath(org.id, `/${user.id}`)), 404, 'resource_not_found')
    expect((await ok<{ members_count: number }>(await api('GET', `/organizations/${org.id}`))).members_count).toBe(1)

    const types = (await outboxOf(t, tenant)).map((e) => e.type).filter((e) => e.startsWith('organizationMembership'))
    expect(types).toEqual([
      'organizationMembership.created',
      'organizationMembership.created',
      'organizationMembership.updated',
      'organizationMembership.deleted',
    ])
    const update = (await auditOf(t, tenant)).find((a) => a.action === 'organizationMembership.updated')!
    expect(update.data).toMatchObject({
      before: { role: 'org:member' },
      after: { role: 'org:admin' },
      user_id: user.id,
    })
  })

  it('refuses a member beyond max_memberships with 403 organization_membership_quota_exceeded', async () => {
    const { tenant, org, api } = await ownedOrg({ max_memberships: 2 })
    await signedMember(tenant, org, 'org:member')
    const extra = await member(t, tenant)
    await expectError(
      await api('POST', membershipsPath(org.id), { user_id: extra.id, role: 'org:member' }),
      403,
      'organization_membership_quota_exceeded',
    )
    await ok(await api('PATCH', `/organizations/${org.id}`, { max_memberships: 0 }))
    await ok(await api('POST', membershipsPath(org.id), { user_id: extra.id, role: 'org:member' }), 201)
  })

  it('keeps the last owner: remove, demote and leave are 409 last_owner until another owner exists', async () => {
    const { tenant, owner, org, api } = await ownedOrg()
    await expectError(await api('DELETE', membershipsPath(org.id, `/${owner.id}`)), 409, 'last_owner')
    await expectError(
      await api('PATCH', membershipsPath(org.id, `/${owner.id}`), { role: 'org:admin' }),
      409,
      'last_owner',
    )
    await expectError(await owner.fapi('DELETE', `/me/organization-memberships/${org.id}`), 409, 'last_owner')
    // Concurrent removals of two owners: the organization's row lock lets only one through.
    const second = await signedMember(tenant, org, 'org:owner')
    const results = await Promise.all([
      api('DELETE', membershipsPath(org.id, `/${owner.id}`)),
      api('DELETE', membershipsPath(org.id, `/${second.id}`)),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([200, 409])
  })

  it('lets an owner leave once a co-owner exists; /me lists memberships without private_metadata', async () => {
    const { tenant, owner, org, api } = await ownedOrg()
    await signedMember(tenant, org, 'org:owner')
    await ok(await api('PATCH', membershipsPath(org.id, `/${owner.id}`), { private_metadata: { x: 1 } }))
    const mine = await ok<Page>(await owner.fapi('GET', '/me/organization-memberships'))
    expect(mine.data.map((m) => m.organization.id)).toEqual([org.id])
    expect('private_metadata' in mine.data[0]!).toBe(false)
    const left = await ok<{ deleted: boolean; object: string }>(
      await owner.fapi('DELETE', `/me/organization-memberships/${org.id}`),
    )
    expect(left).toMatchObject({ object: 'organization_membership', deleted: true })
    expect((await ok<Page>(await owner.fapi('GET', '/me/organization-memberships'))).data).toEqual([])
    await expectError(await owner.fapi('DELETE', `/me/organization-memberships/${org.id}`), 404, 'resource_not_found')
  })

  it('deleting a user removes their memberships, even as last owner (erasure is not blocked)', async () => {
    const { tenant, owner, org, api } = await ownedOrg()
    await ok(await api('DELETE', `/users/${owner.id}`))
    expect((await ok<Page>(await api('GET', membershipsPath(org.id)))).data).toEqual([])
    expect((await outboxOf(t, tenant)).map((e) => e.type)).toContain('organizationMembership.deleted')
  })
})

describe('escalation on the Frontend API (API.md §14)', () => {
  it('a manager may add and remove members but not make anyone admin (403 role_level)', async () => {
    const { tenant, org } = await ownedOrg()
    const manager = await signedMember(tenant, org, 'org:manager')
    const user = await member(t, tenant)
    const denied = { reason: 'role_level' }
    await expectError(
      await manager.fapi('POST', `/organizations/${org.id}/memberships`, { user_id: user.id, role: 'org:admin' }),
      403,
      'permission_denied',
      denied,
    )
    await expectError(
      await manager.fapi('POST', `/organizations/${org.id}/memberships`, { user_id: user.id, role: 'org:manager' }),
      403,
      'permission_denied',
      denied,
    )
    const added = await ok<Membership>(
      await manager.fapi('POST', `/organizations/${org.id}/memberships`, { user_id: user.id, role: 'org:member' }),
      201,
    )
    expect('private_metadata' in added).toBe(false)
    await expectError(
      await manager.fapi('PATCH', `/organizations/${org.id}/memberships/${user.id}`, { role: 'org:admin' }),
      403,
      'permission_denied',
      denied,
    )
    // Nobody changes their own role.
    await expectError(
      await manager.fapi('PATCH', `/organizations/${org.id}/memberships/${manager.id}`, { role: 'org:member' }),
      403,
      'permission_denied',
      denied,
    )
    await ok(await manager.fapi('DELETE', `/organizations/${org.id}/memberships/${user.id}`))
    const audit = (await auditOf(t, tenant))
      .filter((a) => a.actorId === manager.id && a.action.startsWith('organization'))
      .map((a) => a.action)
    expect(audit).toEqual(['organizationMembership.created', 'organizationMembership.deleted'])
  })

  it('an admin cannot demote or remove the owner; an owner may grant owner', async () => {
    const { tenant, owner, org } = await ownedOrg()
    const admin = await signedMember(tenant, org, 'org:admin')
    const path = `/organizations/${org.id}/memberships/${owner.id}`
    await expectError(await admin.fapi('PATCH', path, { role: 'org:member' }), 403, 'permission_denied', {
      reason: 'role_level',
    })
    await expectError(await admin.fapi('DELETE', path), 403, 'permission_denied', { reason: 'role_level' })

    const granted = await ok<Membership>(
      await owner.fapi('PATCH', `/organizations/${org.id}/memberships/${admin.id}`, { role: 'org:owner' }),
    )
    expect(granted.role).toBe('org:owner')
    const newcomer = await member(t, tenant)
    const added = await ok<Membership>(
      await owner.fapi('POST', `/organizations/${org.id}/memberships`, { user_id: newcomer.id, role: 'org:owner' }),
      201,
    )
    expect(added.role).toBe('org:owner')
    // Co-owners are peers: one cannot demote the other.
    await expectError(await admin.fapi('PATCH', path, { role: 'org:admin' }), 403, 'permission_denied', {
      reason: 'role_level',
    })
  })
})
