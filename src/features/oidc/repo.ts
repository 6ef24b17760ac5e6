import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { Db } from '../../platform/db/client'
import type { CursorPosition } from '../../platform/http/pagination'
import { oauthApplications, oauthAuthRequests, oauthClientAssertions, oauthGrants } from './schema'

export type ApplicationRow = typeof oauthApplications.$inferSelect
export type GrantRow = typeof oauthGrants.$inferSelect
export type AuthRequestRow = typeof oauthAuthRequests.$inferSelect

const ofApp = (tenantId: string, id: string) =>
  and(eq(oauthApplications.tenantId, tenantId), eq(oauthApplications.id, id))

const olderThan = (after: CursorPosition | null, created: AnyPgColumn, id: AnyPgColumn) =>
  after ? sql`(${created}, ${id}) < (${new Date(after.t).toISOString()}::timestamptz, ${after.id})` : undefined

export async function insertApplication(db: Db, row: typeof oauthApplications.$inferInsert): Promise<ApplicationRow> {
  const [inserted] = await db.insert(oauthApplications).values(row).returning()
  return inserted!
}

export async function findApplication(db: Db, tenantId: string, id: string): Promise<ApplicationRow | null> {
  const [row] = await db.select().from(oauthApplications).where(ofApp(tenantId, id)).limit(1)
  return row ?? null
}

export async function findByClientId(db: Db, tenantId: string, clientId: string): Promise<ApplicationRow | null> {
  const [row] = await db
    .select()
    .from(oauthApplications)
    .where(and(eq(oauthApplications.tenantId, tenantId), eq(oauthApplications.clientId, clientId)))
    .limit(1)
  return row ?? null
}

export async function listApplications(
  db: Db,
  tenantId: string,
  limit: number,
  after: CursorPosition | null,
): Promise<ApplicationRow[]> {
  return db
    .select()
    .from(oauthApplications)
    .where(
      and(
        eq(oauthApplications.tenantId, tenantId),
        olderThan(after, oauthApplications.createdAt, oauthApplications.id),
      ),
    )
    .orderBy(desc(oauthApplications.createdAt), desc(oauthApplications.id))
    .limit(limit)
}

export async function updateApplication(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<typeof oauthApplications.$inferInsert>,
): Promise<ApplicationRow | null> {
  const [row] = await db.update(oauthApplications).set(patch).where(ofApp(tenantId, id)).returning()
  return row ?? null
}

export async function deleteApplication(db: Db, tenantId: string, id: string): Promise<boolean> {
  const rows = await db.delete(oauthApplications).where(ofApp(tenantId, id)).returning({ id: oauthApplications.id })
  return rows.length === 1
}

// ---- grants

const grantScope = (tenantId: string, applicationId: string, userId: string, organizationId: string | null) =>
  and(
    eq(oauthGrants.tenantId, tenantId),
    eq(oauthGrants.applicationId, applicationId),
    eq(oauthGrants.userId, userId),
    organizationId === null ? isNull(oauthGrants.organizationId) : eq(oauthGrants.organizationId, organizationId),
  )

export async function findGrantFor(
  db: Db,
  tenantId: string,
  applicationId: string,
  userId: string,
  organizationId: string | null,
): Promise<GrantRow | null> {
  const [row] = await db
    .select()
    .from(oauthGrants)
    .where(grantScope(tenantId, applicationId, userId, organizationId))
    .limit(1)
  return row ?? null
}

/** A new grant, or null when one for the same (application, user, organization) exists already. */
export async function insertGrant(db: Db, row: typeof oauthGrants.$inferInsert): Promise<GrantRow | null> {
  const [saved] = await db.insert(oauthGrants).values(row).onConflictDoNothing().returning()
  return saved ?? null
}

export async function widenGrant(db: Db, tenantId: string, id: string, scopes: string[], at: Date): Promise<GrantRow> {
  const [saved] = await db
    .update(oauthGrants)
    .set({ scopes, updatedAt: at, lastUsedAt: at })
    .where(and(eq(oauthGrants.tenantId, tenantId), eq(oauthGrants.id, id)))
    .returning()
  return saved!
}

export async function findGrant(db: Db, tenantId: string, id: string): Promise<GrantRow | null> {
  const [row] = await db
    .select()
    .from(oauthGrants)
    .where(and(eq(oauthGrants.tenantId, tenantId), eq(oauthGrants.id, id)))
    .limit(1)
  return row ?? null
}

export async function listGrants(
  db: Db,
  tenantId: string,
  filter: { applicationId?: string; userId?: string },
  limit: number,
  after: CursorPosition | null,
): Promise<GrantRow[]> {
  return db
    .select()
    .from(oauthGrants)
    .where(
      and(
        eq(oauthGrants.tenantId, tenantId),
        filter.applicationId ? eq(oauthGrants.applicationId, filter.applicationId) : undefined,
        filter.userId ? eq(oauthGrants.userId, filter.userId) : undefined,
        olderThan(after, oauthGrants.createdAt, oauthGrants.id),
      ),
    )
    .orderBy(desc(oauthGrants.createdAt), desc(oauthGrants.id))
    .limit(limit)
}

export async function deleteGrant(db: Db, tenantId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(oauthGrants)
    .where(and(eq(oauthGrants.tenantId, tenantId), eq(oauthGrants.id, id)))
    .returning({ id: oauthGrants.id })
  return rows.length === 1
}

export async function touchGrant(db: Db, tenantId: string, id: string, at: Date): Promise<void> {
  await db
    .update(oauthGrants)
    .set({ lastUsedAt: at })
    .where(and(eq(oauthGrants.tenantId, tenantId), eq(oauthGrants.id, id)))
}

// ---- authorization requests

export async function insertAuthRequest(db: Db, row: typeof oauthAuthRequests.$inferInsert): Promise<AuthRequestRow> {
  const [inserted] = await db.insert(oauthAuthRequests).values(row).returning()
  return inserted!
}

export async function findAuthRequest(db: Db, tenantId: string, id: string): Promise<AuthRequestRow | null> {
  const [row] = await db
    .select()
    .from(oauthAuthRequests)
    .where(and(eq(oauthAuthRequests.tenantId, tenantId), eq(oauthAuthRequests.id, id)))
    .limit(1)
  return row ?? null
}

/**
 * A PAR `request_uri` is single-use: taking it clears it, so a second use finds nothing; the browser
 * that takes it is the one the request is bound to from then on.
 */
export async function takeRequestUri(
  db: Db,
  tenantId: string,
  hash: string,
  browserBinding: string,
): Promise<AuthRequestRow | null> {
  const [row] = await db
    .update(oauthAuthRequests)
    .set({ requestUriHash: null, browserBinding })
    .where(and(eq(oauthAuthRequests.tenantId, tenantId), eq(oauthAuthRequests.requestUriHash, hash)))
    .returning()
  return row ?? null
}

/** Completes a request once: a second completion (a replayed consent form) finds nothing. */
export async function completeAuthRequest(db: Db, tenantId: string, id: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(oauthAuthRequests)
    .set({ completedAt: at })
    .where(
      and(
        eq(oauthAuthRequests.tenantId, tenantId),
        eq(oauthAuthRequests.id, id),
        isNull(oauthAuthRequests.completedAt),
      ),
    )
    .returning({ id: oauthAuthRequests.id })
  return rows.length === 1
}

/** Records a client assertion's jti; false when it was seen already (a replay). */
export async function rememberAssertion(db: Db, row: typeof oauthClientAssertions.$inferInsert): Promise<boolean> {
  const inserted = await db
    .insert(oauthClientAssertions)
    .values(row)
    .onConflictDoNothing()
    .returning({ jti: oauthClientAssertions.jti })
  return inserted.length === 1
}

/** Adds to a pending request's state (the account picked, the session sent to consent). */
export async function mergeParams(
  db: Db,
  tenantId: string,
  id: string,
  patch: Record<string, unknown>,
): Promise<boolean> {
  const rows = await db
    .update(oauthAuthRequests)
    .set({ params: sql`${oauthAuthRequests.params} || ${JSON.stringify(patch)}::jsonb` })
    .where(
      and(
        eq(oauthAuthRequests.tenantId, tenantId),
        eq(oauthAuthRequests.id, id),
        isNull(oauthAuthRequests.completedAt),
      ),
    )
    .returning({ id: oauthAuthRequests.id })
  return rows.length === 1
}
