import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'
import { users } from '../users/schema'

/**
 * A user's TOTP secret (sealed with the secret box). It counts only once verified; the last
 * accepted time step is kept so that a code, once accepted, cannot be accepted again.
 */
export const totpSecrets = pgTable(
  'totp_secrets',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    userId: text()
      .notNull()
      .references(() => users.id),
    secretSealed: text().notNull(),
    verifiedAt: ms(),
    lastUsedStep: integer(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('totp_secrets_user_id_uq').on(t.userId)],
)

/** Backup codes, stored as SHA-256; each usable once. Regenerating replaces the whole set. */
export const backupCodes = pgTable(
  'backup_codes',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    userId: text()
      .notNull()
      .references(() => users.id),
    codeHash: text().notNull(),
    usedAt: ms(),
    createdAt: createdAt(),
  },
  (t) => [index('backup_codes_tenant_id_user_id_idx').on(t.tenantId, t.userId)],
)
