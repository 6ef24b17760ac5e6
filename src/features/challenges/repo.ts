import { and, desc, eq, isNotNull } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { flowTable } from '../../platform/db/flow-table'
import { challenges } from './schema'

export type ChallengeRow = typeof challenges.$inferSelect

/** find, insert, the versioned saveSnapshot and the sweeper's delete: the flow contract of platform/db. */
export const { find, insert, saveSnapshot, deleteExpiredBefore } = flowTable(challenges)

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

/** The newest external-provider challenge of an owner (a sign-up started with a provider). */
export async function latestExternalFor(db: Db, tenantId: string, ownerId: string): Promise<ChallengeRow | null> {
  const [row] = await db
    .select()
    .from(challenges)
    .where(and(eq(challenges.tenantId, tenantId), eq(challenges.ownerId, ownerId), isNotNull(challenges.external)))
    .orderBy(desc(challenges.createdAt))
    .limit(1)
  return row ?? null
}
