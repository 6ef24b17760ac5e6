import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import { appendAudit, type AuditEntry } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { isForeignKeyViolation, isUniqueViolation } from '../../platform/db/pg-errors'
import { afterCommit, withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import { append, eventMessage } from '../../platform/outbox'
import type { TenantRow } from '../tenants/service'
import * as RolesModel from './model'
import type { PublicPermission, PublicRole } from './model'
import * as RolesRepo from './repo'
import type { PermissionRow, RoleRow } from './repo'
import { ORG_ROLE_KEY, OWNER_ROLE, PERMISSION_KEY, SYSTEM_PERMISSIONS, SYSTEM_ROLES, TENANT_ROLE_KEY } from './system'

export { OWNER_ROLE } from './system'

/** The change-feed topic of the tenant's role and permission catalogue (subject: none). */
export const ROLES_TOPIC = 'roles'

/** An organization role as memberships use it: its level and its permission keys, sorted. */
export interface OrgRole {
  id: string
  key: string
  name: string
  level: number
  permissions: string[]
}

const systemResource = () => new AppError('permission_denied', { reason: 'system_resource' })
const deleted = (object: string, id: string) => ({ object, id, deleted: true })

/**
 * Seeds the system permissions and roles of a tenant on first use (tenants made before roles
 * existed get them too). Concurrent first uses meet on the unique keys, so each row exists once.
 */
async function ensureSeeded(deps: Deps, tx: Tx, tenantId: string): Promise<void> {
  if ((await RolesRepo.countSystemRoles(tx, tenantId)) === SYSTEM_ROLES.length) return
  const now = deps.clock.now()
  const at = new Date(now)
  const base = { tenantId, isSystem: true, createdAt: at, updatedAt: at }
  await RolesRepo.insertPermissionsIfAbsent(
    tx,
    SYSTEM_PERMISSIONS.map((p) => ({ ...base, id: newId('perm', now), key: p.key, name: p.name })),
  )
  await RolesRepo.insertRolesIfAbsent(
    tx,
    SYSTEM_ROLES.map((r) => ({
      ...base,
      id: newId('role', now),
      key: r.key,
      name: r.name,
      scope: 'organization' as const,
      level: r.level,
    })),
  )
  const permissionIds = new Map((await RolesRepo.allPermissions(tx, tenantId)).map((p) => [p.key, p.id]))
  const roleIds = new Map((await RolesRepo.rolesOfScope(tx, tenantId, 'organization')).map((r) => [r.key, r.id]))
  await RolesRepo.addGrantsIfAbsent(
    tx,
    SYSTEM_ROLES.flatMap((r) =>
      r.permissions.map((key) => ({ tenantId, roleId: roleIds.get(r.key)!, permissionId: permissionIds.get(key)! })),
    ),
  )
}

/** Permission keys per role; `org:owner` holds every permission of the tenant, custom ones included. */
async function permissionsOf(tx: Tx, tenantId: string, rows: RoleRow[]): Promise<Map<string, string[]>> {
  const grants = await RolesRepo.grantsOf(
    tx,
    tenantId,
    rows.map((r) => r.id),
  )
  const owner = rows.find((r) => r.isSystem && r.key === OWNER_ROLE)
  const every = owner ? (await RolesRepo.allPermissions(tx, tenantId)).map((p) => p.key) : []
  // Sorted here, not by the database, whose collation may order `_` and `:` differently.
  return new Map(
    rows.map((r) => [r.id, (r === owner ? every : grants.filter((g) => g.roleId === r.id).map((g) => g.key)).sort()]),
  )
}

async function presentRoles(tx: Tx, tenantId: string, rows: RoleRow[]): Promise<PublicRole[]> {
  const granted = await permissionsOf(tx, tenantId, rows)
  return rows.map((r) => RolesModel.toPublicRole(r, granted.get(r.id) ?? []))
}

async function toOrgRoles(tx: Tx, tenantId: string, rows: RoleRow[]): Promise<OrgRole[]> {
  const granted = await permissionsOf(tx, tenantId, rows)
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    name: r.name,
    level: r.level ?? 0,
    permissions: granted.get(r.id) ?? [],
  }))
}

/** Every organization role of the tenant (a handful), by id and by key. */
export async function orgRoles(deps: Deps, tx: Tx, tenantId: string): Promise<Map<string, OrgRole>> {
  await ensureSeeded(deps, tx, tenantId)
  const roles = await toOrgRoles(tx, tenantId, await RolesRepo.rolesOfScope(tx, tenantId, 'organization'))
  return new Map([...roles.map((r) => [r.id, r] as const), ...roles.map((r) => [r.key, r] as const)])
}

/**
 * One organization role by id, e.g. a membership's (which exists, so no seeding is needed): the
 * two or three reads of a token's organization claims, where orgRoles would read the whole catalogue.
 */
export async function orgRole(tx: Tx, tenantId: string, id: string): Promise<OrgRole | null> {
  const row = await RolesRepo.findRole(tx, tenantId, id)
  return row?.scope === 'organization' ? (await toOrgRoles(tx, tenantId, [row]))[0]! : null
}

/** The organization roles as public objects, highest level first (what a member may see). */
export async function publicOrgRoles(deps: Deps, tx: Tx, tenantId: string): Promise<PublicRole[]> {
  await ensureSeeded(deps, tx, tenantId)
  const rows = await RolesRepo.rolesOfScope(tx, tenantId, 'organization')
  rows.sort((a, b) => (b.level ?? 0) - (a.level ?? 0) || a.key.localeCompare(b.key))
  return presentRoles(tx, tenantId, rows)
}

/** Tenant-role keys of each user, sorted (the user's `roles` and the session token's claim). */
export async function tenantRoleKeys(tx: Tx, tenantId: string, userIds: string[]): Promise<Map<string, string[]>> {
  const pairs = await RolesRepo.userRoleKeys(tx, tenantId, userIds)
  return new Map(
    userIds.map((id) => [
      id,
      pairs
        .filter((p) => p.userId === id)
        .map((p) => p.key)
        .sort(),
    ]),
  )
}

/**
 * Replaces a user's tenant roles inside the caller's transaction; unknown keys and organization
 * roles → 422 naming `roles.<i>`. Returns the keys before and after, for the audit entry.
 */
/** The users holding the tenant role `key`, in the caller's transaction. */
export const userIdsWithTenantRole = (tx: Tx, tenantId: string, key: string) =>
  RolesRepo.userIdsWithRole(tx, tenantId, key)

export async function assignTenantRoles(
  tx: Tx,
  tenantId: string,
  userId: string,
  keys: string[],
): Promise<{ before: string[]; after: string[] }> {
  const found = await RolesRepo.rolesByKeys(tx, tenantId, keys)
  const ids = keys.map((key, i) => {
    const role = found.find((r) => r.key === key && r.scope === 'tenant')
    if (!role) throw new AppError('form_param_format_invalid', { param_name: `roles.${i}` })
    return role.id
  })
  const before = (await tenantRoleKeys(tx, tenantId, [userId])).get(userId) ?? []
  await RolesRepo.setUserRoles(tx, tenantId, userId, [...new Set(ids)])
  return { before, after: [...new Set(keys)].sort() }
}

// ---- Backend API

interface Change {
  action: string
  target: { type: 'role' | 'permission'; id: string }
  data?: Record<string, unknown>
  event: Record<string, unknown>
}

/**
 * Audit entry (actor: the secret key or service key acting) and webhook event of one change, in its transaction. Every
 * node caches members' organization claims (role key, permissions: see OrganizationsService
 * memberClaims) and users' tenant roles (introspection), so each change also goes on the change
 * feed, which drops the tenant's entries on every node.
 */
/** Who acts through the Backend API: the secret key, or a service key (API.md §11). */
type Actor = AuditEntry['actor']

async function record(deps: Deps, tx: Tx, tenantId: string, actor: Actor, change: Change): Promise<void> {
  const feed = await deps.changes.record(tx, tenantId, ROLES_TOPIC)
  afterCommit(() => deps.changes.announce(feed))
  const now = deps.clock.now()
  const entry: AuditEntry = {
    action: change.action,
    actor,
    target: change.target,
    data: change.data,
  }
  await appendAudit(deps.auditKey, tx, tenantId, entry, now)
  await append(tx, tenantId, [eventMessage(change.action, change.event)], now)
}

function duplicateKey<T>(run: () => Promise<T>, constraint: string): Promise<T> {
  return run().catch((err: unknown) => {
    if (isUniqueViolation(err, constraint)) throw new AppError('duplicate_record', { param_name: 'key' })
    throw err
  })
}

/** Runs a tenant transaction with the system catalogue in place. */
function seeded<T>(deps: Deps, tenant: TenantRow, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    await ensureSeeded(deps, tx, tenant.id)
    return fn(tx)
  })
}

async function permissionIn(tx: Tx, tenantId: string, id: string): Promise<PermissionRow> {
  const row = await RolesRepo.findPermission(tx, tenantId, id)
  if (!row) throw new AppError('resource_not_found')
  return row
}

/** `forUpdate` when changing it: concurrent changes queue on the role's row. */
async function roleIn(tx: Tx, tenantId: string, id: string, forUpdate = false): Promise<RoleRow> {
  const row = await RolesRepo.findRole(tx, tenantId, id, { forUpdate })
  if (!row) throw new AppError('resource_not_found')
  return row
}

export async function createPermission(
  deps: Deps,
  tenant: TenantRow,
  body: Static<typeof RolesModel.createPermissionBody>,
  actor: Actor,
): Promise<PublicPermission> {
  const feature = PERMISSION_KEY.exec(body.key)?.[1]
  // `sys_` features are the system's own (API.md §14).
  if (!feature || feature.startsWith('sys_')) throw new AppError('form_param_format_invalid', { param_name: 'key' })
  return seeded(deps, tenant, async (tx) => {
    const at = new Date(deps.clock.now())
    const row = await duplicateKey(
      () =>
        RolesRepo.insertPermission(tx, {
          id: newId('perm', at.getTime()),
          tenantId: tenant.id,
          key: body.key,
          name: body.name,
          description: body.description ?? null,
          createdAt: at,
          updatedAt: at,
        }),
      'permissions_tenant_id_key_uq',
    )
    const permission = RolesModel.toPublicPermission(row)
    await record(deps, tx, tenant.id, actor, {
      action: 'permission.created',
      target: { type: 'permission', id: row.id },
      event: { ...permission },
    })
    return permission
  })
}

export async function listPermissions(
  deps: Deps,
  tenant: TenantRow,
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicPermission>> {
  const scope = `permissions:${tenant.id}`
  const limit = pageSize(query.limit)
  const after = await deps.cursors.decode(scope, query.cursor)
  const rows = await seeded(deps, tenant, (tx) => RolesRepo.listPermissions(tx, tenant.id, limit + 1, after))
  return deps.cursors.page(scope, rows, limit, RolesModel.toPublicPermission)
}

export async function getPermission(deps: Deps, tenant: TenantRow, id: string): Promise<PublicPermission> {
  return RolesModel.toPublicPermission(await seeded(deps, tenant, (tx) => permissionIn(tx, tenant.id, id)))
}

export async function updatePermission(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  body: Static<typeof RolesModel.updatePermissionBody>,
  actor: Actor,
): Promise<PublicPermission> {
  return seeded(deps, tenant, async (tx) => {
    const current = await permissionIn(tx, tenant.id, id)
    if (current.isSystem) throw systemResource()
    const row = await RolesRepo.updatePermission(tx, tenant.id, id, {
      ...body,
      updatedAt: new Date(deps.clock.now()),
    })
    const permission = RolesModel.toPublicPermission(row!)
    await record(deps, tx, tenant.id, actor, {
      action: 'permission.updated',
      target: { type: 'permission', id },
      data: { before: RolesModel.toPublicPermission(current), after: permission },
      event: { ...permission },
    })
    return permission
  })
}

/** Deleting a permission drops it from every role that had it (the grants cascade). */
export async function removePermission(deps: Deps, tenant: TenantRow, id: string, actor: Actor): Promise<void> {
  await seeded(deps, tenant, async (tx) => {
    const current = await permissionIn(tx, tenant.id, id)
    if (current.isSystem) throw systemResource()
    await RolesRepo.deletePermission(tx, tenant.id, id)
    await record(deps, tx, tenant.id, actor, {
      action: 'permission.deleted',
      target: { type: 'permission', id },
      data: { before: RolesModel.toPublicPermission(current) },
      event: deleted('permission', id),
    })
  })
}

/** Permission keys → ids; an unknown one is 422 naming `permissions.<i>`. */
async function permissionIds(tx: Tx, tenantId: string, keys: string[]): Promise<string[]> {
  const known = new Map((await RolesRepo.allPermissions(tx, tenantId)).map((p) => [p.key, p.id]))
  const ids = keys.map((key, i) => {
    const id = known.get(key)
    if (!id) throw new AppError('form_param_format_invalid', { param_name: `permissions.${i}` })
    return id
  })
  return [...new Set(ids)]
}

/**
 * Organization roles need a level and may carry permissions; tenant roles have neither
 * (API.md §14). Each key pattern belongs to its scope.
 */
export async function createRole(
  deps: Deps,
  tenant: TenantRow,
  body: Static<typeof RolesModel.createRoleBody>,
  actor: Actor,
): Promise<PublicRole> {
  const scope = body.scope ?? 'organization'
  const org = scope === 'organization'
  if (!(org ? ORG_ROLE_KEY : TENANT_ROLE_KEY).test(body.key))
    throw new AppError('form_param_format_invalid', { param_name: 'key' })
  if (org && body.level === undefined) throw new AppError('form_param_missing', { param_name: 'level' })
  if (!org && body.level !== undefined) throw new AppError('form_param_format_invalid', { param_name: 'level' })
  if (!org && body.permissions !== undefined)
    throw new AppError('form_param_format_invalid', { param_name: 'permissions' })
  return seeded(deps, tenant, async (tx) => {
    const grants = await permissionIds(tx, tenant.id, body.permissions ?? [])
    const at = new Date(deps.clock.now())
    const row = await duplicateKey(
      () =>
        RolesRepo.insertRole(tx, {
          id: newId('role', at.getTime()),
          tenantId: tenant.id,
          key: body.key,
          name: body.name,
          description: body.description ?? null,
          scope,
          level: body.level ?? null,
          createdAt: at,
          updatedAt: at,
        }),
      'roles_tenant_id_key_uq',
    )
    await RolesRepo.setGrants(tx, tenant.id, row.id, grants)
    const [role] = await presentRoles(tx, tenant.id, [row])
    await record(deps, tx, tenant.id, actor, {
      action: 'role.created',
      target: { type: 'role', id: row.id },
      data: { after: role },
      event: { ...role! },
    })
    return role!
  })
}

export async function listRoles(
  deps: Deps,
  tenant: TenantRow,
  query: Static<typeof RolesModel.rolesQuery>,
): Promise<Page<PublicRole>> {
  const scope = `roles:${query.scope ?? 'all'}:${tenant.id}`
  const limit = pageSize(query.limit)
  const after = await deps.cursors.decode(scope, query.cursor)
  const found = await seeded(deps, tenant, async (tx) => {
    const rows = await RolesRepo.listRoles(tx, tenant.id, query.scope, limit + 1, after)
    const roles = await presentRoles(tx, tenant.id, rows)
    return rows.map((r, i) => ({ id: r.id, createdAt: r.createdAt, role: roles[i]! }))
  })
  return deps.cursors.page(scope, found, limit, (r) => r.role)
}

export async function getRole(deps: Deps, tenant: TenantRow, id: string): Promise<PublicRole> {
  return seeded(deps, tenant, async (tx) => (await presentRoles(tx, tenant.id, [await roleIn(tx, tenant.id, id)]))[0]!)
}

/** A role changed under its row lock, audited with its state before and after. */
async function changeRole(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  actor: Actor,
  apply: (tx: Tx, current: RoleRow) => Promise<RoleRow>,
): Promise<PublicRole> {
  return seeded(deps, tenant, async (tx) => {
    const current = await roleIn(tx, tenant.id, id, true)
    const [before] = await presentRoles(tx, tenant.id, [current])
    const [after] = await presentRoles(tx, tenant.id, [await apply(tx, current)])
    await record(deps, tx, tenant.id, actor, {
      action: 'role.updated',
      target: { type: 'role', id },
      data: { before, after },
      event: { ...after! },
    })
    return after!
  })
}

/** Name and description always; key and level, except a system role's (403 system_resource). */
export function updateRole(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  body: Static<typeof RolesModel.updateRoleBody>,
  actor: Actor,
): Promise<PublicRole> {
  return changeRole(deps, tenant, id, actor, async (tx, current) => {
    const rekey = body.key !== undefined && body.key !== current.key
    const relevel = body.level !== undefined && body.level !== current.level
    if (current.isSystem && (rekey || relevel)) throw systemResource()
    const org = current.scope === 'organization'
    if (rekey && !(org ? ORG_ROLE_KEY : TENANT_ROLE_KEY).test(body.key!))
      throw new AppError('form_param_format_invalid', { param_name: 'key' })
    if (!org && body.level !== undefined) throw new AppError('form_param_format_invalid', { param_name: 'level' })
    const row = await duplicateKey(
      () => RolesRepo.updateRole(tx, tenant.id, id, { ...body, updatedAt: new Date(deps.clock.now()) }),
      'roles_tenant_id_key_uq',
    )
    return row!
  })
}

/** Replaces an organization role's permissions; the owner's are every permission, fixed. */
export function setRolePermissions(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  keys: string[],
  actor: Actor,
): Promise<PublicRole> {
  return changeRole(deps, tenant, id, actor, async (tx, current) => {
    if (current.isSystem && current.key === OWNER_ROLE) throw systemResource()
    if (current.scope === 'tenant') throw new AppError('form_param_format_invalid', { param_name: 'permissions' })
    await RolesRepo.setGrants(tx, tenant.id, id, await permissionIds(tx, tenant.id, keys))
    return (await RolesRepo.updateRole(tx, tenant.id, id, { updatedAt: new Date(deps.clock.now()) }))!
  })
}

/** A role held by a member or a user cannot go: the references refuse it (409 resource_in_use). */
export async function removeRole(deps: Deps, tenant: TenantRow, id: string, actor: Actor): Promise<void> {
  try {
    await seeded(deps, tenant, async (tx) => {
      const current = await roleIn(tx, tenant.id, id, true)
      if (current.isSystem) throw systemResource()
      const [before] = await presentRoles(tx, tenant.id, [current])
      await RolesRepo.deleteRole(tx, tenant.id, id)
      await record(deps, tx, tenant.id, actor, {
        action: 'role.deleted',
        target: { type: 'role', id },
        data: { before },
        event: deleted('role', id),
      })
    })
  } catch (err) {
    if (isForeignKeyViolation(err)) throw new AppError('resource_in_use')
    throw err
  }
}
