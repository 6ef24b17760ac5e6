/**
 * Who may do what in the console (issue #21), as pure rules on a user's tenant roles: the sessions feature reads
 * them too, to keep an impersonation alive only while its actor may still act.
 */
export const OPERATOR_ROLES = ['super_admin', 'admin', 'viewer'] as const
export type OperatorRole = (typeof OPERATOR_ROLES)[number]

export type ConsoleRole = OperatorRole | 'tenant_admin' | 'tenant_viewer'

/** What decides a user's console role: their tenant's kind and, for a customer tenant, its `console` settings. */
export interface ConsoleHome {
  kind: 'customer' | 'platform'
  settings: { console: { admin_roles: string[]; viewer_roles: string[] } }
}

/**
 * The role a user holds in the console: an operator role in the platform tenant; else their tenant's admin when
 * they hold one of its `console.admin_roles` (default `admin`), a viewer of it for `console.viewer_roles`.
 */
export function consoleRoleOf(home: ConsoleHome, roles: string[]): ConsoleRole | null {
  if (home.kind === 'platform') return OPERATOR_ROLES.find((r) => roles.includes(r)) ?? null
  if (home.settings.console.admin_roles.some((r) => roles.includes(r))) return 'tenant_admin'
  return home.settings.console.viewer_roles.some((r) => roles.includes(r)) ? 'tenant_viewer' : null
}

export const isOperatorRole = (role: ConsoleRole): role is OperatorRole =>
  (OPERATOR_ROLES as readonly string[]).includes(role)

/** Viewers read; every other console role writes (and may act as a user). */
export const canWrite = (role: ConsoleRole) => role !== 'viewer' && role !== 'tenant_viewer'
