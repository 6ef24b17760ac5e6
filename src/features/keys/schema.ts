import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core'
import type { JWK } from 'jose'
import { createdAt, ms } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'

/**
 * A tenant's token-signing keys. A key signs from `activate_at` until a newer key activates,
 * and stays published until `retire_at` (after the last token it signed has expired).
 */
export const signingKeys = pgTable(
  'signing_keys',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    alg: text().$type<SigningAlgorithm>().notNull(),
    publicJwk: jsonb().$type<JWK>().notNull(),
    /** PKCS#8 PEM sealed with the secret box (AES-256-GCM under ENCRYPTION_KEY). */
    privateKeySealed: text().notNull(),
    activateAt: ms().notNull(),
    retireAt: ms(),
    createdAt: createdAt(),
  },
  (t) => [index('signing_keys_tenant_id_activate_at_idx').on(t.tenantId, t.activateAt)],
)

export type SigningAlgorithm = 'RS256' | 'ES256' | 'EdDSA'
