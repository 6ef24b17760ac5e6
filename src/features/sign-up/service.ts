import { signUpMachine } from '../../../machines/sign-up.machine'
import type { VerifiableField } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { advance, initialSnapshot, refuseIfExpired, runStep } from '../../platform/flow-runner'
import { newId } from '../../platform/ids'
import * as ChallengesService from '../challenges/service'
import { createChallengeInTx, limitAttempts, strategyOf, type FlowContext } from '../flows/service'
import type { TenantRow } from '../tenants/service'
import { commit, type Completion } from './complete'
import { EMPTY, prepare, presentFields, requiredFields, type FieldsBody } from './fields'
import { contextOf, statusOf, toPublic, type challengeStrategies, type SignUp } from './model'
import * as SignUpRepo from './repo'
import type { SignUpRow } from './repo'

export type { Completion, SignUpRow }
// The email-link page (verification) completes and shows attempts through these.
export { verifyLink } from './answer'
export { respond } from './respond'

/**
 * Sign-up attempts (API.md §4), for the Frontend API (owned by a client) and the Backend API
 * (owned by the secret key): one persisted signUpMachine per attempt, one event per request.
 * Field values live in the row (the password only as its hash); codes and links go only to the
 * address stored on the attempt. The attempt completes, creating the user and a session in the
 * transaction that saves it, once every required field is present and verified.
 */
export type ChallengeStrategy = (typeof challengeStrategies)[number]
/** The field a strategy proves: the phone for what goes by SMS, else the email address. */
export const fieldOf = (strategy: ChallengeStrategy): VerifiableField =>
  strategyOf(strategy).channel === 'sms' ? 'phone_number' : 'email_address'

/** sign_up.enabled false answers 403 permission_denied on every step, not only on creation. */
export function checkEnabled(tenant: TenantRow): void {
  if (!tenant.settings.sign_up.enabled) throw new AppError('permission_denied', { reason: 'sign_up_disabled' })
}

/** The identifier rate limits count against: the first one the attempt carries. */
export const identifierOf = (v: {
  emailAddress?: string | null
  phoneNumber?: string | null
  username?: string | null
}) => v.emailAddress ?? v.phoneNumber ?? v.username ?? null

export async function load(deps: Deps, ctx: FlowContext, id: string): Promise<SignUpRow> {
  const row = await withTenant(deps.db, ctx.tenant.id, (tx) => SignUpRepo.findOwned(tx, ctx.tenant.id, ctx.owner, id))
  if (!row) throw new AppError('resource_not_found')
  return row
}

export const present = (deps: Deps, row: SignUpRow): SignUp => toPublic(row, deps.clock.now())

/**
 * The attempt, for a step that changes it: the machine decides whether it is past its expiry (and
 * that is saved, answering `verification_expired`); only one still collecting requirements takes
 * fields and challenges.
 */
export async function loadOpen(deps: Deps, ctx: FlowContext, id: string): Promise<SignUpRow> {
  const row = await load(deps, ctx, id)
  await refuseIfExpired(deps.db, SignUpRepo, signUpMachine, row, deps.clock.now())
  if (statusOf(row, deps.clock.now()) !== 'missing_requirements')
    throw new AppError('strategy_not_allowed', { reason: 'not_in_progress' })
  return row
}

const newIds = (now: number) => ({ userId: newId('user', now), sessionId: newId('sess', now) })

/** POST sign-ups: a new attempt with whatever fields are given; complete at once when nothing is left to prove. */
export async function create(deps: Deps, ctx: FlowContext, body: FieldsBody): Promise<Completion> {
  checkEnabled(ctx.tenant)
  await limitAttempts(
    deps,
    ctx,
    identifierOf({ emailAddress: body.email_address, phoneNumber: body.phone_number, username: body.username }),
  )
  const { fields, changed } = await prepare(deps, ctx.tenant, EMPTY, body)
  const now = deps.clock.now()
  const expireAt = now + ctx.tenant.settings.flows.sign_up_lifetime_s * 1000
  const initial = initialSnapshot(signUpMachine, {
    expireAt,
    requiredFields: requiredFields(ctx.tenant),
    verifyFields: [...ctx.tenant.settings.sign_up.verify],
  })
  const draft: SignUpRow = {
    ...EMPTY,
    unsafeMetadata: null,
    redirectUrl: null,
    ...fields,
    id: newId('sua', now),
    tenantId: ctx.tenant.id,
    owner: ctx.owner,
    status: String(initial.snapshot.value),
    snapshot: initial.persisted,
    machineVersion: signUpMachine.version!,
    version: 1,
    expireAt: new Date(expireAt),
    createdAt: new Date(now),
    updatedAt: new Date(now),
  }
  const settled = await runStep(signUpMachine, draft, {
    type: 'update',
    now,
    present: presentFields(draft),
    changed,
    ...newIds(now),
  })
  return commit(deps, ctx, draft, settled, fields, { insert: true })
}

/** PATCH sign-ups/{id}: sets or changes fields; a changed email or phone loses its verification. */
export async function update(deps: Deps, ctx: FlowContext, id: string, body: FieldsBody): Promise<Completion> {
  checkEnabled(ctx.tenant)
  const row = await loadOpen(deps, ctx, id)
  await limitAttempts(
    deps,
    ctx,
    identifierOf({ emailAddress: body.email_address, phoneNumber: body.phone_number, username: body.username }) ??
      identifierOf(row),
  )
  const { fields, changed } = await prepare(deps, ctx.tenant, row, body)
  const now = deps.clock.now()
  const settled = await runStep(signUpMachine, row, {
    type: 'update',
    now,
    present: presentFields({ ...row, ...fields }),
    changed,
    ...newIds(now),
  })
  return commit(deps, ctx, row, settled, fields)
}

/**
 * POST sign-ups/{id}/challenges: proves the attempt's email or phone. The code or link goes to
 * the value stored on the attempt, never anywhere else; the attempt's snapshot and the new
 * challenge are saved in one transaction.
 */
export async function startChallenge(
  deps: Deps,
  ctx: FlowContext,
  id: string,
  strategy: ChallengeStrategy,
): Promise<ChallengesService.Challenge> {
  checkEnabled(ctx.tenant)
  const row = await loadOpen(deps, ctx, id)
  await limitAttempts(deps, ctx, identifierOf(row))
  const field = fieldOf(strategy)
  const now = deps.clock.now()
  const challengeId = newId('chal', now)
  const to = field === 'email_address' ? row.emailAddress : row.phoneNumber
  const { result: challenge } = await advance(deps.db, {
    table: SignUpRepo,
    machine: signUpMachine,
    row,
    event: { type: 'challenge.started', now, field, strategy, challengeId },
    at: new Date(now),
    async commit(tx, settled) {
      if (settled.snapshot.context.verifications[field]?.challengeId !== challengeId || to === null) {
        const code = settled.snapshot.context.rejection ?? 'strategy_not_allowed'
        throw new AppError(code, { param_name: code === 'form_param_missing' ? field : 'strategy' })
      }
      return createChallengeInTx(deps, tx, ctx.tenant, {
        id: challengeId,
        purpose: 'sign_up',
        ownerId: row.id,
        strategy,
        destination: { channel: strategyOf(strategy).channel ?? 'email', to, identificationId: null },
        requestedBy: { clientId: ctx.clientId, ip: ctx.caller.ip, userAgent: ctx.caller.userAgent },
        budget: budgetFor(to),
      })
    },
  })
  return ChallengesService.toPublic(challenge!, deps.clock.now())
}

/** A sign-up's codes spend the budget of the address or phone they went to (API.md §12). */
const budgetFor = (to: string): ChallengesService.BudgetSubject => ({ identifier: to.trim().toLowerCase() })
export const budgetOf = (challenge: ChallengesService.ChallengeRow) =>
  budgetFor(challenge.destination ?? challenge.ownerId)

/** The client's newest attempt while it is still in progress, for the Client object. */
export async function inProgress(deps: Deps, tenant: TenantRow, clientId: string): Promise<SignUp | null> {
  const row = await withTenant(deps.db, tenant.id, (tx) => SignUpRepo.latestForOwner(tx, tenant.id, clientId))
  return row && statusOf(row, deps.clock.now()) === 'missing_requirements' ? present(deps, row) : null
}

/** The field's current challenge must be the one answered (a changed value drops the old one). */
export function checkCurrent(row: SignUpRow, challenge: ChallengesService.ChallengeRow): void {
  const verification = contextOf(row).verifications[fieldOf(challenge.strategy as ChallengeStrategy)]
  if (verification?.challengeId !== challenge.id)
    throw new AppError('verification_failed', { reason: 'not_current_challenge' })
}

/** Attempts a day past their expiry (the sweeper). */
export const sweep = (deps: Deps, before: Date) => SignUpRepo.deleteExpiredBefore(deps.db, before)
