import { signInMachine } from '../../../machines/sign-in.machine'
import type { Strategy } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import { hashPassword, needsRehash, verifyDummy, verifyPassword } from '../../platform/crypto/password'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { runStep, type Settled } from '../../platform/flow-runner'
import { newId } from '../../platform/ids'
import { append, eventSubject } from '../../platform/outbox'
import * as ChallengesService from '../challenges/service'
import * as SessionsService from '../sessions/service'
import type { IssuedTokens, SessionRow } from '../sessions/service'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import type { UserRow } from '../users/service'
import { BAPI_OWNER, limitAttempts, type FlowContext } from './context'
import { contextOf, statusOf } from './model'
import * as SignInRepo from './repo'
import type { SignInRow } from './repo'
import { prepareAnswer, type PasskeyAnswer } from './passkey'
import { afterFactor, secondFactorAnswer } from './second-factor'
import * as DecoyLockout from './decoy-lockout'
import { admit, budgetOf, candidateInTx, challengeStep, createChallengeInTx, load, newAttempt } from './service'

type SignInSettled = Settled<typeof signInMachine>

export interface Completion {
  row: SignInRow
  /** Tokens for the requester, when this request completed the attempt it owns. */
  issued: IssuedTokens | null
}

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
 * A password check that costs the same whether or not the account exists or has a password;
 * one longer than the policy allows is wrong without being hashed (API.md §12).
 */
async function passwordCheck(deps: Deps, tenant: TenantRow, user: UserRow | null, password: string): Promise<boolean> {
  if (password.length > tenant.settings.password.max_length) return false
  if (!user?.passwordHash) return verifyDummy(deps.hashing, password, tenant.settings.password.argon2)
  return verifyPassword(deps.hashing, password, user.passwordHash)
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
  rehash: string | null,
): Promise<{ row: SignInRow; created: { session: SessionRow; refreshToken: string } | null }> {
  const saved = await SignInRepo.saveSnapshot(
    tx,
    row,
    settled.persisted,
    String(settled.snapshot.value),
    new Date(deps.clock.now()),
  )
  if (!saved) throw new AppError('conflict')
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
  const { session, refreshToken } = await SessionsService.createSessionInTx(
    deps,
    tx,
    ctx.tenant,
    {
      id: effect.sessionId,
      userId: effect.userId,
      clientId: row.owner === BAPI_OWNER ? null : row.owner,
      factors: effect.factors,
      firstFactorVerifiedAt: effect.firstFactorVerifiedAt,
      secondFactorVerifiedAt: effect.secondFactorVerifiedAt,
      caller: ctx.caller,
    },
    forRequester,
  )
  await UsersService.recordSignIn(deps, tx, ctx.tenant.id, effect.userId, rehash ? { newPasswordHash: rehash } : {})
  await appendAudit(
    deps.auditKey,
    tx,
    ctx.tenant.id,
    {
      action: 'sign_in.succeeded',
      actor: { type: 'user', id: effect.userId },
      target: { type: 'session', id: session.id },
      ip: ctx.caller.ip,
      userAgent: ctx.caller.userAgent,
      data: { sign_in_id: row.id, factors: effect.factors },
    },
    deps.clock.now(),
  )
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
  strategy: string,
): Promise<{ lockedUntil: number | null; attemptsRemaining: number | null } | null> {
  const now = deps.clock.now()
  const counted = strategy === 'password'
  const lock =
    user && counted
      ? await UsersService.recordFailedPassword(deps, tx, ctx.tenant.id, user, ctx.tenant.settings.lockout)
      : null
  const decoyLock = user
    ? null
    : await DecoyLockout.countFailureInTx(deps, tx, ctx.tenant, contextOf(row).identifier, strategy)
  const data = { sign_in_id: row.id, strategy, identifier: contextOf(row).identifier, user_id: user?.id ?? null }
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
    [{ type: 'sign_in.failed', subject: eventSubject('sign_in.failed'), payload: { data } }],
    now,
  )
  if (lock?.lockedUntil)
    await UsersService.recordLockInTx(deps, tx, ctx.tenant.id, user!.id, {
      until: lock.lockedUntil,
      caller: ctx.caller,
    })
  return decoyLock === null ? lock : { lockedUntil: decoyLock, attemptsRemaining: null }
}

/**
 * Answers the challenge and, when it verifies, advances the attempt — both saved in one
 * transaction under their version checks, so two concurrent answers cannot both win.
 * A wrong answer is saved too (tries spent, lockout counted) before its error is returned.
 */
async function settle(
  deps: Deps,
  ctx: FlowContext,
  row: SignInRow,
  challenge: ChallengesService.ChallengeRow,
  answer: ChallengesService.Answer,
  forRequester: boolean,
  opts: { passkey?: PasskeyAnswer; user?: UserRow | null } = {},
): Promise<Completion> {
  const { passkey } = opts
  const context = contextOf(row)
  // Usernameless: the passkey's owner is the user (for the lock check and the audit trail).
  const user =
    opts.user !== undefined ? opts.user : await userOf(deps, ctx.tenant.id, passkey ? passkey.userId : context.userId)
  // A locked account answers 423 before any check, and the try is not spent.
  if (user && UsersService.locksOut(user, deps.clock.now(), challenge.strategy))
    throw new AppError('user_locked', { unlock_at: user.lockedUntil!.getTime() })
  if (!user) await DecoyLockout.refuseIfLocked(deps, ctx.tenant, context.identifier, challenge.strategy)
  let verifiedPassword: string | null = null
  const second = secondFactorAnswer(deps, ctx.tenant.id, user?.id ?? null, challenge.strategy)
  const check = async (a: ChallengesService.Answer) => {
    if (passkey) return passkey.check()
    if (second) return second.check(a)
    if (challenge.strategy !== 'password') return ChallengesService.secretMatches(deps, challenge, a)
    const ok = await passwordCheck(deps, ctx.tenant, user, a.password ?? '')
    if (ok) verifiedPassword = a.password!
    return ok
  }
  const chSettled = await ChallengesService.answerStep(deps, challenge, answer, check, budgetOf(row))
  const verified = chSettled.snapshot.value === 'verified'
  const pwHash =
    verifiedPassword && user?.passwordHash && needsRehash(user.passwordHash, ctx.tenant.settings.password.argon2)
      ? await hashPassword(deps.hashing, verifiedPassword, ctx.tenant.settings.password.argon2)
      : null

  const result = await withTenant(
    deps.db,
    ctx.tenant.id,
    async (tx): Promise<Outcome & { completed: Awaited<ReturnType<typeof completeInTx>> | null }> => {
      if (!(await ChallengesService.save(deps, tx, challenge, chSettled))) throw new AppError('conflict')
      // What follows the factor is read in this transaction, with the writes it decides.
      const siSettled = verified
        ? await runStep(signInMachine, row, {
            type: 'factor.verified',
            now: deps.clock.now(),
            strategy: challenge.strategy as Strategy,
            challengeId: challenge.id,
            ...(await afterFactor(tx, ctx.tenant, row, user?.id ?? null, challenge.strategy)),
            sessionId: newId('sess', deps.clock.now()),
            ...(passkey?.discoveredUserId ? { discoveredUserId: passkey.discoveredUserId } : {}),
          })
        : null
      if (!siSettled)
        return {
          verified: false,
          lockedUntil: (await recordFailure(deps, tx, ctx, row, user, challenge.strategy))?.lockedUntil ?? null,
          completed: null,
        }
      await passkey?.recordInTx(tx)
      await second?.spendInTx(tx)
      return {
        verified: true,
        lockedUntil: null,
        completed: await completeInTx(deps, tx, ctx, row, siSettled, forRequester, pwHash),
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

/** POST sign-ins/{id}/challenges/{cid}/answer. */
export async function answer(
  deps: Deps,
  ctx: FlowContext,
  id: string,
  cid: string,
  body: { code?: string; password?: string; credential?: unknown },
): Promise<Completion> {
  const row = await load(deps, ctx, id)
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
  body: { code?: string; password?: string; credential?: unknown },
  opts: { counted?: boolean; user?: UserRow | null } = {},
): Promise<Completion> {
  if (statusOf(row, deps.clock.now()) === 'expired') throw new AppError('verification_expired')
  if (!challenge || challenge.ownerId !== row.id || challenge.purpose !== 'sign_in')
    throw new AppError('resource_not_found')
  if (contextOf(row).currentChallengeId !== challenge.id)
    throw new AppError('verification_failed', { reason: 'not_current_challenge' })
  if (!opts.counted) await limitAttempts(deps, ctx, contextOf(row).identifier)
  if (challenge.strategy === 'password' && body.password === undefined)
    throw new AppError('form_param_missing', { param_name: 'password' })
  if (
    [
      'email_code',
      'phone_code',
      'totp',
      'backup_code',
      'reset_password_email_code',
      'reset_password_phone_code',
    ].includes(challenge.strategy) &&
    body.code === undefined
  )
    throw new AppError('form_param_missing', { param_name: 'code' })
  if (challenge.strategy === 'email_link') throw new AppError('strategy_not_allowed', { reason: 'open_the_link' })
  if (challenge.strategy === 'passkey') {
    if (body.credential === undefined) throw new AppError('form_param_missing', { param_name: 'credential' })
    return settle(deps, ctx, row, challenge, {}, true, {
      passkey: await prepareAnswer(deps, ctx.tenant, row, challenge, body.credential),
    })
  }
  return settle(deps, ctx, row, challenge, { code: body.code, password: body.password }, true, { user: opts.user })
}

/**
 * An email link opened (possibly on another device, with no cookies): verifies its challenge
 * and completes the attempt for the client that owns it, which claims the session's tokens on
 * its next read. Returns where to send the browser.
 */
export async function verifyLink(
  deps: Deps,
  tenant: TenantRow,
  challenge: ChallengesService.ChallengeRow,
  token: string,
  caller: FlowContext['caller'],
): Promise<string | null> {
  const row = await withTenant(deps.db, tenant.id, (tx) => SignInRepo.find(tx, tenant.id, challenge.ownerId))
  if (!row) throw new AppError('resource_not_found')
  if (statusOf(row, deps.clock.now()) === 'expired') throw new AppError('verification_expired')
  if (contextOf(row).currentChallengeId !== challenge.id)
    throw new AppError('verification_failed', { reason: 'not_current_challenge' })
  const ctx: FlowContext = { tenant, owner: row.owner, clientId: row.owner === BAPI_OWNER ? null : row.owner, caller }
  await settle(deps, ctx, row, challenge, { token }, false)
  return row.redirectUrl
}

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
  // Without an identifier only a passkey can start: its credential will name the user.
  const starts = strategy !== undefined && (body.identifier !== undefined || strategy === 'passkey')
  // One transaction for the attempt and its first challenge, with the account looked up once
  // (identifying, the challenge's destination, and below the answer).
  const { row, challenge, candidate } = await withTenant(deps.db, ctx.tenant.id, async (tx) => {
    const candidate = body.identifier === undefined ? null : await candidateInTx(tx, ctx.tenant.id, body.identifier)
    const fresh = newAttempt(deps, ctx, body.identifier, redirectUrl, candidate)
    if (!starts) return { row: await SignInRepo.insert(tx, fresh), challenge: null, candidate }
    const step = await challengeStep(deps, ctx, fresh, strategy, { counted: true, candidate })
    const row = await SignInRepo.insert(tx, { ...fresh, snapshot: step.persisted, status: step.status })
    return { row, challenge: await createChallengeInTx(deps, tx, ctx, fresh, step), candidate }
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
