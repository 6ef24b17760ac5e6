/**
 * The account primitives other features build on (sign-in, sign-up, introspection), re-exported
 * by service.ts; the Backend API use cases live there.
 */
import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { AppError } from '../../platform/errors'
import { newId } from '../../platform/ids'
import { append, eventSubject } from '../../platform/outbox'
import type { TenantSettings } from '../tenants/settings'
import { toPublicUser, USERNAME_PATTERN } from './model'
import * as UsersRepo from './repo'
import type { IdentificationRow, IdentificationType, UserRow } from './repo'
import type { Metadata } from './schema'

export type { IdentificationRow, UserRow }

// ---- identifiers

// Deliberately loose (RFC 5322 allows far more); control characters and spaces are never valid.
const EMAIL_RE = /^[^\s@\x00-\x1f\x7f]{1,64}@[^\s@\x00-\x1f\x7f]+\.[^\s@\x00-\x1f\x7f]+$/
const USERNAME_RE = new RegExp(USERNAME_PATTERN)

/** Trimmed lower-case email, the form uniqueness and look-ups use (API.md §12); null if invalid. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim()
  return email.length <= 254 && EMAIL_RE.test(email) ? email.toLowerCase() : null
}

/** E.164 (`+` and 8–15 digits) once spaces, dashes, dots and parentheses are removed; null if invalid. */
export function normalizePhone(raw: string): string | null {
  const phone = raw.trim().replace(/[\s.()-]/g, '')
  return /^\+[1-9][0-9]{7,14}$/.test(phone) ? phone : null
}

export const isValidUsername = (username: string) => USERNAME_RE.test(username)

/** Refuses a password outside the tenant's length policy before it is ever hashed (API.md §12). */
export function checkPasswordLength(password: string, policy: TenantSettings['password'], opts: { skipMinimum?: boolean } = {}): void {
  if (password.length > policy.max_length) throw new AppError('form_password_length_too_long', { param_name: 'password', max_length: policy.max_length })
  if (!opts.skipMinimum && password.length < policy.min_length) throw new AppError('form_password_length_too_short', { param_name: 'password', min_length: policy.min_length })
}

// ---- used by sign-in and sign-up

export interface SignInCandidate { user: UserRow; identification: IdentificationRow | null; identifications: IdentificationRow[] }

/** verified email (normalized), verified phone (normalized) or username (case-insensitive); not deleted users; banned/locked users ARE returned */
export async function findSignInCandidate(tx: Tx, tenantId: string, identifier: string): Promise<SignInCandidate | null> {
  const email = normalizeEmail(identifier)
  const phone = email === null ? normalizePhone(identifier) : null
  if (email !== null || phone !== null) {
    const found = await UsersRepo.findByVerifiedIdentification(tx, tenantId, email !== null ? 'email_address' : 'phone_number', (email ?? phone)!)
    if (!found) return null
    return { ...found, identifications: await UsersRepo.listIdentifications(tx, tenantId, [found.user.id]) }
  }
  const username = identifier.trim()
  const user = isValidUsername(username) ? await UsersRepo.findByUsername(tx, tenantId, username) : null
  return user ? { user, identification: null, identifications: await UsersRepo.listIdentifications(tx, tenantId, [user.id]) } : null
}

export async function loadUser(tx: Tx, tenantId: string, userId: string): Promise<{ user: UserRow; identifications: IdentificationRow[] } | null> {
  const user = await UsersRepo.findUser(tx, tenantId, userId)
  return user ? { user, identifications: await UsersRepo.listIdentifications(tx, tenantId, [userId]) } : null
}

export interface CreateUserInput {
  emailAddresses: { value: string; verified: boolean }[]
  phoneNumbers: { value: string; verified: boolean }[]
  username?: string | null
  passwordHash?: string | null
  firstName?: string | null
  lastName?: string | null
  publicMetadata?: Metadata
  privateMetadata?: Metadata
  unsafeMetadata?: Metadata
}

/** inside the caller's transaction; outbox user.created; 409 form_identifier_exists when taken */
export async function createUser(deps: Deps, tx: Tx, tenantId: string, input: CreateUserInput): Promise<UserRow> {
  return (await insertUser(deps, tx, tenantId, input)).user
}

/** increments failed_password_attempts; locks for lockout.duration_s when it reaches lockout.max_failed_attempts (0 = never); returns the lock end or null and tries left */
export async function recordFailedPassword(deps: Deps, tx: Tx, tenantId: string, user: UserRow, lockout: { max_failed_attempts: number; duration_s: number }): Promise<{ lockedUntil: number | null; attemptsRemaining: number | null }> {
  const now = deps.clock.now()
  const max = lockout.max_failed_attempts
  const counted = await UsersRepo.countFailedPassword(tx, tenantId, user.id, max, new Date(now + lockout.duration_s * 1000))
  if (!counted) return { lockedUntil: null, attemptsRemaining: max > 0 ? 0 : null }
  // The caller writes the user.locked audit entry and event: it knows the request (ip, user agent).
  if (counted.locked) return { lockedUntil: counted.lockedUntil!.getTime(), attemptsRemaining: 0 }
  return { lockedUntil: null, attemptsRemaining: max > 0 ? max - counted.failedPasswordAttempts : null }
}

/** resets failed attempts, sets last_sign_in_at; stores newPasswordHash when given (rehash) */
export async function recordSignIn(deps: Deps, tx: Tx, tenantId: string, userId: string, opts: { newPasswordHash?: string } = {}): Promise<void> {
  await UsersRepo.update(tx, tenantId, userId, {
    failedPasswordAttempts: 0, lastSignInAt: new Date(deps.clock.now()),
    ...(opts.newPasswordHash !== undefined && { passwordHash: opts.newPasswordHash }),
  })
}

export function isLocked(user: UserRow, now: number): boolean {
  return user.lockedUntil !== null && user.lockedUntil.getTime() > now
}

export function userSummary(user: UserRow, identifications: IdentificationRow[]): { id: string; primary_email_address: string | null; primary_phone_number: string | null; username: string | null; first_name: string | null; last_name: string | null; public_metadata: Metadata } {
  const valueOf = (id: string | null) => (id === null ? null : identifications.find((i) => i.id === id)?.value ?? null)
  return {
    id: user.id, primary_email_address: valueOf(user.primaryEmailAddressId), primary_phone_number: valueOf(user.primaryPhoneNumberId),
    username: user.username, first_name: user.firstName, last_name: user.lastName, public_metadata: user.publicMetadata,
  }
}

// ---- creation, shared by sign-up and the Backend API

export const userEvent = (type: string, data: Record<string, unknown>) => ({ type, subject: eventSubject(type), payload: { data } })

/** Maps the unique-index backstop (a concurrent insert won the race) to the API's 409. */
export async function guardUnique<T>(param: string, constraint: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (isUniqueViolation(err, constraint)) throw new AppError('form_identifier_exists', { param_name: param })
    throw err
  }
}

/** Normalizes, refuses invalid ones, drops repeats (the first form given wins), refuses verified ones already taken. */
async function prepareIdentifications(tx: Tx, tenantId: string, type: IdentificationType, given: { value: string; verified: boolean }[]) {
  const normalize = type === 'email_address' ? normalizeEmail : normalizePhone
  const byNormalized = new Map<string, { value: string; normalized: string; verified: boolean }>()
  for (const { value, verified } of given) {
    const normalized = normalize(value)
    if (normalized === null) throw new AppError('form_param_format_invalid', { param_name: type })
    const seen = byNormalized.get(normalized)
    if (seen) seen.verified ||= verified
    // Emails keep the form given (API.md §12); phones are kept in E.164, the form messages are sent to.
    else byNormalized.set(normalized, { value: type === 'email_address' ? value.trim() : normalized, normalized, verified })
  }
  const prepared = [...byNormalized.values()]
  const taken = await UsersRepo.takenIdentifications(tx, tenantId, type, prepared.filter((p) => p.verified).map((p) => p.normalized))
  if (taken.length > 0) throw new AppError('form_identifier_exists', { param_name: type })
  return prepared
}

export async function insertUser(deps: Deps, tx: Tx, tenantId: string, input: CreateUserInput): Promise<{ user: UserRow; identifications: IdentificationRow[] }> {
  const now = deps.clock.now()
  const at = new Date(now)
  const emails = await prepareIdentifications(tx, tenantId, 'email_address', input.emailAddresses)
  const phones = await prepareIdentifications(tx, tenantId, 'phone_number', input.phoneNumbers)
  const username = input.username ?? null
  if (username !== null) {
    if (!isValidUsername(username)) throw new AppError('form_param_format_invalid', { param_name: 'username' })
    if (await UsersRepo.usernameTaken(tx, tenantId, username)) throw new AppError('form_identifier_exists', { param_name: 'username' })
  }
  const userId = newId('user', now)
  const rows = (list: typeof emails, type: IdentificationType) =>
    list.map((i) => ({ id: newId('idn', now), tenantId, userId, type, ...i, createdAt: at, updatedAt: at }))
  const emailRows = rows(emails, 'email_address')
  const phoneRows = rows(phones, 'phone_number')
  const user = await guardUnique('username', 'users_tenant_id_username_uq', () => UsersRepo.insertUser(tx, {
    id: userId, tenantId, username, firstName: input.firstName ?? null, lastName: input.lastName ?? null,
    passwordHash: input.passwordHash ?? null,
    publicMetadata: input.publicMetadata ?? {}, privateMetadata: input.privateMetadata ?? {}, unsafeMetadata: input.unsafeMetadata ?? {},
    primaryEmailAddressId: emailRows[0]?.id ?? null, primaryPhoneNumberId: phoneRows[0]?.id ?? null,
    createdAt: at, updatedAt: at,
  }))
  const identifications = [
    ...await guardUnique('email_address', 'identifications_tenant_id_type_normalized_uq', () => UsersRepo.insertIdentifications(tx, emailRows)),
    ...await guardUnique('phone_number', 'identifications_tenant_id_type_normalized_uq', () => UsersRepo.insertIdentifications(tx, phoneRows)),
  ]
  await append(tx, tenantId, [userEvent('user.created', { ...toPublicUser(user, identifications, now) })], now)
  return { user, identifications }
}
