import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import { hashPassword, verifyPassword } from '../../platform/crypto/password'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { endSessionsInTx } from '../sessions/service'
import type { SessionAuth } from '../sessions/session-guard'
import * as UsersService from '../users/service'
import type { UserRow } from '../users/service'
import type { MeUser, passwordBody } from './model'
import { changeSelf, loadSelf, otherSessionIds } from './service'
import { requireStepUp } from './step-up'

/**
 * POST /me/password (API.md §6). With a password set, the current one is the proof (a wrong one
 * counts toward lockout exactly like a sign-in, so this is no side door for guessing); without
 * one, a factor verified within 10 minutes is. `sign_out_other_sessions` revokes every other
 * session of the user in the same transaction as the change.
 */
async function currentMatches(deps: Deps, me: SessionAuth, user: UserRow, given: string): Promise<boolean> {
  // One longer than the policy allows is wrong without being hashed (API.md §12).
  return (
    given.length <= me.tenant.settings.password.max_length && verifyPassword(deps.hashing, given, user.passwordHash!)
  )
}

/** Counts the failure (and a lock it causes), commits it, then answers 422 or 423. */
async function refuse(deps: Deps, me: SessionAuth, user: UserRow): Promise<never> {
  const tenantId = me.tenant.id
  const now = deps.clock.now()
  const { lock, change } = await withTenant(deps.db, tenantId, async (tx) => {
    const lock = await UsersService.recordFailedPassword(deps, tx, tenantId, user, me.tenant.settings.lockout)
    const entry = {
      actor: { type: 'user' as const, id: me.userId },
      target: { type: 'user', id: me.userId },
      ip: me.caller.ip,
      userAgent: me.caller.userAgent,
    }
    await appendAudit(
      deps.auditKey,
      tx,
      tenantId,
      { ...entry, action: 'password.change_failed', data: { session_id: me.sessionId } },
      now,
    )
    if (!lock.lockedUntil) return { lock, change: null }
    await UsersService.recordLockInTx(deps, tx, tenantId, me.userId, { until: lock.lockedUntil, caller: me.caller })
    return { lock, change: await deps.changes.record(tx, tenantId, 'user', me.userId) }
  })
  if (change) deps.changes.announce(change)
  if (lock.lockedUntil) throw new AppError('user_locked', { unlock_at: lock.lockedUntil })
  throw new AppError('form_password_incorrect', {
    param_name: 'current_password',
    ...(lock.attemptsRemaining !== null && { attempts_remaining: lock.attemptsRemaining }),
  })
}

/**
 * The length policy, checked before any hashing (the maximum bounds the work a caller can ask
 * for) and before the current password, so a request refused anyway spends no lockout try.
 */
function checkNewPassword(password: string, policy: SessionAuth['tenant']['settings']['password']): void {
  try {
    UsersService.checkPasswordLength(password, policy)
  } catch (err) {
    if (err instanceof AppError) throw new AppError(err.code, { ...err.meta, param_name: 'new_password' })
    throw err
  }
}

export async function changePassword(deps: Deps, me: SessionAuth, body: Static<typeof passwordBody>): Promise<MeUser> {
  const policy = me.tenant.settings.password
  checkNewPassword(body.new_password, policy)
  const { user } = await loadSelf(deps, me)
  if (user.passwordHash !== null) {
    if (UsersService.isLocked(user, deps.clock.now()))
      throw new AppError('user_locked', { unlock_at: user.lockedUntil!.getTime() })
    if (body.current_password === undefined)
      throw new AppError('form_param_missing', { param_name: 'current_password' })
    // Before the password is checked, so a stale session cannot use this as a password oracle.
    await requireStepUp(deps, me, { firstFactorProven: true })
    if (!(await currentMatches(deps, me, user, body.current_password))) await refuse(deps, me, user)
  } else {
    await requireStepUp(deps, me)
  }
  const passwordHash = await hashPassword(deps.hashing, body.new_password, policy.argon2)
  const others = body.sign_out_other_sessions ? await otherSessionIds(deps, me) : []

  const { user: changed } = await changeSelf(deps, me, 'password.changed', async (tx, current) => {
    // The password proven above must still be the stored one: a concurrent change wins.
    if (current.user.passwordHash !== user.passwordHash) throw new AppError('conflict')
    const ended = others.length
      ? await endSessionsInTx(deps, tx, me.tenant.id, { ids: others }, 'revoked')
      : { ids: [], changes: [] }
    return {
      result: null,
      patch: { passwordHash, failedPasswordAttempts: 0 },
      changes: ended.changes,
      data: { session_id: me.sessionId, signed_out_sessions: ended.ids },
    }
  })
  return changed
}
