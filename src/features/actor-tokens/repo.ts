import { and, desc, eq, gt, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import type { CursorPosition } from '../../platform/http/pagination'
import { actorTokens, type ActorTokenStatus } from './schema'

export type ActorTokenRow = typeof actorTokens.$inferSelect

export async function insert(db: Db, row: typeof actorTokens.$inferInsert): Promise<ActorTokenRow> {
  const [inserted] = await db.insert(actorTokens).values(row).returning()
  return inserted!
}

export async function find(db: Db, tenantId: string, id: string): Promise<ActorTokenRow | null> {
  const [row] = await db
    .select()
    .from(actorTokens)
    .where(and(eq(actorTokens.tenantId, tenantId), eq(actorTokens.id, id)))
    .limit(1)
  return row ?? null
}

export async function findByHash(db: Db, tenantId: string, tokenHash: string): Promise<ActorTokenRow | null> {
  const [row] = await db
    .select()
    .from(actorTokens)
    .where(and(eq(actorTokens.tenantId, tenantId), eq(actorTokens.tokenHash, tokenHash)))
    .limit(1)
  return row ?? null
}

/** Newest first; `after` is the last row of the previous page. */
export function list(db: Db, tenantId: string, limit: number, after: CursorPosition | null): Promise<ActorTokenRow[]> {
  return db
    .select()
    .from(actorTokens)
    .where(
      and(
        eq(actorTokens.tenantId, tenantId),
        after
          ? sql`(${actorTokens.createdAt}, ${actorTokens.id}) < (${new Date(after.t).toISOString()}::timestamptz, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(actorTokens.createdAt), desc(actorTokens.id))
    .limit(limit)
}

/** Moves a pending, unexpired token to `to`; false when it was not pending any more (the race's loser). */
export async function settle(
  db: Db,
  tenantId: string,
  id: string,
  to: Exclude<ActorTokenStatus, 'pending'>,
  at: Date,
  sessionId: string | null = null,
): Promise<ActorTokenRow | null> {
  const [row] = await db
    .update(actorTokens)
    .set({ status: to, sessionId, updatedAt: at })
    .where(
      and(
        eq(actorTokens.tenantId, tenantId),
        eq(actorTokens.id, id),
        eq(actorTokens.status, 'pending'),
        ...(to === 'accepted' ? [gt(actorTokens.expiresAt, at)] : []),
      ),
    )
    .returning()
  return row ?? null
}
