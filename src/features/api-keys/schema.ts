import { index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'

/**
 * Service keys (`ak_`, presented as `tk_live_<lookup>_<secret>`): found by the non-secret
 * `lookup`, verified by the SHA-256 of the whole key; the key itself is never stored.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    scopes: jsonb().$type<string[]>().notNull(),
    lookup: text().notNull(),
    keyHash: text().notNull(),
    expiresAt: ms(),
    lastUsedAt: ms(),
    revokedAt: ms(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('api_keys_lookup_uq').on(t.lookup),
    index('api_keys_tenant_id_created_at_idx').on(t.tenantId, t.createdAt, t.id),
  ],
)
