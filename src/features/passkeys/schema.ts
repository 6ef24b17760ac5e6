import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'
import { users } from '../users/schema'

/** WebAuthn credentials (`pk_cred_`): the public key and the signature counter of each passkey. */
export const passkeys = pgTable(
  'passkeys',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    userId: text()
      .notNull()
      .references(() => users.id),
    /** base64url credential id, as the authenticator reports it. */
    credentialId: text().notNull(),
    /** base64url COSE public key. */
    publicKey: text().notNull(),
    counter: integer().notNull(),
    transports: jsonb().$type<string[]>().notNull(),
    deviceType: text(),
    backedUp: integer(),
    name: text().notNull(),
    lastUsedAt: ms(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('passkeys_tenant_id_credential_id_uq').on(t.tenantId, t.credentialId),
    index('passkeys_tenant_id_user_id_idx').on(t.tenantId, t.userId),
  ],
)
