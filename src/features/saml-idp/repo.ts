import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import type { CursorPosition } from '../../platform/http/pagination'
import { samlIdpKeys, samlServiceProviders } from './schema'

export type ServiceProviderRow = typeof samlServiceProviders.$inferSelect
export type ServiceProviderPatch = Partial<Omit<ServiceProviderRow, 'id' | 'tenantId' | 'createdAt'>> & {
  updatedAt: Date
}
export type IdpKeyRow = typeof samlIdpKeys.$inferSelect

/** The constraint behind "entity_id is unique per tenant" (409 duplicate_record). */
export const ENTITY_ID_CONSTRAINT = 'saml_service_providers_tenant_id_entity_id_uq'

const ofProvider = (tenantId: string, id: string) =>
  and(eq(samlServiceProviders.tenantId, tenantId), eq(samlServiceProviders.id, id))

export async function insert(db: Db, row: typeof samlServiceProviders.$inferInsert): Promise<ServiceProviderRow> {
  const [created] = await db.insert(samlServiceProviders).values(row).returning()
  return created!
}

export async function find(
  db: Db,
  tenantId: string,
  id: string,
  forUpdate = false,
): Promise<ServiceProviderRow | null> {
  const query = db.select().from(samlServiceProviders).where(ofProvider(tenantId, id)).limit(1)
  const [row] = forUpdate ? await query.for('update') : await query
  return row ?? null
}

/** The SP whose Issuer is `entityId`. */
export async function findByEntityId(db: Db, tenantId: string, entityId: string): Promise<ServiceProviderRow | null> {
  const [row] = await db
    .select()
    .from(samlServiceProviders)
    .where(and(eq(samlServiceProviders.tenantId, tenantId), eq(samlServiceProviders.entityId, entityId)))
    .limit(1)
  return row ?? null
}

/** Newest first; `after` is the last row of the previous page. */
export async function list(
  db: Db,
  tenantId: string,
  limit: number,
  after: CursorPosition | null,
): Promise<ServiceProviderRow[]> {
  return db
    .select()
    .from(samlServiceProviders)
    .where(
      and(
        eq(samlServiceProviders.tenantId, tenantId),
        after
          ? sql`(${samlServiceProviders.createdAt}, ${samlServiceProviders.id}) < (${new Date(after.t).toISOString()}::timestamptz, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(samlServiceProviders.createdAt), desc(samlServiceProviders.id))
    .limit(limit)
}

export async function update(
  db: Db,
  tenantId: string,
  id: string,
  patch: ServiceProviderPatch,
): Promise<ServiceProviderRow | null> {
  const [row] = await db.update(samlServiceProviders).set(patch).where(ofProvider(tenantId, id)).returning()
  return row ?? null
}

export async function remove(db: Db, tenantId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(samlServiceProviders)
    .where(ofProvider(tenantId, id))
    .returning({ id: samlServiceProviders.id })
  return deleted.length === 1
}

/** The tenant's IdP keys that accompany these token-signing keys (those made so far). */
export function findKeys(db: Db, tenantId: string, signingKeyIds: string[]): Promise<IdpKeyRow[]> {
  if (signingKeyIds.length === 0) return Promise.resolve([])
  return db
    .select()
    .from(samlIdpKeys)
    .where(and(eq(samlIdpKeys.tenantId, tenantId), inArray(samlIdpKeys.signingKeyId, signingKeyIds)))
}

/** Inserts the key of a signing key unless one exists (the first writer wins; the caller reads back). */
export async function insertKeyIfAbsent(db: Db, row: IdpKeyRow): Promise<void> {
  await db.insert(samlIdpKeys).values(row).onConflictDoNothing({ target: samlIdpKeys.signingKeyId })
}
