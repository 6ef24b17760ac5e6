import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import * as RolesService from '../roles/service'
import type { OrgRole } from '../roles/service'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import { membershipChanged } from './claims'
import * as OrgModel from './model'
import type { Audience, PublicMembership } from './model'
import { record, type Acting } from './record'
import * as OrgRepo from './repo'
import type { MembershipRow, MembershipWithOrg, OrganizationRow } from './repo'

/**
 * Memberships (API.md §13a) and the rules every change keeps: the quota, the last owner, and on
 * the frontend the escalation rule of §14. Each change locks the organization's row first, so two
 * concurrent changes cannot both pass the quota or both remove one of the last two owners.
 */
type Roles = Map<string, OrgRole>

/** An actor acting through the frontend is bound by their own role (§14 escalation); the backend is not. */
export type MemberActing = Acting & { actorRole: OrgRole | null }

const roleOf = (roles: Roles, id: string) => roles.get(id)!

export async function presentMemberships(
  tx: Tx,
  tenantId: string,
  rows: MembershipWithOrg[],
  roles: Roles,
  audience: Audience,
): Promise<PublicMembership[]> {
  const users = await UsersService.publicUserData(
    tx,
    tenantId,
    rows.map((r) => r.userId),
  )
  return rows.map((r) => {
    const user = users.get(r.userId) ?? { user_id: r.userId, first_name: null, last_name: null, identifier: null }
    return OrgModel.toPublicMembership(r, user, roleOf(roles, r.roleId), audience)
  })
}

export function roleNamed(roles: Roles, key: string): OrgRole {
  const role = roles.get(key)
  if (!role || role.key !== key) throw new AppError('form_param_format_invalid', { param_name: 'role' })
  return role
}

/**
 * §14: an actor at level A may assign, change or remove role R only if A > level(R), for the old
 * role and the new; the one exception lets an owner make others owners (co-owners, hand-over).
 */
export function checkLevel(acting: MemberActing, from: OrgRole | null, to: OrgRole | null): void {
  const actor = acting.actorRole
  if (!actor) return
  const fromOk = from === null || actor.level > from.level
  const toOk = to === null || actor.level > to.level || (actor.key === RolesService.OWNER_ROLE && to.key === actor.key)
  if (!fromOk || !toOk) throw new AppError('permission_denied', { reason: 'role_level' })
}

/** Losing an owner must leave at least one (API.md §13a): remove, demote or leave. */
export async function checkLastOwner(
  tx: Tx,
  tenantId: string,
  membership: MembershipRow,
  from: OrgRole,
  to: OrgRole | null,
) {
  if (from.key !== RolesService.OWNER_ROLE || to?.key === RolesService.OWNER_ROLE) return
  if ((await OrgRepo.countWithRole(tx, tenantId, membership.organizationId, from.id)) <= 1)
    throw new AppError('last_owner')
}

/**
 * The quota (API.md §13a): memberships and pending invitations hold seats, so `adding` more must
 * fit in max_memberships (0 = unlimited), else 403. Call it with the organization locked.
 */
export async function checkSeats(tx: Tx, tenantId: string, org: OrganizationRow, at: Date, adding: number) {
  if (org.maxMemberships === 0) return
  const members = (await OrgRepo.memberCounts(tx, tenantId, [org.id])).get(org.id) ?? 0
  const invited = await OrgRepo.countPendingInvitations(tx, tenantId, org.id, at)
  if (members + invited + adding > org.maxMemberships) throw new AppError('organization_membership_quota_exceeded')
}

const withOrg = (organization: OrganizationRow, membership: MembershipRow): MembershipWithOrg => ({
  ...membership,
  organization,
})

/**
 * Adds a user to a locked organization inside the caller's transaction: unknown user → 404, unknown
 * role → 422, already a member → 409 duplicate_record, full → 403 organization_membership_quota_exceeded.
 */
export async function addInTx(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  org: OrganizationRow,
  input: {
    userId: string
    role: string
    publicMetadata?: Record<string, unknown>
    privateMetadata?: Record<string, unknown>
  },
  acting: MemberActing,
): Promise<PublicMembership> {
  const roles = await RolesService.orgRoles(deps, tx, tenantId)
  const role = roleNamed(roles, input.role)
  checkLevel(acting, null, role)
  if (!(await UsersService.loadUser(tx, tenantId, input.userId))) throw new AppError('resource_not_found')
  if (await OrgRepo.findMembership(tx, tenantId, org.id, input.userId))
    throw new AppError('duplicate_record', { param_name: 'user_id' })
  const at = new Date(deps.clock.now())
  await checkSeats(tx, tenantId, org, at, 1)
  const row = await OrgRepo.insertMembership(tx, {
    id: newId('orgmem', at.getTime()),
    tenantId,
    organizationId: org.id,
    userId: input.userId,
    roleId: role.id,
    publicMetadata: input.publicMetadata ?? {},
    privateMetadata: input.privateMetadata ?? {},
    createdAt: at,
    updatedAt: at,
  }).catch((err: unknown) => {
    if (isUniqueViolation(err)) throw new AppError('duplicate_record', { param_name: 'user_id' })
    throw err
  })
  const [backend] = await presentMemberships(tx, tenantId, [withOrg(org, row)], roles, 'backend')
  await record(deps, tx, tenantId, acting, {
    action: 'organizationMembership.created',
    target: { type: 'organization_membership', id: row.id },
    data: { organization_id: org.id, user_id: input.userId, after: { role: role.key } },
    event: { ...backend! },
  })
  return (await presentMemberships(tx, tenantId, [withOrg(org, row)], roles, acting.audience))[0]!
}

/** The organization, locked, or 404. */
export async function lockedOrg(tx: Tx, tenantId: string, idOrSlug: string): Promise<OrganizationRow> {
  const org = await OrgRepo.findOrganization(tx, tenantId, idOrSlug, { forUpdate: true })
  if (!org) throw new AppError('resource_not_found')
  return org
}

export async function add(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  body: Static<typeof OrgModel.addMembershipBody>,
  acting: MemberActing,
): Promise<PublicMembership> {
  const metadata = UsersService.metadataPatch(body)
  return withTenant(deps.db, tenant.id, async (tx) =>
    addInTx(
      deps,
      tx,
      tenant.id,
      await lockedOrg(tx, tenant.id, orgId),
      { userId: body.user_id, role: body.role, ...metadata },
      acting,
    ),
  )
}

/** An organization's memberships, newest first; `role` and `query` (the member's name or address) filter. */
export async function list(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  query: Static<typeof OrgModel.membershipsQuery>,
  audience: Audience,
): Promise<Page<PublicMembership>> {
  const limit = pageSize(query.limit)
  const scope = `organization_memberships:${tenant.id}:${orgId}:${query.role ?? ''}:${query.query ?? ''}`
  const after = await deps.cursors.decode(scope, query.cursor)
  const found = await withTenant(deps.db, tenant.id, async (tx) => {
    const org = await OrgRepo.findOrganization(tx, tenant.id, orgId)
    if (!org) throw new AppError('resource_not_found')
    const roles = await RolesService.orgRoles(deps, tx, tenant.id)
    const role = query.role === undefined ? undefined : roles.get(query.role)
    if (query.role !== undefined && role?.key !== query.role) return []
    // A search matches members among the first 1,000 matching users: plenty for a name box.
    const text = query.query?.trim()
    const userIds = text ? await UsersService.matchingUserIds(tx, tenant.id, text, 1000) : undefined
    const filter = { organizationId: org.id, roleId: role?.id, userIds }
    return pageOf(
      tx,
      tenant.id,
      await OrgRepo.listMemberships(tx, tenant.id, filter, limit + 1, after),
      roles,
      audience,
    )
  })
  return deps.cursors.page(scope, found, limit, (r) => r.membership)
}

async function pageOf(tx: Tx, tenantId: string, rows: MembershipWithOrg[], roles: Roles, audience: Audience) {
  const presented = await presentMemberships(tx, tenantId, rows, roles, audience)
  return rows.map((r, i) => ({ id: r.id, createdAt: r.createdAt, membership: presented[i]! }))
}

/** A user's memberships in every organization, newest first (BAPI by user id, FAPI /me). */
export async function listForUser(
  deps: Deps,
  tenant: TenantRow,
  userId: string,
  query: { cursor?: string; limit?: string },
  audience: Audience,
): Promise<Page<PublicMembership>> {
  const limit = pageSize(query.limit)
  const scope = `user_organization_memberships:${tenant.id}:${userId}`
  const after = await deps.cursors.decode(scope, query.cursor)
  const found = await withTenant(deps.db, tenant.id, async (tx) => {
    if (!(await UsersService.loadUser(tx, tenant.id, userId))) throw new AppError('resource_not_found')
    const roles = await RolesService.orgRoles(deps, tx, tenant.id)
    return pageOf(
      tx,
      tenant.id,
      await OrgRepo.listMemberships(tx, tenant.id, { userId }, limit + 1, after),
      roles,
      audience,
    )
  })
  return deps.cursors.page(scope, found, limit, (r) => r.membership)
}

/** The membership of a user in a locked organization, with the tenant's roles; 404 when none. */
async function lockedMembership(deps: Deps, tx: Tx, tenantId: string, orgId: string, userId: string) {
  const org = await lockedOrg(tx, tenantId, orgId)
  const membership = await OrgRepo.findMembership(tx, tenantId, org.id, userId)
  if (!membership) throw new AppError('resource_not_found')
  return { org, membership, roles: await RolesService.orgRoles(deps, tx, tenantId) }
}

/** A new role (levels and last owner checked) and/or metadata; each metadata object given replaces the stored one. */
export async function update(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  userId: string,
  body: Static<typeof OrgModel.updateMembershipBody>,
  acting: MemberActing,
): Promise<PublicMembership> {
  const metadata = UsersService.metadataPatch(body)
  return withTenant(deps.db, tenant.id, async (tx) => {
    const { org, membership, roles } = await lockedMembership(deps, tx, tenant.id, orgId, userId)
    const from = roleOf(roles, membership.roleId)
    const to = body.role === undefined ? from : roleNamed(roles, body.role)
    if (to.id !== from.id) {
      checkLevel(acting, from, to)
      await checkLastOwner(tx, tenant.id, membership, from, to)
      await membershipChanged(deps, tx, tenant.id, org.id, userId)
    }
    const row = await OrgRepo.updateMembership(tx, tenant.id, membership.id, {
      roleId: to.id,
      ...metadata,
      updatedAt: new Date(deps.clock.now()),
    })
    const [backend] = await presentMemberships(tx, tenant.id, [withOrg(org, row)], roles, 'backend')
    await record(deps, tx, tenant.id, acting, {
      action: 'organizationMembership.updated',
      target: { type: 'organization_membership', id: row.id },
      data: { organization_id: org.id, user_id: userId, before: { role: from.key }, after: { role: to.key } },
      event: { ...backend! },
    })
    return (await presentMemberships(tx, tenant.id, [withOrg(org, row)], roles, acting.audience))[0]!
  })
}

/** Removes a member (or, with the member as actor and no level check, lets them leave). */
export async function remove(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  userId: string,
  acting: MemberActing,
): Promise<PublicMembership> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    const { org, membership, roles } = await lockedMembership(deps, tx, tenant.id, orgId, userId)
    const from = roleOf(roles, membership.roleId)
    checkLevel(acting, from, null)
    await checkLastOwner(tx, tenant.id, membership, from, null)
    const [removed] = await removeInTx(deps, tx, tenant.id, [withOrg(org, membership)], roles, acting)
    return removed!
  })
}

async function removeInTx(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  rows: MembershipWithOrg[],
  roles: Roles,
  acting: Acting,
): Promise<PublicMembership[]> {
  const presented = await presentMemberships(tx, tenantId, rows, roles, acting.audience)
  await OrgRepo.deleteMemberships(
    tx,
    tenantId,
    rows.map((r) => r.id),
  )
  for (const r of rows) {
    await membershipChanged(deps, tx, tenantId, r.organizationId, r.userId)
    await record(deps, tx, tenantId, acting, {
      action: 'organizationMembership.deleted',
      target: { type: 'organization_membership', id: r.id },
      data: { organization_id: r.organizationId, user_id: r.userId, before: { role: roleOf(roles, r.roleId).key } },
      event: { object: 'organization_membership', id: r.id, deleted: true },
    })
  }
  return presented
}

/**
 * A deleted user leaves every organization. The last-owner rule does not hold here: erasure
 * (GDPR) must not be blocked by an organization, so an organization may be left without owner,
 * for the backend to appoint one.
 */
export async function removeAllOfUser(deps: Deps, tx: Tx, tenantId: string, userId: string, acting: Acting) {
  const rows = await OrgRepo.listMemberships(tx, tenantId, { userId }, 10_000, null)
  if (rows.length === 0) return
  await removeInTx(deps, tx, tenantId, rows, await RolesService.orgRoles(deps, tx, tenantId), acting)
}
