import { eq } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { customDomains } from './schema'

export type CustomDomainRow = typeof customDomains.$inferSelect

/** The constraint behind "one custom domain per tenant" (409 `duplicate_record`). */
export const ONE_PER_TENANT_CONSTRAINT = 'custom_domains_tenant_id_uq'

export async function findForTenant(db: Db, tenantId: string, forUpdate = false): Promise<CustomDomainRow | null> {
  const query = db.select().from(customDomains).where(eq(customDomains.tenantId, tenantId)).limit(1)
  const [row] = forUpdate ? await query.for('update') : await query
  return row ?? null
}

export async function insert(db: Db, row: CustomDomainRow): Promise<CustomDomainRow> {
  const [created] = await db.insert(customDomains).values(row).returning()
  return created!
}

export async function markVerified(db: Db, id: string, at: Date): Promise<CustomDomainRow> {
  const [row] = await db
    .update(customDomains)
    .set({ verifiedAt: at, updatedAt: at })
    .where(eq(customDomains.id, id))
    .returning()
  return row!
}

export async function markPending(db: Db, id: string, at: Date): Promise<void> {
  await db.update(customDomains).set({ verifiedAt: null, updatedAt: at }).where(eq(customDomains.id, id))
}

export async function remove(db: Db, id: string): Promise<void> {
  await db.delete(customDomains).where(eq(customDomains.id, id))
}
