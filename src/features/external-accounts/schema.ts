import { index, pgTable, text, boolean, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, updatedAt } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'
import { users } from '../users/schema'

/** An account at another provider, as its callback established it (the columns below, minus ids and times). */
export interface ExternalIdentity {
  provider: string
  strategy: string
  connectionId: string
  providerUserId: string
  emailAddress: string | null
  emailVerified: boolean
  firstName: string | null
  lastName: string | null
  username: string | null
  imageUrl: string | null
}

/**
 * Accounts at other identity providers that sign a user in (`eac_`, API.md §16): a social
 * provider's (`oauth_<provider>`, `oauth_custom_<key>`) or an enterprise connection's
 * (`enterprise_sso` with its `connection_id`). One subject of one provider belongs to one user.
 */
export const externalAccounts = pgTable(
  'external_accounts',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    userId: text()
      .notNull()
      .references(() => users.id),
    /** `google`, `custom_<key>`, or the protocol of an enterprise connection (`oidc`, `saml`). */
    provider: text().notNull(),
    strategy: text().notNull(),
    /** The enterprise connection or OAuth provider row it came through. */
    connectionId: text().notNull(),
    providerUserId: text().notNull(),
    emailAddress: text(),
    emailVerified: boolean().notNull(),
    firstName: text(),
    lastName: text(),
    username: text(),
    imageUrl: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('external_accounts_subject_uq').on(t.tenantId, t.strategy, t.connectionId, t.providerUserId),
    index('external_accounts_tenant_id_user_id_idx').on(t.tenantId, t.userId),
  ],
)
