import { and, eq, isNull, ne } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { signingKeys } from './schema'

export type SigningKeyRow = typeof signingKeys.$inferSelect
export type NewSigningKey = typeof signingKeys.$inferInsert

export async function listForTenant(db: Db, tenantId: string): Promise<SigningKeyRow[]> {
  return db.select().from(signingKeys).where(eq(signingKeys.tenantId, tenantId)).orderBy(signingKeys.activateAt)
}

export async function insert(db: Db, row: NewSigningKey): Promise<void> {
  await db.insert(signingKeys).values(row)
}

/** Schedules every other unretired key of the tenant to leave the JWKS at `retireAt`. */
export async function retireOthers(db: Db, tenantId: string, keepId: string, retireAt: Date): Promise<void> {
  await db
    .update(signingKeys)
    .set({ retireAt })
    .where(and(eq(signingKeys.tenantId, tenantId), ne(signingKeys.id, keepId), isNull(signingKeys.retireAt)))
}
