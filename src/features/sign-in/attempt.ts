import { createActor } from 'xstate'
import { signInMachine } from '../../../machines/sign-in.machine'
import { isExternalStrategy, type Factor, type SignInEvent, type Strategy } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { refuseIfExpired, runStep, type Settled } from '../../platform/flow-runner'
import { newId } from '../../platform/ids'
import * as ChallengesService from '../challenges/service'
import * as EnterpriseConnectionsService from '../enterprise-connections/service'
import * as OAuthProvidersService from '../oauth-providers/service'
import * as TenantsService from '../tenants/service'
import * as UsersService from '../users/service'
import { destinationFor, firstFactors, usernamelessFactors } from './factors'
import { contextOf, statusOf, toPublic, type SignIn } from './model'
import { secondFactorDestination } from './second-factor'
import * as SignInRepo from './repo'
import type { SignInRow } from './repo'
import {
  createChallengeInTx,
  identifierKey,
  limitAttempts,
  strategyOf,
  type FlowContext,
  type PlanInput,
} from '../flows/service'

/**
 * What every use case of a sign-in attempt shares: loading it for its owner, identifying,
 * planning a challenge for the current step, and presenting it. Unknown identifiers walk the same
 * path as known ones (same factors, same errors); codes go only to addresses stored on the account.
 */

/** The identifier's account in the caller's transaction, or null (unknown, banned and deleted users alike). */
export async function candidateInTx(tx: Tx, tenantId: string, identifier: string): Promise<Candidate> {
  const candidate = await UsersService.findSignInCandidate(tx, tenantId, identifier)
  return candidate && !candidate.user.banned && !candidate.user.deletedAt ? candidate : null
}

export const candidateFor = (deps: Deps, tenantId: string, identifier: string): Promise<Candidate> =>
  withTenant(deps.db, tenantId, (tx) => candidateInTx(tx, tenantId, identifier))

type Candidate = UsersService.SignInCandidate | null

/**
 * Home realm discovery (API.md §16): an email address at the domain of an active enterprise
 * connection signs in there only, known or unknown alike (its IdP may provision the user).
 */
export async function ssoDomainInTx(deps: Deps, tx: Tx, tenant: TenantsService.TenantRow, identifier: string) {
  const email = UsersService.normalizeEmail(identifier)
  if (email === null) return false
  const domain = email.slice(email.lastIndexOf('@') + 1)
  return (await EnterpriseConnectionsService.findActiveForEmailDomain(deps, tx, tenant, domain)) !== null
}

/** Whether any verified address among these is at an active enterprise connection's domain (an SSO user). */
export async function ssoUserInTx(
  deps: Deps,
  tx: Tx,
  tenant: TenantsService.TenantRow,
  identifications: UsersService.IdentificationRow[],
): Promise<boolean> {
  for (const i of identifications)
    if (i.type === 'email_address' && i.verified && (await ssoDomainInTx(deps, tx, tenant, i.value))) return true
  return false
}

/**
 * What an identifier may sign in with besides the tenant's `first_factors` (API.md §16 and §18's settled
 * points): at an active connection's domain its enterprise SSO only, else every enabled social provider.
 */
export interface ExternalOffer {
  sso: boolean
  social: Factor[]
}

export const NO_EXTERNAL_OFFER: ExternalOffer = { sso: false, social: [] }

export async function externalOfferInTx(
  deps: Deps,
  tx: Tx,
  tenant: TenantsService.TenantRow,
  identifier: string | undefined,
): Promise<ExternalOffer> {
  if (identifier === undefined) return NO_EXTERNAL_OFFER
  if (await ssoDomainInTx(deps, tx, tenant, identifier)) return { sso: true, social: [] }
  const providers = await OAuthProvidersService.enabledProviders(deps, tx, tenant)
  return { sso: false, social: providers.map((p) => ({ strategy: p.strategy as Strategy })) }
}

export const externalOffer = (deps: Deps, tenant: TenantsService.TenantRow, identifier: string) =>
  withTenant(deps.db, tenant.id, (tx) => externalOfferInTx(deps, tx, tenant, identifier))

/** Whether the attempt can only go on through an external strategy: one is asked for, or the identifier has one. */
async function externallyOffered(deps: Deps, ctx: FlowContext, body: { identifier?: string; strategy?: Strategy }) {
  if (body.strategy !== undefined) return isExternalStrategy(body.strategy)
  if (body.identifier === undefined) return false
  const offer = await externalOffer(deps, ctx.tenant, body.identifier)
  return offer.sso || offer.social.length > 0
}

export function identifyEvent(
  deps: Deps,
  ctx: FlowContext,
  identifier: string,
  candidate: Candidate,
  offer: ExternalOffer,
): Extract<SignInEvent, { type: 'identify' }> {
  return {
    type: 'identify',
    now: deps.clock.now(),
    identifier: identifier.trim(),
    userId: candidate?.user.id ?? null,
    firstFactors: offer.sso
      ? [{ strategy: 'enterprise_sso' }]
      : [...firstFactors(ctx.tenant, identifier, candidate), ...offer.social],
    secondFactors: [],
  }
}

export async function load(deps: Deps, ctx: FlowContext, id: string): Promise<SignInRow> {
  const row = await withTenant(deps.db, ctx.tenant.id, (tx) => SignInRepo.findOwned(tx, ctx.tenant.id, ctx.owner, id))
  if (!row) throw new AppError('resource_not_found')
  return row
}

/**
 * A challenge as its attempt shows it: `safe_identifier` is the offered factor's, not the
 * address the code went to, so an unknown identifier's challenge reads like a known one's and a
 * stored address's form never shows (API.md §12 Enumeration).
 */
function publicChallenge(
  row: SignInRow,
  challenge: ChallengesService.ChallengeRow,
  now: number,
): ChallengesService.Challenge {
  const { safe_identifier: _sentTo, ...rest } = ChallengesService.toPublic(challenge, now)
  const context = contextOf(row)
  const factor = [...context.supportedFirstFactors, ...context.supportedSecondFactors].find(
    (f) => f.strategy === challenge.strategy,
  )
  return factor?.safe_identifier ? { ...rest, safe_identifier: factor.safe_identifier } : rest
}

/** The attempt as the API shows it, with its current challenge. */
export async function present(deps: Deps, row: SignInRow): Promise<SignIn> {
  const now = deps.clock.now()
  const challengeId = contextOf(row).currentChallengeId
  const challenge = challengeId
    ? await withTenant(deps.db, row.tenantId, (tx) => ChallengesService.find(tx, row.tenantId, challengeId))
    : null
  return toPublic(row, now, challenge ? publicChallenge(row, challenge, now) : null)
}

/**
 * POST sign-ins may start an attempt (rate limits; a first factor on, or an external strategy, which is
 * offered whatever `first_factors` lists: asked for, or offered to the identifier); returns its checked
 * redirect_url.
 */
export async function admit(
  deps: Deps,
  ctx: FlowContext,
  body: { identifier?: string; strategy?: Strategy; redirect_url?: string },
): Promise<string | null> {
  if (!ctx.tenant.settings.sign_in.first_factors.length && !(await externallyOffered(deps, ctx, body)))
    throw new AppError('strategy_not_allowed')
  await limitAttempts(deps, ctx, body.identifier ?? null)
  return TenantsService.checkRedirectUrl(deps, ctx.tenant, body.redirect_url)
}

/** A new attempt, identified at once when an identifier is given: the row, not yet inserted. */
export function newAttempt(
  deps: Deps,
  ctx: FlowContext,
  identifier: string | undefined,
  redirectUrl: string | null,
  candidate: Candidate,
  offer: ExternalOffer,
): SignInRow {
  const now = deps.clock.now()
  const expireAt = now + ctx.tenant.settings.flows.sign_in_lifetime_s * 1000
  const actor = createActor(signInMachine, { input: { expireAt } }).start()
  if (identifier !== undefined) actor.send(identifyEvent(deps, ctx, identifier, candidate, offer))
  const snapshot = actor.getSnapshot()
  const persisted = actor.getPersistedSnapshot()
  actor.stop()
  return {
    id: newId('sia', now),
    tenantId: ctx.tenant.id,
    owner: ctx.owner,
    status: String(snapshot.value),
    snapshot: persisted,
    machineVersion: signInMachine.version!,
    version: 1,
    redirectUrl,
    expireAt: new Date(expireAt),
    createdAt: new Date(now),
    updatedAt: new Date(now),
  }
}

/**
 * The attempt, for a step that changes it: the machine decides whether it is past its expiry (and
 * that is saved, answering `verification_expired`) before anything costs work.
 */
export async function loadOpen(deps: Deps, ctx: FlowContext, id: string): Promise<SignInRow> {
  const row = await load(deps, ctx, id)
  await refuseIfExpired(deps.db, SignInRepo, signInMachine, row, deps.clock.now())
  return row
}

/** A challenge planned for the attempt's current step: the event that starts it and what to create. */
export interface ChallengeStep {
  challengeId: string
  strategy: Strategy
  destination: ChallengesService.Destination | null
  event: Extract<SignInEvent, { type: 'challenge.started' }>
}

/**
 * Plans `challenge.started` for the attempt's current step: the strategy (the first offered by
 * default) and where its code or link goes. Without `candidate` the account is looked up in a
 * transaction of its own, so a caller inside one passes it.
 */
export async function planChallenge(
  deps: Deps,
  ctx: FlowContext,
  row: SignInRow,
  strategy: Strategy | undefined,
  opts: { counted?: boolean; candidate?: Candidate } = {},
): Promise<ChallengeStep> {
  const context = contextOf(row)
  const status = statusOf(row, deps.clock.now())
  // Without an identifier, what the tenant allows (a passkey) is offered; the machine decides the rest.
  const offered =
    status === 'needs_first_factor'
      ? context.supportedFirstFactors
      : status === 'needs_second_factor'
        ? context.supportedSecondFactors
        : status === 'needs_identifier'
          ? usernamelessFactors(ctx.tenant)
          : []
  const chosen = strategy ?? offered[0]?.strategy
  // An external provider names the account itself; its strategy plans only for an enabled provider.
  const usernameless = (s: Strategy) => offered.some((f) => f.strategy === s) || isExternalStrategy(s)
  if (!chosen || (status === 'needs_identifier' && !usernameless(chosen)))
    throw new AppError('strategy_not_allowed', { param_name: 'strategy' })
  if (!opts.counted) await limitAttempts(deps, ctx, context.identifier)

  const candidate =
    !context.userId || !context.identifier
      ? null
      : opts.candidate !== undefined
        ? opts.candidate
        : await candidateFor(deps, ctx.tenant.id, context.identifier)
  const own = candidate && candidate.user.id === context.userId ? candidate : null
  const { channel } = strategyOf(chosen)
  const identification =
    own &&
    channel &&
    (status === 'needs_second_factor'
      ? secondFactorDestination(own.identifications, offered, chosen)
      : destinationFor(own, channel))
  const now = deps.clock.now()
  const challengeId = newId('chal', now)
  return {
    challengeId,
    strategy: chosen,
    event: { type: 'challenge.started', now, challengeId, strategy: chosen },
    destination:
      identification && channel ? { channel, to: identification.value, identificationId: identification.id } : null,
  }
}

/** The machine refused the challenge (a strategy the step does not offer): its rejection, naming the parameter. */
export function refuseUnstarted(settled: Settled<typeof signInMachine>, step: ChallengeStep): void {
  if (settled.snapshot.context.currentChallengeId !== step.challengeId)
    throw new AppError(settled.snapshot.context.rejection ?? 'strategy_not_allowed', { param_name: 'strategy' })
}

/** Whose code budget the attempt's code answers spend: its account, else the identifier as keyed for limits. */
export function budgetOf(row: SignInRow): ChallengesService.BudgetSubject | undefined {
  const { userId, identifier } = contextOf(row)
  return userId ? { userId } : identifier ? { identifier: identifierKey(identifier) } : undefined
}

/** The step's challenge as its strategy plans it, in the caller's transaction; `row` is the attempt before the step. */
export async function challengeInTx(
  deps: Deps,
  tx: Tx,
  ctx: FlowContext,
  row: SignInRow,
  step: ChallengeStep,
  idpInitiated: PlanInput['idpInitiated'] = null,
): Promise<ChallengesService.ChallengeRow> {
  const { identifier, userId } = contextOf(row)
  const second = statusOf(row, deps.clock.now()) === 'needs_second_factor'
  // A first factor must not show whether the identifier has an account (API.md §12).
  const hidden = !ctx.tenant.settings.sign_in.allow_enumeration && !second && identifier !== null
  return createChallengeInTx(
    deps,
    tx,
    ctx.tenant,
    {
      id: step.challengeId,
      purpose: 'sign_in',
      ownerId: row.id,
      strategy: step.strategy,
      destination: step.destination,
      requestedBy: ChallengesService.requestedByOf(ctx.clientId, ctx.caller, ctx.native ? { native: true } : {}),
      budget: budgetOf(row),
    },
    {
      userId,
      step: second ? 'second_factor' : 'first_factor',
      hiddenIdentifier: hidden ? identifierKey(identifier) : null,
      identifier,
      idpInitiated,
    },
  )
}

/**
 * A new attempt (from {@link newAttempt}) inserted with its first challenge in the caller's
 * transaction; the machine must start that challenge, else its rejection names the parameter.
 */
export async function insertStartedInTx(
  deps: Deps,
  tx: Tx,
  ctx: FlowContext,
  fresh: SignInRow,
  strategy: Strategy | undefined,
  opts: { candidate?: Candidate; idpInitiated?: PlanInput['idpInitiated'] } = {},
): Promise<{ row: SignInRow; challenge: ChallengesService.ChallengeRow }> {
  const step = await planChallenge(deps, ctx, fresh, strategy, { counted: true, candidate: opts.candidate })
  const settled = await runStep(signInMachine, fresh, step.event)
  refuseUnstarted(settled, step)
  const row = await SignInRepo.insert(tx, {
    ...fresh,
    snapshot: settled.persisted,
    status: String(settled.snapshot.value),
  })
  return { row, challenge: await challengeInTx(deps, tx, ctx, fresh, step, opts.idpInitiated ?? null) }
}

/** GET sign-ins/{id}/challenges/{cid} (polling, e.g. while an email link is opened elsewhere). */
export async function getChallenge(deps: Deps, ctx: FlowContext, id: string, cid: string) {
  const row = await load(deps, ctx, id)
  const challenge = await withTenant(deps.db, ctx.tenant.id, (tx) => ChallengesService.find(tx, ctx.tenant.id, cid))
  if (!challenge || challenge.ownerId !== row.id) throw new AppError('resource_not_found')
  return publicChallenge(row, challenge, deps.clock.now())
}

/**
 * The owner's newest attempt whatever its status: a hosted page resumes it after an email link
 * confirmed it in another tab (the link's redirect cannot name an attempt made after it).
 */
export const latest = (deps: Deps, ctx: FlowContext): Promise<SignInRow | null> =>
  withTenant(deps.db, ctx.tenant.id, (tx) => SignInRepo.latestForOwner(tx, ctx.tenant.id, ctx.owner))

/** The client's newest attempt while it is still in progress, for the Client object. */
export async function inProgress(
  deps: Deps,
  tenant: TenantsService.TenantRow,
  clientId: string,
): Promise<SignIn | null> {
  const row = await withTenant(deps.db, tenant.id, (tx) => SignInRepo.latestForOwner(tx, tenant.id, clientId))
  if (!row || ['complete', 'expired', 'locked'].includes(statusOf(row, deps.clock.now()))) return null
  return present(deps, row)
}
