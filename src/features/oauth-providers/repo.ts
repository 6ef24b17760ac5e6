import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import type { CursorPosition } from '../../platform/http/pagination'
import { oauthProviders } from './schema'

export type OAuthProviderRow = typeof oauthProviders.$inferSelect
export type OAuthProviderPatch = Partial<
  Omit<OAuthProviderRow, 'id' | 'tenantId' | 'provider' | 'key' | 'createdAt'>
> & {
  updatedAt: Date
}

/** The constraints behind "one per preset" and "custom keys are unique per tenant" (409 duplicate_record). */
export const PROVIDER_CONSTRAINT = 'oauth_providers_tenant_id_provider_uq'
export const KEY_CONSTRAINT = 'oauth_providers_tenant_id_key_uq'

const ofProvider = (tenantId: string, id: string) =>
  and(eq(oauthProviders.tenantId, tenantId), eq(oauthProviders.id, id))

export async function insert(db: Db, row: typeof oauthProviders.$inferInsert): Promise<OAuthProviderRow> {
  const [created] = await db.insert(oauthProviders).values(row).returning()
  return created!
}

export async function find(db: Db, tenantId: string, id: string, forUpdate = false): Promise<OAuthProviderRow | null> {
  const query = db.select().from(oauthProviders).where(ofProvider(tenantId, id)).limit(1)
  const [row] = forUpdate ? await query.for('update') : await query
  return row ?? null
}

/** The preset row (`key` null) of this provider type. */
export async function findPreset(db: Db, tenantId: string, provider: string): Promise<OAuthProviderRow | null> {
  const [row] = await db
    .select()
    .from(oauthProviders)
    .where(
      and(eq(oauthProviders.tenantId, tenantId), eq(oauthProviders.provider, provider), isNull(oauthProviders.key)),
    )
    .limit(1)
  return row ?? null
}

export async function findByKey(db: Db, tenantId: string, key: string): Promise<OAuthProviderRow | null> {
  const [row] = await db
    .select()
    .from(oauthProviders)
    .where(and(eq(oauthProviders.tenantId, tenantId), eq(oauthProviders.key, key)))
    .limit(1)
  return row ?? null
}

/** Every enabled provider of the tenant, oldest first (the order sign-in offers them in). */
export async function listEnabled(db: Db, tenantId: string): Promise<OAuthProviderRow[]> {
  return db
    .select()
    .from(oauthProviders)
    .where(and(eq(oauthProviders.tenantId, tenantId), eq(oauthProviders.enabled, true)))
    .orderBy(oauthProviders.createdAt, oauthProviders.id)
}

/** Newest first; `after` is the last row of the previous page. */
export async function list(
  db: Db,
  tenantId: string,
  limit: number,
  after: CursorPosition | null,
): Promise<OAuthProviderRow[]> {
  return db
    .select()
    .from(oauthProviders)
    .where(
      and(
        eq(oauthProviders.tenantId, tenantId),
        after
          ? sql`(${oauthProviders.createdAt}, ${oauthProviders.id}) < (${new Date(after.t).toISOString()}::timestamptz, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(oauthProviders.createdAt), desc(oauthProviders.id))
    .limit(limit)
}

export async function update(
  db: Db,
  tenantId: string,
  id: string,
  patch: OAuthProviderPatch,
): Promise<OAuthProviderRow | null> {
  const [row] = await db.update(oauthProviders).set(patch).where(ofProvider(tenantId, id)).returning()
  return row ?? null
}

export async function remove(db: Db, tenantId: string, id: string): Promise<boolean> {
  const deleted = await db.delete(oauthProviders).where(ofProvider(tenantId, id)).returning({ id: oauthProviders.id })
  return deleted.length === 1
}
