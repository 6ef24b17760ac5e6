import type { Deps } from '../../deps'
import type { AuditEntry } from '../../platform/audit'
import { AppError } from '../../platform/errors'
import type { AuditBy } from '../audit/service'
import { canWrite as canWriteAs, isOperatorRole } from '../operators/model'
import * as SessionsService from '../sessions/service'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import type { Viewer } from './session'

/**
 * What a console viewer may reach (issue #21): operators every customer tenant (viewers read only, admins and
 * super admins write, super admins alone manage operators); a tenant admin their own tenant and nothing else.
 * Anything else is 404, as another tenant's ids are in the API.
 */
export const isOperator = (viewer: Viewer) => isOperatorRole(viewer.role)

export const canWrite = (viewer: Viewer) => canWriteAs(viewer.role)

export async function tenantFor(deps: Deps, viewer: Viewer, id: string): Promise<TenantRow> {
  if (!isOperator(viewer) && id !== viewer.home.id) throw new AppError('resource_not_found')
  const tenant = await TenantsService.findLive(deps.db, id)
  if (!tenant || (isOperator(viewer) && tenant.kind === 'platform')) throw new AppError('resource_not_found')
  return tenant
}

export function requireWrite(viewer: Viewer): void {
  if (!canWrite(viewer)) throw new AppError('permission_denied', { reason: 'read_only_role' })
}

export function requireOperator(viewer: Viewer, roles: Viewer['role'][] = ['super_admin', 'admin', 'viewer']) {
  if (!roles.includes(viewer.role)) throw new AppError('resource_not_found')
}

/**
 * Who acts, in the tenant's audit trail: an operator as the platform (their user id names them), a tenant admin
 * as themselves.
 */
export function byViewer(viewer: Viewer, caller: AuditBy['caller']): AuditBy {
  const actor: AuditEntry['actor'] = isOperator(viewer)
    ? { type: 'platform', id: viewer.userId }
    : { type: 'user', id: viewer.userId }
  return { actor, caller }
}

/**
 * A tenant admin saving their tenant's console roles must keep one they hold: a form that would shut them out
 * of the page they are on is refused (an operator, or the API, can still set any roles).
 */
export async function refuseLockingOut(
  deps: Deps,
  viewer: Viewer,
  tenant: TenantRow,
  patch: TenantsService.TenantSettingsPatch,
): Promise<void> {
  const adminRoles = patch.console?.admin_roles
  if (isOperator(viewer) || adminRoles === undefined) return
  const live = await SessionsService.activeSessionUser(deps, tenant.id, viewer.userId, viewer.sessionId)
  if (!live || !adminRoles.some((role) => live.roles.includes(role)))
    throw new AppError('form_param_format_invalid', {
      param_name: 'settings.console.admin_roles',
      reason: 'locks_you_out',
    })
}
