import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { decodeJwt } from 'jose'
import { testApp, type TestApp } from '../support/app'
import { signInNative } from '../support/flows'
import { addMember, auditOf, bapi, expectError, member, newOrg, ok, orgTenant, outboxOf } from '../support/orgs'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

interface Role {
  id: string
  key: string
  level: number | null
  permissions: string[]
  is_system: boolean
  scope: string
}
interface Permission {
  id: string
  key: string
  is_system: boolean
}
const SYSTEM_PERMISSIONS = [
  'org:sys_domains:manage',
  'org:sys_domains:read',
  'org:sys_memberships:manage',
  'org:sys_memberships:read',
  'org:sys_profile:delete',
  'org:sys_profile:manage',
  'org:sys_provisioning:manage',
  'org:sys_provisioning:read',
]

async function rolesOf(api: ReturnType<typeof bapi>, query = '') {
  return (await ok<{ data: Role[] }>(await api('GET', `/roles?limit=100${query}`))).data
}
const byKey = (roles: Role[], key: string) => roles.find((r) => r.key === key)!

describe('seeded permissions and roles', () => {
  it('every tenant has the system permissions and the four organization roles with their levels', async () => {
    const api = bapi(t, await orgTenant(t))
    const permissions = (await ok<{ data: Permission[] }>(await api('GET', '/permissions?limit=100'))).data
    expect(permissions.map((p) => p.key).sort()).toEqual(SYSTEM_PERMISSIONS)
    expect(permissions.every((p) => p.is_system && p.id.startsWith('perm_'))).toBe(true)
    const roles = await rolesOf(api)
    expect(roles.map((r) => [r.key, r.level, r.is_system, r.scope]).sort()).toEqual([
      ['org:admin', 50, true, 'organization'],
      ['org:manager', 30, true, 'organization'],
      ['org:member', 10, true, 'organization'],
      ['org:owner', 60, true, 'organization'],
    ])
    expect(byKey(roles, 'org:owner').permissions).toEqual(SYSTEM_PERMISSIONS)
    expect(byKey(roles, 'org:admin').permissions).toEqual(
      SYSTEM_PERMISSIONS.filter((k) => k !== 'org:sys_profile:delete'),
    )
    expect(byKey(roles, 'org:manager').permissions).toEqual([
      'org:sys_domains:read',
      'org:sys_memberships:manage',
      'org:sys_memberships:read',
    ])
    expect(byKey(roles, 'org:member').permissions).toEqual(['org:sys_memberships:read'])
    expect(byKey(roles, 'org:member').id).toMatch(/^role_/)
  })

  it('refuses system roles’ key or level changes and deletion, and system permission writes (403)', async () => {
    const api = bapi(t, await orgTenant(t))
    const roles = await rolesOf(api)
    const admin = byKey(roles, 'org:admin')
    const owner = byKey(roles, 'org:owner')
    const denied = { reason: 'system_resource' }
    await expectError(await api('PATCH', `/roles/${admin.id}`, { level: 55 }), 403, 'permission_denied', denied)
    await expectError(await api('PATCH', `/roles/${admin.id}`, { key: 'org:boss' }), 403, 'permission_denied', denied)
    await expectError(await api('DELETE', `/roles/${owner.id}`), 403, 'permission_denied', denied)
    await expectError(await api('PUT', `/roles/${owner.id}/permissions`, { permissions: [] }), 403, 'permission_denied')
    const renamed = await ok<Role & { name: string }>(
      await api('PATCH', `/roles/${admin.id}`, { name: 'Administrator' }),
    )
    expect(renamed.name).toBe('Administrator')
    expect(renamed.level).toBe(50)

    const permissions = (await ok<{ data: Permission[] }>(await api('GET', '/permissions'))).data
    const system = permissions[0]!
    await expectError(await api('PATCH', `/permissions/${system.id}`, { name: 'x' }), 403, 'permission_denied', denied)
    await expectError(await api('DELETE', `/permissions/${system.id}`), 403, 'permission_denied', denied)
  })
})

describe('/v1/permissions', () => {
  it('creates, reads, updates and deletes a custom permission, with events and audit', async () => {
    const tenant = await orgTenant(t)
    const api = bapi(t, tenant)
    const created = await ok<Permission & { name: string; description: string | null }>(
      await api('POST', '/permissions', { key: 'org:invoices:read', name: 'Read invoices' }),
      201,
    )
    expect(created).toMatchObject({
      object: 'permission',
      key: 'org:invoices:read',
      is_system: false,
      description: null,
    })
    expect(await ok(await api('GET', `/permissions/${created.id}`))).toEqual(created)
    const updated = await ok<{ description: string }>(
      await api('PATCH', `/permissions/${created.id}`, { description: 'See every invoice' }),
    )
    expect(updated.description).toBe('See every invoice')
    expect(await ok(await api('DELETE', `/permissions/${created.id}`))).toEqual({
      object: 'permission',
      id: created.id,
      deleted: true,
    })
    await expectError(await api('GET', `/permissions/${created.id}`), 404, 'resource_not_found')
    expect((await outboxOf(t, tenant)).map((e) => e.type)).toEqual([
      'permission.created',
      'permission.updated',
      'permission.deleted',
    ])
    expect((await auditOf(t, tenant)).map((a) => [a.action, a.actorType, a.targetId])).toEqual([
      ['permission.created', 'secret_key', created.id],
      ['permission.updated', 'secret_key', created.id],
      ['permission.deleted', 'secret_key', created.id],
    ])
  })

  it('keeps the key format: org:<feature>:<action>, no sys_ feature, unique per tenant', async () => {
    const tenant = await orgTenant(t)
    const api = bapi(t, tenant)
    for (const key of [
      'invoices:read',
      'org:Invoices:read',
      'org:sys_billing:read',
      `org:${'a'.repeat(33)}:read`,
      'org:a:b:c',
    ])
      await expectError(await api('POST', '/permissions', { key, name: 'x' }), 422, 'form_param_format_invalid', {
        param_name: 'key',
      })
    await ok(await api('POST', '/permissions', { key: 'org:invoices:read', name: 'x' }), 201)
    await expectError(
      await api('POST', '/permissions', { key: 'org:invoices:read', name: 'y' }),
      409,
      'duplicate_record',
      {
        param_name: 'key',
      },
    )
    // Another tenant has its own namespace, and cannot see this tenant's permissions.
    const other = bapi(t, await orgTenant(t))
    await ok(await other('POST', '/permissions', { key: 'org:invoices:read', name: 'x' }), 201)
    const mine = (await ok<{ data: Permission[] }>(await api('GET', '/permissions?limit=100'))).data
    await expectError(await other('GET', `/permissions/${mine[0]!.id}`), 404, 'resource_not_found')
  })
})

describe('/v1/roles', () => {
  it('creates an organization role with permissions, replaces them, and audits before → after', async () => {
    const tenant = await orgTenant(t)
    const api = bapi(t, tenant)
    await ok(await api('POST', '/permissions', { key: 'org:invoices:read', name: 'Read invoices' }), 201)
    const role = await ok<Role>(
      await api('POST', '/roles', {
        key: 'org:billing',
        name: 'Billing',
        level: 20,
        permissions: ['org:invoices:read', 'org:sys_memberships:read'],
      }),
      201,
    )
    expect(role).toMatchObject({
      object: 'role',
      key: 'org:billing',
      scope: 'organization',
      level: 20,
      is_system: false,
      description: null,
      permissions: ['org:invoices:read', 'org:sys_memberships:read'],
    })
    const replaced = await ok<Role>(
      await api('PUT', `/roles/${role.id}/permissions`, { permissions: ['org:sys_domains:read'] }),
    )
    expect(replaced.permissions).toEqual(['org:sys_domains:read'])
    await expectError(
      await api('PUT', `/roles/${role.id}/permissions`, { permissions: ['org:sys_domains:read', 'org:nope:read'] }),
      422,
      'form_param_format_invalid',
      { param_name: 'permissions.1' },
    )
    expect((await ok<Role>(await api('PATCH', `/roles/${role.id}`, { level: 25 }))).level).toBe(25)
    expect((await rolesOf(api, '&scope=organization')).map((r) => r.key)).toContain('org:billing')

    const audit = (await auditOf(t, tenant)).filter((a) => a.action === 'role.updated')
    expect(audit).toHaveLength(2)
    const data = audit[0]!.data as { before: Role; after: Role }
    expect(data.before.permissions).toEqual(['org:invoices:read', 'org:sys_memberships:read'])
    expect(data.after.permissions).toEqual(['org:sys_domains:read'])
    expect((await outboxOf(t, tenant)).map((e) => e.type)).toEqual([
      'permission.created',
      'role.created',
      'role.updated',
      'role.updated',
    ])
  })

  it('validates keys, levels and permissions by scope', async () => {
    const api = bapi(t, await orgTenant(t))
    const bad = async (body: Record<string, unknown>, code: string, param: string) =>
      expectError(await api('POST', '/roles', { name: 'x', ...body }), 422, code, { param_name: param })
    await bad({ key: 'billing', level: 20 }, 'form_param_format_invalid', 'key')
    await bad({ key: 'org:billing' }, 'form_param_missing', 'level')
    await bad({ key: 'org:billing', level: 60 }, 'form_param_format_invalid', 'level')
    await bad({ key: 'org:billing', level: 0 }, 'form_param_format_invalid', 'level')
    await bad(
      { key: 'org:billing', level: 5, permissions: ['org:nope:x'] },
      'form_param_format_invalid',
      'permissions.0',
    )
    await bad({ key: 'org:support', scope: 'tenant' }, 'form_param_format_invalid', 'key')
    await bad({ key: 'support', scope: 'tenant', level: 5 }, 'form_param_format_invalid', 'level')
    await bad({ key: 'support', scope: 'tenant', permissions: [] }, 'form_param_format_invalid', 'permissions')
    const tenantRole = await ok<Role>(
      await api('POST', '/roles', { key: 'support', name: 'Support', scope: 'tenant' }),
      201,
    )
    expect(tenantRole).toMatchObject({ scope: 'tenant', level: null, permissions: [] })
    await expectError(
      await api('POST', '/roles', { key: 'support', name: 'x', scope: 'tenant' }),
      409,
      'duplicate_record',
      {
        param_name: 'key',
      },
    )
    expect((await rolesOf(api, '&scope=tenant')).map((r) => r.key)).toEqual(['support'])
  })

  it('refuses to delete a role in use (409 resource_in_use) and deletes it once released', async () => {
    const tenant = await orgTenant(t)
    const api = bapi(t, tenant)
    const role = await ok<Role>(await api('POST', '/roles', { key: 'org:billing', name: 'Billing', level: 20 }), 201)
    const tenantRole = await ok<Role>(
      await api('POST', '/roles', { key: 'staff', name: 'Staff', scope: 'tenant' }),
      201,
    )
    const owner = await member(t, tenant)
    const user = await member(t, tenant)
    const org = await newOrg(t, tenant, { created_by: owner.id })
    await addMember(t, tenant, org.id, user.id, 'org:billing')
    await expectError(await api('DELETE', `/roles/${role.id}`), 409, 'resource_in_use')
    await ok(await api('PUT', `/users/${user.id}/roles`, { roles: ['staff'] }))
    await expectError(await api('DELETE', `/roles/${tenantRole.id}`), 409, 'resource_in_use')

    await ok(await api('DELETE', `/organizations/${org.id}/memberships/${user.id}`))
    await ok(await api('PUT', `/users/${user.id}/roles`, { roles: [] }))
    expect(await ok(await api('DELETE', `/roles/${role.id}`))).toEqual({ object: 'role', id: role.id, deleted: true })
    await ok(await api('DELETE', `/roles/${tenantRole.id}`))
  })

  it('a custom permission shows in the owner role and in an owner’s membership permissions', async () => {
    const tenant = await orgTenant(t)
    const api = bapi(t, tenant)
    const owner = await member(t, tenant)
    const org = await newOrg(t, tenant, { created_by: owner.id })
    await ok(await api('POST', '/permissions', { key: 'org:invoices:read', name: 'Read invoices' }), 201)
    expect(byKey(await rolesOf(api), 'org:owner').permissions).toContain('org:invoices:read')
    const memberships = await ok<{ data: { role: string; permissions: string[] }[] }>(
      await api('GET', `/organizations/${org.id}/memberships`),
    )
    expect(memberships.data[0]!.role).toBe('org:owner')
    expect(memberships.data[0]!.permissions).toEqual([...SYSTEM_PERMISSIONS, 'org:invoices:read'].sort())
    // Deleting it drops it from every role.
    const custom = (await ok<{ data: Permission[] }>(await api('GET', '/permissions'))).data.find(
      (p) => p.key === 'org:invoices:read',
    )!
    const billing = await ok<Role>(
      await api('POST', '/roles', { key: 'org:billing', name: 'B', level: 5, permissions: ['org:invoices:read'] }),
      201,
    )
    await ok(await api('DELETE', `/permissions/${custom.id}`))
    expect((await ok<Role>(await api('GET', `/roles/${billing.id}`))).permissions).toEqual([])
  })
})

describe('PUT /v1/users/:id/roles', () => {
  it('sets tenant roles: sorted on the user and in the session token’s `roles` claim', async () => {
    const tenant = await orgTenant(t)
    const api = bapi(t, tenant)
    await ok(await api('POST', '/roles', { key: 'support', name: 'Support', scope: 'tenant' }), 201)
    await ok(await api('POST', '/roles', { key: 'billing-admin', name: 'Billing', scope: 'tenant' }), 201)
    const user = await member(t, tenant)
    expect(decodeJwt(user.token).roles).toEqual([])
    const updated = await ok<{ id: string; roles: string[] }>(
      await api('PUT', `/users/${user.id}/roles`, { roles: ['support', 'billing-admin'] }),
    )
    expect(updated.roles).toEqual(['billing-admin', 'support'])
    expect((await ok<{ roles: string[] }>(await api('GET', `/users/${user.id}`))).roles).toEqual([
      'billing-admin',
      'support',
    ])
    const signed = await signInNative(t, tenant, user)
    expect(decodeJwt(signed.session_token).roles).toEqual(['billing-admin', 'support'])
    const audit = (await auditOf(t, tenant)).find((a) => a.action === 'user.roles_updated')!
    expect(audit.data).toEqual({ before: [], after: ['billing-admin', 'support'] })
    expect((await outboxOf(t, tenant)).map((e) => e.type)).toContain('user.updated')
  })

  it('refuses unknown and organization roles (422 roles.<i>) and unknown users (404)', async () => {
    const tenant = await orgTenant(t)
    const api = bapi(t, tenant)
    const user = await member(t, tenant)
    await ok(await api('POST', '/roles', { key: 'support', name: 'Support', scope: 'tenant' }), 201)
    await expectError(
      await api('PUT', `/users/${user.id}/roles`, { roles: ['support', 'nope'] }),
      422,
      'form_param_format_invalid',
      {
        param_name: 'roles.1',
      },
    )
    await expectError(
      await api('PUT', `/users/${user.id}/roles`, { roles: ['org:admin'] }),
      422,
      'form_param_format_invalid',
      {
        param_name: 'roles.0',
      },
    )
    await expectError(await api('PUT', '/users/user_nope/roles', { roles: [] }), 404, 'resource_not_found')
  })
})
