import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import type { CursorPosition } from '../../platform/http/pagination'
import { apiKeys } from './schema'

export type ApiKeyRow = typeof apiKeys.$inferSelect

const ofKey = (tenantId: string, id: string) => and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id))

export async function insert(db: Db, row: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  const [created] = await db.insert(apiKeys).values(row).returning()
  return created!
}

export async function find(db: Db, tenantId: string, id: string, forUpdate = false): Promise<ApiKeyRow | null> {
  const query = db.select().from(apiKeys).where(ofKey(tenantId, id)).limit(1)
  const [row] = forUpdate ? await query.for('update') : await query
  return row ?? null
}

/** Newest first; `after` is the last row of the previous page. */
export async function list(
  db: Db,
  tenantId: string,
  limit: number,
  after: CursorPosition | null,
): Promise<ApiKeyRow[]> {
  return db
    .select()
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.tenantId, tenantId),
        after
          ? sql`(${apiKeys.createdAt}, ${apiKeys.id}) < (${new Date(after.t).toISOString()}::timestamptz, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(limit)
}

export async function revoke(db: Db, tenantId: string, id: string, at: Date): Promise<ApiKeyRow | null> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: at, updatedAt: at })
    .where(and(ofKey(tenantId, id), isNull(apiKeys.revokedAt)))
    .returning()
  return row ?? null
}

/** The unrevoked key with this lookup id, across tenants (authentication comes before any tenant is known). */
export async function findUnrevoked(db: Db, lookup: string): Promise<ApiKeyRow | null> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.lookup, lookup), isNull(apiKeys.revokedAt)))
    .limit(1)
  return row ?? null
}

/** Records use; a no-op when another node recorded a use less than `minGapMs` ago. */
export async function markUsed(db: Db, tenantId: string, id: string, at: Date, minGapMs: number): Promise<void> {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: at })
    .where(
      and(
        ofKey(tenantId, id),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(at.getTime() - minGapMs))),
      ),
    )
}
