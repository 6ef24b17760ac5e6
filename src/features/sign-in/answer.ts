import { signInMachine } from '../../../machines/sign-in.machine'
import { isExternalStrategy, type Strategy } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { advance, refuseIfExpired, runStep } from '../../platform/flow-runner'
import { newId } from '../../platform/ids'
import * as ChallengesService from '../challenges/service'
import * as SessionsService from '../sessions/service'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import type { UserRow } from '../users/service'
import {
  answerChallenge,
  answering,
  BAPI_OWNER,
  limitAttempts,
  strategyOf,
  type AnswerBody,
  type FactorStrategy,
  type FlowContext,
} from '../flows/service'
import { contextOf, statusOf } from './model'
import * as SignInRepo from './repo'
import type { SignInRow } from './repo'
import { completeInTx, recordFailure, type Completion } from './outcome'
import { afterFactor } from './second-factor'
import * as DecoyLockout from './decoy-lockout'
import { admit, budgetOf, candidateInTx, externalOfferInTx, insertStartedInTx, loadOpen, newAttempt } from './attempt'

interface Outcome {
  verified: boolean
  /** Set when a wrong password locked the account. */
  lockedUntil: number | null
}

async function userOf(deps: Deps, tenantId: string, userId: string | null): Promise<UserRow | null> {
  if (!userId) return null
  const loaded = await withTenant(deps.db, tenantId, (tx) => UsersService.loadUser(tx, tenantId, userId))
  return loaded && !loaded.user.banned && !loaded.user.deletedAt ? loaded.user : null
}

/**
 * Answers the challenge and, when it verifies, advances the attempt — both saved in one
 * transaction under their version checks, so two concurrent answers cannot both win; the
 * strategy's proof (a TOTP step, a backup code, a passkey counter) is spent in it too. A wrong
 * answer is saved as well (tries spent, lockout counted) before its error is returned.
 */
async function settle(
  deps: Deps,
  ctx: FlowContext,
  row: SignInRow,
  challenge: ChallengesService.ChallengeRow,
  body: AnswerBody,
  forRequester: boolean,
  opts: { user?: UserRow | null } = {},
): Promise<Completion> {
  const strategy = strategyOf(challenge.strategy as Strategy)
  const context = contextOf(row)
  // No account is named yet, and the answer names it: a usernameless passkey's credential or an external
  // provider before any identifier, or enterprise SSO for an identifier unknown here (it provisions the
  // user). A social provider never names the account of an identified attempt: whether the identifier's
  // account exists would show in whether a provider's answer for someone else completes it (API.md §12).
  const discover =
    context.userId === null &&
    (statusOf(row, deps.clock.now()) === 'needs_identifier' || strategy.id === 'enterprise_sso')
  const named = opts.user !== undefined ? opts.user : await userOf(deps, ctx.tenant.id, context.userId)
  // A locked account answers 423 before any check, and the try is not spent.
  if (named && named.lockedByAdmin && UsersService.isLocked(named, deps.clock.now())) await endLocked(deps, row)
  refuseLocked(deps, named, strategy)
  if (!named) await DecoyLockout.refuseIfLocked(deps, ctx.tenant, context.identifier, strategy)
  const { settled: chSettled, proof: proven } = await answerChallenge(deps, ctx.tenant, challenge, body, {
    user: named,
    discover,
    budget: budgetOf(row),
  })
  const user = discover && proven ? await userOf(deps, ctx.tenant.id, proven.userId) : named
  // An administrator's lock holds a discovered account too; the verified assertion is spent, so it
  // cannot be replayed once the account is unlocked.
  if (discover && user && UsersService.locksOut(user, deps.clock.now(), strategy.passesPasswordLockout)) {
    await withTenant(deps.db, ctx.tenant.id, (tx) => ChallengesService.save(deps, tx, challenge, chSettled))
    refuseLocked(deps, user, strategy)
  }

  const result = await withTenant(
    deps.db,
    ctx.tenant.id,
    async (tx): Promise<Outcome & { completed: Awaited<ReturnType<typeof completeInTx>> | null }> => {
      await ChallengesService.save(deps, tx, challenge, chSettled)
      // Only a wrong answer is a failure: not an expired challenge, nor a checker that broke.
      const wrong = chSettled.snapshot.context.rejection === chSettled.snapshot.context.wrongAnswer
      if (!proven)
        return {
          verified: false,
          lockedUntil: wrong ? ((await recordFailure(deps, tx, ctx, row, user, strategy))?.lockedUntil ?? null) : null,
          completed: null,
        }
      // What follows the factor is read in this transaction, with the writes it decides.
      const siSettled = await runStep(signInMachine, row, {
        type: 'factor.verified',
        now: deps.clock.now(),
        strategy: strategy.id,
        challengeId: challenge.id,
        ...(await afterFactor(tx, ctx.tenant, row, user?.id ?? null, strategy.id)),
        sessionId: newId('sess', deps.clock.now()),
        ...(discover && user ? { discoveredUserId: user.id } : {}),
      })
      if (!(await proven.spendInTx(tx))) throw new AppError('conflict')
      return {
        verified: true,
        lockedUntil: null,
        completed: await completeInTx(deps, tx, ctx, row, siSettled, forRequester),
      }
    },
  )
  if (result.lockedUntil) throw new AppError('user_locked', { unlock_at: result.lockedUntil })
  const rejection = ChallengesService.rejection(chSettled)
  if (rejection) throw rejection
  const created = result.completed?.created
  const issued = created
    ? await SessionsService.tokensFor(deps, ctx.tenant, created.session, created.refreshToken)
    : null
  return { row: result.completed?.row ?? row, issued }
}

/**
 * An administrator's lock closes every way in, so the machine ends the attempt (`locked`). A
 * lockout by wrong passwords does not: a passkey or a password reset may still finish it.
 */
async function endLocked(deps: Deps, row: SignInRow): Promise<void> {
  const now = deps.clock.now()
  await advance(deps.db, {
    table: SignInRepo,
    machine: signInMachine,
    row,
    event: { type: 'user.locked', now },
    at: new Date(now),
  })
}

function refuseLocked(deps: Deps, user: UserRow | null, strategy: FactorStrategy): void {
  if (user && UsersService.locksOut(user, deps.clock.now(), strategy.passesPasswordLockout))
    throw new AppError('user_locked', { unlock_at: user.lockedUntil!.getTime() })
}

/** POST sign-ins/{id}/challenges/{cid}/answer. */
export async function answer(
  deps: Deps,
  ctx: FlowContext,
  id: string,
  cid: string,
  body: { code?: string; password?: string; credential?: unknown },
): Promise<Completion> {
  const row = await loadOpen(deps, ctx, id)
  const challenge = await withTenant(deps.db, ctx.tenant.id, (tx) => ChallengesService.find(tx, ctx.tenant.id, cid))
  return answerLoaded(deps, ctx, row, challenge, body)
}

/**
 * answer on a loaded attempt and challenge. `counted`: the request was counted against the
 * rate limits already; `user`: the attempt's account as the same request loaded it.
 */
async function answerLoaded(
  deps: Deps,
  ctx: FlowContext,
  row: SignInRow,
  challenge: ChallengesService.ChallengeRow | null,
  body: AnswerBody,
  opts: { counted?: boolean; user?: UserRow | null } = {},
): Promise<Completion> {
  if (!challenge || challenge.ownerId !== row.id || challenge.purpose !== 'sign_in')
    throw new AppError('resource_not_found')
  if (contextOf(row).currentChallengeId !== challenge.id)
    throw new AppError('verification_failed', { reason: 'not_current_challenge' })
  if (!opts.counted) await limitAttempts(deps, ctx, contextOf(row).identifier)
  answering(challenge.strategy, body)
  return settle(deps, ctx, row, challenge, body, true, { user: opts.user })
}

/**
 * A challenge answered by opening, not posting: an email link (possibly on another device, with no
 * cookies) or an external provider's callback whose handler resolved the account (API.md §16).
 * Verifies the challenge and advances the attempt for the client that owns it, which claims the
 * session's tokens on its next read. Returns where to send the browser.
 */
export async function verifyOpened(
  deps: Deps,
  tenant: TenantRow,
  challenge: ChallengesService.ChallengeRow,
  answer: AnswerBody,
  caller: FlowContext['caller'],
): Promise<string | null> {
  const row = await withTenant(deps.db, tenant.id, (tx) => SignInRepo.find(tx, tenant.id, challenge.ownerId))
  if (!row) throw new AppError('resource_not_found')
  await refuseIfExpired(deps.db, SignInRepo, signInMachine, row, deps.clock.now())
  if (contextOf(row).currentChallengeId !== challenge.id)
    throw new AppError('verification_failed', { reason: 'not_current_challenge' })
  const ctx: FlowContext = { tenant, owner: row.owner, clientId: row.owner === BAPI_OWNER ? null : row.owner, caller }
  await settle(deps, ctx, row, challenge, answer, false)
  return row.redirectUrl
}

export const verifyLink = (
  deps: Deps,
  tenant: TenantRow,
  challenge: ChallengesService.ChallengeRow,
  token: string,
  caller: FlowContext['caller'],
) => verifyOpened(deps, tenant, challenge, { token }, caller)

/**
 * POST sign-ins with more than an identifier: `strategy` starts that factor's challenge, and a
 * `password` answers it at once (identifier + password in one call completes directly).
 * Counted once against the rate limits, like any single request.
 */
export async function createAndStart(
  deps: Deps,
  ctx: FlowContext,
  body: { identifier?: string; strategy?: Strategy; password?: string; redirect_url?: string },
): Promise<Completion> {
  if (body.password !== undefined && body.identifier === undefined)
    throw new AppError('form_param_missing', { param_name: 'identifier' })
  if (body.password !== undefined && body.strategy !== undefined && body.strategy !== 'password')
    throw new AppError('strategy_not_allowed', { param_name: 'strategy' })
  const redirectUrl = await admit(deps, ctx, body)
  const strategy = body.password !== undefined ? 'password' : body.strategy
  // Without an identifier only a passkey or an external provider can start: they will name the user.
  const usernameless = strategy === 'passkey' || (strategy !== undefined && isExternalStrategy(strategy))
  const starts = strategy !== undefined && (body.identifier !== undefined || usernameless)
  // One transaction for the attempt and its first challenge, with the account looked up once
  // (identifying, the challenge's destination, and below the answer).
  const { row, challenge, candidate } = await withTenant(deps.db, ctx.tenant.id, async (tx) => {
    const candidate = body.identifier === undefined ? null : await candidateInTx(tx, ctx.tenant.id, body.identifier)
    const offer = await externalOfferInTx(deps, tx, ctx.tenant, body.identifier)
    const fresh = newAttempt(deps, ctx, body.identifier, redirectUrl, candidate, offer)
    if (!starts) return { row: await SignInRepo.insert(tx, fresh), challenge: null, candidate }
    return { ...(await insertStartedInTx(deps, tx, ctx, fresh, strategy, { candidate })), candidate }
  })
  if (!challenge || body.password === undefined) return { row, issued: null }
  try {
    return await answerLoaded(
      deps,
      ctx,
      row,
      challenge,
      { password: body.password },
      { counted: true, user: candidate?.user ?? null },
    )
  } catch (err) {
    // The attempt exists and can be retried: say which one.
    if (err instanceof AppError)
      throw new AppError(err.code, { ...err.meta, sign_in_id: row.id }, { headers: err.headers })
    throw err
  }
}
