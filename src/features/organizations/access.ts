import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import * as RolesService from '../roles/service'
import type { SessionAuth } from '../sessions/session-guard'
import type { MemberActing } from './memberships'
import * as OrgRepo from './repo'

/**
 * The frontend's door to an organization (API.md §13a): only an active member sees it (others get
 * 404, as if it did not exist), and each route needs one permission of the member's role (403
 * naming it). The answer is the acting member, bound by their role's level (§14).
 */
export async function memberAccess(
  deps: Deps,
  me: SessionAuth,
  orgId: string,
  permission: string | null,
): Promise<MemberActing & { organizationId: string }> {
  const role = await withTenant(deps.db, me.tenant.id, async (tx) => {
    const org = await OrgRepo.findOrganization(tx, me.tenant.id, orgId)
    const membership = org && (await OrgRepo.findMembership(tx, me.tenant.id, org.id, me.userId))
    if (!org || !membership || membership.status !== 'active') throw new AppError('resource_not_found')
    return { org, role: (await RolesService.orgRoles(deps, tx, me.tenant.id)).get(membership.roleId)! }
  })
  if (permission !== null && !role.role.permissions.includes(permission))
    throw new AppError('permission_denied', { required_permission: permission })
  return { ...asMember(me), actorRole: role.role, organizationId: role.org.id }
}

/** A signed-in user acting on their own behalf through the frontend. */
export const asMember = (me: SessionAuth) => ({
  by: { actor: { type: 'user' as const, id: me.userId }, caller: me.caller },
  audience: 'frontend' as const,
})
