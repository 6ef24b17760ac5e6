import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import type { CursorPosition } from '../../platform/http/pagination'
import { secretKeys, tenants } from './schema'
import { DEFAULT_SETTINGS, mergeSettings } from './settings'

export type TenantRow = typeof tenants.$inferSelect
export type SecretKeyRow = typeof secretKeys.$inferSelect

const live = isNull(tenants.deletedAt)

/** Stored settings read over today's defaults: keys added by later releases appear with their default. */
const hydrate = (row: TenantRow): TenantRow => ({ ...row, settings: mergeSettings(DEFAULT_SETTINGS, row.settings) })
const hydrateFirst = (rows: TenantRow[]) => (rows[0] ? hydrate(rows[0]) : null)

export async function insert(db: Db, row: typeof tenants.$inferInsert): Promise<TenantRow> {
  const [created] = await db.insert(tenants).values(row).returning()
  return hydrate(created!)
}

/** The platform tenant (live or not: it is never deleted), or null before the first operator. */
export async function findPlatform(db: Db): Promise<TenantRow | null> {
  return hydrateFirst(await db.select().from(tenants).where(eq(tenants.kind, 'platform')).limit(1))
}

export async function slugTaken(db: Db, slug: string): Promise<boolean> {
  const found = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug)).limit(1)
  return found.length > 0
}

export async function findLive(db: Db, id: string): Promise<TenantRow | null> {
  return hydrateFirst(
    await db
      .select()
      .from(tenants)
      .where(and(eq(tenants.id, id), live))
      .limit(1),
  )
}

export async function findLiveBySlug(db: Db, slug: string): Promise<TenantRow | null> {
  return hydrateFirst(
    await db
      .select()
      .from(tenants)
      .where(and(eq(tenants.slug, slug), live))
      .limit(1),
  )
}

/** Sets (or clears) the tenant's verified custom domain; a host another tenant holds is a unique violation. */
export async function setCustomHost(db: Db, tenantId: string, host: string | null, at: Date): Promise<void> {
  await db.update(tenants).set({ customHost: host, updatedAt: at }).where(eq(tenants.id, tenantId))
}

/** Every live tenant's verified custom domain (a handful: the routing keeps them in memory). */
export async function customHosts(db: Db): Promise<string[]> {
  const rows = await db
    .select({ host: tenants.customHost })
    .from(tenants)
    .where(and(isNotNull(tenants.customHost), live))
  return rows.flatMap((r) => (r.host ? [r.host] : []))
}

/** The live tenant whose verified custom domain is `host` (API.md §1), or null. */
export async function findLiveByCustomHost(db: Db, host: string): Promise<TenantRow | null> {
  return hydrateFirst(
    await db
      .select()
      .from(tenants)
      .where(and(eq(tenants.customHost, host), live))
      .limit(1),
  )
}

/** Newest first; `after` is the last row of the previous page. */
/** Customer tenants, newest first (the platform tenant is the console's, not one the Platform API lists). */
export async function list(db: Db, limit: number, after: CursorPosition | null): Promise<TenantRow[]> {
  const customers = and(live, eq(tenants.kind, 'customer'))
  const rows = await db
    .select()
    .from(tenants)
    .where(
      after
        ? and(
            customers,
            sql`(${tenants.createdAt}, ${tenants.id}) < (${new Date(after.t).toISOString()}::timestamptz, ${after.id})`,
          )
        : customers,
    )
    .orderBy(desc(tenants.createdAt), desc(tenants.id))
    .limit(limit)
  return rows.map(hydrate)
}

export async function update(
  db: Db,
  id: string,
  patch: Partial<Pick<TenantRow, 'name' | 'settings' | 'updatedAt' | 'deletedAt' | 'customHost'>>,
): Promise<TenantRow | null> {
  return hydrateFirst(
    await db
      .update(tenants)
      .set(patch)
      .where(and(eq(tenants.id, id), live))
      .returning(),
  )
}

export async function insertSecretKey(db: Db, row: typeof secretKeys.$inferInsert): Promise<void> {
  await db.insert(secretKeys).values(row)
}

/** The unrevoked key with this lookup id, with its tenant if that tenant is live. */
export async function findSecretKey(db: Db, lookup: string): Promise<{ key: SecretKeyRow; tenant: TenantRow } | null> {
  const [row] = await db
    .select({ key: secretKeys, tenant: tenants })
    .from(secretKeys)
    .innerJoin(tenants, eq(tenants.id, secretKeys.tenantId))
    .where(and(eq(secretKeys.lookup, lookup), isNull(secretKeys.revokedAt), live))
    .limit(1)
  return row ? { key: row.key, tenant: hydrate(row.tenant) } : null
}

export async function revokeSecretKeys(db: Db, tenantId: string, at: Date): Promise<void> {
  await db
    .update(secretKeys)
    .set({ revokedAt: at })
    .where(and(eq(secretKeys.tenantId, tenantId), isNull(secretKeys.revokedAt)))
}
