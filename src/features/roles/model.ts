import { t } from 'elysia'
import { cursorParam, limitParam } from '../../platform/http/pagination'
import { integer, oneOf } from '../../platform/http/schema'
import type { PermissionRow, RoleRow } from './repo'

/** Permissions and roles as the Backend API shows them (API.md §14). */
const strict = { additionalProperties: false } as const
const name = t.String({ minLength: 1, maxLength: 256 })
const description = t.Union([t.String({ maxLength: 1024 }), t.Null()])
// Key rules depend on the scope (org or tenant role): the service checks them and names the parameter.
const key = t.String({ minLength: 1, maxLength: 100 })
const permissionKeys = t.Array(t.String({ maxLength: 100 }), { maxItems: 100 })
// Custom roles sit below the owner's 60 (API.md §14).
const level = integer(1, 59)
export const SCOPES = ['organization', 'tenant'] as const

export const createPermissionBody = t.Object({ key, name, description: t.Optional(description) }, strict)
export const updatePermissionBody = t.Object({ name: t.Optional(name), description: t.Optional(description) }, strict)

export const createRoleBody = t.Object(
  {
    key,
    name,
    description: t.Optional(description),
    scope: t.Optional(oneOf(SCOPES)),
    level: t.Optional(level),
    permissions: t.Optional(permissionKeys),
  },
  strict,
)
export const updateRoleBody = t.Object(
  { key: t.Optional(key), name: t.Optional(name), description: t.Optional(description), level: t.Optional(level) },
  strict,
)
export const rolePermissionsBody = t.Object({ permissions: permissionKeys }, strict)
export const rolesQuery = t.Object({ cursor: cursorParam, limit: limitParam, scope: t.Optional(oneOf(SCOPES)) }, strict)
export const userRolesBody = t.Object({ roles: t.Array(t.String({ maxLength: 100 }), { maxItems: 100 }) }, strict)
export const idParams = t.Object({ id: t.String({ maxLength: 64 }) })

export interface PublicPermission {
  object: 'permission'
  id: string
  key: string
  name: string
  description: string | null
  is_system: boolean
  created_at: number
  updated_at: number
}

export interface PublicRole {
  object: 'role'
  id: string
  key: string
  name: string
  description: string | null
  scope: RoleRow['scope']
  level: number | null
  permissions: string[]
  is_system: boolean
  created_at: number
  updated_at: number
}

export const toPublicPermission = (row: PermissionRow): PublicPermission => ({
  object: 'permission',
  id: row.id,
  key: row.key,
  name: row.name,
  description: row.description,
  is_system: row.isSystem,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})

/** `permissions`: the role's keys, sorted. */
export const toPublicRole = (row: RoleRow, permissions: string[]): PublicRole => ({
  object: 'role',
  id: row.id,
  key: row.key,
  name: row.name,
  description: row.description,
  scope: row.scope,
  level: row.level,
  permissions: [...permissions].sort(),
  is_system: row.isSystem,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})
