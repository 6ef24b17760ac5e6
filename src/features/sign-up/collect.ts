import { signUpMachine } from '../../../machines/sign-up.machine'
import { isExternalStrategy, type ExternalStrategy } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { advance, initialSnapshot, runStep } from '../../platform/flow-runner'
import { newId } from '../../platform/ids'
import * as ChallengesService from '../challenges/service'
import { createChallengeInTx, limitAttempts, strategyOf, type FlowContext } from '../flows/service'
import type { ExternalIdentity } from '../external-accounts/service'
import type { TenantRow } from '../tenants/service'
import { normalizeEmail } from '../users/service'
import { budgetFor, checkEnabled, fieldOf, identifierOf, loadOpen, type ChallengeStrategy } from './attempt'
import { commit, type Completion } from './complete'
import { EMPTY, prepare, presentFields, requiredFields, type FieldsBody } from './fields'
import { contextOf } from './model'
import * as SignUpRepo from './repo'
import type { SignUpFields, SignUpRow } from './repo'

/**
 * Collecting a sign-up's requirements: creating the attempt with whatever fields are given,
 * changing them, and starting the challenges that prove its email or phone.
 */
type CreateBody = FieldsBody & { ticket?: string; strategy?: string }
const newIds = (now: number) => ({ userId: newId('user', now), sessionId: newId('sess', now) })

/** An attempt started with a ticket keeps the invitation's address: the body may repeat it, never change it. */
function checkTicketEmail(invited: string, given: string | undefined): void {
  if (given !== undefined && normalizeEmail(given) !== normalizeEmail(invited))
    throw new AppError('form_param_format_invalid', { param_name: 'email_address' })
}

/** The invitation a ticket proves (its strategy checks it); a ticket this tenant never issued is 422. */
async function redeem(deps: Deps, tenant: TenantRow, ticket: string): Promise<{ id: string; emailAddress: string }> {
  const proof = await strategyOf('ticket').check({
    deps,
    tenant,
    challenge: null,
    user: null,
    answer: { token: ticket },
    discover: false,
  })
  if (!proof?.invitation) throw new AppError('form_param_format_invalid', { param_name: 'ticket' })
  return proof.invitation
}

/** A new attempt's row with these fields, at its initial snapshot (not yet inserted). */
function newDraft(deps: Deps, ctx: FlowContext, fields: SignUpFields, extra: Partial<SignUpRow> = {}): SignUpRow {
  const now = deps.clock.now()
  const expireAt = now + ctx.tenant.settings.flows.sign_up_lifetime_s * 1000
  const initial = initialSnapshot(signUpMachine, {
    expireAt,
    requiredFields: requiredFields(ctx.tenant),
    verifyFields: [...ctx.tenant.settings.sign_up.verify],
  })
  return {
    ...EMPTY,
    unsafeMetadata: null,
    redirectUrl: null,
    externalIdentity: null,
    ...fields,
    ...extra,
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
}

/**
 * POST sign-ups: a new attempt with whatever fields are given; complete at once when nothing is left
 * to prove. With an invitation `ticket`, the email address is the invitation's, proven by the ticket
 * (the machine records it), and completing joins the organization.
 */
export async function create(
  deps: Deps,
  ctx: FlowContext,
  { ticket, strategy, ...body }: CreateBody,
): Promise<Completion> {
  checkEnabled(ctx.tenant)
  if (strategy !== undefined) return startExternal(deps, ctx, strategy, { ...body, ticket })
  await limitAttempts(
    deps,
    ctx,
    identifierOf({ emailAddress: body.email_address, phoneNumber: body.phone_number, username: body.username }),
  )
  const invitation = ticket === undefined ? null : await redeem(deps, ctx.tenant, ticket)
  if (invitation) checkTicketEmail(invitation.emailAddress, body.email_address)
  const given = invitation ? { ...body, email_address: invitation.emailAddress } : body
  const { fields, changed } = await prepare(deps, ctx.tenant, EMPTY, given)
  const draft = newDraft(deps, ctx, fields)
  const now = deps.clock.now()
  const present = presentFields(draft)
  const settled = await runStep(
    signUpMachine,
    draft,
    invitation
      ? { type: 'ticket.redeemed', now, invitationId: invitation.id, present, ...newIds(now) }
      : { type: 'update', now, present, changed, ...newIds(now) },
  )
  return commit(deps, ctx, draft, settled, fields, { insert: true })
}

/**
 * POST sign-ups { strategy: "oauth_…", redirect_url } (API.md §16): an empty attempt whose challenge
 * holds the provider's URL, bound to the client; the provider's answer fills it (proveExternal).
 * The fields come from the provider, so none may be given here, nor a ticket.
 */
async function startExternal(
  deps: Deps,
  ctx: FlowContext,
  strategy: string,
  body: FieldsBody & { ticket?: string },
): Promise<Completion> {
  const given = Object.entries(body).find(([name, value]) => value !== undefined && name !== 'redirect_url')
  if (given) throw new AppError('form_param_format_invalid', { param_name: given[0], reason: 'with_strategy' })
  if (ctx.clientId === null || !isExternalStrategy(strategy) || strategy === 'enterprise_sso')
    throw new AppError('strategy_not_allowed', { param_name: 'strategy' })
  await limitAttempts(deps, ctx, null)
  const { fields } = await prepare(deps, ctx.tenant, EMPTY, { redirect_url: body.redirect_url })
  const draft = newDraft(deps, ctx, fields)
  const row = await withTenant(deps.db, ctx.tenant.id, async (tx) => {
    const row = await SignUpRepo.insert(tx, draft)
    await createChallengeInTx(deps, tx, ctx.tenant, {
      purpose: 'sign_up',
      ownerId: row.id,
      strategy,
      requestedBy: ChallengesService.requestedByOf(ctx.clientId, ctx.caller),
    })
    return row
  })
  return { row, issued: null }
}

/** The fields a provider's account gives a sign-up. */
const fieldsOfIdentity = (identity: ExternalIdentity): FieldsBody => ({
  ...(identity.emailAddress === null ? {} : { email_address: identity.emailAddress }),
  ...(identity.firstName === null ? {} : { first_name: identity.firstName.slice(0, 256) }),
  ...(identity.lastName === null ? {} : { last_name: identity.lastName.slice(0, 256) }),
})

/**
 * The provider's answer to a sign-up started with it (its account matched no user): the attempt takes
 * what the provider said and completes when nothing is missing; the client claims the session's
 * tokens on its next read of the attempt.
 */
export async function proveExternal(
  deps: Deps,
  ctx: FlowContext,
  attemptId: string,
  input: { strategy: ExternalStrategy; identity: ExternalIdentity },
): Promise<Completion> {
  checkEnabled(ctx.tenant)
  const row = await loadOpen(deps, ctx, attemptId)
  const { fields } = await prepare(deps, ctx.tenant, row, fieldsOfIdentity(input.identity))
  const now = deps.clock.now()
  const settled = await runStep(signUpMachine, row, {
    type: 'external.proven',
    now,
    strategy: input.strategy,
    emailVerified: input.identity.emailVerified,
    present: presentFields({ ...row, ...fields }),
    ...newIds(now),
  })
  const rejection = settled.snapshot.context.rejection
  if (rejection) throw new AppError(rejection, { param_name: 'strategy' })
  return commit(
    deps,
    ctx,
    row,
    settled,
    { ...fields, externalIdentity: { ...input.identity } },
    { forRequester: false },
  )
}

/**
 * An external provider's account that matched no user (API.md §16): a sign-up on the client that
 * signed in, with what the provider said (its email proven when it verified it), completed at once
 * when nothing is missing. The client claims the session's tokens on its next read.
 */
export async function createFromExternal(
  deps: Deps,
  ctx: FlowContext,
  input: { strategy: ExternalStrategy; identity: ExternalIdentity; redirectUrl: string | null },
): Promise<Completion> {
  checkEnabled(ctx.tenant)
  const { identity } = input
  const { fields } = await prepare(deps, ctx.tenant, EMPTY, fieldsOfIdentity(identity))
  const draft = newDraft(deps, ctx, fields, {
    redirectUrl: input.redirectUrl,
    externalIdentity: { ...identity },
  })
  const now = deps.clock.now()
  const settled = await runStep(signUpMachine, draft, {
    type: 'external.proven',
    now,
    strategy: input.strategy,
    emailVerified: identity.emailVerified,
    present: presentFields(draft),
    ...newIds(now),
  })
  return commit(deps, ctx, draft, settled, fields, { insert: true, forRequester: false })
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
  if (contextOf(row).invitationId) checkTicketEmail(row.emailAddress!, body.email_address)
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
        requestedBy: ChallengesService.requestedByOf(ctx.clientId, ctx.caller),
        budget: budgetFor(to),
      })
    },
  })
  return ChallengesService.toPublic(challenge!, deps.clock.now())
}
