import type { signInMachine } from '../../../machines/sign-in.machine'
import type { Strategy } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { saveStep, type Settled } from '../../platform/flow-runner'
import { append, eventSubject } from '../../platform/outbox'
import * as AnalyticsService from '../analytics/service'
import type { IssuedTokens, SessionRow } from '../sessions/service'
import * as UsersService from '../users/service'
import type { UserRow } from '../users/service'
import { startSessionInTx, type FactorStrategy, type FlowContext } from '../flows/service'
import * as DecoyLockout from './decoy-lockout'
import { contextOf } from './model'
import * as SignInRepo from './repo'
import type { SignInRow } from './repo'

/**
 * What an answered step writes besides the attempt, in the transaction that saves it: a
 * completion's session, sign-in record and audit entry, or a failure's audit entry, event and
 * lockout count. Answers, password resets and enrolments share them.
 */
type SignInSettled = Settled<typeof signInMachine>

export interface Completion {
  row: SignInRow
  /** Tokens for the requester, when this request completed the attempt it owns. */
  issued: IssuedTokens | null
}

/**
 * Saves a verified factor's effect: the attempt's new snapshot and, when it completed, the
 * session (tokens only for the owner who asked) and the audit trail, in the caller's transaction.
 */
export async function completeInTx(
  deps: Deps,
  tx: Tx,
  ctx: FlowContext,
  row: SignInRow,
  settled: SignInSettled,
  forRequester: boolean,
): Promise<{ row: SignInRow; created: { session: SessionRow; refreshToken: string } | null }> {
  const saved = await saveStep(tx, SignInRepo, row, settled, new Date(deps.clock.now()))
  const effect = settled.effects.find((e) => e.type === 'effect.session_requested') as
    | {
        sessionId: string
        userId: string
        factors: Strategy[]
        firstFactorVerifiedAt: number
        secondFactorVerifiedAt: number | null
      }
    | undefined
  if (!effect) return { row: saved, created: null }
  const { session, refreshToken } = await startSessionInTx(
    deps,
    tx,
    ctx,
    { ...effect, owner: row.owner },
    forRequester,
    { action: 'sign_in.succeeded', target: null, data: () => ({ sign_in_id: row.id, factors: effect.factors }) },
  )
  const at = deps.clock.now()
  const outcome = { strategy: effect.factors[0] ?? null, userId: effect.userId, at }
  await append(tx, ctx.tenant.id, [AnalyticsService.outcomeMessage('sign_in.succeeded', outcome)], at)
  return { row: saved, created: refreshToken ? { session, refreshToken } : null }
}

/**
 * A failed answer: audit, `sign_in.failed`, and for a password a lockout try. Codes spend the
 * account's code budget instead (in answerStep): guessing them must not lock the owner out.
 */
export async function recordFailure(
  deps: Deps,
  tx: Tx,
  ctx: FlowContext,
  row: SignInRow,
  user: UserRow | null,
  strategy: FactorStrategy,
): Promise<{ lockedUntil: number | null; attemptsRemaining: number | null } | null> {
  const now = deps.clock.now()
  const lock =
    user && strategy.countsTowardLockout
      ? await UsersService.recordFailedPassword(deps, tx, ctx.tenant.id, user, ctx.tenant.settings.lockout)
      : null
  const decoyLock = user
    ? null
    : await DecoyLockout.countFailureInTx(deps, tx, ctx.tenant, contextOf(row).identifier, strategy)
  const data = {
    sign_in_id: row.id,
    strategy: strategy.id,
    identifier: contextOf(row).identifier,
    user_id: user?.id ?? null,
  }
  await appendAudit(
    deps.auditKey,
    tx,
    ctx.tenant.id,
    {
      action: 'sign_in.failed',
      actor: { type: 'user', id: user?.id ?? null },
      target: user ? { type: 'user', id: user.id } : null,
      ip: ctx.caller.ip,
      userAgent: ctx.caller.userAgent,
      data,
    },
    now,
  )
  await append(
    tx,
    ctx.tenant.id,
    [
      { type: 'sign_in.failed', subject: eventSubject('sign_in.failed'), payload: { data } },
      AnalyticsService.outcomeMessage('sign_in.failed', { strategy: strategy.id, userId: user?.id ?? null, at: now }),
    ],
    now,
  )
  if (lock?.lockedUntil)
    await UsersService.recordLockInTx(deps, tx, ctx.tenant.id, user!.id, {
      until: lock.lockedUntil,
      caller: ctx.caller,
    })
  return decoyLock === null ? lock : { lockedUntil: decoyLock, attemptsRemaining: null }
}
