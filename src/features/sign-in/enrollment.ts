import { signInMachine } from '../../../machines/sign-in.machine'
import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { runStep } from '../../platform/flow-runner'
import { newId } from '../../platform/ids'
import * as MfaService from '../mfa/service'
import * as SessionsService from '../sessions/service'
import * as UsersService from '../users/service'
import { completeInTx, recordFailure, type Completion } from './outcome'
import { limitAttempts, strategyOf, type FlowContext } from '../flows/service'
import { contextOf, statusOf } from './model'
import type { SignInRow } from './repo'
import { loadOpen } from './attempt'

/**
 * MFA policy `required` with nothing enrolled (API.md §11): after the first factor the attempt
 * is `needs_second_factor_enrollment`, and the user enrols TOTP inside it —
 * `POST sign-ins/{id}/totp` (a secret, as `POST /me/totp`), then `POST sign-ins/{id}/totp/verify
 * { code }`, which activates the secret, creates backup codes (returned this once) and completes
 * the attempt, all in one transaction. Wrong codes count toward lockout, like any second factor.
 */
async function enrolling(
  deps: Deps,
  ctx: FlowContext,
  id: string,
): Promise<{ row: SignInRow; user: UsersService.UserRow }> {
  const row = await loadOpen(deps, ctx, id)
  const status = statusOf(row, deps.clock.now())
  if (status !== 'needs_second_factor_enrollment')
    throw new AppError('strategy_not_allowed', { reason: 'not_enrolling', status })
  await limitAttempts(deps, ctx, contextOf(row).identifier)
  const userId = contextOf(row).userId!
  const loaded = await withTenant(deps.db, ctx.tenant.id, (tx) => UsersService.loadUser(tx, ctx.tenant.id, userId))
  if (!loaded || loaded.user.banned) throw new AppError('resource_not_found')
  if (UsersService.isLocked(loaded.user, deps.clock.now()))
    throw new AppError('user_locked', { unlock_at: loaded.user.lockedUntil!.getTime() })
  return { row, user: loaded.user }
}

/** POST sign-ins/{id}/totp → the TOTP enrolment object (secret, otpauth_uri, qr_svg), once. */
export async function beginTotp(deps: Deps, ctx: FlowContext, id: string): Promise<MfaService.TotpEnrollment> {
  const { user } = await enrolling(deps, ctx, id)
  return MfaService.beginTotp(deps, ctx.tenant, user.id, { requiredByPolicy: true })
}

/** POST sign-ins/{id}/totp/verify { code } → the completed attempt and the new backup codes. */
export async function verifyTotp(
  deps: Deps,
  ctx: FlowContext,
  id: string,
  code: string,
): Promise<Completion & { backupCodes: string[] }> {
  const { row, user } = await enrolling(deps, ctx, id)
  const proof = await MfaService.checkCode(deps, ctx.tenant.id, user.id, 'totp', code, { pending: true })
  if (!proof) {
    const lock = await withTenant(deps.db, ctx.tenant.id, (tx) =>
      recordFailure(deps, tx, ctx, row, user, strategyOf('totp')),
    )
    if (lock?.lockedUntil) throw new AppError('user_locked', { unlock_at: lock.lockedUntil })
    throw new AppError('form_code_incorrect', {
      param_name: 'code',
      ...(lock && lock.attemptsRemaining !== null ? { attempts_remaining: lock.attemptsRemaining } : {}),
    })
  }
  const now = deps.clock.now()
  const settled = await runStep(signInMachine, row, {
    type: 'enrollment.completed',
    now,
    strategy: 'totp',
    sessionId: newId('sess', now),
  })
  if (settled.snapshot.value !== 'complete')
    throw new AppError(settled.snapshot.context.rejection ?? 'strategy_not_allowed')
  const done = await withTenant(deps.db, ctx.tenant.id, async (tx) => {
    if (!(await MfaService.consumeInTx(deps, tx, ctx.tenant.id, proof))) throw new AppError('conflict')
    const backupCodes = ctx.tenant.settings.mfa.second_factors.includes('backup_code')
      ? await MfaService.replaceBackupCodesInTx(deps, tx, ctx.tenant.id, user.id)
      : []
    const entry = { actor: { type: 'user' as const, id: user.id }, ip: ctx.caller.ip, userAgent: ctx.caller.userAgent }
    if (backupCodes.length)
      await appendAudit(
        deps.auditKey,
        tx,
        ctx.tenant.id,
        {
          ...entry,
          action: 'backup_codes.created',
          target: { type: 'user', id: user.id },
          data: { sign_in_id: row.id, count: backupCodes.length },
        },
        now,
      )
    const change = await MfaService.announceInTx(deps, tx, ctx.tenant.id, user.id, {
      ...entry,
      action: 'totp.enabled',
      target: { type: 'totp', id: proof.id },
      data: { sign_in_id: row.id },
    })
    return { backupCodes, change, completed: await completeInTx(deps, tx, ctx, row, settled, true) }
  })
  deps.changes.announce(done.change)
  const { row: saved, created } = done.completed
  const issued = created
    ? await SessionsService.tokensFor(deps, ctx.tenant, created.session, created.refreshToken)
    : null
  return { row: saved, issued, backupCodes: done.backupCodes }
}
