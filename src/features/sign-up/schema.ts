import { boolean, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import type { Metadata } from '../users/schema'
import type { ExternalIdentity } from '../external-accounts/schema'
import { tenants } from '../tenants/schema'

/** A sign-up attempt (`sua_`): the fields given so far (password hashed), snapshot and version. */
export const signUpAttempts = pgTable(
  'sign_up_attempts',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    owner: text().notNull(),
    status: text().notNull(),
    snapshot: jsonb().$type<unknown>().notNull(),
    machineVersion: text().notNull(),
    version: integer().notNull(),
    emailAddress: text(),
    phoneNumber: text(),
    username: text(),
    firstName: text(),
    lastName: text(),
    passwordHash: text(),
    unsafeMetadata: jsonb().$type<Metadata>(),
    legalAccepted: boolean(),
    redirectUrl: text(),
    /**
     * The external account an attempt started from (API.md §16: an unknown account at sign-in becomes a
     * sign-up): linked to the user when the attempt completes. What the provider said, no secret.
     */
    externalIdentity: jsonb().$type<ExternalIdentity>(),
    expireAt: ms().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('sign_up_attempts_tenant_id_owner_idx').on(t.tenantId, t.owner),
    index('sign_up_attempts_expire_at_idx').on(t.expireAt),
  ],
)
