import { sql } from 'drizzle-orm'
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'

export type Metadata = Record<string, unknown>

export const users = pgTable(
  'users',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    username: text(),
    firstName: text(),
    lastName: text(),
    /** argon2id PHC string (its parameters included, so sign-in can rehash old ones). */
    passwordHash: text(),
    publicMetadata: jsonb().$type<Metadata>().notNull().default({}),
    privateMetadata: jsonb().$type<Metadata>().notNull().default({}),
    unsafeMetadata: jsonb().$type<Metadata>().notNull().default({}),
    primaryEmailAddressId: text(),
    primaryPhoneNumberId: text(),
    banned: boolean().notNull().default(false),
    /** Set by lockout or by `lock`; the user is locked while it is in the future. */
    lockedUntil: ms(),
    /** The lock is the Backend API's `lock`, not a lockout by wrong passwords: it blocks every way in. */
    lockedByAdmin: boolean().notNull().default(false),
    failedPasswordAttempts: integer().notNull().default(0),
    lastSignInAt: ms(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: ms(),
  },
  (t) => [
    uniqueIndex('users_tenant_id_username_uq')
      .on(t.tenantId, sql`lower(${t.username})`)
      .where(sql`${t.deletedAt} is null and ${t.username} is not null`),
    index('users_tenant_id_created_at_id_idx').on(t.tenantId, t.createdAt, t.id),
  ],
)

/**
 * Email addresses and phone numbers (`idn_`). `normalized` is what uniqueness and look-ups use
 * (trimmed lower-case email, E.164 phone); `value` keeps the form the user gave. Only verified
 * identifications are unique per tenant, so an unverified claim cannot squat someone's address.
 */
export const identifications = pgTable(
  'identifications',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    userId: text()
      .notNull()
      .references(() => users.id),
    type: text().$type<'email_address' | 'phone_number'>().notNull(),
    value: text().notNull(),
    normalized: text().notNull(),
    verified: boolean().notNull().default(false),
    /** When it was verified: reverification codes go only where this precedes the session (API.md §12). */
    verifiedAt: ms(),
    reservedForSecondFactor: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('identifications_tenant_id_type_normalized_uq')
      .on(t.tenantId, t.type, t.normalized)
      .where(sql`${t.verified}`),
    uniqueIndex('identifications_user_id_type_normalized_uq').on(t.userId, t.type, t.normalized),
    index('identifications_tenant_id_normalized_idx').on(t.tenantId, t.normalized),
  ],
)
