import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { randomToken, sha256Hex } from '../../platform/crypto/tokens'
import { newId } from '../../platform/ids'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import { addInTx, checkSeats, lockedOrg, type MemberActing } from './memberships'
import * as OrgModel from './model'
import type { PublicRequest, PublicSuggestion } from './model'
import { record, SYSTEM, type Acting } from './record'
import * as OrgRepo from './repo'
import type { DomainRow, OrganizationRow, RequestRow, SuggestionWithOrg } from './repo'

/**
 * Enrollment through verified domains (API.md §13a): users with a verified email address at a
 * verified domain get what its mode offers — nothing (`manual_invitation`), a pending invitation
 * (`automatic_invitation`) or a suggestion (`automatic_suggestion`) that, accepted, opens a
 * membership request for the organization's admins to settle. It runs when a domain becomes
 * verified (or its mode changes) for the users already there, and when a user's address at a
 * verified domain becomes verified.
 */

/** Users enrolled in one transaction when a domain is verified: a bound on one request's work. */
const MAX_ENROLLED = 10_000
const DAY_MS = 86_400_000

/** A user with a verified address at the domain. */
interface Enrollee {
  userId: string
  email: string
}

async function offer(deps: Deps, tx: Tx, tenant: TenantRow, domain: DomainRow, enrollees: Enrollee[]) {
  if (domain.verifiedAt === null || enrollees.length === 0) return
  const members = await OrgRepo.memberUserIds(
    tx,
    tenant.id,
    domain.organizationId,
    enrollees.map((e) => e.userId),
  )
  // One offer per user, whatever number of addresses they verified at the domain.
  const seen = new Set<string>()
  const outsiders = enrollees.filter((e) => !members.has(e.userId) && !seen.has(e.userId) && seen.add(e.userId))
  if (domain.enrollmentMode === 'automatic_suggestion') await suggest(deps, tx, tenant.id, domain, outsiders)
  if (domain.enrollmentMode === 'automatic_invitation') await invite(deps, tx, tenant, domain, outsiders)
}

async function suggest(deps: Deps, tx: Tx, tenantId: string, domain: DomainRow, enrollees: Enrollee[]) {
  const at = new Date(deps.clock.now())
  const created = await OrgRepo.insertSuggestions(
    tx,
    enrollees.map(({ userId }) => ({
      id: newId('orgsug', at.getTime()),
      tenantId,
      organizationId: domain.organizationId,
      domainId: domain.id,
      userId,
      status: 'pending' as const,
      createdAt: at,
      updatedAt: at,
    })),
  )
  if (created.length === 0) return
  const organization = (await OrgRepo.findOrganization(tx, tenantId, domain.organizationId))!
  for (const row of created)
    await record(deps, tx, tenantId, SYSTEM, {
      action: 'organizationSuggestion.created',
      target: { type: 'organization_suggestion', id: row.id },
      data: { organization_id: row.organizationId, user_id: row.userId, domain_id: domain.id },
      event: OrgModel.toPublicSuggestion({ ...row, organization }),
    })
}

/**
 * `automatic_invitation`: a pending invitation with `organizations.default_role` to the verified
 * address, mailed to no one (the user sees it at /me/organization-invitations). An address with
 * an invitation pending already gets none, and neither does anyone once the pending invitations
 * would exceed the organization's quota: seats are the admins' to hand out.
 */
async function invite(deps: Deps, tx: Tx, tenant: TenantRow, domain: DomainRow, enrollees: Enrollee[]) {
  const at = new Date(deps.clock.now())
  const org = await lockedOrg(tx, tenant.id, domain.organizationId)
  // One query for every enrollee: a domain verified in a large tenant enrolls thousands at once.
  const invited = await OrgRepo.pendingInvitationsTo(
    tx,
    tenant.id,
    org.id,
    enrollees.map((e) => e.email),
    at,
  )
  const fresh = enrollees.filter((e) => !invited.has(e.email))
  if (fresh.length === 0 || !(await hasSeats(tx, tenant.id, org, at, fresh.length))) return
  const { default_role: role, invitation_expiry_days: days } = tenant.settings.organizations
  const rows = await OrgRepo.insertInvitations(
    tx,
    await Promise.all(
      fresh.map(async ({ email }) => ({
        id: newId('orginv', at.getTime()),
        tenantId: tenant.id,
        organizationId: org.id,
        emailAddress: email,
        emailNormalized: email,
        role,
        status: 'pending' as const,
        inviterUserId: null,
        publicMetadata: {},
        // Accepted at /me, never by ticket: the ticket is random and told to no one.
        ticketHash: await sha256Hex(randomToken(32)),
        expiresAt: new Date(at.getTime() + days * DAY_MS),
        acceptedAt: null,
        createdAt: at,
        updatedAt: at,
      })),
    ),
  )
  for (const row of rows)
    await record(deps, tx, tenant.id, SYSTEM, {
      action: 'organizationInvitation.created',
      target: { type: 'organization_invitation', id: row.id },
      data: { organization_id: org.id, role: row.role, notify: false, domain_id: domain.id },
      event: { ...OrgModel.toPublicInvitation(row, at.getTime()) },
    })
}

async function hasSeats(tx: Tx, tenantId: string, org: OrganizationRow, at: Date, adding: number) {
  try {
    await checkSeats(tx, tenantId, org, at, adding)
    return true
  } catch (err) {
    if (err instanceof AppError && err.code === 'organization_membership_quota_exceeded') return false
    throw err
  }
}

/** A domain just verified (or its mode changed): the users already there get its offer. */
export async function enrollDomain(deps: Deps, tx: Tx, tenant: TenantRow, domain: DomainRow): Promise<void> {
  await offer(deps, tx, tenant, domain, await UsersService.verifiedEmailsAt(tx, tenant.id, domain.name, MAX_ENROLLED))
}

/**
 * Email addresses of a user that just became verified (sign-up, `/me` verification, creation by
 * the backend), in that transaction: each at a verified domain brings that domain's offer.
 */
export async function enrollVerifiedEmails(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  userId: string,
  emails: string[],
  verifiedDomains?: ReadonlySet<string>,
): Promise<void> {
  for (const email of emails) {
    const normalized = UsersService.normalizeEmail(email)
    const name = normalized?.split('@')[1]
    if (name === undefined || (verifiedDomains && !verifiedDomains.has(name))) continue
    const domain = await OrgRepo.findVerifiedDomain(tx, tenant.id, name)
    if (domain) await offer(deps, tx, tenant, domain, [{ userId, email: normalized! }])
  }
}

/**
 * The tenant's verified domain names, for `enrollVerifiedEmails` over many users in one transaction: a bulk import
 * then looks a domain up only for the addresses at one of them.
 */
export async function verifiedDomainsInTx(tx: Tx, tenantId: string): Promise<ReadonlySet<string>> {
  return new Set(await OrgRepo.verifiedDomainNames(tx, tenantId))
}

/** GET /me/organization-suggestions: newest first. */
export async function listSuggestions(
  deps: Deps,
  tenant: TenantRow,
  userId: string,
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicSuggestion>> {
  const limit = pageSize(query.limit)
  const scope = `organization_suggestions:${tenant.id}:${userId}`
  const after = await deps.cursors.decode(scope, query.cursor)
  const rows = await withTenant(deps.db, tenant.id, (tx) =>
    OrgRepo.listSuggestions(tx, tenant.id, userId, limit + 1, after),
  )
  return deps.cursors.page(scope, rows, limit, OrgModel.toPublicSuggestion)
}

const notPending = (param: string, status: string) =>
  new AppError('form_param_format_invalid', { param_name: param, reason: 'not_pending', status })

/** Accepts a pending suggestion: it opens a membership request (one pending per user and organization). */
export async function acceptSuggestion(
  deps: Deps,
  tenant: TenantRow,
  userId: string,
  id: string,
  acting: Acting,
): Promise<PublicSuggestion> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    const found = await OrgRepo.findSuggestion(tx, tenant.id, userId, id)
    if (!found) throw new AppError('resource_not_found')
    if (found.status !== 'pending') throw notPending('suggestion_id', found.status)
    const at = new Date(deps.clock.now())
    const accepted: SuggestionWithOrg = {
      ...(await OrgRepo.updateSuggestion(tx, tenant.id, id, { status: 'accepted', updatedAt: at })),
      organization: found.organization,
    }
    await record(deps, tx, tenant.id, acting, {
      action: 'organizationSuggestion.updated',
      target: { type: 'organization_suggestion', id },
      data: { organization_id: found.organizationId, after: { status: 'accepted' } },
      event: OrgModel.toPublicSuggestion(accepted),
    })
    const request = await OrgRepo.insertRequest(tx, {
      id: newId('orgreq', at.getTime()),
      tenantId: tenant.id,
      organizationId: found.organizationId,
      userId,
      status: 'pending',
      createdAt: at,
      updatedAt: at,
    }).catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new AppError('duplicate_record', { param_name: 'suggestion_id' })
      throw err
    })
    await record(deps, tx, tenant.id, acting, {
      action: 'organizationMembershipRequest.created',
      target: { type: 'organization_membership_request', id: request.id },
      data: { organization_id: request.organizationId, user_id: userId },
      event: (await presentRequests(tx, tenant.id, [request]))[0]!,
    })
    return OrgModel.toPublicSuggestion(accepted)
  })
}

async function presentRequests(tx: Tx, tenantId: string, rows: RequestRow[]): Promise<PublicRequest[]> {
  const users = await UsersService.publicUserData(
    tx,
    tenantId,
    rows.map((r) => r.userId),
  )
  return rows.map((r) =>
    OrgModel.toPublicRequest(
      r,
      users.get(r.userId) ?? { user_id: r.userId, first_name: null, last_name: null, identifier: null },
    ),
  )
}

/** An organization's membership requests, newest first (`status` filters). */
export async function listRequests(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  query: Static<typeof OrgModel.requestsQuery>,
): Promise<Page<PublicRequest>> {
  const limit = pageSize(query.limit)
  const scope = `organization_membership_requests:${tenant.id}:${orgId}:${query.status ?? ''}`
  const after = await deps.cursors.decode(scope, query.cursor)
  const found = await withTenant(deps.db, tenant.id, async (tx) => {
    const org = await OrgRepo.findOrganization(tx, tenant.id, orgId)
    if (!org) throw new AppError('resource_not_found')
    const rows = await OrgRepo.listRequests(tx, tenant.id, org.id, query.status, limit + 1, after)
    const presented = await presentRequests(tx, tenant.id, rows)
    return rows.map((r, i) => ({ id: r.id, createdAt: r.createdAt, request: presented[i]! }))
  })
  return deps.cursors.page(scope, found, limit, (r) => r.request)
}

/**
 * Accepts a pending request, adding the user with `organizations.default_role` (quota, level and
 * membership rules as for any addition), or rejects it.
 */
export async function settleRequest(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  requestId: string,
  decision: 'accepted' | 'rejected',
  acting: MemberActing,
): Promise<PublicRequest> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    const org = await lockedOrg(tx, tenant.id, orgId)
    const request = await OrgRepo.findRequest(tx, tenant.id, org.id, requestId)
    if (!request) throw new AppError('resource_not_found')
    if (request.status !== 'pending') throw notPending('request_id', request.status)
    if (decision === 'accepted')
      await addInTx(
        deps,
        tx,
        tenant.id,
        org,
        { userId: request.userId, role: tenant.settings.organizations.default_role },
        acting,
      )
    const row = await OrgRepo.updateRequest(tx, tenant.id, request.id, {
      status: decision,
      updatedAt: new Date(deps.clock.now()),
    })
    const [presented] = await presentRequests(tx, tenant.id, [row])
    await record(deps, tx, tenant.id, acting, {
      action: 'organizationMembershipRequest.updated',
      target: { type: 'organization_membership_request', id: row.id },
      data: { organization_id: org.id, user_id: row.userId, after: { status: decision } },
      event: presented!,
    })
    return presented!
  })
}
