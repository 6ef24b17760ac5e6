import { and, desc, eq, lt } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { signInAttempts } from './schema'

export type SignInRow = typeof signInAttempts.$inferSelect

export async function insert(db: Db, row: typeof signInAttempts.$inferInsert): Promise<SignInRow> {
  const [created] = await db.insert(signInAttempts).values(row).returning()
  return created!
}

/** Only the owner's attempts are visible: another client (or the BAPI) gets null. */
export async function findOwned(db: Db, tenantId: string, owner: string, id: string): Promise<SignInRow | null> {
  const [row] = await db.select().from(signInAttempts)
    .where(and(eq(signInAttempts.tenantId, tenantId), eq(signInAttempts.id, id), eq(signInAttempts.owner, owner))).limit(1)
  return row ?? null
}

export async function find(db: Db, tenantId: string, id: string): Promise<SignInRow | null> {
  const [row] = await db.select().from(signInAttempts).where(and(eq(signInAttempts.tenantId, tenantId), eq(signInAttempts.id, id))).limit(1)
  return row ?? null
}

export async function latestForOwner(db: Db, tenantId: string, owner: string): Promise<SignInRow | null> {
  const [row] = await db.select().from(signInAttempts)
    .where(and(eq(signInAttempts.tenantId, tenantId), eq(signInAttempts.owner, owner))).orderBy(desc(signInAttempts.createdAt)).limit(1)
  return row ?? null
}

/** The saved row, or null when another request saved a newer version first. */
export async function saveSnapshot(db: Db, row: SignInRow, snapshot: unknown, status: string, at: Date): Promise<SignInRow | null> {
  const [updated] = await db.update(signInAttempts).set({ snapshot, status, version: row.version + 1, updatedAt: at })
    .where(and(eq(signInAttempts.tenantId, row.tenantId), eq(signInAttempts.id, row.id), eq(signInAttempts.version, row.version)))
    .returning()
  return updated ?? null
}

/** The sweeper: attempts a day past their expiry are of no use to anyone. */
export async function deleteExpiredBefore(db: Db, before: Date): Promise<number> {
  const deleted = await db.delete(signInAttempts).where(lt(signInAttempts.expireAt, before)).returning({ id: signInAttempts.id })
  return deleted.length
}
