import type { Deps } from '../../deps'
import { refundCodeTry, takeCodeTry } from '../../platform/code-budget'
import { AppError } from '../../platform/errors'
import { changeSelf, loadSelf } from '../me/service'
import { requireStepUp } from '../me/service'
import * as SessionsService from '../sessions/service'
import type { SessionAuth } from '../sessions/session-guard'
import * as UsersService from '../users/service'
import { CODE_COUNT } from './backup-codes'
import * as MfaService from './service'
import type { TotpEnrollment } from './service'

/**
 * The signed-in user's own second factors (`/me/totp`, `/me/backup-codes`, API.md §6, §11).
 * Every change is an MFA change: it needs a factor verified within 10 minutes (disabling TOTP
 * also accepts a current code instead), and goes through changeSelf (row lock, audit with the
 * user as actor, `user.updated`, introspection cache change) in one transaction.
 */

/** POST /me/totp: a new secret to scan; it counts only once /me/totp/verify proves it. */
export async function enrolTotp(deps: Deps, me: SessionAuth): Promise<TotpEnrollment> {
  await requireStepUp(deps, me)
  return MfaService.beginTotp(deps, me.tenant, me.userId)
}

/**
 * POST /me/totp/verify { code }: a code of the pending secret activates it. A wrong code costs
 * no lockout try: the secret was handed to this very session moments ago, so guessing it
 * unlocks nothing.
 */
export async function verifyTotp(
  deps: Deps,
  me: SessionAuth,
  code: string,
): Promise<{ object: 'totp'; id: string; verified: true }> {
  const row = await MfaService.findTotp(deps, me.tenant.id, me.userId)
  if (!row) throw new AppError('resource_not_found')
  if (row.verifiedAt) throw new AppError('verification_failed', { reason: 'already_verified' })
  const proof = await MfaService.checkCode(deps, me.tenant.id, me.userId, 'totp', code, { pending: true })
  if (!proof) throw new AppError('form_code_incorrect', { param_name: 'code' })
  await changeSelf(deps, me, 'totp.enabled', async (tx) => {
    if (!(await MfaService.consumeInTx(deps, tx, me.tenant.id, proof))) throw new AppError('conflict')
    await SessionsService.recordEnrolledFactorInTx(deps, tx, me.tenant, me.sessionId, 'totp', me.caller)
    return { result: null, target: { type: 'totp', id: row.id }, data: { session_id: me.sessionId } }
  })
  return { object: 'totp', id: row.id, verified: true }
}

/**
 * DELETE /me/totp { code? }: with a current code (TOTP or backup code; a wrong one spends the code
 * budget), else with a factor verified within 10 minutes. Backup codes go with it unless a
 * second-factor phone remains, so no orphaned factor keeps asking for a second step.
 * A pending enrolment is simply cancelled.
 */
export async function disableTotp(
  deps: Deps,
  me: SessionAuth,
  code: string | undefined,
): Promise<{ object: 'totp'; id: string; deleted: true }> {
  const row = await MfaService.findTotp(deps, me.tenant.id, me.userId)
  if (!row) throw new AppError('resource_not_found')
  let proof: MfaService.Proof | null = null
  if (row.verifiedAt && code !== undefined) {
    const { user } = await loadSelf(deps, me)
    if (UsersService.isLocked(user, deps.clock.now()))
      throw new AppError('user_locked', { unlock_at: user.lockedUntil!.getTime() })
    const taken = await takeCodeTry(deps.db, me.tenant.id, { userId: me.userId }, deps.clock.now())
    proof = await MfaService.checkAnyCode(deps, me.tenant.id, me.userId, code)
    if (!proof)
      return MfaService.refuseCode(
        deps,
        me.tenant,
        user,
        me.caller,
        { strategy: 'totp', purpose: 'totp.disable', session_id: me.sessionId },
        taken,
      )
    await refundCodeTry(deps.db, me.tenant.id, taken)
  } else if (row.verifiedAt) {
    await requireStepUp(deps, me)
  }
  const action = row.verifiedAt ? 'totp.disabled' : 'totp.enrollment_cancelled'
  await changeSelf(deps, me, action, async (tx, current) => {
    if (proof && !(await MfaService.consumeInTx(deps, tx, me.tenant.id, proof))) throw new AppError('conflict')
    const phone2fa = current.identifications.some((i) => i.verified && i.reservedForSecondFactor)
    const removed = await MfaService.removeFactorsInTx(tx, me.tenant.id, me.userId, {
      totp: true,
      backupCodes: row.verifiedAt !== null && !phone2fa,
    })
    if (removed.totp?.id !== row.id) throw new AppError('conflict')
    return {
      result: null,
      target: { type: 'totp', id: row.id },
      data: { backup_codes_removed: removed.backupCodes, with_code: proof !== null },
    }
  })
  return { object: 'totp', id: row.id, deleted: true }
}

/** POST /me/backup-codes: 10 new codes, shown once; every earlier code stops working. */
export async function createBackupCodes(
  deps: Deps,
  me: SessionAuth,
): Promise<{ object: 'backup_code'; codes: string[] }> {
  MfaService.checkAllowed(me.tenant, 'backup_code')
  await requireStepUp(deps, me)
  const { result: codes } = await changeSelf(deps, me, 'backup_codes.created', async (tx) => ({
    result: await MfaService.replaceBackupCodesInTx(deps, tx, me.tenant.id, me.userId),
    data: { count: CODE_COUNT },
  }))
  return { object: 'backup_code', codes }
}

/** DELETE /me/backup-codes: every code stops working. */
export async function deleteBackupCodes(
  deps: Deps,
  me: SessionAuth,
): Promise<{ object: 'backup_code'; deleted: true }> {
  await requireStepUp(deps, me)
  await changeSelf(deps, me, 'backup_codes.deleted', async (tx) => {
    const removed = await MfaService.removeFactorsInTx(tx, me.tenant.id, me.userId, { totp: false, backupCodes: true })
    return { result: null, data: { removed: removed.backupCodes } }
  })
  return { object: 'backup_code', deleted: true }
}
