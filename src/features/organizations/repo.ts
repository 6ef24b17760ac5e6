import { and, count, desc, eq, ilike, inArray, or, type SQL } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { olderThan } from '../../platform/db/page'
import type { CursorPosition } from '../../platform/http/pagination'
import { organizationMemberships as memberships, organizations } from './schema'

export type OrganizationRow = typeof organizations.$inferSelect
export type MembershipRow = typeof memberships.$inferSelect
export type OrganizationPatch = Partial<
  Pick<OrganizationRow, 'name' | 'slug' | 'imageUrl' | 'maxMemberships' | 'publicMetadata' | 'privateMetadata'>
> & { updatedAt: Date }
export type MembershipPatch = Partial<Pick<MembershipRow, 'roleId' | 'publicMetadata' | 'privateMetadata'>> & {
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

/** Its memberships go with it (foreign key cascade). */
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
