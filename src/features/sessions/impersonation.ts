import type { Deps } from '../../deps'
import type { AuditEntry } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { AppError } from '../../platform/errors'
import * as UsersService from '../users/service'
import { sessionEvent } from './events'
import type { FapiContext } from './fapi-guard'
import type { SessionRow } from './repo'
import type { SessionActor } from './schema'
import { createSessionInTx, sessionResponse } from './service'
import { tokensFor } from './tokens'

/**
 * The session side of impersonation (issue #21; the tickets are the actor-tokens feature's): a session of the
 * user whose factor is `impersonation` and whose tokens carry `act` (RFC 8693). It lives an hour at most and only
 * while its actor may act (introspect.ts, actorMayAct), never steps up nor answers an authorization request, and
 * the user sees it among their sessions.
 */
export interface NewImpersonation {
  sessionId: string
  userId: string
  actor: SessionActor
  /** Who made the ticket: the audit trail's actor of `session.impersonated`. */
  by: AuditEntry['actor']
}

/** Opens the session in `tx` for this browser's client; a banned or deleted user is 404. */
export async function openImpersonationInTx(
  deps: Deps,
  tx: Tx,
  fapi: FapiContext,
  input: NewImpersonation,
): Promise<{ session: SessionRow; refreshToken: string }> {
  const user = await UsersService.loadUser(tx, fapi.tenant.id, input.userId)
  if (!user || user.user.banned || user.user.deletedAt) throw new AppError('resource_not_found')
  const made = await createSessionInTx(deps, tx, fapi.tenant, {
    id: input.sessionId,
    userId: input.userId,
    clientId: fapi.client.id,
    factors: ['impersonation'],
    firstFactorVerifiedAt: deps.clock.now(),
    secondFactorVerifiedAt: null,
    caller: fapi.caller,
    actor: input.actor,
  })
  await sessionEvent(deps, tx, fapi.tenant.id, 'session.impersonated', made.session, input.by, fapi.caller)
  return { session: made.session, refreshToken: made.refreshToken! }
}

/** The new session's tokens in this answer's cookies, minted after the commit (never inside a transaction). */
export async function impersonationResponse(
  deps: Deps,
  fapi: FapiContext,
  opened: { session: SessionRow; refreshToken: string },
): Promise<void> {
  const tokens = await tokensFor(deps, fapi.tenant, opened.session, opened.refreshToken)
  await sessionResponse(deps, fapi.tenant, opened.session.id, tokens, fapi)
}
