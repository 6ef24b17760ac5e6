import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { AppError } from '../../platform/errors'
import { newId } from '../../platform/ids'
import * as RolesService from '../roles/service'
import type { OrgRole } from '../roles/service'
import { membershipChanged } from './claims'
import { checkLastOwner, checkSeats, presentMemberships } from './memberships'
import { record, type Acting } from './record'
import * as OrgRepo from './repo'
import type { MembershipRow, OrganizationRow } from './repo'

/**
 * Memberships that an organization's identity provider decides (SCIM, API.md §17): the role and the
 * status come from the provider, so the level rule of §14 does not apply, but the organization
 * never loses its last owner to a recomputed role.
 */
export interface ProvisionedState {
  /** A role key (`org:admin`); unknown keys fall back to the tenant's default role. */
  role: string
  /** Absent: a new membership is active and an existing one keeps its status (SSO decides roles, not access). */
  status?: 'active' | 'suspended'
}

function pickRole(roles: Map<string, OrgRole>, key: string, fallback: string): OrgRole {
  const role = roles.get(key) ?? roles.get(fallback)
  if (!role) throw new AppError('internal_error')
  return role
}

/** A recomputed role never demotes the last owner (API.md §17): the owner stays, where a BAPI change gets 409. */
const keepsLastOwner = (tx: Tx, tenantId: string, membership: MembershipRow, from: OrgRole, to: OrgRole) =>
  checkLastOwner(tx, tenantId, membership, from, to).then(
    () => false,
    (err: unknown) => {
      if (err instanceof AppError && err.code === 'last_owner') return true
      throw err
    },
  )

/** The names of the organization's verified domains (SCIM linking, API.md §17). */
export async function verifiedDomainsOf(tx: Tx, tenantId: string, orgId: string): Promise<Set<string>> {
  const domains = await OrgRepo.listDomains(tx, tenantId, orgId, 1000, null)
  return new Set(domains.filter((d) => d.verifiedAt !== null).map((d) => d.name.toLowerCase()))
}

/**
 * Creates or updates the user's membership of a locked organization to the provider's state, with
 * the events and audit entries of any change; a full organization → 403 on creation. Returns
 * whether anything changed.
 */
export async function applyProvisioned(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  org: OrganizationRow,
  userId: string,
  want: ProvisionedState,
  acting: Acting,
  fallbackRole: string,
): Promise<boolean> {
  const roles = await RolesService.orgRoles(deps, tx, tenantId)
  const at = new Date(deps.clock.now())
  const current = await OrgRepo.findMembership(tx, tenantId, org.id, userId)
  let role = pickRole(roles, want.role, fallbackRole)
  const status = want.status ?? current?.status ?? 'active'
  let row: MembershipRow
  let action: string
  if (!current) {
    await checkSeats(tx, tenantId, org, at, 1)
    row = await OrgRepo.insertMembership(tx, {
      id: newId('orgmem', at.getTime()),
      tenantId,
      organizationId: org.id,
      userId,
      roleId: role.id,
      status,
      createdAt: at,
      updatedAt: at,
    })
    action = 'organizationMembership.created'
  } else {
    const from = roles.get(current.roleId) ?? role
    if (await keepsLastOwner(tx, tenantId, current, from, role)) role = from
    if (current.roleId === role.id && current.status === status) return false
    row = await OrgRepo.updateMembership(tx, tenantId, current.id, {
      roleId: role.id,
      status,
      updatedAt: at,
    })
    action = 'organizationMembership.updated'
  }
  await membershipChanged(deps, tx, tenantId, org.id, userId)
  const [backend] = await presentMemberships(tx, tenantId, [{ ...row, organization: org }], roles, 'backend')
  await record(deps, tx, tenantId, acting, {
    action,
    target: { type: 'organization_membership', id: row.id },
    data: { organization_id: org.id, user_id: userId, after: { role: role.key, status } },
    event: { ...backend! },
  })
  return true
}

/** Removes the user's membership (SCIM DELETE); the last owner stays (409 last_owner). */
export async function removeProvisioned(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  org: OrganizationRow,
  userId: string,
  acting: Acting,
): Promise<void> {
  const current = await OrgRepo.findMembership(tx, tenantId, org.id, userId)
  if (!current) return
  const roles = await RolesService.orgRoles(deps, tx, tenantId)
  const from = roles.get(current.roleId)
  if (from) await checkLastOwner(tx, tenantId, current, from, null)
  await OrgRepo.deleteMemberships(tx, tenantId, [current.id])
  await membershipChanged(deps, tx, tenantId, org.id, userId)
  await record(deps, tx, tenantId, acting, {
    action: 'organizationMembership.deleted',
    target: { type: 'organization_membership', id: current.id },
    data: { organization_id: org.id, user_id: userId, before: { role: from?.key ?? null } },
    event: { object: 'organization_membership', id: current.id, deleted: true },
  })
}

/** Whether the user has a membership (any status) of the organization. */
export const isMemberInTx = async (tx: Tx, tenantId: string, orgId: string, userId: string) =>
  (await OrgRepo.findMembership(tx, tenantId, orgId, userId)) !== null

/** Which of these users have a membership (any status) of the organization. */
export const memberIdsInTx = (tx: Tx, tenantId: string, orgId: string, userIds: string[] | null) =>
  OrgRepo.memberUserIds(tx, tenantId, orgId, userIds)

/** The ids of the organizations the user belongs to (SCIM: is a user this organization's alone?). */
export const organizationIdsOfUser = async (tx: Tx, tenantId: string, userId: string) =>
  (await OrgRepo.listMemberships(tx, tenantId, { userId }, 1000, null)).map((m) => m.organizationId)
