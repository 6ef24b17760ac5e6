import { and, asc, count, desc, eq, inArray, isNull, max, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { olderThan } from '../../platform/db/page'
import type { CursorPosition } from '../../platform/http/pagination'
import { scimGroupMembers, scimGroups, scimMappings, scimTokens, scimUsers } from './schema'

export type ScimTokenRow = typeof scimTokens.$inferSelect
export type ScimUserRow = typeof scimUsers.$inferSelect
export type ScimGroupRow = typeof scimGroups.$inferSelect
export type ScimMappingRow = typeof scimMappings.$inferSelect

// ---- tokens

export async function insertToken(db: Db, row: typeof scimTokens.$inferInsert): Promise<ScimTokenRow> {
  const [created] = await db.insert(scimTokens).values(row).returning()
  return created!
}

/** The token with this hash in this tenant, whatever its state (the caller checks it). */
export async function findTokenByHash(db: Db, tenantId: string, hash: string): Promise<ScimTokenRow | null> {
  const [row] = await db
    .select()
    .from(scimTokens)
    .where(and(eq(scimTokens.tenantId, tenantId), eq(scimTokens.tokenHash, hash)))
    .limit(1)
  return row ?? null
}

export async function findToken(db: Db, tenantId: string, orgId: string, id: string): Promise<ScimTokenRow | null> {
  const [row] = await db
    .select()
    .from(scimTokens)
    .where(and(eq(scimTokens.tenantId, tenantId), eq(scimTokens.organizationId, orgId), eq(scimTokens.id, id)))
    .limit(1)
  return row ?? null
}

/** Newest first; `status` filters as the API computes it (expired = past expires_at, not revoked). */
export function listTokens(
  db: Db,
  tenantId: string,
  orgId: string,
  opts: { status?: 'active' | 'revoked' | 'expired'; at: Date; limit: number; after: CursorPosition | null },
): Promise<ScimTokenRow[]> {
  const at = opts.at.toISOString()
  const status = {
    active: sql`${scimTokens.revokedAt} is null
      and (${scimTokens.expiresAt} is null or ${scimTokens.expiresAt} > ${at})`,
    revoked: sql`${scimTokens.revokedAt} is not null`,
    expired: sql`${scimTokens.revokedAt} is null and ${scimTokens.expiresAt} <= ${at}`,
  }
  return db
    .select()
    .from(scimTokens)
    .where(
      and(
        eq(scimTokens.tenantId, tenantId),
        eq(scimTokens.organizationId, orgId),
        opts.status ? status[opts.status] : undefined,
        olderThan(scimTokens.createdAt, scimTokens.id, opts.after),
      ),
    )
    .orderBy(desc(scimTokens.createdAt), desc(scimTokens.id))
    .limit(opts.limit)
}

export async function revokeToken(db: Db, tenantId: string, id: string, at: Date): Promise<ScimTokenRow | null> {
  const [row] = await db
    .update(scimTokens)
    .set({ revokedAt: at, updatedAt: at })
    .where(and(eq(scimTokens.tenantId, tenantId), eq(scimTokens.id, id), isNull(scimTokens.revokedAt)))
    .returning()
  return row ?? null
}

export async function touchToken(db: Db, tenantId: string, id: string, at: Date): Promise<void> {
  await db
    .update(scimTokens)
    .set({ lastUsedAt: at })
    .where(and(eq(scimTokens.tenantId, tenantId), eq(scimTokens.id, id)))
}

export async function lastRequestAt(db: Db, tenantId: string, orgId: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: max(scimTokens.lastUsedAt) })
    .from(scimTokens)
    .where(and(eq(scimTokens.tenantId, tenantId), eq(scimTokens.organizationId, orgId)))
  return row?.at ?? null
}

// ---- users

const ofOrgUsers = (tenantId: string, orgId: string) =>
  and(eq(scimUsers.tenantId, tenantId), eq(scimUsers.organizationId, orgId))

/** The organization's SCIM user, optionally locked. */
export async function findUser(
  db: Db,
  tenantId: string,
  orgId: string,
  userId: string,
  forUpdate = false,
): Promise<ScimUserRow | null> {
  const query = db
    .select()
    .from(scimUsers)
    .where(and(ofOrgUsers(tenantId, orgId), eq(scimUsers.userId, userId)))
    .limit(1)
  const [row] = forUpdate ? await query.for('update') : await query
  return row ?? null
}

export async function findUserByName(db: Db, tenantId: string, orgId: string, userName: string) {
  const [row] = await db
    .select()
    .from(scimUsers)
    .where(and(ofOrgUsers(tenantId, orgId), sql`lower(${scimUsers.userName}) = lower(${userName})`))
    .limit(1)
  return row ?? null
}

/** Every SCIM user of the organization, oldest first (filters and sorting run on the resources). */
export function listUsers(db: Db, tenantId: string, orgId: string, limit: number): Promise<ScimUserRow[]> {
  return db
    .select()
    .from(scimUsers)
    .where(ofOrgUsers(tenantId, orgId))
    .orderBy(asc(scimUsers.createdAt), asc(scimUsers.userId))
    .limit(limit)
}

/** Which of these user ids are live SCIM users of the organization. */
export async function existingUserIds(db: Db, tenantId: string, orgId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db
    .select({ id: scimUsers.userId })
    .from(scimUsers)
    .where(and(ofOrgUsers(tenantId, orgId), inArray(scimUsers.userId, ids)))
  return new Set(rows.map((r) => r.id))
}

export async function insertUser(db: Db, row: typeof scimUsers.$inferInsert): Promise<ScimUserRow> {
  const [created] = await db.insert(scimUsers).values(row).returning()
  return created!
}

export async function updateUser(
  db: Db,
  row: ScimUserRow,
  patch: Partial<Pick<ScimUserRow, 'userName' | 'externalId' | 'active' | 'resource' | 'bannedByScim'>> & {
    updatedAt: Date
  },
): Promise<ScimUserRow> {
  const [updated] = await db
    .update(scimUsers)
    .set({ ...patch, version: row.version + 1 })
    .where(and(eq(scimUsers.organizationId, row.organizationId), eq(scimUsers.userId, row.userId)))
    .returning()
  return updated!
}

export async function deleteUser(db: Db, tenantId: string, orgId: string, userId: string): Promise<void> {
  await db
    .delete(scimGroupMembers)
    .where(
      and(
        eq(scimGroupMembers.tenantId, tenantId),
        eq(scimGroupMembers.organizationId, orgId),
        eq(scimGroupMembers.userId, userId),
      ),
    )
  await db
    .delete(scimUsers)
    .where(and(eq(scimUsers.tenantId, tenantId), eq(scimUsers.organizationId, orgId), eq(scimUsers.userId, userId)))
}

// ---- groups

export async function insertGroup(db: Db, row: typeof scimGroups.$inferInsert): Promise<ScimGroupRow> {
  const [created] = await db.insert(scimGroups).values(row).returning()
  return created!
}

export async function findGroup(db: Db, tenantId: string, orgId: string, id: string, forUpdate = false) {
  const query = db
    .select()
    .from(scimGroups)
    .where(and(eq(scimGroups.tenantId, tenantId), eq(scimGroups.organizationId, orgId), eq(scimGroups.id, id)))
    .limit(1)
  const [row] = forUpdate ? await query.for('update') : await query
  return row ?? null
}

export async function findGroupByName(db: Db, tenantId: string, orgId: string, displayName: string) {
  const [row] = await db
    .select()
    .from(scimGroups)
    .where(
      and(
        eq(scimGroups.tenantId, tenantId),
        eq(scimGroups.organizationId, orgId),
        sql`lower(${scimGroups.displayName}) = lower(${displayName})`,
      ),
    )
    .limit(1)
  return row ?? null
}

/** The organization's groups, oldest first, from `offset`. */
export function listGroups(
  db: Db,
  tenantId: string,
  orgId: string,
  limit: number,
  offset = 0,
): Promise<ScimGroupRow[]> {
  return db
    .select()
    .from(scimGroups)
    .where(and(eq(scimGroups.tenantId, tenantId), eq(scimGroups.organizationId, orgId)))
    .orderBy(asc(scimGroups.createdAt), asc(scimGroups.id))
    .limit(limit)
    .offset(offset)
}

export async function countGroups(db: Db, tenantId: string, orgId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(scimGroups)
    .where(and(eq(scimGroups.tenantId, tenantId), eq(scimGroups.organizationId, orgId)))
  return row?.n ?? 0
}

export async function updateGroup(
  db: Db,
  row: ScimGroupRow,
  patch: { displayName: string; externalId: string | null; updatedAt: Date },
): Promise<ScimGroupRow> {
  const [updated] = await db
    .update(scimGroups)
    .set({ ...patch, version: row.version + 1 })
    .where(and(eq(scimGroups.tenantId, row.tenantId), eq(scimGroups.id, row.id)))
    .returning()
  return updated!
}

export async function deleteGroup(db: Db, tenantId: string, id: string): Promise<void> {
  await db.delete(scimGroups).where(and(eq(scimGroups.tenantId, tenantId), eq(scimGroups.id, id)))
}

/** Members of these groups with their display names (the tenant user's SCIM userName), by group id. */
export async function membersOf(db: Db, tenantId: string, groupIds: string[]) {
  const byGroup = new Map<string, { value: string; display: string }[]>()
  if (groupIds.length === 0) return byGroup
  const rows = await db
    .select({ groupId: scimGroupMembers.groupId, userId: scimGroupMembers.userId, userName: scimUsers.userName })
    .from(scimGroupMembers)
    .innerJoin(
      scimUsers,
      and(eq(scimUsers.organizationId, scimGroupMembers.organizationId), eq(scimUsers.userId, scimGroupMembers.userId)),
    )
    .where(and(eq(scimGroupMembers.tenantId, tenantId), inArray(scimGroupMembers.groupId, groupIds)))
    .orderBy(asc(scimGroupMembers.userId))
  for (const r of rows)
    byGroup.set(r.groupId, [...(byGroup.get(r.groupId) ?? []), { value: r.userId, display: r.userName }])
  return byGroup
}

/** Replaces a group's members; returns the user ids that joined or left. */
export async function setMembers(
  db: Db,
  group: ScimGroupRow,
  userIds: string[],
): Promise<{ added: string[]; removed: string[] }> {
  const where = and(eq(scimGroupMembers.tenantId, group.tenantId), eq(scimGroupMembers.groupId, group.id))
  const before = new Set(
    (await db.select({ id: scimGroupMembers.userId }).from(scimGroupMembers).where(where)).map((r) => r.id),
  )
  const after = new Set(userIds)
  const added = [...after].filter((id) => !before.has(id))
  const removed = [...before].filter((id) => !after.has(id))
  if (removed.length) await db.delete(scimGroupMembers).where(and(where, inArray(scimGroupMembers.userId, removed)))
  if (added.length)
    await db.insert(scimGroupMembers).values(
      added.map((userId) => ({
        tenantId: group.tenantId,
        organizationId: group.organizationId,
        groupId: group.id,
        userId,
      })),
    )
  return { added, removed }
}

/** The groups (display name and external id) each of these users is in, by user id. */
export async function groupsOfUsers(db: Db, tenantId: string, orgId: string, userIds: string[]) {
  const byUser = new Map<string, { id: string; displayName: string; externalId: string | null }[]>()
  if (userIds.length === 0) return byUser
  const rows = await db
    .select({
      userId: scimGroupMembers.userId,
      id: scimGroups.id,
      displayName: scimGroups.displayName,
      externalId: scimGroups.externalId,
    })
    .from(scimGroupMembers)
    .innerJoin(scimGroups, eq(scimGroups.id, scimGroupMembers.groupId))
    .where(
      and(
        eq(scimGroupMembers.tenantId, tenantId),
        eq(scimGroupMembers.organizationId, orgId),
        inArray(scimGroupMembers.userId, userIds),
      ),
    )
  for (const { userId, ...group } of rows) byUser.set(userId, [...(byUser.get(userId) ?? []), group])
  return byUser
}

/** Ids of the organization's SCIM users, oldest first (paging, role recomputation after a mapping change). */
export async function userIdsOf(db: Db, tenantId: string, orgId: string): Promise<string[]> {
  const rows = await db
    .select({ id: scimUsers.userId })
    .from(scimUsers)
    .where(ofOrgUsers(tenantId, orgId))
    .orderBy(asc(scimUsers.createdAt), asc(scimUsers.userId))
  return rows.map((r) => r.id)
}

/** These SCIM users of the organization, in the order of `ids` (one page). */
export async function findUsers(db: Db, tenantId: string, orgId: string, ids: string[]): Promise<ScimUserRow[]> {
  if (ids.length === 0) return []
  const rows = await db
    .select()
    .from(scimUsers)
    .where(and(ofOrgUsers(tenantId, orgId), inArray(scimUsers.userId, ids)))
  const byId = new Map(rows.map((r) => [r.userId, r]))
  return ids.flatMap((id) => byId.get(id) ?? [])
}

// ---- mappings

export async function findMapping(db: Db, tenantId: string, orgId: string): Promise<ScimMappingRow | null> {
  const [row] = await db
    .select()
    .from(scimMappings)
    .where(and(eq(scimMappings.tenantId, tenantId), eq(scimMappings.organizationId, orgId)))
    .limit(1)
  return row ?? null
}

export async function upsertMapping(db: Db, row: typeof scimMappings.$inferInsert): Promise<ScimMappingRow> {
  const [saved] = await db
    .insert(scimMappings)
    .values(row)
    .onConflictDoUpdate({
      target: scimMappings.organizationId,
      set: { user: row.user, groupRoles: row.groupRoles, defaultRole: row.defaultRole, updatedAt: row.updatedAt },
    })
    .returning()
  return saved!
}

export async function deleteMapping(db: Db, tenantId: string, orgId: string): Promise<void> {
  await db.delete(scimMappings).where(and(eq(scimMappings.tenantId, tenantId), eq(scimMappings.organizationId, orgId)))
}

/** A user erased from the tenant leaves every organization's SCIM (their rows and group seats). */
export async function forgetUser(db: Db, tenantId: string, userId: string): Promise<number> {
  await db
    .delete(scimGroupMembers)
    .where(and(eq(scimGroupMembers.tenantId, tenantId), eq(scimGroupMembers.userId, userId)))
  const gone = await db
    .delete(scimUsers)
    .where(and(eq(scimUsers.tenantId, tenantId), eq(scimUsers.userId, userId)))
    .returning({ id: scimUsers.userId })
  return gone.length
}
