import type { Deps } from '../../deps'
import { appendAudit, type AuditEntry } from '../../platform/audit'
import { sha256Hex } from '../../platform/crypto/tokens'
import type { Tx } from '../../platform/db/client'
import { isForeignKeyViolation } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { Caller } from '../../platform/http/caller'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import type { TenantRow } from '../tenants/service'
import { keyOwner } from '../tenants/service'
import { currentKey } from '../keys/service'
import * as OrganizationsService from '../organizations/service'
import { sessionEvent } from './events'
import type { FapiContext } from './fapi-guard'
import { effectiveStatus, toPublic, type Session } from './model'
import * as SessionsRepo from './repo'
import type { SessionRow } from './repo'
import { endSessionsInTx } from './revoke'
import type { SessionActor, SessionStatus } from './schema'
export type { SessionActor }
import { actClaim, lifetimes, mintSessionToken, newRefreshToken, tokensFor, type IssuedTokens } from './tokens'
import { refresh } from './refresh'
import { sessionCookies } from './session-cookies'

export type { SessionRow, IssuedTokens }
export { actClaim, tokensFor }
export { refresh }
export { findClient, resolveClient, sweepIdleClients } from './clients'
export { endSessionsInTx, revokeAllForUser } from './revoke'
export {
  activeSessionUser,
  actorMayAct,
  actorOfSession,
  describe as describeIntrospection,
  userState,
} from './introspect'
export { impersonationResponse, openImpersonationInTx, type NewImpersonation } from './impersonation'

export interface NewSession {
  id: string
  userId: string
  clientId: string | null
  factors: string[]
  firstFactorVerifiedAt: number
  secondFactorVerifiedAt: number | null
  caller: Caller
  /** An impersonation session's actor (issue #21). */
  actor?: SessionActor
}

/** An impersonation lasts an hour at most, however long the tenant's sessions may live. */
const IMPERSONATION_MAX_LIFETIME_S = 3600
const maxLifetimeS = (tenant: TenantRow, input: NewSession) =>
  input.actor
    ? Math.min(lifetimes(tenant).max_lifetime_s, IMPERSONATION_MAX_LIFETIME_S)
    : lifetimes(tenant).max_lifetime_s

/**
 * Creates a session inside the caller's transaction, with its first refresh token when the
 * requester is the session's owner. A sign-in completed elsewhere (an email link opened on
 * another device) issues none: the owning client claims the tokens with `claimTokens`.
 */
export async function createSessionInTx(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  input: NewSession,
  issueRefreshToken = true,
): Promise<{ session: SessionRow; refreshToken: string | null }> {
  const now = new Date(deps.clock.now())
  const session = await SessionsRepo.insertSession(tx, {
    id: input.id,
    tenantId: tenant.id,
    userId: input.userId,
    clientId: input.clientId,
    status: 'active',
    factors: input.factors,
    firstFactorVerifiedAt: new Date(input.firstFactorVerifiedAt),
    secondFactorVerifiedAt: input.secondFactorVerifiedAt === null ? null : new Date(input.secondFactorVerifiedAt),
    azp: input.caller.origin,
    lastActiveAt: now,
    abandonAt: new Date(now.getTime() + maxLifetimeS(tenant, input) * 1000),
    ip: input.caller.ip,
    userAgent: input.caller.userAgent,
    actor: input.actor ?? null,
    createdAt: now,
    updatedAt: now,
  })
  const refreshToken = issueRefreshToken ? newRefreshToken() : null
  if (refreshToken)
    await SessionsRepo.insertRefreshTokens(
      tx,
      tenant.id,
      [{ id: newId('rt', now.getTime()), sessionId: session.id, tokenHash: await sha256Hex(refreshToken) }],
      now,
    )
  await sessionEvent(deps, tx, tenant.id, 'session.created', session, { type: 'user', id: input.userId }, input.caller)
  return { session, refreshToken }
}

/**
 * The first tokens of a session created without any (see createSessionInTx), for its owner.
 * The session row is locked, so of two concurrent claims exactly one gets tokens.
 */
export async function claimTokens(deps: Deps, tenant: TenantRow, sessionId: string): Promise<IssuedTokens | null> {
  const key = await currentKey(deps, tenant.id)
  return withTenant(deps.db, tenant.id, async (tx) => {
    const session = await SessionsRepo.lockSession(tx, tenant.id, sessionId)
    if (!session || effectiveStatus(session, lifetimes(tenant), deps.clock.now()) !== 'active') return null
    if (await SessionsRepo.hasRefreshToken(tx, tenant.id, sessionId)) return null
    const refreshToken = newRefreshToken()
    await SessionsRepo.insertRefreshTokens(
      tx,
      tenant.id,
      [{ id: newId('rt', deps.clock.now()), sessionId, tokenHash: await sha256Hex(refreshToken) }],
      new Date(deps.clock.now()),
    )
    return tokensFor(deps, tenant, session, refreshToken, { key, tx })
  })
}

/** Ends sessions and announces the change; returns the session as it is now. */
async function finish(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  status: 'ended' | 'revoked',
  scope: { clientId?: string },
  actor: AuditEntry['actor'],
  caller: Caller | null,
): Promise<Session> {
  const { row, changes } = await withTenant(deps.db, tenant.id, async (tx) => {
    const found = await SessionsRepo.findSession(tx, tenant.id, id)
    if (!found || (scope.clientId !== undefined && found.clientId !== scope.clientId))
      throw new AppError('resource_not_found')
    const { changes } = await endSessionsInTx(deps, tx, tenant.id, { ids: [id] }, status)
    if (changes.length) await sessionEvent(deps, tx, tenant.id, `session.${status}`, found, actor, caller)
    return { row: (await SessionsRepo.findSession(tx, tenant.id, id))!, changes }
  })
  for (const c of changes) deps.changes.announce(c)
  return toPublic(row, lifetimes(tenant), deps.clock.now())
}

export const endForClient = (
  deps: Deps,
  tenant: TenantRow,
  clientId: string,
  id: string,
  userId: string | null,
  caller: Caller,
) => finish(deps, tenant, id, 'ended', { clientId }, { type: 'user', id: userId }, caller)

export const revoke = (deps: Deps, tenant: TenantRow, id: string, actor: AuditEntry['actor'], caller: Caller | null) =>
  finish(deps, tenant, id, 'revoked', {}, actor, caller)

export async function endAllForClient(deps: Deps, tenant: TenantRow, clientId: string): Promise<Session[]> {
  const { rows, changes } = await withTenant(deps.db, tenant.id, async (tx) => {
    const active = await SessionsRepo.listForClient(tx, tenant.id, clientId)
    const { changes } = await endSessionsInTx(deps, tx, tenant.id, { clientId }, 'ended')
    for (const s of active)
      await sessionEvent(deps, tx, tenant.id, 'session.ended', s, { type: 'user', id: s.userId }, null)
    return {
      rows: await Promise.all(active.map(async (s) => (await SessionsRepo.findSession(tx, tenant.id, s.id))!)),
      changes,
    }
  })
  for (const c of changes) deps.changes.announce(c)
  return rows.map((r) => toPublic(r, lifetimes(tenant), deps.clock.now()))
}

export async function activeForClient(deps: Deps, tenant: TenantRow, clientId: string): Promise<Session[]> {
  const now = deps.clock.now()
  const rows = await withTenant(deps.db, tenant.id, (tx) => SessionsRepo.listForClient(tx, tenant.id, clientId))
  return rows.map((r) => toPublic(r, lifetimes(tenant), now)).filter((s) => s.status === 'active')
}

/** Every session of a user, ended ones included (the user's data export). */
export async function allForUser(deps: Deps, tenant: TenantRow, userId: string): Promise<Session[]> {
  const rows = await withTenant(deps.db, tenant.id, (tx) => SessionsRepo.listForUser(tx, tenant.id, userId))
  return rows.map((r) => toPublic(r, lifetimes(tenant), deps.clock.now()))
}

export async function get(deps: Deps, tenant: TenantRow, id: string): Promise<Session> {
  const row = await withTenant(deps.db, tenant.id, (tx) => SessionsRepo.findSession(tx, tenant.id, id))
  if (!row) throw new AppError('resource_not_found')
  return toPublic(row, lifetimes(tenant), deps.clock.now())
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  query: { user_id?: string; status?: SessionStatus; cursor?: string; limit?: string },
): Promise<Page<Session>> {
  const limit = pageSize(query.limit)
  const scope = `sessions:${tenant.id}:${query.user_id ?? ''}:${query.status ?? ''}`
  const after = await deps.cursors.decode(scope, query.cursor)
  const rows = await withTenant(deps.db, tenant.id, (tx) =>
    SessionsRepo.list(tx, tenant.id, { userId: query.user_id, status: query.status }, limit + 1, after),
  )
  return deps.cursors.page(scope, rows, limit, (r) => toPublic(r, lifetimes(tenant), deps.clock.now()))
}

/**
 * Reverification (API.md §6): the session proved a factor again. Its time goes into `fva` (first
 * or second slot, by the factor's kind) and its strategy into `amr`; returns the updated row,
 * whose next token carries both. Inside the caller's transaction (with the factor's own check).
 */
export async function recordReverificationInTx(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  session: SessionRow,
  strategy: string,
  slot: 'first' | 'second',
  caller: Caller,
): Promise<SessionRow> {
  const at = new Date(deps.clock.now())
  const factors = session.factors.includes(strategy) ? session.factors : [...session.factors, strategy]
  const row = await SessionsRepo.recordFactor(tx, tenant.id, session.id, {
    factors,
    at,
    ...(slot === 'first' ? { firstFactorVerifiedAt: at } : { secondFactorVerifiedAt: at }),
  })
  if (!row) throw new AppError('authentication_invalid')
  await appendAudit(
    deps.auditKey,
    tx,
    tenant.id,
    {
      action: 'session.reverified',
      actor: { type: 'user', id: session.userId },
      target: { type: 'session', id: session.id },
      ip: caller.ip,
      userAgent: caller.userAgent,
      data: { strategy, slot },
    },
    at.getTime(),
  )
  return row
}

/**
 * A factor enrolled and proven in this session (the TOTP code that activates it, a passkey
 * registered with user verification) counts as verifying that second factor in it (API.md §6).
 */
export async function recordEnrolledFactorInTx(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  sessionId: string,
  strategy: string,
  caller: Caller,
): Promise<void> {
  const session = await SessionsRepo.findSession(tx, tenant.id, sessionId)
  if (!session) throw new AppError('authentication_invalid')
  await recordReverificationInTx(deps, tx, tenant, session, strategy, 'second', caller)
}

/** When the session last verified a first and a second factor (ms), read in the caller's transaction; null if gone. */
export async function factorTimesInTx(
  tx: Tx,
  tenantId: string,
  sessionId: string,
): Promise<{ first: number; second: number | null; impersonated: boolean } | null> {
  const row = await SessionsRepo.findSession(tx, tenantId, sessionId)
  return row
    ? {
        first: row.firstFactorVerifiedAt.getTime(),
        second: row.secondFactorVerifiedAt?.getTime() ?? null,
        impersonated: row.actor !== null,
      }
    : null
}

/** A session token alone (no refresh token rotation), e.g. after reverification. */
export async function sessionTokenFor(
  deps: Deps,
  tenant: TenantRow,
  session: SessionRow,
): Promise<{ session: Session; jwt: string }> {
  return {
    session: toPublic(session, lifetimes(tenant), deps.clock.now()),
    jwt: await mintSessionToken(deps, keyOwner(deps, tenant), session, lifetimes(tenant).token_lifetime_s),
  }
}

async function findOwned(deps: Deps, tenant: TenantRow, id: string, owns: (row: SessionRow) => boolean) {
  const row = await withTenant(deps.db, tenant.id, (tx) => SessionsRepo.findSession(tx, tenant.id, id))
  if (!row || !owns(row)) throw new AppError('resource_not_found')
  return row
}

/** A session of this client by id, or 404 (another client's session is invisible). */
export const findForClient = (deps: Deps, tenant: TenantRow, clientId: string, id: string): Promise<SessionRow> =>
  findOwned(deps, tenant, id, (row) => row.clientId === clientId)

/** A session of this user by id, or 404 (another user's session is invisible). */
export const findForUser = (deps: Deps, tenant: TenantRow, userId: string, id: string): Promise<SessionRow> =>
  findOwned(deps, tenant, id, (row) => row.userId === userId)

/**
 * Makes an organization the active one of this client's session, or none with null (API.md §13a):
 * the next token carries its claims. Another client's session, or an organization the user is not
 * an active member of (or that is deleted meanwhile: the foreign key refuses it), → 404; a session
 * that is no longer active → 401.
 */
export async function setActiveOrganization(
  deps: Deps,
  tenant: TenantRow,
  input: { clientId: string; sessionId: string; organizationId: string | null },
): Promise<Session> {
  const session = await findForClient(deps, tenant, input.clientId, input.sessionId)
  if (effectiveStatus(session, lifetimes(tenant), deps.clock.now()) !== 'active')
    throw new AppError('authentication_invalid')
  const { organizationId } = input
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    if (
      organizationId !== null &&
      !(await OrganizationsService.memberClaims(deps, tenant.id, organizationId, session.userId, tx))
    )
      throw new AppError('resource_not_found')
    const at = new Date(deps.clock.now())
    return SessionsRepo.setActiveOrganization(tx, tenant.id, session.id, organizationId, at)
  }).catch((err: unknown) => {
    if (isForeignKeyViolation(err)) throw new AppError('resource_not_found')
    throw err
  })
  // Ended meanwhile.
  if (!row) throw new AppError('authentication_invalid')
  return toPublic(row, lifetimes(tenant), deps.clock.now())
}

/**
 * FAPI refresh of one of this client's sessions. A refusal names the session first: when it is
 * not this client's (or does not exist) the answer is 404, like every probe of another client's
 * objects (API.md §12, no client adoption), whatever token came with it; only for the client's
 * own session does a missing or wrong token answer 401. A refused token is never rotated, so
 * another client posting it changes nothing for its owner. `organizationId` (API.md §13a) switches
 * the active organization first, so the new token carries it.
 */
export async function refreshForClient(
  deps: Deps,
  tenant: TenantRow,
  input: {
    refreshToken: string | null | undefined
    sessionId: string
    clientId: string
    caller: Caller
    organizationId?: string | null
  },
): Promise<IssuedTokens> {
  try {
    if (!input.refreshToken) throw new AppError('authentication_invalid')
    const { organizationId, ...request } = input
    if (organizationId !== undefined) await setActiveOrganization(deps, tenant, { ...request, organizationId })
    return await refresh(deps, tenant, { ...request, refreshToken: input.refreshToken })
  } catch (err) {
    if (err instanceof AppError && err.status === 401) {
      await findForClient(deps, tenant, input.clientId, input.sessionId)
    }
    throw err
  }
}

/**
 * A browser's read of its client claims the sessions completed for it elsewhere — by a provider's
 * callback that signed it up, or an email link — so that a page back from the provider is signed in
 * without knowing which attempt finished (API.md §16). Native clients read the attempt instead.
 */
export async function claimForBrowser(deps: Deps, fapi: FapiContext): Promise<void> {
  if (fapi.native) return
  for (const id of await unclaimedOf(deps, fapi)) await sessionResponse(deps, fapi.tenant, id, null, fapi)
}

/** The client's sessions that no one has taken tokens for yet (read only). */
export const unclaimedOf = (deps: Deps, fapi: FapiContext) =>
  withTenant(deps.db, fapi.tenant.id, (tx) => SessionsRepo.unclaimedForClient(tx, fapi.tenant.id, fapi.client.id))

/**
 * The session part of a completed attempt's response (API.md §5), shared by the sign-in and
 * sign-up flows: tokens in the body for native clients and the backend API, in cookies for
 * browsers. When this request issued none (an email link completed the attempt elsewhere), the
 * owner's read claims them; once claimed, later reads show the session only.
 */
export async function sessionResponse(
  deps: Deps,
  tenant: TenantRow,
  sessionId: string,
  issued: IssuedTokens | null,
  fapi: FapiContext | null,
): Promise<{ session: Session; session_token?: string; refresh_token?: string }> {
  const tokens = issued ?? (await claimTokens(deps, tenant, sessionId))
  if (!tokens) return { session: await get(deps, tenant, sessionId) }
  if (fapi && !fapi.native) {
    fapi.cookies.push(...sessionCookies(deps, tenant, tokens))
    return { session: tokens.session }
  }
  return tokens
}
