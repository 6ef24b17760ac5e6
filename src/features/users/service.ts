import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import { hashPassword, verifyPassword as passwordMatches } from '../../platform/crypto/password'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { append } from '../../platform/outbox'
import type { AuditBy } from '../audit/service'
import { summaries, summaryOf } from '../mfa/summary'
import * as PasskeysService from '../passkeys/service'
import { revokeAllForUser } from '../sessions/revoke'
import type { TenantRow } from '../tenants/service'
import {
  checkPasswordLength,
  guardUnique,
  insertUser,
  loadUser,
  normalizeEmail,
  normalizePhone,
  userEvent,
} from './accounts'
import { metadataPatch } from './metadata'
import { toPublicUser, type createBody, type listUsersQuery, type PublicUser, type updateBody } from './model'
import * as UsersRepo from './repo'
import type { IdentificationRow, IdentificationType, UserPatch } from './repo'

export {
  checkPasswordLength,
  createUser,
  findSignInCandidate,
  isLocked,
  isValidUsername,
  locksOut,
  setPasswordInTx,
  loadUser,
  normalizeEmail,
  normalizePhone,
  recordFailedPassword,
  recordSignIn,
  rehashPasswordInTx,
  userSummary,
} from './accounts'
export type { CreateUserInput, IdentificationRow, SignInCandidate, UserRow } from './accounts'

/** `lock` without an end: long enough to outlive any account, short of timestamp limits. */
const INDEFINITE_LOCK_MS = 100 * 365 * 86_400_000

async function hashNewPassword(
  deps: Deps,
  tenant: TenantRow,
  password: string,
  skipChecks: boolean | undefined,
): Promise<string> {
  // Clerk's skip_password_checks is for importing users; the maximum still holds, since it bounds hashing work.
  checkPasswordLength(password, tenant.settings.password, { skipMinimum: skipChecks === true })
  return hashPassword(deps.hashing, password, tenant.settings.password.argon2)
}

/** Creates a user whose given addresses count as verified (API.md §7). */
export async function create(deps: Deps, tenant: TenantRow, body: Static<typeof createBody>): Promise<PublicUser> {
  const metadata = metadataPatch(body)
  const passwordHash =
    body.password === undefined ? null : await hashNewPassword(deps, tenant, body.password, body.skip_password_checks)
  const verified = (values: string[] | undefined) => (values ?? []).map((value) => ({ value, verified: true }))
  const created = await withTenant(deps.db, tenant.id, async (tx) => {
    const inserted = await insertUser(deps, tx, tenant.id, {
      emailAddresses: verified(body.email_address),
      phoneNumbers: verified(body.phone_number),
      username: body.username ?? null,
      passwordHash,
      firstName: body.first_name ?? null,
      lastName: body.last_name ?? null,
      ...metadata,
    })
    await appendAudit(
      deps.auditKey,
      tx,
      tenant.id,
      {
        action: 'user.created',
        actor: { type: 'secret_key', id: tenant.id },
        target: { type: 'user', id: inserted.user.id },
      },
      deps.clock.now(),
    )
    return inserted
  })
  return toPublicUser(created.user, created.identifications, deps.clock.now())
}

function filterValue(
  raw: string | undefined,
  normalize: (s: string) => string | null,
  param: string,
): string | undefined {
  if (raw === undefined) return undefined
  const normalized = normalize(raw)
  if (normalized === null) throw new AppError('form_param_format_invalid', { param_name: param })
  return normalized
}

/** Live users, newest first; the cursor is bound to this tenant's user list. */
export async function list(
  deps: Deps,
  tenant: TenantRow,
  query: Static<typeof listUsersQuery>,
): Promise<Page<PublicUser>> {
  const scope = `users:${tenant.id}`
  const limit = pageSize(query.limit)
  const after = await deps.cursors.decode(scope, query.cursor)
  const filter = {
    email: filterValue(query.email_address, normalizeEmail, 'email_address'),
    phone: filterValue(query.phone_number, normalizePhone, 'phone_number'),
    query: query.query?.trim() || undefined,
  }
  const found = await withTenant(deps.db, tenant.id, async (tx) => {
    const rows = await UsersRepo.list(tx, tenant.id, filter, limit + 1, after)
    const ids = rows.map((r) => r.id)
    return {
      rows,
      identifications: await UsersRepo.listIdentifications(tx, tenant.id, ids),
      mfa: await summaries(tx, tenant.id, ids),
      passkeys: await PasskeysService.summariesOf(tx, tenant.id, ids),
    }
  })
  const now = deps.clock.now()
  return deps.cursors.page(scope, found.rows, limit, (row) =>
    toPublicUser(
      row,
      found.identifications.filter((i) => i.userId === row.id),
      now,
      found.mfa.get(row.id),
      found.passkeys.get(row.id),
    ),
  )
}

export async function get(deps: Deps, tenant: TenantRow, id: string): Promise<PublicUser> {
  const loaded = await withTenant(deps.db, tenant.id, async (tx) => {
    const found = await loadUser(tx, tenant.id, id)
    return (
      found && {
        ...found,
        mfa: await summaryOf(tx, tenant.id, id),
        passkeys: await PasskeysService.summariesFor(tx, tenant.id, id),
      }
    )
  })
  if (!loaded) throw new AppError('resource_not_found')
  return toPublicUser(loaded.user, loaded.identifications, deps.clock.now(), loaded.mfa, loaded.passkeys)
}

interface Mutation {
  /** Audit action, written with `by` as actor (the secret key when absent), and its data. */
  audit?: string
  by?: AuditBy
  data?: Record<string, unknown>
  revokeSessions?: boolean
  event?: 'user.updated' | 'user.deleted'
}

/**
 * The one path for changing an existing user: row lock, patch, change feed (introspection caches
 * user summaries), optional session revocation and audit, outbox event — one transaction;
 * the changes are announced only after it commits.
 */
async function mutate(
  deps: Deps,
  tenantId: string,
  userId: string,
  how: Mutation,
  apply: (tx: Tx, current: { identifications: IdentificationRow[] }) => Promise<UserPatch>,
): Promise<PublicUser> {
  const now = deps.clock.now()
  const event = how.event ?? 'user.updated'
  const { user, changes } = await withTenant(deps.db, tenantId, async (tx) => {
    if (!(await UsersRepo.findUser(tx, tenantId, userId, { forUpdate: true }))) throw new AppError('resource_not_found')
    const identifications = await UsersRepo.listIdentifications(tx, tenantId, [userId])
    const patch = await apply(tx, { identifications })
    const row = await guardUnique('username', 'users_tenant_id_username_uq', () =>
      UsersRepo.update(tx, tenantId, userId, { ...patch, updatedAt: new Date(now) }),
    )
    const changes = [await deps.changes.record(tx, tenantId, 'user', userId)]
    if (how.revokeSessions) changes.push(...(await revokeAllForUser(deps, tx, tenantId, userId)).changes)
    if (how.audit) {
      const by = how.by ?? { actor: { type: 'secret_key', id: tenantId } }
      await appendAudit(
        deps.auditKey,
        tx,
        tenantId,
        {
          action: how.audit,
          actor: by.actor,
          target: { type: 'user', id: userId },
          ip: by.caller?.ip,
          userAgent: by.caller?.userAgent,
          data: how.data,
        },
        now,
      )
    }
    const user = toPublicUser(
      row!,
      event === 'user.deleted' ? [] : identifications,
      now,
      await summaryOf(tx, tenantId, userId),
      await PasskeysService.summariesFor(tx, tenantId, userId),
    )
    await append(
      tx,
      tenantId,
      [userEvent(event, event === 'user.deleted' ? { id: userId, deleted: true } : { ...user })],
      now,
    )
    return { user, changes }
  })
  for (const change of changes) deps.changes.announce(change)
  return user
}

/** A verified identification of this user, for primary_email_address_id / primary_phone_number_id. */
function primaryOf(identifications: IdentificationRow[], type: IdentificationType, id: string, param: string): string {
  const found = identifications.find((i) => i.id === id && i.type === type && i.verified)
  if (!found) throw new AppError('form_param_format_invalid', { param_name: param })
  return found.id
}

/** Names, username, password, primary addresses; each metadata object given replaces the stored one. */
export async function update(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  body: Static<typeof updateBody>,
): Promise<PublicUser> {
  const metadata = metadataPatch(body)
  const passwordHash =
    body.password === undefined
      ? undefined
      : await hashNewPassword(deps, tenant, body.password, body.skip_password_checks)
  // The audit entry names the fields changed, never their values (a password among them).
  return mutate(
    deps,
    tenant.id,
    id,
    { audit: 'user.updated', data: { fields: Object.keys(body).sort() } },
    async (tx, { identifications }) => {
      const patch: UserPatch = { ...metadata }
      if (
        body.username !== undefined &&
        body.username !== null &&
        (await UsersRepo.usernameTaken(tx, tenant.id, body.username, id))
      )
        throw new AppError('form_identifier_exists', { param_name: 'username' })
      if (body.username !== undefined) patch.username = body.username
      if (body.first_name !== undefined) patch.firstName = body.first_name
      if (body.last_name !== undefined) patch.lastName = body.last_name
      if (passwordHash !== undefined) patch.passwordHash = passwordHash
      if (body.primary_email_address_id !== undefined)
        patch.primaryEmailAddressId = primaryOf(
          identifications,
          'email_address',
          body.primary_email_address_id,
          'primary_email_address_id',
        )
      if (body.primary_phone_number_id !== undefined)
        patch.primaryPhoneNumberId = primaryOf(
          identifications,
          'phone_number',
          body.primary_phone_number_id,
          'primary_phone_number_id',
        )
      return patch
    },
  )
}

/**
 * GDPR-style erasure: the row stays (sessions and audit entries point at it) but every personal
 * field is cleared and the addresses are deleted, which frees them for new accounts.
 */
export async function remove(deps: Deps, tenant: TenantRow, id: string, by?: AuditBy): Promise<void> {
  const now = new Date(deps.clock.now())
  await mutate(
    deps,
    tenant.id,
    id,
    { audit: 'user.deleted', by, revokeSessions: true, event: 'user.deleted' },
    async (tx) => {
      await UsersRepo.deleteIdentifications(tx, tenant.id, id)
      await PasskeysService.removeAllInTx(tx, tenant.id, id)
      return {
        username: null,
        firstName: null,
        lastName: null,
        passwordHash: null,
        publicMetadata: {},
        privateMetadata: {},
        unsafeMetadata: {},
        primaryEmailAddressId: null,
        primaryPhoneNumberId: null,
        deletedAt: now,
      }
    },
  )
}

export const ban = (deps: Deps, tenant: TenantRow, id: string) =>
  mutate(deps, tenant.id, id, { audit: 'user.banned', revokeSessions: true }, async () => ({ banned: true }))

export const unban = (deps: Deps, tenant: TenantRow, id: string) =>
  mutate(deps, tenant.id, id, { audit: 'user.unbanned' }, async () => ({ banned: false }))

export const lock = (deps: Deps, tenant: TenantRow, id: string) =>
  mutate(deps, tenant.id, id, { audit: 'user.locked' }, async () => ({
    lockedUntil: new Date(deps.clock.now() + INDEFINITE_LOCK_MS),
    lockedByAdmin: true,
  }))

export const unlock = (deps: Deps, tenant: TenantRow, id: string) =>
  mutate(deps, tenant.id, id, { audit: 'user.unlocked' }, async () => ({
    lockedUntil: null,
    lockedByAdmin: false,
    failedPasswordAttempts: 0,
  }))

/** A password over the tenant's maximum is answered like a wrong one, without hashing (API.md §12). */
export async function verifyPassword(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  password: string,
): Promise<{ verified: true }> {
  const loaded = await withTenant(deps.db, tenant.id, (tx) => loadUser(tx, tenant.id, id))
  if (!loaded) throw new AppError('resource_not_found')
  const hash = loaded.user.passwordHash
  if (
    hash === null ||
    password.length > tenant.settings.password.max_length ||
    !(await passwordMatches(deps.hashing, password, hash))
  )
    throw new AppError('form_password_incorrect', { param_name: 'password' })
  return { verified: true }
}
