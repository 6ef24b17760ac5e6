import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { flowTable } from '../../platform/db/flow-table'
import { identifierLockouts, signInAttempts } from './schema'

export type SignInRow = typeof signInAttempts.$inferSelect

/** find, insert, the versioned saveSnapshot and the sweeper's delete: the flow contract of platform/db. */
export const { find, insert, saveSnapshot, deleteExpiredBefore } = flowTable(signInAttempts)

/** Only the owner's attempts are visible: another client (or the BAPI) gets null. */
export async function findOwned(db: Db, tenantId: string, owner: string, id: string): Promise<SignInRow | null> {
  const [row] = await db
    .select()
    .from(signInAttempts)
    .where(and(eq(signInAttempts.tenantId, tenantId), eq(signInAttempts.id, id), eq(signInAttempts.owner, owner)))
    .limit(1)
  return row ?? null
}

export async function latestForOwner(db: Db, tenantId: string, owner: string): Promise<SignInRow | null> {
  const [row] = await db
    .select()
    .from(signInAttempts)
    .where(and(eq(signInAttempts.tenantId, tenantId), eq(signInAttempts.owner, owner)))
    .orderBy(desc(signInAttempts.createdAt))
    .limit(1)
  return row ?? null
}

/** When an unknown identifier's password lock ends, if it is locked at all. */
export async function identifierLockedUntil(db: Db, tenantId: string, key: string): Promise<Date | null> {
  const [row] = await db
    .select({ lockedUntil: identifierLockouts.lockedUntil })
    .from(identifierLockouts)
    .where(and(eq(identifierLockouts.tenantId, tenantId), eq(identifierLockouts.identifierKey, key)))
    .limit(1)
  return row?.lockedUntil ?? null
}

/**
 * One wrong password for an unknown identifier, counted atomically like a user's: reaching `max`
 * sets the lock and restarts the count. Returns the lock's end when this failure set it.
 */
export async function countIdentifierFailure(
  db: Db,
  tenantId: string,
  key: string,
  max: number,
  lockUntil: Date,
  now: Date,
): Promise<Date | null> {
  const reaches = sql`(${max}::int > 0 and ${identifierLockouts.failedPasswordAttempts} + 1 >= ${max}::int)`
  const [row] = await db
    .insert(identifierLockouts)
    .values({
      tenantId,
      identifierKey: key,
      failedPasswordAttempts: max === 1 ? 0 : 1,
      lockedUntil: max === 1 ? lockUntil : null,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [identifierLockouts.tenantId, identifierLockouts.identifierKey],
      set: {
        failedPasswordAttempts: sql`case when ${reaches} then 0
          else ${identifierLockouts.failedPasswordAttempts} + 1 end`,
        lockedUntil: sql`case when ${reaches} then ${lockUntil.toISOString()}::timestamptz
          else ${identifierLockouts.lockedUntil} end`,
        updatedAt: now,
      },
    })
    .returning({ failed: identifierLockouts.failedPasswordAttempts, lockedUntil: identifierLockouts.lockedUntil })
  return max > 0 && row?.failed === 0 && row.lockedUntil ? row.lockedUntil : null
}

/** The sweeper: counters idle since `before` whose lock, if any, has ended. */
export async function sweepIdentifierLockouts(db: Db, before: Date, now: Date): Promise<number> {
  const deleted = await db
    .delete(identifierLockouts)
    .where(
      and(
        lt(identifierLockouts.updatedAt, before),
        or(isNull(identifierLockouts.lockedUntil), lt(identifierLockouts.lockedUntil, now)),
      ),
    )
    .returning({ key: identifierLockouts.identifierKey })
  return deleted.length
}
