import { and, count, desc, eq, gt, ilike, inArray, isNotNull, lte, or, type SQL } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { olderThan } from '../../platform/db/page'
import type { CursorPosition } from '../../platform/http/pagination'
import {
  organizationDomains as domains,
  organizationInvitations as invitations,
  organizationMembershipRequests as requests,
  organizationMemberships as memberships,
  organizations,
  organizationSuggestions as suggestions,
} from './schema'

export type OrganizationRow = typeof organizations.$inferSelect
export type MembershipRow = typeof memberships.$inferSelect
export type InvitationRow = typeof invitations.$inferSelect
export type DomainRow = typeof domains.$inferSelect
export type SuggestionRow = typeof suggestions.$inferSelect
export type RequestRow = typeof requests.$inferSelect
export type DomainPatch = Partial<
  Pick<DomainRow, 'name' | 'enrollmentMode' | 'verificationToken' | 'verificationStrategy' | 'verifiedAt'>
> & { affiliationEmailAddress?: string | null; updatedAt: Date }

export type OrganizationPatch = Partial<
  Pick<OrganizationRow, 'name' | 'slug' | 'imageUrl' | 'maxMemberships' | 'publicMetadata' | 'privateMetadata'>
> & { updatedAt: Date }
export type MembershipPatch = Partial<
  Pick<MembershipRow, 'roleId' | 'status' | 'publicMetadata' | 'privateMetadata'>
> & {
  updatedAt: Date
}
/** A membership with its organization, as every membership answer shows both. */
export type MembershipWithOrg = MembershipRow & { organization: OrganizationRow }

const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

export async function insertOrganization(db: Db, row: typeof organizations.$inferInsert): Promise<OrganizationRow> {
  const [created] = await db.insert(organizations).values(row).returning()
  return created!
}

/** By id (`org_…`) or slug; `forUpdate` serialises membership changes of one organization (quota, last owner). */
export async function findOrganization(
  db: Db,
  tenantId: string,
  idOrSlug: string,
  opts: { forUpdate?: boolean } = {},
): Promise<OrganizationRow | null> {
  const by = idOrSlug.startsWith('org_') ? eq(organizations.id, idOrSlug) : eq(organizations.slug, idOrSlug)
  const query = db
    .select()
    .from(organizations)
    .where(and(eq(organizations.tenantId, tenantId), by))
    .limit(1)
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ?? null
}

export async function slugTaken(db: Db, tenantId: string, slug: string): Promise<boolean> {
  const [row] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.tenantId, tenantId), eq(organizations.slug, slug)))
    .limit(1)
  return row !== undefined
}

export interface OrganizationFilter {
  /** Case-insensitive substring of name or slug, or an exact id. */
  query?: string
  /** Organizations this user is a member of. */
  userId?: string
}

export async function listOrganizations(
  db: Db,
  tenantId: string,
  filter: OrganizationFilter,
  limit: number,
  after: CursorPosition | null,
): Promise<OrganizationRow[]> {
  const pattern = filter.query ? likePattern(filter.query) : null
  const memberOf = filter.userId
    ? inArray(
        organizations.id,
        db
          .select({ id: memberships.organizationId })
          .from(memberships)
          .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, filter.userId))),
      )
    : undefined
  return db
    .select()
    .from(organizations)
    .where(
      and(
        eq(organizations.tenantId, tenantId),
        pattern
          ? or(
              ilike(organizations.name, pattern),
              ilike(organizations.slug, pattern),
              eq(organizations.id, filter.query!),
            )
          : undefined,
        memberOf,
        olderThan(organizations.createdAt, organizations.id, after),
      ),
    )
    .orderBy(desc(organizations.createdAt), desc(organizations.id))
    .limit(limit)
}

export async function updateOrganization(
  db: Db,
  tenantId: string,
  id: string,
  patch: OrganizationPatch,
): Promise<OrganizationRow> {
  const [row] = await db
    .update(organizations)
    .set(patch)
    .where(and(eq(organizations.tenantId, tenantId), eq(organizations.id, id)))
    .returning()
  return row!
}

/** Its memberships and invitations go with it (foreign key cascade). */
export async function deleteOrganization(db: Db, tenantId: string, id: string): Promise<void> {
  await db.delete(organizations).where(and(eq(organizations.tenantId, tenantId), eq(organizations.id, id)))
}

/** Memberships per organization. */
export async function memberCounts(db: Db, tenantId: string, organizationIds: string[]): Promise<Map<string, number>> {
  if (organizationIds.length === 0) return new Map()
  const rows = await db
    .select({ id: memberships.organizationId, n: count() })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), inArray(memberships.organizationId, organizationIds)))
    .groupBy(memberships.organizationId)
  return new Map(rows.map((r) => [r.id, r.n]))
}

/** Members of the organization holding this role. */
export async function countWithRole(db: Db, tenantId: string, organizationId: string, roleId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.organizationId, organizationId),
        eq(memberships.roleId, roleId),
      ),
    )
  return row?.n ?? 0
}

export async function insertMembership(db: Db, row: typeof memberships.$inferInsert): Promise<MembershipRow> {
  const [created] = await db.insert(memberships).values(row).returning()
  return created!
}

export interface MembershipFilter {
  organizationId?: string
  userId?: string
  roleId?: string
  /** Only these users (a name or address search, resolved by the users feature). */
  userIds?: string[]
}

export async function listMemberships(
  db: Db,
  tenantId: string,
  filter: MembershipFilter,
  limit: number,
  after: CursorPosition | null,
): Promise<MembershipWithOrg[]> {
  const conditions: (SQL | undefined)[] = [
    eq(memberships.tenantId, tenantId),
    filter.organizationId ? eq(memberships.organizationId, filter.organizationId) : undefined,
    filter.userId ? eq(memberships.userId, filter.userId) : undefined,
    filter.roleId ? eq(memberships.roleId, filter.roleId) : undefined,
    filter.userIds ? inArray(memberships.userId, filter.userIds) : undefined,
    olderThan(memberships.createdAt, memberships.id, after),
  ]
  if (filter.userIds?.length === 0) return []
  const rows = await db
    .select({ membership: memberships, organization: organizations })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(...conditions))
    .orderBy(desc(memberships.createdAt), desc(memberships.id))
    .limit(limit)
  return rows.map((r) => ({ ...r.membership, organization: r.organization }))
}

export async function findMembership(
  db: Db,
  tenantId: string,
  organizationId: string,
  userId: string,
): Promise<MembershipRow | null> {
  const [row] = await db
    .select()
    .from(memberships)
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.organizationId, organizationId),
        eq(memberships.userId, userId),
      ),
    )
    .limit(1)
  return row ?? null
}

export async function updateMembership(db: Db, tenantId: string, id: string, patch: MembershipPatch) {
  const [row] = await db
    .update(memberships)
    .set(patch)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.id, id)))
    .returning()
  return row!
}

export async function deleteMemberships(db: Db, tenantId: string, ids: string[]): Promise<void> {
  if (ids.length)
    await db.delete(memberships).where(and(eq(memberships.tenantId, tenantId), inArray(memberships.id, ids)))
}

// ---- invitations

/** A public status filter: `pending` and `expired` are both stored as pending, told apart by expires_at. */
export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired'

function statusIs(status: InvitationStatus, now: Date): SQL | undefined {
  if (status === 'pending') return and(eq(invitations.status, 'pending'), gt(invitations.expiresAt, now))
  if (status === 'expired') return and(eq(invitations.status, 'pending'), lte(invitations.expiresAt, now))
  return eq(invitations.status, status)
}

/**
 * Rows a domain's enrollment inserts at once, at most: PostgreSQL binds at most 65,535 parameters
 * per statement, and a row takes up to 14.
 */
const INSERT_CHUNK = 2_000

/** Runs `insert` over `rows` in chunks, in order (a domain may enroll thousands of users at once). */
async function inChunks<I, R>(rows: I[], insert: (chunk: I[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = []
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) out.push(...(await insert(rows.slice(i, i + INSERT_CHUNK))))
  return out
}

export async function insertInvitations(db: Db, rows: (typeof invitations.$inferInsert)[]): Promise<InvitationRow[]> {
  return inChunks(rows, (chunk) => db.insert(invitations).values(chunk).returning())
}

/** Pending, unexpired invitations of the organization: they hold seats of its quota. */
export async function countPendingInvitations(
  db: Db,
  tenantId: string,
  organizationId: string,
  now: Date,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(invitations)
    .where(
      and(eq(invitations.tenantId, tenantId), eq(invitations.organizationId, organizationId), statusIs('pending', now)),
    )
  return row?.n ?? 0
}

/** Which of these (normalized) addresses have an unexpired invitation pending in the organization. */
export async function pendingInvitationsTo(
  db: Db,
  tenantId: string,
  organizationId: string,
  emailsNormalized: string[],
  now: Date,
): Promise<Set<string>> {
  if (emailsNormalized.length === 0) return new Set()
  const rows = await db
    .selectDistinct({ email: invitations.emailNormalized })
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        eq(invitations.organizationId, organizationId),
        inArray(invitations.emailNormalized, emailsNormalized),
        statusIs('pending', now),
      ),
    )
  return new Set(rows.map((r) => r.email))
}

export interface InvitationFilter {
  organizationId?: string
  /** Invitations to any of these (normalized) addresses. */
  emails?: string[]
  status?: InvitationStatus
}

export async function listInvitations(
  db: Db,
  tenantId: string,
  filter: InvitationFilter,
  now: Date,
  limit: number,
  after: CursorPosition | null,
): Promise<InvitationRow[]> {
  if (filter.emails?.length === 0) return []
  return db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        filter.organizationId ? eq(invitations.organizationId, filter.organizationId) : undefined,
        filter.emails ? inArray(invitations.emailNormalized, filter.emails) : undefined,
        filter.status ? statusIs(filter.status, now) : undefined,
        olderThan(invitations.createdAt, invitations.id, after),
      ),
    )
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(limit)
}

/** By id, or by ticket hash; `forUpdate` serialises acceptance and revocation of one invitation. */
export async function findInvitation(
  db: Db,
  tenantId: string,
  by: { id: string } | { ticketHash: string },
  opts: { forUpdate?: boolean } = {},
): Promise<InvitationRow | null> {
  const query = db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        'id' in by ? eq(invitations.id, by.id) : eq(invitations.ticketHash, by.ticketHash),
      ),
    )
    .limit(1)
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ?? null
}

/** Moves a pending invitation on (accepted or revoked); null when it was not pending any more. */
export async function settleInvitation(
  db: Db,
  tenantId: string,
  id: string,
  patch: { status: 'accepted' | 'revoked'; acceptedAt?: Date; updatedAt: Date },
): Promise<InvitationRow | null> {
  const [row] = await db
    .update(invitations)
    .set(patch)
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, id), eq(invitations.status, 'pending')))
    .returning()
  return row ?? null
}

export async function insertDomain(db: Db, row: typeof domains.$inferInsert): Promise<DomainRow> {
  const [created] = await db.insert(domains).values(row).returning()
  return created!
}

export async function findDomain(db: Db, tenantId: string, organizationId: string, id: string) {
  const [row] = await db
    .select()
    .from(domains)
    .where(and(eq(domains.tenantId, tenantId), eq(domains.organizationId, organizationId), eq(domains.id, id)))
    .limit(1)
  return row ?? null
}

/** The verified domain of this name in the tenant, with its organization (one at most). */
export async function findVerifiedDomain(db: Db, tenantId: string, name: string): Promise<DomainRow | null> {
  const [row] = await db
    .select()
    .from(domains)
    .where(and(eq(domains.tenantId, tenantId), eq(domains.name, name), isNotNull(domains.verifiedAt)))
    .limit(1)
  return row ?? null
}

/** The names of the tenant's verified domains (few per tenant: bulk imports read them once per batch). */
export async function verifiedDomainNames(db: Db, tenantId: string): Promise<string[]> {
  const rows = await db
    .select({ name: domains.name })
    .from(domains)
    .where(and(eq(domains.tenantId, tenantId), isNotNull(domains.verifiedAt)))
  return rows.map((r) => r.name)
}

export async function listDomains(
  db: Db,
  tenantId: string,
  organizationId: string,
  limit: number,
  after: CursorPosition | null,
): Promise<DomainRow[]> {
  return db
    .select()
    .from(domains)
    .where(
      and(
        eq(domains.tenantId, tenantId),
        eq(domains.organizationId, organizationId),
        olderThan(domains.createdAt, domains.id, after),
      ),
    )
    .orderBy(desc(domains.createdAt), desc(domains.id))
    .limit(limit)
}

export async function updateDomain(db: Db, tenantId: string, id: string, patch: DomainPatch): Promise<DomainRow> {
  const [row] = await db
    .update(domains)
    .set(patch)
    .where(and(eq(domains.tenantId, tenantId), eq(domains.id, id)))
    .returning()
  return row!
}

/** Its suggestions go with it (foreign key cascade). */
export async function deleteDomain(db: Db, tenantId: string, id: string): Promise<void> {
  await db.delete(domains).where(and(eq(domains.tenantId, tenantId), eq(domains.id, id)))
}

/** Inserts the suggestions that do not exist yet (one per organization and user); returns the new ones. */
export async function insertSuggestions(db: Db, rows: (typeof suggestions.$inferInsert)[]): Promise<SuggestionRow[]> {
  return inChunks(rows, (chunk) => db.insert(suggestions).values(chunk).onConflictDoNothing().returning())
}

export async function findSuggestion(db: Db, tenantId: string, userId: string, id: string) {
  const [row] = await db
    .select({ suggestion: suggestions, organization: organizations })
    .from(suggestions)
    .innerJoin(organizations, eq(organizations.id, suggestions.organizationId))
    .where(and(eq(suggestions.tenantId, tenantId), eq(suggestions.userId, userId), eq(suggestions.id, id)))
    .limit(1)
  return row ? { ...row.suggestion, organization: row.organization } : null
}

export type SuggestionWithOrg = SuggestionRow & { organization: OrganizationRow }

export async function listSuggestions(
  db: Db,
  tenantId: string,
  userId: string,
  limit: number,
  after: CursorPosition | null,
): Promise<SuggestionWithOrg[]> {
  const rows = await db
    .select({ suggestion: suggestions, organization: organizations })
    .from(suggestions)
    .innerJoin(organizations, eq(organizations.id, suggestions.organizationId))
    .where(
      and(
        eq(suggestions.tenantId, tenantId),
        eq(suggestions.userId, userId),
        olderThan(suggestions.createdAt, suggestions.id, after),
      ),
    )
    .orderBy(desc(suggestions.createdAt), desc(suggestions.id))
    .limit(limit)
  return rows.map((r) => ({ ...r.suggestion, organization: r.organization }))
}

export async function updateSuggestion(
  db: Db,
  tenantId: string,
  id: string,
  patch: Pick<SuggestionRow, 'status' | 'updatedAt'>,
) {
  const [row] = await db
    .update(suggestions)
    .set(patch)
    .where(and(eq(suggestions.tenantId, tenantId), eq(suggestions.id, id)))
    .returning()
  return row!
}

export async function insertRequest(db: Db, row: typeof requests.$inferInsert): Promise<RequestRow> {
  const [created] = await db.insert(requests).values(row).returning()
  return created!
}

export async function findRequest(db: Db, tenantId: string, organizationId: string, id: string) {
  const [row] = await db
    .select()
    .from(requests)
    .where(and(eq(requests.tenantId, tenantId), eq(requests.organizationId, organizationId), eq(requests.id, id)))
    .limit(1)
  return row ?? null
}

export async function listRequests(
  db: Db,
  tenantId: string,
  organizationId: string,
  status: RequestRow['status'] | undefined,
  limit: number,
  after: CursorPosition | null,
): Promise<RequestRow[]> {
  return db
    .select()
    .from(requests)
    .where(
      and(
        eq(requests.tenantId, tenantId),
        eq(requests.organizationId, organizationId),
        status ? eq(requests.status, status) : undefined,
        olderThan(requests.createdAt, requests.id, after),
      ),
    )
    .orderBy(desc(requests.createdAt), desc(requests.id))
    .limit(limit)
}

export async function updateRequest(
  db: Db,
  tenantId: string,
  id: string,
  patch: Pick<RequestRow, 'status' | 'updatedAt'>,
) {
  const [row] = await db
    .update(requests)
    .set(patch)
    .where(and(eq(requests.tenantId, tenantId), eq(requests.id, id)))
    .returning()
  return row!
}

/** A deleted user's suggestions and membership requests. */
export async function deleteEnrollmentsOfUser(db: Db, tenantId: string, userId: string): Promise<void> {
  await db.delete(suggestions).where(and(eq(suggestions.tenantId, tenantId), eq(suggestions.userId, userId)))
  await db.delete(requests).where(and(eq(requests.tenantId, tenantId), eq(requests.userId, userId)))
}

/** Which of these users are members of the organization. */
/** Which of these users (all, for null) are members of the organization, whatever their status. */
export async function memberUserIds(db: Db, tenantId: string, organizationId: string, userIds: string[] | null) {
  if (userIds?.length === 0) return new Set<string>()
  // A long list costs more as bound parameters (PostgreSQL takes at most 65535) than reading every member.
  const narrow = userIds !== null && userIds.length <= 1000
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.organizationId, organizationId),
        narrow ? inArray(memberships.userId, userIds) : undefined,
      ),
    )
  const found = new Set(rows.map((r) => r.userId))
  return userIds === null || narrow ? found : new Set(userIds.filter((id) => found.has(id)))
}

/** The user's membership of the organization, with it, when active (a token's organization claims). */
export async function findActiveMembership(
  db: Db,
  tenantId: string,
  organizationId: string,
  userId: string,
): Promise<MembershipWithOrg | null> {
  const [row] = await db
    .select({ membership: memberships, organization: organizations })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.organizationId, organizationId),
        eq(memberships.userId, userId),
        eq(memberships.status, 'active'),
      ),
    )
    .limit(1)
  return row ? { ...row.membership, organization: row.organization } : null
}
