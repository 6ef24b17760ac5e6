import { and, asc, count, desc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { olderThan } from '../../platform/db/page'
import type { CursorPosition } from '../../platform/http/pagination'
import { permissions, rolePermissions, roles, userRoles } from './schema'

export type PermissionRow = typeof permissions.$inferSelect
export type RoleRow = typeof roles.$inferSelect
export type RoleScope = RoleRow['scope']
export type PermissionPatch = Partial<Pick<PermissionRow, 'name' | 'description'>> & { updatedAt: Date }
export type RolePatch = Partial<Pick<RoleRow, 'key' | 'name' | 'description' | 'level'>> & { updatedAt: Date }

export async function countSystemRoles(db: Db, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), eq(roles.isSystem, true)))
  return row?.n ?? 0
}

/** Inserts what is missing; concurrent seeders meet on the unique keys and skip. */
export async function insertPermissionsIfAbsent(db: Db, rows: (typeof permissions.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(permissions).values(rows).onConflictDoNothing()
}

export async function insertRolesIfAbsent(db: Db, rows: (typeof roles.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(roles).values(rows).onConflictDoNothing()
}

export async function insertPermission(db: Db, row: typeof permissions.$inferInsert): Promise<PermissionRow> {
  const [created] = await db.insert(permissions).values(row).returning()
  return created!
}

export async function insertRole(db: Db, row: typeof roles.$inferInsert): Promise<RoleRow> {
  const [created] = await db.insert(roles).values(row).returning()
  return created!
}

export async function findPermission(db: Db, tenantId: string, id: string): Promise<PermissionRow | null> {
  const [row] = await db
    .select()
    .from(permissions)
    .where(and(eq(permissions.tenantId, tenantId), eq(permissions.id, id)))
    .limit(1)
  return row ?? null
}

/** `forUpdate` serialises changes to one role. */
export async function findRole(
  db: Db,
  tenantId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<RoleRow | null> {
  const query = db
    .select()
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), eq(roles.id, id)))
    .limit(1)
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ?? null
}

export async function listPermissions(
  db: Db,
  tenantId: string,
  limit: number,
  after: CursorPosition | null,
): Promise<PermissionRow[]> {
  return db
    .select()
    .from(permissions)
    .where(and(eq(permissions.tenantId, tenantId), olderThan(permissions.createdAt, permissions.id, after)))
    .orderBy(desc(permissions.createdAt), desc(permissions.id))
    .limit(limit)
}

export async function allPermissions(db: Db, tenantId: string): Promise<PermissionRow[]> {
  return db.select().from(permissions).where(eq(permissions.tenantId, tenantId)).orderBy(asc(permissions.key))
}

export async function listRoles(
  db: Db,
  tenantId: string,
  scope: RoleScope | undefined,
  limit: number,
  after: CursorPosition | null,
): Promise<RoleRow[]> {
  return db
    .select()
    .from(roles)
    .where(
      and(
        eq(roles.tenantId, tenantId),
        scope === undefined ? undefined : eq(roles.scope, scope),
        olderThan(roles.createdAt, roles.id, after),
      ),
    )
    .orderBy(desc(roles.createdAt), desc(roles.id))
    .limit(limit)
}

export async function rolesOfScope(db: Db, tenantId: string, scope: RoleScope): Promise<RoleRow[]> {
  return db
    .select()
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), eq(roles.scope, scope)))
}

export async function rolesByKeys(db: Db, tenantId: string, keys: string[]): Promise<RoleRow[]> {
  if (keys.length === 0) return []
  return db
    .select()
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), inArray(roles.key, keys)))
}

/** (role id, permission key) pairs of these roles. */
export async function grantsOf(
  db: Db,
  tenantId: string,
  roleIds: string[],
): Promise<{ roleId: string; key: string }[]> {
  if (roleIds.length === 0) return []
  return db
    .select({ roleId: rolePermissions.roleId, key: permissions.key })
    .from(rolePermissions)
    .innerJoin(permissions, eq(permissions.id, rolePermissions.permissionId))
    .where(and(eq(rolePermissions.tenantId, tenantId), inArray(rolePermissions.roleId, roleIds)))
}

export async function updatePermission(
  db: Db,
  tenantId: string,
  id: string,
  patch: PermissionPatch,
): Promise<PermissionRow | null> {
  const [row] = await db
    .update(permissions)
    .set(patch)
    .where(and(eq(permissions.tenantId, tenantId), eq(permissions.id, id)))
    .returning()
  return row ?? null
}

export async function updateRole(db: Db, tenantId: string, id: string, patch: RolePatch): Promise<RoleRow | null> {
  const [row] = await db
    .update(roles)
    .set(patch)
    .where(and(eq(roles.tenantId, tenantId), eq(roles.id, id)))
    .returning()
  return row ?? null
}

export async function deletePermission(db: Db, tenantId: string, id: string): Promise<void> {
  await db.delete(permissions).where(and(eq(permissions.tenantId, tenantId), eq(permissions.id, id)))
}

export async function deleteRole(db: Db, tenantId: string, id: string): Promise<void> {
  await db.delete(roles).where(and(eq(roles.tenantId, tenantId), eq(roles.id, id)))
}

/** Replaces a role's grants. */
export async function setGrants(db: Db, tenantId: string, roleId: string, permissionIds: string[]): Promise<void> {
  await db
    .delete(rolePermissions)
    .where(and(eq(rolePermissions.tenantId, tenantId), eq(rolePermissions.roleId, roleId)))
  if (permissionIds.length)
    await db.insert(rolePermissions).values(permissionIds.map((permissionId) => ({ tenantId, roleId, permissionId })))
}

export async function addGrantsIfAbsent(
  db: Db,
  rows: { tenantId: string; roleId: string; permissionId: string }[],
): Promise<void> {
  if (rows.length) await db.insert(rolePermissions).values(rows).onConflictDoNothing()
}

/** Tenant-role keys of these users. */
export async function userRoleKeys(
  db: Db,
  tenantId: string,
  userIds: string[],
): Promise<{ userId: string; key: string }[]> {
  if (userIds.length === 0) return []
  return db
    .select({ userId: userRoles.userId, key: roles.key })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(and(eq(userRoles.tenantId, tenantId), inArray(userRoles.userId, userIds)))
}

/** The users holding the tenant role `key`. */
export async function userIdsWithRole(db: Db, tenantId: string, key: string): Promise<string[]> {
  const rows = await db
    .select({ userId: userRoles.userId })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(and(eq(userRoles.tenantId, tenantId), eq(roles.key, key), eq(roles.scope, 'tenant')))
  return rows.map((r) => r.userId)
}

export async function setUserRoles(db: Db, tenantId: string, userId: string, roleIds: string[]): Promise<void> {
  await db.delete(userRoles).where(and(eq(userRoles.tenantId, tenantId), eq(userRoles.userId, userId)))
  if (roleIds.length) await db.insert(userRoles).values(roleIds.map((roleId) => ({ tenantId, userId, roleId })))
}
