import { and, desc, eq, lt } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { challenges } from './schema'

export type ChallengeRow = typeof challenges.$inferSelect

export async function insert(db: Db, row: typeof challenges.$inferInsert): Promise<ChallengeRow> {
  const [created] = await db.insert(challenges).values(row).returning()
  return created!
}

export async function find(db: Db, tenantId: string, id: string): Promise<ChallengeRow | null> {
  const [row] = await db
    .select()
    .from(challenges)
    .where(and(eq(challenges.tenantId, tenantId), eq(challenges.id, id)))
    .limit(1)
  return row ?? null
}

export async function findBySecretHash(db: Db, tenantId: string, secretHash: string): Promise<ChallengeRow | null> {
  const [row] = await db
    .select()
    .from(challenges)
    .where(and(eq(challenges.tenantId, tenantId), eq(challenges.secretHash, secretHash)))
    .limit(1)
  return row ?? null
}

/** The newest challenge of an owner with this strategy (resend cooldown). */
export async function latestFor(
  db: Db,
  tenantId: string,
  ownerId: string,
  strategy: string,
): Promise<ChallengeRow | null> {
  const [row] = await db
    .select()
    .from(challenges)
    .where(and(eq(challenges.tenantId, tenantId), eq(challenges.ownerId, ownerId), eq(challenges.strategy, strategy)))
    .orderBy(desc(challenges.createdAt))
    .limit(1)
  return row ?? null
}

export async function saveSnapshot(
  db: Db,
  row: ChallengeRow,
  snapshot: unknown,
  status: string,
  at: Date,
): Promise<boolean> {
  const updated = await db
    .update(challenges)
    .set({ snapshot, status, version: row.version + 1, updatedAt: at })
    .where(and(eq(challenges.tenantId, row.tenantId), eq(challenges.id, row.id), eq(challenges.version, row.version)))
    .returning({ id: challenges.id })
  return updated.length === 1
}

export async function deleteExpiredBefore(db: Db, before: Date): Promise<number> {
  const deleted = await db.delete(challenges).where(lt(challenges.expireAt, before)).returning({ id: challenges.id })
  return deleted.length
}
