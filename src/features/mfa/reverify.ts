import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import * as RateLimit from '../../platform/rate-limit'
import { refundCodeTry, takeCodeTry } from '../../platform/code-budget'
import { perIpKey } from '../../platform/http/ip-key'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import * as ChallengesService from '../challenges/service'
import { answerChallenge, answering, createChallengeInTx, strategyOf, type AnswerBody } from '../flows/service'
import type { FapiContext } from '../sessions/fapi-guard'
import { effectiveStatus, type Session } from '../sessions/model'
import * as SessionsService from '../sessions/service'
import type { IdentificationRow, UserRow } from '../users/service'
import * as UsersService from '../users/service'
import * as ReverifyPasskey from './reverify-passkey'
import * as MfaService from './service'

/**
 * Reverification (API.md §6): sensitive actions need a factor verified within 10 minutes. The
 * client proves one again for its own session — password, TOTP, backup code, or a code sent to
 * the user's email or phone (first `.../reverify/challenges`) — and gets a new session token
 * whose `fva` says so. The session row keeps the time (so later refreshes carry it too) and the
 * strategy joins its `amr`. Wrong passwords count toward lockout; wrong codes spend the account's
 * code budget (API.md §12).
 */
export type ReverifyStrategy = 'password' | 'totp' | 'backup_code' | 'email_code' | 'phone_code' | 'passkey'
export interface Reverified {
  object: 'token'
  jwt: string
  session: Session
}
type Slot = 'first' | 'second'
type Ctx = {
  deps: Deps
  fapi: FapiContext
  session: SessionsService.SessionRow
  user: UserRow
  identifications: IdentificationRow[]
}

/**
 * Reverification is a sign-in in miniature, limited like one (API.md §12): per IP and per
 * account, on code requests and answers alike, counted in the database for every node.
 */
async function limit(deps: Deps, fapi: FapiContext, userId: string): Promise<void> {
  const limits = fapi.tenant.settings.rate_limits
  const now = deps.clock.now()
  if (fapi.caller.ip)
    await RateLimit.consume(deps.db, fapi.tenant.id, `ip:${perIpKey(fapi.caller.ip)}`, limits.per_ip_per_minute, now)
  await RateLimit.consume(deps.db, fapi.tenant.id, `reverify:${userId}`, limits.per_identifier_per_minute, now)
}

/** The client's own active session and its live, unlocked user; the call counts toward the limits. */
async function load(deps: Deps, fapi: FapiContext, sid: string): Promise<Ctx> {
  const session = await SessionsService.findForClient(deps, fapi.tenant, fapi.client.id, sid)
  await limit(deps, fapi, session.userId)
  if (effectiveStatus(session, fapi.tenant.settings.session, deps.clock.now()) !== 'active')
    throw new AppError('authentication_invalid')
  // An impersonation is never stepped up (issue #21): what needs a fresh factor stays out of its reach.
  if (session.actor) throw new AppError('permission_denied', { reason: 'impersonation' })
  const loaded = await withTenant(deps.db, fapi.tenant.id, (tx) =>
    UsersService.loadUser(tx, fapi.tenant.id, session.userId),
  )
  if (!loaded || loaded.user.banned) throw new AppError('authentication_invalid')
  if (UsersService.isLocked(loaded.user, deps.clock.now()))
    throw new AppError('user_locked', { unlock_at: loaded.user.lockedUntil!.getTime() })
  return { deps, fapi, session, user: loaded.user, identifications: loaded.identifications }
}

const notAllowed = (strategy: string) => new AppError('strategy_not_allowed', { param_name: 'strategy', strategy })

/**
 * Where a reverification code goes: the primary email; the second-factor phone, else the primary
 * phone; else another address of the kind — and only one verified before the session began
 * (API.md §12), so a stolen session cannot add an address of its own, verify it, and reverify
 * through it.
 */
function destinationOf(c: Ctx, strategy: 'email_code' | 'phone_code'): IdentificationRow {
  const { first_factors } = c.fapi.tenant.settings.sign_in
  const type = strategyOf(strategy).channel === 'sms' ? 'phone_number' : 'email_address'
  const verified = c.identifications.filter(
    (i) =>
      i.verified && i.type === type && i.verifiedAt !== null && i.verifiedAt.getTime() <= c.session.createdAt.getTime(),
  )
  const primaryId = type === 'email_address' ? c.user.primaryEmailAddressId : c.user.primaryPhoneNumberId
  const mfa = c.fapi.tenant.settings.mfa
  const reserved =
    strategy === 'phone_code' && mfa.policy !== 'off' && mfa.second_factors.includes('phone_code')
      ? verified.find((i) => i.reservedForSecondFactor)
      : undefined
  const eligible = first_factors.includes(strategy)
    ? (verified.find((i) => i.id === primaryId) ?? verified[0])
    : undefined
  const found = reserved ?? eligible
  if (!found) throw notAllowed(strategy)
  return found
}

/**
 * POST /client/sessions/{sid}/reverify/challenges { strategy }: sends a code for reverification,
 * or (passkey) the WebAuthn options to sign.
 */
export async function prepare(
  deps: Deps,
  fapi: FapiContext,
  sid: string,
  strategy: 'email_code' | 'phone_code' | 'passkey',
): Promise<ChallengesService.Challenge> {
  const c = await load(deps, fapi, sid)
  if (strategy === 'passkey') {
    const row = await withTenant(deps.db, fapi.tenant.id, (tx) =>
      ReverifyPasskey.challengeInTx(deps, tx, fapi.tenant, c.user.id, c.session.id),
    )
    return ChallengesService.toPublic(row, deps.clock.now())
  }
  const to = destinationOf(c, strategy)
  const row = await withTenant(deps.db, fapi.tenant.id, (tx) =>
    createChallengeInTx(deps, tx, fapi.tenant, {
      purpose: 'reverification',
      ownerId: c.session.id,
      strategy,
      destination: { channel: strategyOf(strategy).channel!, to: to.value, identificationId: to.id },
      budget: { userId: c.user.id },
    }),
  )
  return ChallengesService.toPublic(row, deps.clock.now())
}

/** Saves the proof's side (`spend`) and the session's new factor time in one transaction; then a token. */
async function finish(
  c: Ctx,
  strategy: ReverifyStrategy,
  slot: Slot,
  spend: (tx: Tx) => Promise<boolean>,
): Promise<Reverified> {
  const { deps, fapi } = c
  const row = await withTenant(deps.db, fapi.tenant.id, async (tx) => {
    if (!(await spend(tx))) throw new AppError('conflict')
    return SessionsService.recordReverificationInTx(deps, tx, fapi.tenant, c.session, strategy, slot, fapi.caller)
  })
  return { object: 'token', ...(await SessionsService.sessionTokenFor(deps, fapi.tenant, row)) }
}

const failure = (c: Ctx, strategy: ReverifyStrategy) => ({
  strategy,
  purpose: 'reverification',
  session_id: c.session.id,
})

/** Password, TOTP and backup codes are checked against the account, with no challenge to answer. */
const checkWithoutChallenge = (c: Ctx, strategy: ReverifyStrategy, answer: AnswerBody) =>
  strategyOf(strategy).check({
    deps: c.deps,
    tenant: c.fapi.tenant,
    challenge: null,
    user: c.user,
    answer,
    discover: false,
  })

async function withPassword(c: Ctx, password: string): Promise<Reverified> {
  const { tenant } = c.fapi
  if (!c.user.passwordHash || !tenant.settings.sign_in.first_factors.includes('password')) throw notAllowed('password')
  const proof = await checkWithoutChallenge(c, 'password', { password })
  if (!proof) return MfaService.refusePassword(c.deps, tenant, c.user, c.fapi.caller, failure(c, 'password'))
  return finish(c, 'password', 'first', (tx) => proof.spendInTx(tx))
}

async function withSecondFactor(c: Ctx, strategy: MfaService.SecondFactor, code: string): Promise<Reverified> {
  const { deps, fapi } = c
  MfaService.checkAllowed(fapi.tenant, strategy)
  const taken = await takeCodeTry(deps.db, fapi.tenant.id, { userId: c.user.id }, deps.clock.now())
  const proof = await checkWithoutChallenge(c, strategy, { code })
  if (!proof) {
    // Nothing enrolled is not a wrong code: no try is spent on it.
    const enrolled = await withTenant(deps.db, fapi.tenant.id, (tx) =>
      strategyOf(strategy).enrolledInTx!(tx, fapi.tenant, c.user.id),
    )
    if (enrolled.length)
      return MfaService.refuseCode(deps, fapi.tenant, c.user, fapi.caller, failure(c, strategy), taken)
    await refundCodeTry(deps.db, fapi.tenant.id, taken)
    throw notAllowed(strategy)
  }
  await refundCodeTry(deps.db, fapi.tenant.id, taken)
  return finish(c, strategy, 'second', (tx) => proof.spendInTx(tx))
}

/** A failed answer to a reverification challenge: its spent try saved and audited, then the error. */
async function refuseChallenge(
  c: Ctx,
  strategy: ReverifyStrategy,
  challenge: ChallengesService.ChallengeRow,
  settled: Awaited<ReturnType<typeof ChallengesService.answerStep>>,
  rejection: AppError,
): Promise<never> {
  const { deps, fapi } = c
  await withTenant(deps.db, fapi.tenant.id, async (tx) => {
    await ChallengesService.save(deps, tx, challenge, settled)
    await appendAudit(
      deps.auditKey,
      tx,
      fapi.tenant.id,
      {
        action: 'mfa.verification_failed',
        actor: { type: 'user', id: c.user.id },
        target: { type: 'user', id: c.user.id },
        ip: fapi.caller.ip,
        userAgent: fapi.caller.userAgent,
        data: { ...failure(c, strategy), challenge_id: challenge.id },
      },
      deps.clock.now(),
    )
  })
  throw rejection
}

async function withSentCode(c: Ctx, strategy: 'email_code' | 'phone_code', code: string): Promise<Reverified> {
  const { deps, fapi } = c
  const challenge = await withTenant(deps.db, fapi.tenant.id, (tx) =>
    ChallengesService.latestFor(tx, fapi.tenant.id, c.session.id, strategy),
  )
  if (!challenge || challenge.purpose !== 'reverification')
    throw new AppError('verification_failed', { reason: 'no_challenge' })
  const { settled } = await answerChallenge(
    deps,
    fapi.tenant,
    challenge,
    { code },
    {
      user: c.user,
      budget: { userId: c.user.id },
    },
  )
  const rejection = ChallengesService.rejection(settled)
  if (rejection) return refuseChallenge(c, strategy, challenge, settled, rejection)
  // A code to the second-factor phone proves the second factor; to an address, the first.
  const reserved = c.identifications.some((i) => i.id === challenge.identificationId && i.reservedForSecondFactor)
  return finish(c, strategy, reserved ? 'second' : 'first', async (tx) => {
    await ChallengesService.save(deps, tx, challenge, settled)
    return true
  })
}

/** A passkey verified with user verification proves the second factor (API.md §12). */
async function withPasskey(c: Ctx, credential: unknown): Promise<Reverified> {
  const { deps, fapi } = c
  const proof = await ReverifyPasskey.check(deps, fapi.tenant, c.user, c.session.id, credential)
  const rejection = ChallengesService.rejection(proof.settled)
  if (rejection) return refuseChallenge(c, 'passkey', proof.challenge, proof.settled, rejection)
  return finish(c, 'passkey', 'second', async (tx) => {
    await proof.recordInTx(tx)
    await ChallengesService.save(deps, tx, proof.challenge, proof.settled)
    return true
  })
}

/** POST /client/sessions/{sid}/reverify { strategy, code?, password?, credential? }. */
export async function reverify(
  deps: Deps,
  fapi: FapiContext,
  sid: string,
  body: { strategy: ReverifyStrategy; code?: string; password?: string; credential?: unknown },
): Promise<Reverified> {
  const c = await load(deps, fapi, sid)
  // 422 naming the field the strategy reads when it is missing.
  answering(body.strategy, body)
  switch (body.strategy) {
    case 'password':
      return withPassword(c, body.password!)
    case 'totp':
    case 'backup_code':
      return withSecondFactor(c, body.strategy, body.code!)
    case 'email_code':
    case 'phone_code':
      return withSentCode(c, body.strategy, body.code!)
    case 'passkey':
      return withPasskey(c, body.credential)
  }
}
