import { signUpMachine } from '../../../machines/sign-up.machine'
import type { VerifiableField } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { refuseIfExpired } from '../../platform/flow-runner'
import * as ChallengesService from '../challenges/service'
import { strategyOf, type FlowContext } from '../flows/service'
import type { TenantRow } from '../tenants/service'
import { contextOf, statusOf, toPublic, type challengeStrategies, type SignUp } from './model'
import * as SignUpRepo from './repo'
import type { SignUpRow } from './repo'

/**
 * What every use case of a sign-up attempt shares. Field values live in the row (the password
 * only as its hash); codes and links go only to the address stored on the attempt. The attempt
 * completes, creating the user and a session in the transaction that saves it, once every
 * required field is present and verified.
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

/** A sign-up's codes spend the budget of the address or phone they went to (API.md §12). */
export const budgetFor = (to: string): ChallengesService.BudgetSubject => ({ identifier: to.trim().toLowerCase() })
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
