import { isNotNull } from 'drizzle-orm'
import { index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { organizations } from '../organizations/schema'
import { tenants } from '../tenants/schema'
import { users } from '../users/schema'

/** A browser or app instance (`client_`): owns attempts and sessions; known by a hashed token. */
export const clients = pgTable(
  'clients',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    tokenHash: text().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('clients_token_hash_uq').on(t.tokenHash), index('clients_tenant_id_idx').on(t.tenantId)],
)

export type SessionStatus = 'active' | 'ended' | 'revoked' | 'expired' | 'replaced'

/**
 * Who acts as the user in an impersonation session (issue #21): a console admin — an operator (a platform-tenant
 * user) or the tenant's own admin, acting from their console session — or whoever a Backend API caller names.
 */
export type SessionActor =
  | {
      kind: 'operator' | 'tenant_admin'
      /** The acting person's user id in their home tenant (the platform's for an operator). */
      sub: string
      /** Their home tenant and its issuer, and the session they act from. */
      tenant_id: string
      tenant_slug: string
      iss: string
      sid: string
    }
  | { kind: 'backend'; sub: string }

export const sessions = pgTable(
  'sessions',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    userId: text()
      .notNull()
      .references(() => users.id),
    /** Null for sessions created through the backend API. */
    clientId: text().references(() => clients.id),
    status: text().$type<SessionStatus>().notNull(),
    factors: jsonb().$type<string[]>().notNull(),
    firstFactorVerifiedAt: ms().notNull(),
    secondFactorVerifiedAt: ms(),
    azp: text(),
    lastActiveAt: ms().notNull(),
    /** Absolute end (session.max_lifetime_s). */
    abandonAt: ms().notNull(),
    /**
     * The organization whose claims the session's tokens carry (API.md §13a). Deleting the
     * organization clears it in the same statement, so no later token names a deleted one.
     */
    lastActiveOrganizationId: text().references(() => organizations.id, { onDelete: 'set null' }),
    ip: text(),
    userAgent: text(),
    endedAt: ms(),
    /** An impersonation session's actor (issue #21): its tokens carry `act` (RFC 8693); the user sees it. */
    actor: jsonb().$type<SessionActor>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('sessions_tenant_id_user_id_idx').on(t.tenantId, t.userId),
    index('sessions_tenant_id_client_id_idx').on(t.tenantId, t.clientId),
    index('sessions_tenant_id_created_at_id_idx').on(t.tenantId, t.createdAt, t.id),
    // For the foreign key's `set null` on an organization's deletion; few sessions have one.
    index('sessions_last_active_organization_id_idx')
      .on(t.lastActiveOrganizationId)
      .where(isNotNull(t.lastActiveOrganizationId)),
  ],
)

/**
 * Refresh tokens, one chain per session, stored as SHA-256. Rotation marks a token `rotated`
 * and links its successor; within the grace window the same successor (recomputed from the
 * token presented, see refresh.ts) is returned again, after it a reuse revokes the session.
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    sessionId: text()
      .notNull()
      .references(() => sessions.id),
    tokenHash: text().notNull(),
    status: text().$type<'active' | 'rotated' | 'revoked'>().notNull(),
    rotatedAt: ms(),
    successorId: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('refresh_tokens_token_hash_tenant_id_uq').on(t.tokenHash, t.tenantId),
    index('refresh_tokens_session_id_idx').on(t.sessionId),
  ],
)
