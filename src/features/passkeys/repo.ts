import { and, asc, count, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { passkeys } from './schema'

export type PasskeyRow = typeof passkeys.$inferSelect

export async function insert(db: Db, row: typeof passkeys.$inferInsert): Promise<PasskeyRow> {
  const [created] = await db.insert(passkeys).values(row).returning()
  return created!
}

export async function listForUsers(db: Db, tenantId: string, userIds: string[]): Promise<PasskeyRow[]> {
  if (!userIds.length) return []
  return db
    .select()
    .from(passkeys)
    .where(and(eq(passkeys.tenantId, tenantId), inArray(passkeys.userId, userIds)))
    .orderBy(asc(passkeys.createdAt), asc(passkeys.id))
}

export async function countForUser(db: Db, tenantId: string, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(passkeys)
    .where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.userId, userId)))
  return row?.n ?? 0
}

export async function findOwned(db: Db, tenantId: string, userId: string, id: string): Promise<PasskeyRow | null> {
  const [row] = await db
    .select()
    .from(passkeys)
    .where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.userId, userId), eq(passkeys.id, id)))
    .limit(1)
  return row ?? null
}

export async function findByCredentialId(db: Db, tenantId: string, credentialId: string): Promise<PasskeyRow | null> {
  const [row] = await db
    .select()
    .from(passkeys)
    .where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.credentialId, credentialId)))
    .limit(1)
  return row ?? null
}

export async function update(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Pick<PasskeyRow, 'name' | 'counter' | 'backedUp' | 'lastUsedAt' | 'updatedAt'>>,
): Promise<PasskeyRow | null> {
  const [row] = await db
    .update(passkeys)
    .set(patch)
    .where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.id, id)))
    .returning()
  return row ?? null
}

/**
 * Saves a verified assertion's counter only if nobody moved it since it was read: two
 * concurrent sign-ins with one assertion (or a clone) cannot both pass the counter check.
 */
export async function recordUse(
  db: Db,
  tenantId: string,
  id: string,
  expectedCounter: number,
  patch: { counter: number; backedUp: number; lastUsedAt: Date },
): Promise<boolean> {
  const updated = await db
    .update(passkeys)
    .set({ ...patch, updatedAt: patch.lastUsedAt })
    .where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.id, id), eq(passkeys.counter, expectedCounter)))
    .returning({ id: passkeys.id })
  return updated.length === 1
}

export async function removeAllForUser(db: Db, tenantId: string, userId: string): Promise<number> {
  const deleted = await db
    .delete(passkeys)
    .where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id })
  return deleted.length
}

export async function remove(db: Db, tenantId: string, userId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(passkeys)
    .where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.userId, userId), eq(passkeys.id, id)))
    .returning({ id: passkeys.id })
  return deleted.length === 1
}
