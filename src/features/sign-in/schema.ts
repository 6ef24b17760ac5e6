import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'

/** A sign-in attempt (`sia_`): persisted machine snapshot, owner, expiry and optimistic version. */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    /** `client_...` for the frontend API, `bapi` for attempts driven by the secret key. */
    owner: text().notNull(),
    status: text().notNull(),
    snapshot: jsonb().$type<unknown>().notNull(),
    machineVersion: text().notNull(),
    version: integer().notNull(),
    redirectUrl: text(),
    expireAt: ms().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('sign_in_attempts_tenant_id_owner_idx').on(t.tenantId, t.owner),
    index('sign_in_attempts_expire_at_idx').on(t.expireAt),
  ],
)

/**
 * The password lockout of an identifier that names no account (API.md §12 Enumeration): the same
 * count and lock as a user's `failed_password_attempts` / `locked_until`, so an unknown
 * identifier is locked after as many wrong passwords, for as long, as a known one.
 */
export const identifierLockouts = pgTable(
  'identifier_lockouts',
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    /** The identifier as sign-in keys it (normalized email or phone, else lower-case). */
    identifierKey: text().notNull(),
    failedPasswordAttempts: integer().notNull().default(0),
    lockedUntil: ms(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.identifierKey] }),
    index('identifier_lockouts_updated_at_idx').on(t.updatedAt),
  ],
)
