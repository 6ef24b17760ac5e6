import type { Deps } from '../../deps'
import { appendAudit, type AuditEntry } from '../../platform/audit'
import type { Change } from '../../platform/changes'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { Caller } from '../../platform/http/caller'
import { newId } from '../../platform/ids'
import { append, eventSubject } from '../../platform/outbox'
import type { CodeTry } from '../../platform/code-budget'
import type { TenantRow } from '../tenants/service'
import { toPublicUser, userEvent } from '../users/model'
import * as UsersService from '../users/service'
import type { IdentificationRow, UserRow } from '../users/service'
import * as BackupCodes from './backup-codes'
import * as MfaRepo from './repo'
import { summaryOf } from './summary'
import * as Totp from './totp'

export { normalise as importableBackupCode } from './backup-codes'
export { importableSecret as importableTotpSecret } from './totp'

/**
 * Second factors (API.md §6, §11): TOTP secrets (sealed, active once a code proves them, each
 * time step accepted once) and backup codes (hashed, each usable once). Checking a code never
 * consumes it: the caller consumes the returned proof in the transaction that acts on it, so a
 * lost race (409) leaves the code usable and two requests cannot both spend one code.
 */
export { summaries, summaryOf } from './summary'
export { removeAll as resetSecondFactors } from './backend'

export type SecondFactor = 'totp' | 'backup_code'
export type Proof =
  | { strategy: 'totp'; id: string; step: number; pending: boolean }
  | { strategy: 'backup_code'; id: string }

export interface TotpEnrollment {
  object: 'totp'
  id: string
  secret: string
  otpauth_uri: string
  qr_svg: string
  verified: false
}

// The additional data binds a sealed secret to its tenant and user: moved to another row, it fails to open.
const sealContext = (tenantId: string, userId: string) => `totp_secret:${tenantId}:${userId}`

/** 422 strategy_not_allowed unless the tenant's MFA policy lets users enrol this factor. */
export function checkAllowed(tenant: TenantRow, strategy: SecondFactor): void {
  const { policy, second_factors } = tenant.settings.mfa
  if (policy === 'off' || !second_factors.includes(strategy))
    throw new AppError('strategy_not_allowed', { param_name: 'strategy', strategy })
}

/** The otpauth label: the user's primary identifier (email, else phone, else username). */
function labelOf(user: UserRow, identifications: IdentificationRow[]): string {
  const valueOf = (id: string | null) => identifications.find((i) => i.id === id)?.value
  return valueOf(user.primaryEmailAddressId) ?? valueOf(user.primaryPhoneNumberId) ?? user.username ?? user.id
}

/**
 * A new, unverified TOTP secret for the user (replacing an earlier unverified one); 409 while a
 * verified one exists. The secret is returned here only, and stored sealed. `requiredByPolicy`:
 * the sign-in enrolment of policy `required`, which TOTP always satisfies (see planInTx).
 */
export async function beginTotp(
  deps: Deps,
  tenant: TenantRow,
  userId: string,
  opts: { requiredByPolicy?: boolean } = {},
): Promise<TotpEnrollment> {
  if (!opts.requiredByPolicy) checkAllowed(tenant, 'totp')
  const secret = Totp.newSecret()
  const now = deps.clock.now()
  const sealed = await deps.box.seal(secret, sealContext(tenant.id, userId))
  const { row, label } = await withTenant(deps.db, tenant.id, async (tx) => {
    const loaded = await UsersService.loadUser(tx, tenant.id, userId)
    if (!loaded) throw new AppError('resource_not_found')
    const row = await MfaRepo.upsertPendingTotp(tx, {
      id: newId('totp', now),
      tenantId: tenant.id,
      userId,
      secretSealed: sealed,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    })
    return { row, label: labelOf(loaded.user, loaded.identifications) }
  })
  if (!row) throw new AppError('conflict', { reason: 'totp_already_enabled' })
  const uri = Totp.otpauthUri(tenant.name, label, secret)
  return { object: 'totp', id: row.id, secret, otpauth_uri: uri, qr_svg: await Totp.qrSvg(uri), verified: false }
}

export const findTotp = (deps: Deps, tenantId: string, userId: string) =>
  withTenant(deps.db, tenantId, (tx) => MfaRepo.findTotp(tx, tenantId, userId))

/**
 * What a code proves for this user, without consuming it: a TOTP step of the active secret (or,
 * with `pending`, of the secret being enrolled), or an unused backup code; null when it proves
 * nothing (wrong, replayed, or no such factor).
 */
export async function checkCode(
  deps: Deps,
  tenantId: string,
  userId: string,
  strategy: SecondFactor,
  code: string,
  opts: { pending?: boolean } = {},
): Promise<Proof | null> {
  if (code.length > 64) return null
  if (strategy === 'backup_code') {
    const stored = await withTenant(deps.db, tenantId, (tx) => MfaRepo.unusedBackupCodes(tx, tenantId, userId))
    const id = await BackupCodes.matching(deps.mac, userId, code, stored)
    return id ? { strategy, id } : null
  }
  const row = await findTotp(deps, tenantId, userId)
  const pending = opts.pending === true
  if (!row || (row.verifiedAt === null) !== pending) return null
  const secret = await deps.box.open(row.secretSealed, sealContext(tenantId, userId))
  const step = await Totp.matchStep(secret, code, deps.clock.now(), row.lastUsedStep)
  return step === null ? null : { strategy, id: row.id, step, pending }
}

/** A TOTP code, else a backup code (for checks that accept either, like Clerk's verify_totp). */
export async function checkAnyCode(deps: Deps, tenantId: string, userId: string, code: string): Promise<Proof | null> {
  return (
    (await checkCode(deps, tenantId, userId, 'totp', code)) ?? checkCode(deps, tenantId, userId, 'backup_code', code)
  )
}

/** Spends a proof, atomically; false if another request spent it (or a later step) first. */
export async function consumeInTx(deps: Deps, tx: Tx, tenantId: string, proof: Proof): Promise<boolean> {
  const at = new Date(deps.clock.now())
  return proof.strategy === 'totp'
    ? MfaRepo.acceptStep(tx, tenantId, proof.id, proof.step, at, { verify: proof.pending })
    : MfaRepo.markBackupCodeUsed(tx, tenantId, proof.id, at)
}

/** A fresh set of backup codes replacing every earlier one; the plain codes, to show once. */
export async function replaceBackupCodesInTx(deps: Deps, tx: Tx, tenantId: string, userId: string): Promise<string[]> {
  const codes = BackupCodes.newCodes()
  const now = new Date(deps.clock.now())
  const rows = await Promise.all(
    codes.map(async (code) => ({
      id: newId('bkc', now.getTime()),
      tenantId,
      userId,
      codeHash: await BackupCodes.hashCode(deps.mac, userId, code),
      createdAt: now,
    })),
  )
  await MfaRepo.replaceBackupCodes(tx, tenantId, userId, rows)
  return codes
}

/**
 * Second factors a user brings from another system (POST /v1/users): a TOTP secret, active at
 * once (the source system verified it), sealed like an enrolled one; backup codes, hashed like
 * generated ones. Inputs are canonical (Totp.importableSecret, BackupCodes.normalise).
 */
export async function importFactorsInTx(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  userId: string,
  factors: { totpSecret: string | null; backupCodes: string[] },
): Promise<void> {
  const now = deps.clock.now()
  if (factors.totpSecret !== null) {
    const sealed = await deps.box.seal(factors.totpSecret, sealContext(tenantId, userId))
    const at = new Date(now)
    const row = { id: newId('totp', now), tenantId, userId, secretSealed: sealed, createdAt: at, updatedAt: at }
    await MfaRepo.insertVerifiedTotp(tx, { ...row, verifiedAt: at })
  }
  if (factors.backupCodes.length === 0) return
  const rows = await Promise.all(
    factors.backupCodes.map(async (code) => ({
      id: newId('bkc', now),
      tenantId,
      userId,
      codeHash: await BackupCodes.hashCode(deps.mac, userId, code),
      createdAt: new Date(now),
    })),
  )
  await MfaRepo.replaceBackupCodes(tx, tenantId, userId, rows)
}

/** Removes the TOTP secret and backup codes; returns what was removed. */
export async function removeFactorsInTx(
  tx: Tx,
  tenantId: string,
  userId: string,
  what: { totp: boolean; backupCodes: boolean },
) {
  const totp = what.totp ? await MfaRepo.deleteTotp(tx, tenantId, userId) : null
  const backupCodes = what.backupCodes ? await MfaRepo.deleteBackupCodes(tx, tenantId, userId) : 0
  return { totp, backupCodes }
}

/**
 * The audit entry, `user.updated` event and cache change of an MFA change made outside
 * `/me`'s changeSelf (sign-in enrolment, backend API), in its transaction.
 */
export async function announceInTx(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  userId: string,
  entry: AuditEntry,
): Promise<Change> {
  const now = deps.clock.now()
  await appendAudit(deps.auditKey, tx, tenantId, entry, now)
  const loaded = await UsersService.loadUser(tx, tenantId, userId)
  if (loaded) {
    const user = toPublicUser(loaded.user, loaded.identifications, now, { mfa: await summaryOf(tx, tenantId, userId) })
    await append(tx, tenantId, [userEvent('user.updated', { ...user })], now)
  }
  return deps.changes.record(tx, tenantId, 'user', userId)
}

type FailureEntry = {
  actor: { type: 'user'; id: string }
  target: { type: string; id: string }
  ip: string | null
  userAgent: string | null
}

async function recordVerificationFailure(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  entry: FailureEntry,
  data: Record<string, unknown>,
  now: number,
) {
  await appendAudit(deps.auditKey, tx, tenantId, { ...entry, action: 'mfa.verification_failed', data }, now)
  const payload = { data: { user_id: entry.actor.id, ...data } }
  await append(
    tx,
    tenantId,
    [{ type: 'mfa.verification_failed', subject: eventSubject('mfa.verification_failed'), payload }],
    now,
  )
}

const entryOf = (user: UserRow, caller: Caller): FailureEntry => ({
  actor: { type: 'user', id: user.id },
  target: { type: 'user', id: user.id },
  ip: caller.ip,
  userAgent: caller.userAgent,
})

/**
 * A wrong code for an enrolled factor outside sign-in (reverification, disabling TOTP): the try
 * taken from the account's code budget stays spent (API.md §12) — never a lockout try, so
 * guessing codes cannot lock the owner out. Committed, then answered with 422.
 */
export async function refuseCode(
  deps: Deps,
  tenant: TenantRow,
  user: UserRow,
  caller: Caller,
  data: Record<string, unknown>,
  taken: CodeTry,
): Promise<never> {
  await withTenant(deps.db, tenant.id, (tx) =>
    recordVerificationFailure(deps, tx, tenant.id, entryOf(user, caller), data, deps.clock.now()),
  )
  throw new AppError('form_code_incorrect', { attempts_remaining: taken.remaining })
}

/**
 * A wrong password outside sign-in (reverification): it counts toward lockout like a wrong
 * password at sign-in, so this is no side door for guessing. Committed, then 422 or 423.
 */
export async function refusePassword(
  deps: Deps,
  tenant: TenantRow,
  user: UserRow,
  caller: Caller,
  data: Record<string, unknown>,
): Promise<never> {
  const now = deps.clock.now()
  const entry = entryOf(user, caller)
  const { lock, change } = await withTenant(deps.db, tenant.id, async (tx) => {
    const lock = await UsersService.recordFailedPassword(deps, tx, tenant.id, user, tenant.settings.lockout)
    await recordVerificationFailure(deps, tx, tenant.id, entry, data, now)
    if (!lock.lockedUntil) return { lock, change: null }
    await UsersService.recordLockInTx(deps, tx, tenant.id, user.id, { until: lock.lockedUntil, caller })
    return { lock, change: await deps.changes.record(tx, tenant.id, 'user', user.id) }
  })
  if (change) deps.changes.announce(change)
  if (lock.lockedUntil) throw new AppError('user_locked', { unlock_at: lock.lockedUntil })
  throw new AppError(
    'form_password_incorrect',
    lock.attemptsRemaining === null ? {} : { attempts_remaining: lock.attemptsRemaining },
  )
}
