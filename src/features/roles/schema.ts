import { boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, updatedAt } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'
import { users } from '../users/schema'

/**
 * Permissions (`perm_`) and roles (`role_`) of a tenant (API.md §8, §14). System ones are seeded per
 * tenant (system.ts). Organization roles carry a level and permissions; tenant roles carry neither
 * and are held by users directly (the session token's `roles` claim).
 */
export const permissions = pgTable(
  'permissions',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    key: text().notNull(),
    name: text().notNull(),
    description: text(),
    isSystem: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('permissions_tenant_id_key_uq').on(t.tenantId, t.key),
    index('permissions_tenant_id_created_at_idx').on(t.tenantId, t.createdAt, t.id),
  ],
)

export const roles = pgTable(
  'roles',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    key: text().notNull(),
    name: text().notNull(),
    description: text(),
    scope: text().$type<'organization' | 'tenant'>().notNull(),
    /** Organization roles only (1..60): who may grant what (API.md §14 escalation). */
    level: integer(),
    isSystem: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('roles_tenant_id_key_uq').on(t.tenantId, t.key),
    index('roles_tenant_id_created_at_idx').on(t.tenantId, t.createdAt, t.id),
  ],
)

/** Deleting a permission drops it from every role (API.md §14), hence the cascade. */
export const rolePermissions = pgTable(
  'role_permissions',
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    roleId: text()
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    permissionId: text()
      .notNull()
      .references(() => permissions.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.roleId, t.permissionId] }), index('role_permissions_tenant_id_idx').on(t.tenantId)],
)

/** Tenant roles held by users. No cascade from roles: a role in use cannot be deleted (409 resource_in_use). */
export const userRoles = pgTable(
  'user_roles',
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    userId: text()
      .notNull()
      .references(() => users.id),
    roleId: text()
      .notNull()
      .references(() => roles.id),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.roleId] }),
    index('user_roles_tenant_id_role_id_idx').on(t.tenantId, t.roleId),
  ],
)
