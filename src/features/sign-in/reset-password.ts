import { signInMachine } from '../../../machines/sign-in.machine'
import type { Deps } from '../../deps'
import { hashPassword } from '../../platform/crypto/password'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { runStep } from '../../platform/flow-runner'
import { newId } from '../../platform/ids'
import * as MfaService from '../mfa/service'
import { endSessionsInTx } from '../sessions/revoke'
import * as SessionsService from '../sessions/service'
import * as UsersService from '../users/service'
import { completeInTx, type Completion } from './answer'
import type { FlowContext } from './context'
import { contextOf, statusOf } from './model'
import { load } from './service'

/**
 * POST sign-ins/{id}/reset-password { password, sign_out_of_other_sessions? } (API.md §4): after a
 * verified reset code (`needs_new_password`), the new password passes the policy (422 as at
 * sign-up, before any hashing), replaces the old one at once, and the machine completes the
 * attempt — or asks for the second factor the account has. One transaction: the attempt under its
 * version, the password, the sessions ended on request, audit `user.password_reset`, `user.updated`.
 */
export async function resetPassword(
  deps: Deps,
  ctx: FlowContext,
  id: string,
  body: { password: string; sign_out_of_other_sessions?: boolean },
): Promise<Completion> {
  const row = await load(deps, ctx, id)
  const status = statusOf(row, deps.clock.now())
  if (status === 'expired') throw new AppError('verification_expired')
  if (status !== 'needs_new_password') throw new AppError('verification_failed', { reason: 'no_verified_reset' })
  const userId = contextOf(row).userId!
  UsersService.checkPasswordLength(body.password, ctx.tenant.settings.password)
  const passwordHash = await hashPassword(deps.hashing, body.password, ctx.tenant.settings.password.argon2)
  const now = deps.clock.now()
  const done = await withTenant(deps.db, ctx.tenant.id, async (tx) => {
    const plan = await MfaService.planInTx(tx, ctx.tenant, userId, 'password')
    const settled = await runStep(signInMachine, row, {
      type: 'password.reset',
      now,
      sessionId: newId('sess', now),
      needsSecondFactor: plan.needed,
      secondFactors: plan.factors,
      ...(plan.enroll ? { enroll: true } : {}),
    })
    if (settled.snapshot.value === 'needs_new_password')
      throw new AppError(settled.snapshot.context.rejection ?? 'verification_failed')
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
    const completed = await completeInTx(deps, tx, ctx, row, settled, true, null)
    return { completed, changes: [change, ...ended.changes] }
  })
  for (const change of done.changes) deps.changes.announce(change)
  const created = done.completed.created
  const issued = created
    ? await SessionsService.tokensFor(deps, ctx.tenant, created.session, created.refreshToken)
    : null
  return { row: done.completed.row, issued }
}
