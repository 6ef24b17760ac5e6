/**
 * Lockout: wrong passwords counted toward a timed lock, what a lock refuses, and the one record
 * every lock leaves (audit entry and event), whoever decided it.
 */
import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { append } from '../../platform/outbox'
import type { AuditBy } from '../audit/service'
import { userEvent } from './model'
import * as UsersRepo from './repo'
import type { UserRow } from './repo'

/**
 * increments failed_password_attempts; locks for lockout.duration_s when it reaches
 * lockout.max_failed_attempts (0 = never); returns the lock end or null and tries left
 */
export async function recordFailedPassword(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  user: UserRow,
  lockout: { max_failed_attempts: number; duration_s: number },
): Promise<{ lockedUntil: number | null; attemptsRemaining: number | null }> {
  const now = deps.clock.now()
  const max = lockout.max_failed_attempts
  const counted = await UsersRepo.countFailedPassword(
    tx,
    tenantId,
    user.id,
    max,
    new Date(now + lockout.duration_s * 1000),
  )
  if (!counted) return { lockedUntil: null, attemptsRemaining: max > 0 ? 0 : null }
  // The caller records the lock (recordLockInTx): it knows the request (ip, user agent) that tipped it.
  if (counted.locked) return { lockedUntil: counted.lockedUntil!.getTime(), attemptsRemaining: 0 }
  return { lockedUntil: null, attemptsRemaining: max > 0 ? max - counted.failedPasswordAttempts : null }
}

export function isLocked(user: UserRow, now: number): boolean {
  return user.lockedUntil !== null && user.lockedUntil.getTime() > now
}

/**
 * Whether a lock refuses a sign-in by a factor. A lockout by wrong passwords does not block one
 * that `passesPasswordLockout` (a passkey, a password reset; API.md §12): it stops password
 * guessing, and must not let a guesser lock the owner out of a way in that no guess can pass.
 * An administrator's lock blocks all.
 */
export function locksOut(user: UserRow, now: number, passesPasswordLockout: boolean): boolean {
  return isLocked(user, now) && (user.lockedByAdmin || !passesPasswordLockout)
}

/** A lock ended by the clock after failed passwords: the system decided it, during this request. */
const LOCKOUT_ACTOR: AuditBy['actor'] = { type: 'system', id: null }

/**
 * The record of a lock, in the caller's transaction: audit `user.locked` and the `user.locked`
 * event `{ id, locked_until }`, the same shape whoever locked. The lock columns are the decider's
 * (the failure counter, an administrator's patch), written in the same transaction.
 * `by` absent: a lockout by failed passwords, the system's, with the request that tipped it.
 */
export async function recordLockInTx(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  userId: string,
  lock: { until: number; caller?: AuditBy['caller']; by?: AuditBy['actor'] },
): Promise<void> {
  const now = deps.clock.now()
  await appendAudit(
    deps.auditKey,
    tx,
    tenantId,
    {
      action: 'user.locked',
      actor: lock.by ?? LOCKOUT_ACTOR,
      target: { type: 'user', id: userId },
      ip: lock.caller?.ip,
      userAgent: lock.caller?.userAgent,
      data: { until: lock.until },
    },
    now,
  )
  await append(tx, tenantId, [userEvent('user.locked', { id: userId, locked_until: lock.until })], now)
}
