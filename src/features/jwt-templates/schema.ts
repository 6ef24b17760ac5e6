import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, updatedAt } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'

/**
 * JWT templates (`jwtt_`, API.md §14): claims with shortcodes, minted for a user on demand.
 * Without a custom key they sign with the tenant's key and algorithm (`signing_algorithm` null:
 * they follow the tenant's setting); a custom key (PKCS#8 PEM or HMAC secret) is sealed.
 */
export const jwtTemplates = pgTable(
  'jwt_templates',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    claims: jsonb().$type<Record<string, unknown>>().notNull(),
    lifetimeS: integer().notNull(),
    allowedClockSkewS: integer().notNull(),
    /** Set only with a custom key; null means the tenant's key and algorithm. */
    signingAlgorithm: text(),
    signingKeySealed: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('jwt_templates_tenant_id_name_uq').on(t.tenantId, t.name),
    index('jwt_templates_tenant_id_created_at_idx').on(t.tenantId, t.createdAt, t.id),
  ],
)
