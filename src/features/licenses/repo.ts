import { and, desc, eq, gt, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { olderThan } from '../../platform/db/page'
import type { CursorPosition } from '../../platform/http/pagination'
import { licenseActivations, licenseKeys, products } from './schema'

export type ProductRow = typeof products.$inferSelect
export type LicenseKeyRow = typeof licenseKeys.$inferSelect
export type ActivationRow = typeof licenseActivations.$inferSelect
export type ProductPatch = Partial<Omit<ProductRow, 'id' | 'tenantId' | 'createdAt'>> & { updatedAt: Date }
export type LicenseKeyPatch = Partial<Omit<LicenseKeyRow, 'id' | 'tenantId' | 'createdAt'>> & { updatedAt: Date }

/** The constraint behind "key_prefix is unique per tenant" (409 duplicate_record). */
export const KEY_PREFIX_CONSTRAINT = 'products_tenant_id_key_prefix_uq'

const ofProduct = (tenantId: string, id: string) => and(eq(products.tenantId, tenantId), eq(products.id, id))
const ofKey = (tenantId: string, id: string) => and(eq(licenseKeys.tenantId, tenantId), eq(licenseKeys.id, id))

export async function insertProduct(db: Db, row: ProductRow): Promise<ProductRow> {
  const [created] = await db.insert(products).values(row).returning()
  return created!
}

export async function findProduct(db: Db, tenantId: string, id: string, forUpdate = false) {
  const query = db.select().from(products).where(ofProduct(tenantId, id)).limit(1)
  const [row] = forUpdate ? await query.for('update') : await query
  return row ?? null
}

export function listProducts(db: Db, tenantId: string, limit: number, after: CursorPosition | null) {
  return db
    .select()
    .from(products)
    .where(and(eq(products.tenantId, tenantId), olderThan(products.createdAt, products.id, after)))
    .orderBy(desc(products.createdAt), desc(products.id))
    .limit(limit)
}

export async function updateProduct(db: Db, tenantId: string, id: string, patch: ProductPatch) {
  const [row] = await db.update(products).set(patch).where(ofProduct(tenantId, id)).returning()
  return row ?? null
}

export async function deleteProduct(db: Db, tenantId: string, id: string): Promise<void> {
  await db.delete(products).where(ofProduct(tenantId, id))
}

export async function productHasKeys(db: Db, tenantId: string, productId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: licenseKeys.id })
    .from(licenseKeys)
    .where(and(eq(licenseKeys.tenantId, tenantId), eq(licenseKeys.productId, productId)))
    .limit(1)
  return row !== undefined
}

export async function insertKey(db: Db, row: LicenseKeyRow): Promise<LicenseKeyRow> {
  const [created] = await db.insert(licenseKeys).values(row).returning()
  return created!
}

export async function findKey(db: Db, tenantId: string, id: string, forUpdate = false) {
  const query = db.select().from(licenseKeys).where(ofKey(tenantId, id)).limit(1)
  const [row] = forUpdate ? await query.for('update') : await query
  return row ?? null
}

export async function findKeyByHash(db: Db, tenantId: string, keyHash: string, forUpdate = false) {
  const query = db
    .select()
    .from(licenseKeys)
    .where(and(eq(licenseKeys.tenantId, tenantId), eq(licenseKeys.keyHash, keyHash)))
    .limit(1)
  const [row] = forUpdate ? await query.for('update') : await query
  return row ?? null
}

export interface KeyFilter {
  productId?: string
  userId?: string
  organizationId?: string
  status?: 'active' | 'revoked' | 'expired'
  now: Date
}

function statusCondition(status: KeyFilter['status'], now: Date): SQL | undefined {
  if (status === 'revoked') return isNotNull(licenseKeys.revokedAt)
  if (status === 'expired') return and(isNull(licenseKeys.revokedAt), lte(licenseKeys.expiresAt, now))
  if (status === 'active')
    return and(isNull(licenseKeys.revokedAt), or(isNull(licenseKeys.expiresAt), gt(licenseKeys.expiresAt, now)))
  return undefined
}

export function listKeys(db: Db, tenantId: string, filter: KeyFilter, limit: number, after: CursorPosition | null) {
  return db
    .select()
    .from(licenseKeys)
    .where(
      and(
        eq(licenseKeys.tenantId, tenantId),
        filter.productId ? eq(licenseKeys.productId, filter.productId) : undefined,
        filter.userId ? eq(licenseKeys.userId, filter.userId) : undefined,
        filter.organizationId ? eq(licenseKeys.organizationId, filter.organizationId) : undefined,
        statusCondition(filter.status, filter.now),
        olderThan(licenseKeys.createdAt, licenseKeys.id, after),
      ),
    )
    .orderBy(desc(licenseKeys.createdAt), desc(licenseKeys.id))
    .limit(limit)
}

export async function updateKey(db: Db, tenantId: string, id: string, patch: LicenseKeyPatch) {
  const [row] = await db.update(licenseKeys).set(patch).where(ofKey(tenantId, id)).returning()
  return row ?? null
}

export async function deleteKey(db: Db, tenantId: string, id: string): Promise<void> {
  await db.delete(licenseKeys).where(ofKey(tenantId, id))
}

export async function findActivation(db: Db, tenantId: string, licenseKeyId: string, fingerprint: string) {
  const [row] = await db
    .select()
    .from(licenseActivations)
    .where(
      and(
        eq(licenseActivations.tenantId, tenantId),
        eq(licenseActivations.licenseKeyId, licenseKeyId),
        eq(licenseActivations.deviceFingerprint, fingerprint),
      ),
    )
    .limit(1)
  return row ?? null
}

export async function findActivationById(db: Db, tenantId: string, licenseKeyId: string, id: string) {
  const [row] = await db
    .select()
    .from(licenseActivations)
    .where(
      and(
        eq(licenseActivations.tenantId, tenantId),
        eq(licenseActivations.licenseKeyId, licenseKeyId),
        eq(licenseActivations.id, id),
      ),
    )
    .limit(1)
  return row ?? null
}

export async function insertActivation(db: Db, row: ActivationRow): Promise<ActivationRow> {
  const [created] = await db.insert(licenseActivations).values(row).returning()
  return created!
}

export async function updateActivation(db: Db, tenantId: string, id: string, patch: Partial<ActivationRow>) {
  const [row] = await db
    .update(licenseActivations)
    .set(patch)
    .where(and(eq(licenseActivations.tenantId, tenantId), eq(licenseActivations.id, id)))
    .returning()
  return row!
}

export function listActivations(
  db: Db,
  tenantId: string,
  licenseKeyId: string,
  limit: number,
  after: CursorPosition | null,
) {
  return db
    .select()
    .from(licenseActivations)
    .where(
      and(
        eq(licenseActivations.tenantId, tenantId),
        eq(licenseActivations.licenseKeyId, licenseKeyId),
        olderThan(licenseActivations.createdAt, licenseActivations.id, after),
      ),
    )
    .orderBy(desc(licenseActivations.createdAt), desc(licenseActivations.id))
    .limit(limit)
}

/** Moves the key's active-activation count by `delta`, in the transaction that holds its row lock. */
export async function countActivation(db: Db, tenantId: string, id: string, delta: 1 | -1, at: Date) {
  await db
    .update(licenseKeys)
    .set({ activationsCount: sql`${licenseKeys.activationsCount} + ${delta}`, updatedAt: at })
    .where(ofKey(tenantId, id))
}
