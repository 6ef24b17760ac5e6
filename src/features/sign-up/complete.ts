import type { signUpMachine } from '../../../machines/sign-up.machine'
import type { SignUpEffect } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { saveStep, type Settled } from '../../platform/flow-runner'
import { append } from '../../platform/outbox'
import * as AnalyticsService from '../analytics/service'
import * as ExternalAccountsService from '../external-accounts/service'
import * as OrganizationsService from '../organizations/service'
import * as SessionsService from '../sessions/service'
import type { IssuedTokens, SessionRow } from '../sessions/service'
import { startSessionInTx, type FlowContext } from '../flows/service'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import { checkAvailable } from './fields'
import * as SignUpRepo from './repo'
import type { SignUpFields, SignUpRow } from './repo'

type SignUpSettled = Settled<typeof signUpMachine>
type UserRequested = Extract<SignUpEffect, { type: 'effect.user_requested' }>

export interface Completion {
  row: SignUpRow
  /** Tokens for the requester, when this request completed the attempt it owns. */
  issued: IssuedTokens | null
}

interface Saved {
  row: SignUpRow
  created: { session: SessionRow; refreshToken: string | null } | null
}

/**
 * Saves a settled step (snapshot and changed fields, under the version check) and, when the
 * machine asked for the user, creates the user and the session in the same transaction, so a
 * lost race or a taken identifier leaves nothing behind. Tokens only for the owner who asked.
 */
export async function saveInTx(
  deps: Deps,
  tx: Tx,
  ctx: FlowContext,
  row: SignUpRow,
  settled: SignUpSettled,
  fields: SignUpFields,
  forRequester: boolean,
): Promise<Saved> {
  const now = deps.clock.now()
  const effect = settled.effects.find((e) => e.type === 'effect.user_requested') as UserRequested | undefined
  // Once the user holds the password hash, the attempt has no reason to keep a copy.
  const saved = await saveStep(
    tx,
    SignUpRepo,
    row,
    settled,
    new Date(now),
    effect ? { ...fields, passwordHash: null } : fields,
  )
  if (!effect) return { row: saved, created: null }

  const values = { ...row, ...fields }
  await checkAvailable(tx, ctx.tenant.id, values)
  const verified = new Set(effect.verifiedFields)
  await UsersService.createUser(deps, tx, ctx.tenant.id, {
    id: effect.userId,
    emailAddresses:
      values.emailAddress === null ? [] : [{ value: values.emailAddress, verified: verified.has('email_address') }],
    phoneNumbers:
      values.phoneNumber === null ? [] : [{ value: values.phoneNumber, verified: verified.has('phone_number') }],
    username: values.username,
    passwordHash: values.passwordHash,
    firstName: values.firstName,
    lastName: values.lastName,
    unsafeMetadata: values.unsafeMetadata ?? {},
  })
  // Started from an external account: the new user signs in with it from now on (API.md §16).
  if (row.externalIdentity)
    await ExternalAccountsService.linkInTx(deps, tx, ctx.tenant.id, effect.userId, row.externalIdentity)
  // Started with a ticket: joining is part of signing up (a settled invitation rolls it all back, 422).
  if (effect.invitationId)
    await OrganizationsService.acceptInvitationInTx(deps, tx, ctx.tenant.id, effect.invitationId, effect.userId, {
      by: { actor: { type: 'user', id: effect.userId }, caller: ctx.caller },
      audience: 'frontend',
    })
  if (values.emailAddress !== null && verified.has('email_address'))
    await OrganizationsService.enrollVerifiedEmails(deps, tx, ctx.tenant, effect.userId, [values.emailAddress])
  // amr: the strategies that proved the verified fields, then the password chosen here.
  const context = settled.snapshot.context
  const factors = effect.verifiedFields.flatMap((f) => context.verifications[f]?.strategy ?? [])
  if (values.passwordHash !== null) factors.push('password')
  const { session, refreshToken } = await startSessionInTx(
    deps,
    tx,
    ctx,
    {
      sessionId: effect.sessionId,
      userId: effect.userId,
      owner: row.owner,
      factors,
      firstFactorVerifiedAt: now,
      secondFactorVerifiedAt: null,
    },
    forRequester,
    {
      action: 'sign_up.completed',
      target: { type: 'user', id: effect.userId },
      data: (sessionId: string) => ({ sign_up_id: row.id, session_id: sessionId, factors }),
    },
  )
  const outcome = { strategy: factors[0] ?? null, userId: effect.userId, at: now }
  await append(tx, ctx.tenant.id, [AnalyticsService.outcomeMessage('sign_up.completed', outcome)], now)
  return { row: saved, created: { session, refreshToken } }
}

/** Mints the requester's tokens after the transaction committed (signing needs no lock). */
export async function finish(deps: Deps, tenant: TenantRow, saved: Saved): Promise<Completion> {
  const created = saved.created
  const issued = created?.refreshToken
    ? await SessionsService.tokensFor(deps, tenant, created.session, created.refreshToken)
    : null
  return { row: saved.row, issued }
}

/** saveInTx in its own transaction, then finish. */
export async function commit(
  deps: Deps,
  ctx: FlowContext,
  row: SignUpRow,
  settled: SignUpSettled,
  fields: SignUpFields,
  opts: { insert?: boolean; forRequester?: boolean } = {},
): Promise<Completion> {
  const saved = await withTenant(deps.db, ctx.tenant.id, async (tx) => {
    // A new attempt is inserted as its initial snapshot first, so its first step saves like any other.
    const current = opts.insert ? await SignUpRepo.insert(tx, row) : row
    return saveInTx(deps, tx, ctx, current, settled, fields, opts.forRequester ?? true)
  })
  return finish(deps, ctx.tenant, saved)
}
