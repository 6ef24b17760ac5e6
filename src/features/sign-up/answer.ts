import { signUpMachine } from '../../../machines/sign-up.machine'
import type { SignUpEvent } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { Caller } from '../../platform/http/caller'
import { refuseIfExpired, runStep } from '../../platform/flow-runner'
import { newId } from '../../platform/ids'
import * as ChallengesService from '../challenges/service'
import {
  answerChallenge,
  answering,
  BAPI_OWNER,
  limitAttempts,
  type AnswerBody,
  type FlowContext,
} from '../flows/service'
import type { TenantRow } from '../tenants/service'
import { finish, saveInTx, type Completion } from './complete'
import * as SignUpRepo from './repo'
import type { SignUpRow } from './repo'
import { budgetOf, checkCurrent, checkEnabled, fieldOf, identifierOf, load, type ChallengeStrategy } from './attempt'

/**
 * Answers the challenge and forwards its outcome to the attempt (field.verified, or field.failed
 * once its tries are spent) — both saved in one transaction under their version checks, so of
 * two concurrent right answers exactly one wins (the other gets 409, or 422 already_verified).
 * A wrong answer is saved too (a try spent) before its error is returned.
 */
async function settle(
  deps: Deps,
  ctx: FlowContext,
  row: SignUpRow,
  challenge: ChallengesService.ChallengeRow,
  answer: AnswerBody,
  forRequester: boolean,
): Promise<Completion> {
  const strategy = challenge.strategy as ChallengeStrategy
  const field = fieldOf(strategy)
  const { settled: chSettled, proof } = await answerChallenge(deps, ctx.tenant, challenge, answer, {
    user: null,
    budget: budgetOf(challenge),
  })
  const now = deps.clock.now()
  const outcome = chSettled.snapshot.value
  const event: SignUpEvent | null = proof
    ? {
        type: 'field.verified',
        now,
        field,
        strategy,
        challengeId: challenge.id,
        userId: newId('user', now),
        sessionId: newId('sess', now),
      }
    : chSettled.effects.some((e) => e.type === 'effect.failed') || outcome === 'expired'
      ? { type: 'field.failed', now, field, challengeId: challenge.id }
      : null
  const suSettled = event ? await runStep(signUpMachine, row, event) : null
  const saved = await withTenant(deps.db, ctx.tenant.id, async (tx) => {
    await ChallengesService.save(deps, tx, challenge, chSettled)
    return suSettled ? saveInTx(deps, tx, ctx, row, suSettled, {}, forRequester) : null
  })
  const rejection = ChallengesService.rejection(chSettled)
  if (rejection) throw rejection
  return finish(deps, ctx.tenant, saved ?? { row, created: null })
}

async function challengeOf(deps: Deps, row: SignUpRow, cid: string): Promise<ChallengesService.ChallengeRow> {
  const challenge = await withTenant(deps.db, row.tenantId, (tx) => ChallengesService.find(tx, row.tenantId, cid))
  if (!challenge || challenge.ownerId !== row.id || challenge.purpose !== 'sign_up')
    throw new AppError('resource_not_found')
  return challenge
}

/** POST sign-ups/{id}/challenges/{cid}/answer `{ code }`. */
export async function answer(
  deps: Deps,
  ctx: FlowContext,
  id: string,
  cid: string,
  body: { code: string },
): Promise<Completion> {
  checkEnabled(ctx.tenant)
  const row = await load(deps, ctx, id)
  await refuseIfExpired(deps.db, SignUpRepo, signUpMachine, row, deps.clock.now())
  const challenge = await challengeOf(deps, row, cid)
  checkCurrent(row, challenge)
  await limitAttempts(deps, ctx, identifierOf(row))
  answering(challenge.strategy, body)
  return settle(deps, ctx, row, challenge, { code: body.code }, true)
}

/**
 * An email link opened (possibly on another device, with no cookies): verifies the attempt's
 * email and, when that completes it, creates the session for the client that owns the attempt,
 * which claims the tokens on its next read. Returns where to send the browser.
 */
export async function verifyLink(
  deps: Deps,
  tenant: TenantRow,
  challenge: ChallengesService.ChallengeRow,
  token: string,
  caller: Caller,
): Promise<string | null> {
  const row = await withTenant(deps.db, tenant.id, (tx) => SignUpRepo.find(tx, tenant.id, challenge.ownerId))
  if (!row) throw new AppError('resource_not_found')
  checkEnabled(tenant)
  await refuseIfExpired(deps.db, SignUpRepo, signUpMachine, row, deps.clock.now())
  checkCurrent(row, challenge)
  const ctx: FlowContext = { tenant, owner: row.owner, clientId: row.owner === BAPI_OWNER ? null : row.owner, caller }
  await settle(deps, ctx, row, challenge, { token }, false)
  return row.redirectUrl
}
