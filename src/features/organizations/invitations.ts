import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import { randomToken, sha256Hex } from '../../platform/crypto/tokens'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import * as DeliveryService from '../delivery/service'
import * as RolesService from '../roles/service'
import { tenantIssuer } from '../tenants/model'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import { addInTx, checkLevel, checkSeats, lockedOrg, roleNamed, type MemberActing } from './memberships'
import * as OrgModel from './model'
import type { PublicInvitation, PublicMembership } from './model'
import { record, type Acting } from './record'
import * as OrgRepo from './repo'
import type { InvitationRow, OrganizationRow } from './repo'

/**
 * Invitations (API.md §13a): an address is invited to an organization with a role, by mail and a
 * one-time ticket (kept only as its hash), and joins by accepting as a signed-in user with that
 * address verified, or by signing up with the ticket. Pending invitations hold quota seats. Every
 * change locks the organization's row first, as memberships do, so seats and duplicates are
 * decided one change at a time.
 */
type InvitationBody = Static<typeof OrgModel.invitationBody>
const DAY_MS = 86_400_000

/** Who invites: a member through the frontend invites as themselves; the backend may name an inviter. */
export type Inviting = MemberActing & { inviterUserId: string | null }

const present = (deps: Deps, row: InvitationRow) => OrgModel.toPublicInvitation(row, deps.clock.now())

/** The link the ticket travels in: the caller's redirect_url (checked as sign-in's), else the hosted sign-up. */
function ticketUrl(deps: Deps, tenant: TenantRow, redirectUrl: string | null, ticket: string): string {
  const url = new URL(redirectUrl ?? `${tenantIssuer(deps.config.publicUrl, tenant)}/sign-up`)
  url.searchParams.set('invitation_ticket', ticket)
  return url.toString()
}

interface Planned {
  row: InvitationRow
  url: string
  notify: boolean
  days: number
}

/** One row of a request, checked: format, role and level, inviter, and no duplicate pending or member. */
async function plan(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  org: OrganizationRow,
  roles: Map<string, RolesService.OrgRole>,
  body: InvitationBody,
  acting: Inviting,
  seen: Set<string>,
): Promise<Planned> {
  const normalized = UsersService.normalizeEmail(body.email_address)
  if (normalized === null) throw new AppError('form_param_format_invalid', { param_name: 'email_address' })
  const role = roleNamed(roles, body.role)
  checkLevel(acting, null, role)
  const redirectUrl = TenantsService.checkRedirectUrl(deps, tenant, body.redirect_url)
  const publicMetadata = UsersService.metadataPatch(body).publicMetadata ?? {}
  const inviter = body.inviter_user_id ?? acting.inviterUserId
  if (inviter !== null && !(await UsersService.loadUser(tx, tenant.id, inviter)))
    throw new AppError('resource_not_found', { param_name: 'inviter_user_id' })
  const at = new Date(deps.clock.now())
  const member = await UsersService.findSignInCandidate(tx, tenant.id, normalized)
  if (
    seen.has(normalized) ||
    (await OrgRepo.pendingInvitationsTo(tx, tenant.id, org.id, [normalized], at)).has(normalized) ||
    (member && (await OrgRepo.findMembership(tx, tenant.id, org.id, member.user.id)))
  )
    throw new AppError('duplicate_record', { param_name: 'email_address' })
  seen.add(normalized)
  const days = body.expires_in_days ?? tenant.settings.organizations.invitation_expiry_days
  const ticket = randomToken(32)
  return {
    row: {
      id: newId('orginv', at.getTime()),
      tenantId: tenant.id,
      organizationId: org.id,
      emailAddress: body.email_address.trim(),
      emailNormalized: normalized,
      role: role.key,
      status: 'pending',
      inviterUserId: inviter,
      publicMetadata,
      ticketHash: await sha256Hex(ticket),
      expiresAt: new Date(at.getTime() + days * DAY_MS),
      acceptedAt: null,
      createdAt: at,
      updatedAt: at,
    },
    url: ticketUrl(deps, tenant, redirectUrl, ticket),
    notify: body.notify ?? true,
    days,
  }
}

/**
 * Invites each address of `bodies`, all or none: a refused row answers its error with
 * `meta.index` when `bulk`. The quota counts the whole batch. Each invitation is mailed (unless
 * `notify` is false) in the same transaction, and its `url` carrying the ticket is answered here only.
 */
export async function invite(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  bodies: InvitationBody[],
  acting: Inviting,
  opts: { bulk: boolean },
): Promise<PublicInvitation[]> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    const org = await lockedOrg(tx, tenant.id, orgId)
    const roles = await RolesService.orgRoles(deps, tx, tenant.id)
    const seen = new Set<string>()
    const planned: Planned[] = []
    for (const [index, body] of bodies.entries()) {
      try {
        planned.push(await plan(deps, tx, tenant, org, roles, body, acting, seen))
      } catch (err) {
        if (opts.bulk && err instanceof AppError) throw new AppError(err.code, { ...err.meta, index })
        throw err
      }
    }
    await checkSeats(tx, tenant.id, org, new Date(deps.clock.now()), planned.length)
    const rows = await OrgRepo.insertInvitations(
      tx,
      planned.map((p) => p.row),
    )
    for (const [i, row] of rows.entries()) {
      const { url, notify, days } = planned[i]!
      await record(deps, tx, tenant.id, acting, {
        action: 'organizationInvitation.created',
        target: { type: 'organization_invitation', id: row.id },
        data: { organization_id: org.id, role: row.role, notify },
        event: { ...present(deps, row) },
      })
      if (notify)
        await DeliveryService.requestDelivery(deps, tx, tenant.id, {
          channel: 'email',
          to: row.emailAddress,
          template: 'invitation',
          variables: {
            link: url,
            app_name: TenantsService.displayNameOf(tenant),
            organization_name: org.name,
            expires_in_minutes: days * 24 * 60,
          },
        })
    }
    return rows.map((row, i) => ({ ...present(deps, row), url: planned[i]!.url }))
  })
}

/** An organization's invitations, newest first, optionally of one status. */
export async function list(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  query: Static<typeof OrgModel.invitationsQuery>,
): Promise<Page<PublicInvitation>> {
  const limit = pageSize(query.limit)
  const scope = `organization_invitations:${tenant.id}:${orgId}:${query.status ?? ''}`
  const after = await deps.cursors.decode(scope, query.cursor)
  const rows = await withTenant(deps.db, tenant.id, async (tx) => {
    const org = await OrgRepo.findOrganization(tx, tenant.id, orgId)
    if (!org) throw new AppError('resource_not_found')
    const filter = { organizationId: org.id, status: query.status }
    return OrgRepo.listInvitations(tx, tenant.id, filter, new Date(deps.clock.now()), limit + 1, after)
  })
  return deps.cursors.page(scope, rows, limit, (r) => present(deps, r))
}

/** The organization's invitation, or 404 (another organization's too). */
async function invitationOf(tx: Tx, tenantId: string, org: OrganizationRow, iid: string, forUpdate = false) {
  const row = await OrgRepo.findInvitation(tx, tenantId, { id: iid }, { forUpdate })
  if (!row || row.organizationId !== org.id) throw new AppError('resource_not_found')
  return row
}

export async function get(deps: Deps, tenant: TenantRow, orgId: string, iid: string): Promise<PublicInvitation> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    const org = await OrgRepo.findOrganization(tx, tenant.id, orgId)
    if (!org) throw new AppError('resource_not_found')
    return present(deps, await invitationOf(tx, tenant.id, org, iid))
  })
}

/** Only a pending (unexpired) invitation moves on: 422 invitation_not_pending naming its status otherwise. */
function checkPending(deps: Deps, row: InvitationRow): void {
  const status = OrgModel.invitationStatus(row, deps.clock.now())
  if (status !== 'pending') throw new AppError('invitation_not_pending', { status })
}

/** Revokes a pending invitation: its ticket stops working and its seat frees. */
export async function revoke(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  iid: string,
  acting: Acting,
): Promise<PublicInvitation> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    const org = await lockedOrg(tx, tenant.id, orgId)
    const current = await invitationOf(tx, tenant.id, org, iid, true)
    checkPending(deps, current)
    const at = new Date(deps.clock.now())
    const row = (await OrgRepo.settleInvitation(tx, tenant.id, current.id, { status: 'revoked', updatedAt: at }))!
    await record(deps, tx, tenant.id, acting, {
      action: 'organizationInvitation.revoked',
      target: { type: 'organization_invitation', id: row.id },
      data: { organization_id: org.id, role: row.role },
      event: { ...present(deps, row) },
    })
    return present(deps, row)
  })
}

/**
 * Accepts an invitation for `userId` in the caller's transaction (the /me accept, and a sign-up
 * completing with its ticket, so that joining commits or fails with the new user). The organization
 * is locked first (as every membership change does), then the invitation, which must still be
 * pending. The user joins with the invited role, no level check applying (the inviter's was
 * checked); its own seat frees as the membership takes one, so only a quota lowered since refuses.
 */
export async function acceptInTx(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  invitationId: string,
  userId: string,
  acting: Acting,
) {
  const found = await OrgRepo.findInvitation(tx, tenantId, { id: invitationId })
  if (!found) throw new AppError('resource_not_found')
  const org = await lockedOrg(tx, tenantId, found.organizationId)
  const current = (await OrgRepo.findInvitation(tx, tenantId, { id: invitationId }, { forUpdate: true }))!
  checkPending(deps, current)
  const at = new Date(deps.clock.now())
  const row = (await OrgRepo.settleInvitation(tx, tenantId, current.id, {
    status: 'accepted',
    acceptedAt: at,
    updatedAt: at,
  }))!
  const membership = await addInTx(deps, tx, tenantId, org, { userId, role: row.role }, { ...acting, actorRole: null })
  await record(deps, tx, tenantId, acting, {
    action: 'organizationInvitation.accepted',
    target: { type: 'organization_invitation', id: row.id },
    data: { organization_id: org.id, user_id: userId, role: row.role },
    event: { ...present(deps, row) },
  })
  return membership
}

/** The user's verified addresses (normalized): the invitations they may see and accept. */
async function verifiedEmails(tx: Tx, tenantId: string, userId: string): Promise<string[]> {
  const loaded = await UsersService.loadUser(tx, tenantId, userId)
  if (!loaded) throw new AppError('resource_not_found')
  return loaded.identifications.filter((i) => i.type === 'email_address' && i.verified).map((i) => i.normalized)
}

/** GET /me/organization-invitations: invitations to the user's verified addresses, newest first. */
export async function listMine(
  deps: Deps,
  tenant: TenantRow,
  userId: string,
  query: Static<typeof OrgModel.invitationsQuery>,
): Promise<Page<PublicInvitation>> {
  const limit = pageSize(query.limit)
  const scope = `user_organization_invitations:${tenant.id}:${userId}:${query.status ?? ''}`
  const after = await deps.cursors.decode(scope, query.cursor)
  const rows = await withTenant(deps.db, tenant.id, async (tx) => {
    const filter = { emails: await verifiedEmails(tx, tenant.id, userId), status: query.status }
    return OrgRepo.listInvitations(tx, tenant.id, filter, new Date(deps.clock.now()), limit + 1, after)
  })
  return deps.cursors.page(scope, rows, limit, (r) => present(deps, r))
}

/** POST /me/organization-invitations/{id}/accept: only an invitation to a verified address of the user (else 404). */
export async function acceptMine(
  deps: Deps,
  tenant: TenantRow,
  userId: string,
  id: string,
  acting: Acting,
): Promise<PublicMembership> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    const found = await OrgRepo.findInvitation(tx, tenant.id, { id })
    if (!found || !(await verifiedEmails(tx, tenant.id, userId)).includes(found.emailNormalized))
      throw new AppError('resource_not_found')
    return acceptInTx(deps, tx, tenant.id, id, userId, acting)
  })
}

/** What a ticket names (the sign-up's ticket strategy checks it): null for a ticket this tenant never issued. */
export async function findByTicket(
  deps: Deps,
  tenant: TenantRow,
  ticket: string,
): Promise<{ id: string; emailAddress: string; status: PublicInvitation['status'] } | null> {
  const hash = await sha256Hex(ticket)
  const row = await withTenant(deps.db, tenant.id, (tx) => OrgRepo.findInvitation(tx, tenant.id, { ticketHash: hash }))
  return row && { id: row.id, emailAddress: row.emailAddress, status: present(deps, row).status }
}
