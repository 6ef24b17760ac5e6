import type { Deps } from '../../deps'
import type { Change } from '../../platform/changes'
import type { Tx } from '../../platform/db/client'
import * as SessionsRepo from './repo'
import type { SessionStatus } from './schema'

/**
 * Ends sessions inside the caller's transaction: status changes, their refresh tokens stop
 * working, and the returned changes (announce them after commit) make every node's
 * introspection cache answer `active: false` within a second.
 */
export async function endSessionsInTx(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  where: { ids?: string[]; userId?: string; clientId?: string },
  status: Extract<SessionStatus, 'ended' | 'revoked' | 'expired'>,
): Promise<{ ids: string[]; changes: Change[] }> {
  const ids = await SessionsRepo.endSessions(tx, tenantId, where, status, new Date(deps.clock.now()))
  await SessionsRepo.revokeRefreshTokens(tx, tenantId, ids)
  const changes = await Promise.all(ids.map((id) => deps.changes.record(tx, tenantId, 'session', id)))
  return { ids, changes }
}

/** Revokes every active session of a user (ban, deletion, password change with sign-out). */
export const revokeAllForUser = (deps: Deps, tx: Tx, tenantId: string, userId: string) =>
  endSessionsInTx(deps, tx, tenantId, { userId }, 'revoked')
