import { index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import type { AuditEntry } from '../../platform/audit'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import type { SessionActor } from '../sessions/schema'
import { sessions } from '../sessions/schema'
import { tenants } from '../tenants/schema'
import { users } from '../users/schema'

export type ActorTokenStatus = 'pending' | 'accepted' | 'revoked'

/**
 * An actor token (`actt_`, issue #21): a single-use ticket to open a session as `user_id` on behalf of `actor`,
 * made by the Backend API or the console; redeemed at `{issuer}/impersonate?ticket=`. Only its hash is kept.
 */
export const actorTokens = pgTable(
  'actor_tokens',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    userId: text()
      .notNull()
      .references(() => users.id),
    actor: jsonb().$type<SessionActor>().notNull(),
    /** Who made it (the audit trail's actor of the session it opens). */
    createdBy: jsonb().$type<AuditEntry['actor']>().notNull(),
    tokenHash: text().notNull(),
    /** SHA-256 of the cookie that binds a console's token to the admin's browser; null for the Backend API's. */
    browserHash: text(),
    status: text().$type<ActorTokenStatus>().notNull(),
    expiresAt: ms().notNull(),
    /** The session it opened, once accepted. */
    sessionId: text().references(() => sessions.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('actor_tokens_token_hash_uq').on(t.tokenHash),
    index('actor_tokens_tenant_id_created_at_id_idx').on(t.tenantId, t.createdAt, t.id),
  ],
)
