import type { Strategy } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import * as SessionsService from '../sessions/service'
import type { SessionRow } from '../sessions/service'
import * as UsersService from '../users/service'
import { BAPI_OWNER, type FlowContext } from './context'

/**
 * What a completed flow (a sign-in, a sign-up) writes in the transaction that saves it: the
 * session for the attempt's owner (a refresh token only when the owner asked, not for a link
 * opened elsewhere), the user's sign-in record, and the audit entry naming the flow's outcome.
 */
export async function startSessionInTx(
  deps: Deps,
  tx: Tx,
  ctx: FlowContext,
  input: {
    sessionId: string
    userId: string
    /** The attempt's owner: a client id, or the backend. */
    owner: string
    factors: Strategy[]
    firstFactorVerifiedAt: number
    secondFactorVerifiedAt: number | null
  },
  forRequester: boolean,
  audit: { action: string; target: { type: string; id: string } | null; data: (sessionId: string) => object },
): Promise<{ session: SessionRow; refreshToken: string | null }> {
  const created = await SessionsService.createSessionInTx(
    deps,
    tx,
    ctx.tenant,
    {
      id: input.sessionId,
      userId: input.userId,
      clientId: input.owner === BAPI_OWNER ? null : input.owner,
      factors: input.factors,
      firstFactorVerifiedAt: input.firstFactorVerifiedAt,
      secondFactorVerifiedAt: input.secondFactorVerifiedAt,
      caller: ctx.caller,
    },
    forRequester,
  )
  await UsersService.recordSignIn(deps, tx, ctx.tenant.id, input.userId)
  await appendAudit(
    deps.auditKey,
    tx,
    ctx.tenant.id,
    {
      action: audit.action,
      actor: { type: 'user', id: input.userId },
      target: audit.target ?? { type: 'session', id: created.session.id },
      ip: ctx.caller.ip,
      userAgent: ctx.caller.userAgent,
      data: audit.data(created.session.id) as Record<string, unknown>,
    },
    deps.clock.now(),
  )
  return created
}
