import { signInMachine } from '../../../machines/sign-in.machine'
import type { Deps } from '../../deps'
import { hashPassword } from '../../platform/crypto/password'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { runStep } from '../../platform/flow-runner'
import { newId } from '../../platform/ids'
import * as MfaService from '../mfa/service'
import { endSessionsInTx } from '../sessions/service'
import * as SessionsService from '../sessions/service'
import * as UsersService from '../users/service'
import { completeInTx, type Completion } from './outcome'
import { secondFactorPlanInTx, type FlowContext } from '../flows/service'
import { contextOf } from './model'
import { loadOpen } from './attempt'

/**
 * POST sign-ins/{id}/reset-password { password, sign_out_of_other_sessions? } (API.md §4). The
 * machine decides whether the attempt takes a new password (only `needs_new_password`, before it
 * expires) and what follows it: complete, or the second factor the account has. Then the policy
 * (422 as at sign-up, before any hashing), and one transaction: the attempt under its version (a
 * concurrent reset gets 409 and changes nothing), the password, the sessions ended on request,
 * audit `user.password_reset`, `user.updated`.
 */
export async function resetPassword(
  deps: Deps,
  ctx: FlowContext,
  id: string,
  body: { password: string; sign_out_of_other_sessions?: boolean },
): Promise<Completion> {
  const row = await loadOpen(deps, ctx, id)
  const { userId } = contextOf(row)
  const now = deps.clock.now()
  const plan = userId
    ? await withTenant(deps.db, ctx.tenant.id, (tx) => secondFactorPlanInTx(tx, ctx.tenant, userId, 'password'))
    : { needed: false, enroll: false, factors: [] }
  const settled = await runStep(signInMachine, row, {
    type: 'password.reset',
    now,
    sessionId: newId('sess', now),
    needsSecondFactor: plan.needed,
    secondFactors: plan.factors,
    ...(plan.enroll ? { enroll: true } : {}),
  })
  const next = String(settled.snapshot.value)
  if (next === 'expired') throw new AppError('verification_expired')
  if (next === row.status || !userId) throw new AppError('verification_failed', { reason: 'no_verified_reset' })
  UsersService.checkPasswordLength(body.password, ctx.tenant.settings.password)
  const passwordHash = await hashPassword(deps.hashing, body.password, ctx.tenant.settings.password.argon2)
  const done = await withTenant(deps.db, ctx.tenant.id, async (tx) => {
    // Unlocks a lockout by wrong passwords too: the account has proven its address and has a new one.
    await UsersService.setPasswordInTx(deps, tx, ctx.tenant.id, userId, passwordHash)
    const ended = body.sign_out_of_other_sessions
      ? await endSessionsInTx(deps, tx, ctx.tenant.id, { userId }, 'revoked')
      : { ids: [], changes: [] }
    const change = await MfaService.announceInTx(deps, tx, ctx.tenant.id, userId, {
      action: 'user.password_reset',
      actor: { type: 'user', id: userId },
      target: { type: 'user', id: userId },
      ip: ctx.caller.ip,
      userAgent: ctx.caller.userAgent,
      data: { sign_in_id: row.id, signed_out_sessions: ended.ids },
    })
    // Saved under the attempt's version: of two concurrent resets, the second rolls all of this back.
    const completed = await completeInTx(deps, tx, ctx, row, settled, true)
    return { completed, changes: [change, ...ended.changes] }
  })
  for (const change of done.changes) deps.changes.announce(change)
  const created = done.completed.created
  const issued = created
    ? await SessionsService.tokensFor(deps, ctx.tenant, created.session, created.refreshToken)
    : null
  return { row: done.completed.row, issued }
}
