/**
 * The account primitives other features build on (sign-in, sign-up, /me, MFA, introspection).
 * The user as the API presents it (with second factors and passkeys) and the Backend API use
 * cases are the accounts feature's: users is a core domain and reads no feature above it.
 */
import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { AppError } from '../../platform/errors'
import type { CursorPosition } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import { append } from '../../platform/outbox'
import type { TenantRow } from '../tenants/service'
import { toPublicUser, USERNAME_PATTERN, userEvent, type MfaSummary } from './model'
import * as UsersRepo from './repo'
import type { IdentificationRow, IdentificationType, UserPatch, UserRow } from './repo'
import type { Metadata } from './schema'

export type { IdentificationRow, IdentificationType, UserPatch, UserRow }
export { isLocked, locksOut, recordFailedPassword, recordLockInTx } from './lockout'
import { isLocked } from './lockout'
export { checkMetadata, metadataPatch } from './metadata'

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
export function checkPasswordLength(
  password: string,
  policy: TenantRow['settings']['password'],
  opts: { skipMinimum?: boolean } = {},
): void {
  if (password.length > policy.max_length)
    throw new AppError('form_password_length_too_long', { param_name: 'password', max_length: policy.max_length })
  if (!opts.skipMinimum && password.length < policy.min_length)
    throw new AppError('form_password_length_too_short', { param_name: 'password', min_length: policy.min_length })
}

// ---- used by sign-in and sign-up

export interface SignInCandidate {
  user: UserRow
  identification: IdentificationRow | null
  identifications: IdentificationRow[]
}

/**
 * verified email (normalized), verified phone (normalized) or username (case-insensitive); not deleted users;
 * banned/locked users ARE returned
 */
export async function findSignInCandidate(
  tx: Tx,
  tenantId: string,
  identifier: string,
): Promise<SignInCandidate | null> {
  const email = normalizeEmail(identifier)
  const phone = email === null ? normalizePhone(identifier) : null
  if (email !== null || phone !== null) {
    const found = await UsersRepo.findByVerifiedIdentification(
      tx,
      tenantId,
      email !== null ? 'email_address' : 'phone_number',
      (email ?? phone)!,
    )
    if (!found) return null
    return { ...found, identifications: await UsersRepo.listIdentifications(tx, tenantId, [found.user.id]) }
  }
  const username = identifier.trim()
  const user = isValidUsername(username) ? await UsersRepo.findByUsername(tx, tenantId, username) : null
  return user
    ? { user, identification: null, identifications: await UsersRepo.listIdentifications(tx, tenantId, [user.id]) }
    : null
}

export async function loadUser(
  tx: Tx,
  tenantId: string,
  userId: string,
): Promise<{ user: UserRow; identifications: IdentificationRow[] } | null> {
  const user = await UsersRepo.findUser(tx, tenantId, userId)
  return user ? { user, identifications: await UsersRepo.listIdentifications(tx, tenantId, [userId]) } : null
}

/** What an organization shows of a member (API.md §13a `public_user_data`). */
export interface PublicUserData {
  user_id: string
  first_name: string | null
  last_name: string | null
  /** The primary email address, else the primary phone number, else the username. */
  identifier: string | null
}

/** public_user_data of these live users, by id. */
export async function publicUserData(
  tx: Tx,
  tenantId: string,
  userIds: string[],
): Promise<Map<string, PublicUserData>> {
  const found = await UsersRepo.findUsers(tx, tenantId, [...new Set(userIds)])
  const identifications = await UsersRepo.listIdentifications(
    tx,
    tenantId,
    found.map((u) => u.id),
  )
  return new Map(
    found.map((user) => {
      const summary = userSummary(
        user,
        identifications.filter((i) => i.userId === user.id),
      )
      const identifier = summary.primary_email_address ?? summary.primary_phone_number ?? summary.username
      const data = { user_id: user.id, first_name: user.firstName, last_name: user.lastName, identifier }
      return [user.id, data]
    }),
  )
}

/** Ids of live users whose names, username or addresses contain `query` (case-insensitive), up to `limit`. */
export async function matchingUserIds(tx: Tx, tenantId: string, query: string, limit: number): Promise<string[]> {
  return (await UsersRepo.list(tx, tenantId, { query }, limit, null)).map((u) => u.id)
}

/** Ids of users with a verified email address at this lower-case domain, up to `limit` (domain enrollment). */
export const verifiedEmailsAt = (tx: Tx, tenantId: string, domain: string, limit: number) =>
  UsersRepo.verifiedEmailsAt(tx, tenantId, domain, limit)

/** A page of live users, newest first (the Backend API's list), with their identifications. */
export async function listUsers(
  tx: Tx,
  tenantId: string,
  filter: UsersRepo.ListFilter,
  limit: number,
  after: CursorPosition | null,
): Promise<{ users: UserRow[]; identifications: IdentificationRow[] }> {
  const users = await UsersRepo.list(tx, tenantId, filter, limit, after)
  return {
    users,
    identifications: await UsersRepo.listIdentifications(
      tx,
      tenantId,
      users.map((u) => u.id),
    ),
  }
}

export const identificationsOf = (tx: Tx, tenantId: string, userId: string): Promise<IdentificationRow[]> =>
  UsersRepo.listIdentifications(tx, tenantId, [userId])

export interface CreateUserInput {
  /** Pre-generated by a flow whose machine already names the user (sign-up); new otherwise. */
  id?: string
  emailAddresses: { value: string; verified: boolean }[]
  phoneNumbers: { value: string; verified: boolean }[]
  username?: string | null
  passwordHash?: string | null
  firstName?: string | null
  lastName?: string | null
  publicMetadata?: Metadata
  privateMetadata?: Metadata
  unsafeMetadata?: Metadata
  /** Second factors the caller adds in the same transaction (import), so that user.created shows them. */
  mfa?: MfaSummary
}

/** inside the caller's transaction; outbox user.created; 409 form_identifier_exists when taken */
export async function createUser(deps: Deps, tx: Tx, tenantId: string, input: CreateUserInput): Promise<UserRow> {
  return (await insertUser(deps, tx, tenantId, input)).user
}

/** A sign-in completed: failed password tries forgotten, last_sign_in_at set. */
export async function recordSignIn(deps: Deps, tx: Tx, tenantId: string, userId: string): Promise<void> {
  await UsersRepo.update(tx, tenantId, userId, { failedPasswordAttempts: 0, lastSignInAt: new Date(deps.clock.now()) })
}

/**
 * The same password under the tenant's current argon2 parameters (after a right answer under
 * older ones), only if the account still has the hash that was verified: a reset committed
 * meanwhile must never be undone by the old password's rehash.
 */
export async function rehashPasswordInTx(
  tx: Tx,
  tenantId: string,
  userId: string,
  change: { from: string; to: string },
): Promise<void> {
  await UsersRepo.replacePasswordHash(tx, tenantId, userId, change.from, change.to)
}

/**
 * A new password (reset): failed tries forgotten, and a lockout by them lifted. Checked on the
 * locked row, so a ban, a deletion or an administrator's lock that came first wins: none of them
 * is lifted by proving an address (423 for the lock, with its end).
 */
export async function setPasswordInTx(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  userId: string,
  passwordHash: string,
): Promise<void> {
  const current = await lockUser(tx, tenantId, userId)
  if (!current || current.user.banned || current.user.deletedAt)
    throw new AppError('verification_failed', { reason: 'no_verified_reset' })
  if (current.user.lockedByAdmin && isLocked(current.user, deps.clock.now()))
    throw new AppError('user_locked', { unlock_at: current.user.lockedUntil!.getTime() })
  await patchUser(tx, tenantId, userId, {
    passwordHash,
    failedPasswordAttempts: 0,
    ...(current.user.lockedByAdmin ? {} : { lockedUntil: null }),
    updatedAt: new Date(deps.clock.now()),
  })
}

export function userSummary(
  user: UserRow,
  identifications: IdentificationRow[],
): {
  id: string
  primary_email_address: string | null
  primary_phone_number: string | null
  username: string | null
  first_name: string | null
  last_name: string | null
  public_metadata: Metadata
} {
  const valueOf = (id: string | null) =>
    id === null ? null : (identifications.find((i) => i.id === id)?.value ?? null)
  return {
    id: user.id,
    primary_email_address: valueOf(user.primaryEmailAddressId),
    primary_phone_number: valueOf(user.primaryPhoneNumberId),
    username: user.username,
    first_name: user.firstName,
    last_name: user.lastName,
    public_metadata: user.publicMetadata,
  }
}

// ---- creation, shared by sign-up and the Backend API

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
async function prepareIdentifications(
  tx: Tx,
  tenantId: string,
  type: IdentificationType,
  given: { value: string; verified: boolean }[],
) {
  const normalize = type === 'email_address' ? normalizeEmail : normalizePhone
  const byNormalized = new Map<string, { value: string; normalized: string; verified: boolean }>()
  for (const { value, verified } of given) {
    const normalized = normalize(value)
    if (normalized === null) throw new AppError('form_param_format_invalid', { param_name: type })
    const seen = byNormalized.get(normalized)
    if (seen) seen.verified ||= verified
    // Emails keep the form given (API.md §12); phones are kept in E.164, the form messages are sent to.
    else
      byNormalized.set(normalized, {
        value: type === 'email_address' ? value.trim() : normalized,
        normalized,
        verified,
      })
  }
  const prepared = [...byNormalized.values()]
  const taken = await UsersRepo.takenIdentifications(
    tx,
    tenantId,
    type,
    prepared.filter((p) => p.verified).map((p) => p.normalized),
  )
  if (taken.length > 0) throw new AppError('form_identifier_exists', { param_name: type })
  return prepared
}

export async function insertUser(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  input: CreateUserInput,
): Promise<{ user: UserRow; identifications: IdentificationRow[] }> {
  const now = deps.clock.now()
  const at = new Date(now)
  const emails = await prepareIdentifications(tx, tenantId, 'email_address', input.emailAddresses)
  const phones = await prepareIdentifications(tx, tenantId, 'phone_number', input.phoneNumbers)
  const username = input.username ?? null
  if (username !== null) {
    if (!isValidUsername(username)) throw new AppError('form_param_format_invalid', { param_name: 'username' })
    if (await UsersRepo.usernameTaken(tx, tenantId, username))
      throw new AppError('form_identifier_exists', { param_name: 'username' })
  }
  const userId = input.id ?? newId('user', now)
  const rows = (list: typeof emails, type: IdentificationType) =>
    list.map((i) => ({
      id: newId('idn', now),
      tenantId,
      userId,
      type,
      ...i,
      verifiedAt: i.verified ? at : null,
      createdAt: at,
      updatedAt: at,
    }))
  const emailRows = rows(emails, 'email_address')
  const phoneRows = rows(phones, 'phone_number')
  const user = await guardUnique('username', 'users_tenant_id_username_uq', () =>
    UsersRepo.insertUser(tx, {
      id: userId,
      tenantId,
      username,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      passwordHash: input.passwordHash ?? null,
      publicMetadata: input.publicMetadata ?? {},
      privateMetadata: input.privateMetadata ?? {},
      unsafeMetadata: input.unsafeMetadata ?? {},
      primaryEmailAddressId: emailRows[0]?.id ?? null,
      primaryPhoneNumberId: phoneRows[0]?.id ?? null,
      createdAt: at,
      updatedAt: at,
    }),
  )
  const identifications = [
    ...(await guardUnique('email_address', 'identifications_tenant_id_type_normalized_uq', () =>
      UsersRepo.insertIdentifications(tx, emailRows),
    )),
    ...(await guardUnique('phone_number', 'identifications_tenant_id_type_normalized_uq', () =>
      UsersRepo.insertIdentifications(tx, phoneRows),
    )),
  ]
  await append(
    tx,
    tenantId,
    [userEvent('user.created', { ...toPublicUser(user, identifications, now, { mfa: input.mfa }) })],
    now,
  )
  return { user, identifications }
}

// ---- self-service changes (`/me`), inside the caller's transaction

/** A live user and their identifications, the user row locked: concurrent changes to one user queue here. */
export async function lockUser(
  tx: Tx,
  tenantId: string,
  userId: string,
): Promise<{ user: UserRow; identifications: IdentificationRow[] } | null> {
  const user = await UsersRepo.findUser(tx, tenantId, userId, { forUpdate: true })
  return user ? { user, identifications: await UsersRepo.listIdentifications(tx, tenantId, [userId]) } : null
}

/** Applies a patch to a live user; a username someone else holds answers 409 (the index is the backstop). */
export async function patchUser(tx: Tx, tenantId: string, userId: string, patch: UserPatch): Promise<UserRow | null> {
  if (patch.username && (await UsersRepo.usernameTaken(tx, tenantId, patch.username, userId)))
    throw new AppError('form_identifier_exists', { param_name: 'username' })
  return guardUnique('username', 'users_tenant_id_username_uq', () => UsersRepo.update(tx, tenantId, userId, patch))
}

const alreadyVerified = async (tx: Tx, tenantId: string, type: IdentificationType, normalized: string) =>
  (await UsersRepo.takenIdentifications(tx, tenantId, type, [normalized])).length > 0

/**
 * A new, unverified address of this user: 422 if invalid; 409 if anyone in the tenant has it
 * verified, or this user already has it. Others' unverified claims do not block it (squatting).
 */
export async function addIdentification(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  userId: string,
  type: IdentificationType,
  raw: string,
): Promise<IdentificationRow> {
  const [prepared] = await prepareIdentifications(tx, tenantId, type, [{ value: raw, verified: false }])
  if (await alreadyVerified(tx, tenantId, type, prepared!.normalized))
    throw new AppError('form_identifier_exists', { param_name: type })
  const now = deps.clock.now()
  const [row] = await guardUnique(type, 'identifications_user_id_type_normalized_uq', () =>
    UsersRepo.insertIdentifications(tx, [
      {
        id: newId('idn', now),
        tenantId,
        userId,
        type,
        value: prepared!.value,
        normalized: prepared!.normalized,
        verified: false,
        createdAt: new Date(now),
        updatedAt: new Date(now),
      },
    ]),
  )
  return row!
}

/** Marks this user's identification verified; 409 when someone else in the tenant verified the same address first. */
export async function verifyIdentification(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  userId: string,
  identification: IdentificationRow,
): Promise<IdentificationRow> {
  const taken = new AppError('form_identifier_exists', { param_name: identification.type })
  if (await alreadyVerified(tx, tenantId, identification.type, identification.normalized)) throw taken
  const row = await guardUnique(identification.type, 'identifications_tenant_id_type_normalized_uq', () =>
    UsersRepo.updateIdentification(tx, tenantId, userId, identification.id, {
      verified: true,
      verifiedAt: new Date(deps.clock.now()),
      updatedAt: new Date(deps.clock.now()),
    }),
  )
  if (!row) throw new AppError('resource_not_found')
  return row
}

export const reserveForSecondFactor = (
  deps: Deps,
  tx: Tx,
  tenantId: string,
  userId: string,
  id: string,
  reserved: boolean,
) =>
  UsersRepo.updateIdentification(tx, tenantId, userId, id, {
    reservedForSecondFactor: reserved,
    updatedAt: new Date(deps.clock.now()),
  })

/** An identification by id alone (an email link knows only its challenge). */
export const findIdentification = (tx: Tx, tenantId: string, id: string) =>
  UsersRepo.findIdentification(tx, tenantId, id)

/** Every address of the user (erasure), which frees them for new accounts. */
export const removeIdentifications = (tx: Tx, tenantId: string, userId: string) =>
  UsersRepo.deleteIdentifications(tx, tenantId, userId)

export const removeIdentification = (tx: Tx, tenantId: string, userId: string, id: string) =>
  UsersRepo.deleteIdentification(tx, tenantId, userId, id)

/**
 * The primary-address changes of a PATCH (BAPI or /me): each must name a verified
 * identification of the user of its kind, else 422 naming the parameter.
 */
export function primaryPatch(
  identifications: IdentificationRow[],
  body: { primary_email_address_id?: string; primary_phone_number_id?: string },
): Pick<UserPatch, 'primaryEmailAddressId' | 'primaryPhoneNumberId'> {
  const primaryOf = (type: IdentificationType, param: keyof typeof body) => {
    const found = identifications.find((i) => i.id === body[param] && i.type === type && i.verified)
    if (!found) throw new AppError('form_param_format_invalid', { param_name: param })
    return found.id
  }
  return {
    ...(body.primary_email_address_id !== undefined && {
      primaryEmailAddressId: primaryOf('email_address', 'primary_email_address_id'),
    }),
    ...(body.primary_phone_number_id !== undefined && {
      primaryPhoneNumberId: primaryOf('phone_number', 'primary_phone_number_id'),
    }),
  }
}
