import { and, desc, eq, inArray, lt, notExists, sql } from 'drizzle-orm'
import { anyOf, textArray } from '../../platform/db/arrays'
import type { Db } from '../../platform/db/client'
import type { CursorPosition } from '../../platform/http/pagination'
import { clients, refreshTokens, sessions, type SessionStatus } from './schema'

export type ClientRow = typeof clients.$inferSelect
export type SessionRow = typeof sessions.$inferSelect
export type RefreshTokenRow = typeof refreshTokens.$inferSelect

// ---- clients
export async function insertClient(db: Db, row: typeof clients.$inferInsert): Promise<ClientRow> {
  const [created] = await db.insert(clients).values(row).returning()
  return created!
}

export async function findClientByTokenHash(db: Db, tenantId: string, tokenHash: string): Promise<ClientRow | null> {
  const [row] = await db
    .select()
    .from(clients)
    .where(and(eq(clients.tenantId, tenantId), eq(clients.tokenHash, tokenHash)))
    .limit(1)
  return row ?? null
}

/** Marks a client as in use; null when it is gone (the sweeper deleted it meanwhile). */
export async function touchClient(db: Db, tenantId: string, id: string, at: Date): Promise<ClientRow | null> {
  const [row] = await db
    .update(clients)
    .set({ updatedAt: at })
    .where(and(eq(clients.tenantId, tenantId), eq(clients.id, id)))
    .returning()
  return row ?? null
}

/**
 * The sweeper, across tenants: up to `batch` clients unused since `before` that own no session.
 * The conditions are repeated on the DELETE itself so that a client touched or given a session
 * while the statement waits for its row lock is re-checked, and kept.
 */
export async function deleteIdleClients(db: Db, before: Date, batch: number): Promise<number> {
  const idle = and(
    lt(clients.updatedAt, before),
    notExists(
      db
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.tenantId, clients.tenantId), eq(sessions.clientId, clients.id))),
    ),
  )
  const deleted = await db
    .delete(clients)
    .where(and(inArray(clients.id, db.select({ id: clients.id }).from(clients).where(idle).limit(batch)), idle))
    .returning({ id: clients.id })
  return deleted.length
}

// ---- sessions
export async function insertSession(db: Db, row: typeof sessions.$inferInsert): Promise<SessionRow> {
  const [created] = await db.insert(sessions).values(row).returning()
  return created!
}

export async function findSession(db: Db, tenantId: string, id: string): Promise<SessionRow | null> {
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, id)))
    .limit(1)
  return row ?? null
}

export async function lockSession(db: Db, tenantId: string, id: string): Promise<SessionRow | null> {
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, id)))
    .limit(1)
    .for('update')
  return row ?? null
}

export async function hasRefreshToken(db: Db, tenantId: string, sessionId: string): Promise<boolean> {
  const found = await db
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .where(and(eq(refreshTokens.tenantId, tenantId), eq(refreshTokens.sessionId, sessionId)))
    .limit(1)
  return found.length > 0
}

/** Active sessions of the client that no one has taken tokens for yet (completed by a link or a provider callback). */
export async function unclaimedForClient(db: Db, tenantId: string, clientId: string): Promise<string[]> {
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      and(
        eq(sessions.tenantId, tenantId),
        eq(sessions.clientId, clientId),
        eq(sessions.status, 'active'),
        sql`not exists (select 1 from ${refreshTokens} where ${refreshTokens.tenantId} = ${sessions.tenantId}
          and ${refreshTokens.sessionId} = ${sessions.id})`,
      ),
    )
  return rows.map((r) => r.id)
}

export async function listForClient(db: Db, tenantId: string, clientId: string): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.clientId, clientId), eq(sessions.status, 'active')))
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
}

export async function list(
  db: Db,
  tenantId: string,
  filter: { userId?: string; status?: SessionStatus },
  limit: number,
  after: CursorPosition | null,
): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.tenantId, tenantId),
        filter.userId ? eq(sessions.userId, filter.userId) : undefined,
        filter.status ? eq(sessions.status, filter.status) : undefined,
        after
          ? sql`(${sessions.createdAt}, ${sessions.id})
              < (${new Date(after.t).toISOString()}::timestamptz, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .limit(limit)
}

/** Every session of a user, whatever its status, newest first. */
export async function listForUser(db: Db, tenantId: string, userId: string): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.userId, userId)))
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
}

/** Ends active sessions; returns the ids that changed. */
export async function endSessions(
  db: Db,
  tenantId: string,
  where: { ids?: string[]; userId?: string; clientId?: string },
  status: SessionStatus,
  at: Date,
): Promise<string[]> {
  const changed = await db
    .update(sessions)
    .set({ status, endedAt: at, updatedAt: at })
    .where(
      and(
        eq(sessions.tenantId, tenantId),
        eq(sessions.status, 'active'),
        where.ids ? inArray(sessions.id, where.ids) : undefined,
        where.userId ? eq(sessions.userId, where.userId) : undefined,
        where.clientId ? eq(sessions.clientId, where.clientId) : undefined,
      ),
    )
    .returning({ id: sessions.id })
  return changed.map((r) => r.id)
}

export async function touch(db: Db, tenantId: string, ids: string[], at: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ lastActiveAt: at, updatedAt: at })
    .where(and(eq(sessions.tenantId, tenantId), anyOf(sessions.id, ids)))
}

/** A factor verified again on an active session (reverification); null if it is no longer active. */
export async function recordFactor(
  db: Db,
  tenantId: string,
  id: string,
  set: { factors: string[]; firstFactorVerifiedAt?: Date; secondFactorVerifiedAt?: Date; at: Date },
): Promise<SessionRow | null> {
  const { at, ...fields } = set
  const [row] = await db
    .update(sessions)
    .set({ ...fields, lastActiveAt: at, updatedAt: at })
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, id), eq(sessions.status, 'active')))
    .returning()
  return row ?? null
}

/** The session's active organization (or none); null if the session is no longer active. */
export async function setActiveOrganization(
  db: Db,
  tenantId: string,
  id: string,
  organizationId: string | null,
  at: Date,
): Promise<SessionRow | null> {
  const [row] = await db
    .update(sessions)
    .set({ lastActiveOrganizationId: organizationId, updatedAt: at })
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, id), eq(sessions.status, 'active')))
    .returning()
  return row ?? null
}

// ---- refresh tokens
type NewRefreshToken = { id: string; sessionId: string; tokenHash: string }

/** The INSERT of new active tokens, all created at `at`, as one statement whatever their number. */
const insertTokens = (
  tenantId: string,
  rows: NewRefreshToken[],
  at: Date,
) => sql`insert into ${refreshTokens} (id, tenant_id, session_id, token_hash, status, created_at)
    select id, ${tenantId}, session_id, token_hash, 'active', ${at.toISOString()}::timestamptz
    from unnest(${textArray(rows.map((r) => r.id))},
      ${textArray(rows.map((r) => r.sessionId))},
      ${textArray(rows.map((r) => r.tokenHash))}) as v(id, session_id, token_hash)`

export async function insertRefreshTokens(db: Db, tenantId: string, rows: NewRefreshToken[], at: Date): Promise<void> {
  await db.execute(insertTokens(tenantId, rows, at))
}

/**
 * Token rows with their sessions, the tokens locked for the rotation that follows (concurrent
 * refreshes of one token queue here). Locked in id order, so batches that share tokens cannot
 * deadlock each other. Shaped so that every plan finds the tokens by hash (the unique index leads
 * with it) and then each session by its key: with a plain join, a planner without statistics yet
 * (a new tenant, a new installation) walked every token of every session of the tenant instead,
 * 10 to 30 ms rather than 2. The LIMIT keeps the lateral subquery from being flattened into a join.
 */
export async function lockRefreshTokens(
  db: Db,
  tenantId: string,
  tokenHashes: string[],
): Promise<{ token: RefreshTokenRow; session: SessionRow }[]> {
  const session = db.select().from(sessions).where(eq(sessions.id, refreshTokens.sessionId)).limit(1).as('session')
  const rows = await db
    .select()
    .from(refreshTokens)
    .innerJoinLateral(session, sql`true`)
    .where(
      and(
        eq(refreshTokens.tenantId, tenantId),
        anyOf(refreshTokens.tokenHash, tokenHashes),
        eq(session.tenantId, tenantId),
      ),
    )
    .orderBy(refreshTokens.id)
    .for('update', { of: refreshTokens })
  return rows.map((r) => ({ token: r.refresh_tokens, session: r.session }))
}

/**
 * Rotates tokens in one statement: each is marked rotated, naming its successor, and the
 * successor is inserted active (a data-modifying WITH runs whether or not it is referenced).
 */
export async function rotateRefreshTokens(
  db: Db,
  tenantId: string,
  rotations: { id: string; successorId: string; sessionId: string; successorHash: string }[],
  at: Date,
): Promise<void> {
  const successors = rotations.map((r) => ({ id: r.successorId, sessionId: r.sessionId, tokenHash: r.successorHash }))
  await db.execute(sql`with successors as (${insertTokens(tenantId, successors, at)})
    update ${refreshTokens} set status = 'rotated', rotated_at = ${at.toISOString()}::timestamptz,
      successor_id = v.successor_id
    from unnest(${textArray(rotations.map((r) => r.id))},
      ${textArray(rotations.map((r) => r.successorId))}) as v(id, successor_id)
    where ${refreshTokens.tenantId} = ${tenantId} and ${refreshTokens.id} = v.id`)
}

export async function revokeRefreshTokens(db: Db, tenantId: string, sessionIds: string[]): Promise<void> {
  if (sessionIds.length === 0) return
  await db
    .update(refreshTokens)
    .set({ status: 'revoked' })
    .where(and(eq(refreshTokens.tenantId, tenantId), inArray(refreshTokens.sessionId, sessionIds)))
}
