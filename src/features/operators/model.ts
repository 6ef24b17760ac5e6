/**
 * Who may do what in the console (issue #21), as pure rules on a user's tenant roles: the sessions feature reads
 * them too, to keep an impersonation alive only while its actor may still act.
 */
export const OPERATOR_ROLES = ['super_admin', 'admin', 'viewer'] as const
export type OperatorRole = (typeof OPERATOR_ROLES)[number]

/** The tenant role that makes a customer tenant's user its console admin. */
export const TENANT_ADMIN_ROLE = 'admin'

export type ConsoleRole = OperatorRole | 'tenant_admin'

/** The role a user holds in the console: an operator role in the platform tenant, else `admin` of their tenant. */
export function consoleRoleOf(tenantKind: 'customer' | 'platform', roles: string[]): ConsoleRole | null {
  if (tenantKind === 'platform') return OPERATOR_ROLES.find((r) => roles.includes(r)) ?? null
  return roles.includes(TENANT_ADMIN_ROLE) ? 'tenant_admin' : null
}

/** Viewers read; every other console role writes (and may act as a user). */
export const canWrite = (role: ConsoleRole) => role !== 'viewer'
