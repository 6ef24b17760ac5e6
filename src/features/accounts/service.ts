import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import { hashPassword, needsRehash, verifyPassword as passwordMatches } from '../../platform/crypto/password'
import type { Tx } from '../../platform/db/client'
import { afterCommit, withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { append } from '../../platform/outbox'
import type { AuditBy } from '../audit/service'
import * as ExternalAccountsService from '../external-accounts/service'
import * as MfaService from '../mfa/service'
import * as OrganizationsService from '../organizations/service'
import * as PasskeysService from '../passkeys/service'
import * as RolesService from '../roles/service'
import * as SessionsService from '../sessions/service'
import type { TenantRow } from '../tenants/service'
import { toPublicUser, userEvent, type listUsersQuery, type PublicUser, type updateBody } from '../users/model'
import * as UsersService from '../users/service'
import type { IdentificationRow, UserPatch, UserRow } from '../users/service'

/**
 * The user as the API shows it (Backend API, /me, `user.*` events), read in the caller's
 * transaction: the users feature's row and addresses with the second factors (mfa) and passkeys.
 */
export async function presentUser(
  tx: Tx,
  tenantId: string,
  user: UserRow,
  identifications: IdentificationRow[],
  now: number,
): Promise<PublicUser> {
  return (await presentUsers(tx, tenantId, [user], identifications, now))[0]!
}

/** presentUser for a page of users, each read model query made once for all of them. */
export async function presentUsers(
  tx: Tx,
  tenantId: string,
  users: UserRow[],
  identifications: IdentificationRow[],
  now: number,
): Promise<PublicUser[]> {
  const ids = users.map((u) => u.id)
  // One after the other: a transaction is one connection.
  const mfa = await MfaService.summaries(tx, tenantId, ids)
  const passkeys = await PasskeysService.summariesOf(tx, tenantId, ids)
  const externalAccounts = await ExternalAccountsService.summariesOf(tx, tenantId, ids)
  const roles = await RolesService.tenantRoleKeys(tx, tenantId, ids)
  return users.map((user) =>
    toPublicUser(
      user,
      identifications.filter((i) => i.userId === user.id),
      now,
      {
        mfa: mfa.get(user.id),
        passkeys: passkeys.get(user.id),
        externalAccounts: externalAccounts.get(user.id),
        roles: roles.get(user.id),
      },
    ),
  )
}

/** `lock` without an end: long enough to outlive any account, short of timestamp limits. */
const INDEFINITE_LOCK_MS = 100 * 365 * 86_400_000

export { bulkCreate, create, hashNewPassword } from './create'
import { hashNewPassword } from './create'

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
    email: filterValue(query.email_address, UsersService.normalizeEmail, 'email_address'),
    phone: filterValue(query.phone_number, UsersService.normalizePhone, 'phone_number'),
    query: query.query?.trim() || undefined,
  }
  const now = deps.clock.now()
  const found = await withTenant(deps.db, tenant.id, async (tx) => {
    const { users, identifications } = await UsersService.listUsers(tx, tenant.id, filter, limit + 1, after)
    const presented = await presentUsers(tx, tenant.id, users, identifications, now)
    return users.map((row, i) => ({ createdAt: row.createdAt, id: row.id, user: presented[i]! }))
  })
  return deps.cursors.page(scope, found, limit, (row) => row.user)
}

export async function get(deps: Deps, tenant: TenantRow, id: string): Promise<PublicUser> {
  const user = await withTenant(deps.db, tenant.id, async (tx) => {
    const found = await UsersService.loadUser(tx, tenant.id, id)
    return found && presentUser(tx, tenant.id, found.user, found.identifications, deps.clock.now())
  })
  if (!user) throw new AppError('resource_not_found')
  return user
}

interface Mutation {
  /** Audit action, written with `by` as actor, and its data. */
  audit?: string
  by: AuditBy
  /** A function when the data is known only once `apply` has run. */
  data?: Record<string, unknown> | (() => Record<string, unknown>)
  revokeSessions?: boolean
  event?: 'user.updated' | 'user.deleted'
}

/**
 * The one path for changing an existing user: row lock, patch, change feed (introspection caches
 * user summaries), optional session revocation and audit, outbox event — inside the caller's
 * transaction; the changes are announced only after it commits.
 */
async function mutateInTx(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  userId: string,
  how: Mutation,
  apply: (tx: Tx, current: { identifications: IdentificationRow[] }) => Promise<UserPatch>,
): Promise<PublicUser> {
  const now = deps.clock.now()
  const event = how.event ?? 'user.updated'
  const current = await UsersService.lockUser(tx, tenantId, userId)
  if (!current) throw new AppError('resource_not_found')
  const { identifications } = current
  const patch = await apply(tx, { identifications })
  const row = await UsersService.patchUser(tx, tenantId, userId, { ...patch, updatedAt: new Date(now) })
  const changes = [await deps.changes.record(tx, tenantId, 'user', userId)]
  if (how.revokeSessions) changes.push(...(await SessionsService.revokeAllForUser(deps, tx, tenantId, userId)).changes)
  if (how.audit) {
    const { by } = how
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
        data: typeof how.data === 'function' ? how.data() : how.data,
      },
      now,
    )
  }
  const live = event === 'user.deleted' ? [] : await UsersService.identificationsOf(tx, tenantId, userId)
  const user = await presentUser(tx, tenantId, row!, live, now)
  await append(
    tx,
    tenantId,
    [userEvent(event, event === 'user.deleted' ? { id: userId, deleted: true } : { ...user })],
    now,
  )
  afterCommit(() => {
    for (const change of changes) deps.changes.announce(change)
  })
  return user
}

const mutate = (deps: Deps, tenantId: string, userId: string, how: Mutation, apply: Parameters<typeof mutateInTx>[5]) =>
  withTenant(deps.db, tenantId, (tx) => mutateInTx(deps, tx, tenantId, userId, how, apply))

/** Names, username, password, primary addresses; each metadata object given replaces the stored one. */
export async function update(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  body: Static<typeof updateBody>,
  actor: AuditBy['actor'],
): Promise<PublicUser> {
  const metadata = UsersService.metadataPatch(body)
  const passwordHash =
    body.password === undefined
      ? undefined
      : await hashNewPassword(deps, tenant, body.password, body.skip_password_checks)
  // The audit entry names the fields changed, never their values (a password among them).
  return mutate(
    deps,
    tenant.id,
    id,
    { audit: 'user.updated', by: { actor }, data: { fields: Object.keys(body).sort() } },
    async (_tx, { identifications }) => {
      const patch: UserPatch = { ...metadata }
      if (body.username !== undefined) patch.username = body.username
      if (body.first_name !== undefined) patch.firstName = body.first_name
      if (body.last_name !== undefined) patch.lastName = body.last_name
      if (passwordHash !== undefined) patch.passwordHash = passwordHash
      return { ...patch, ...UsersService.primaryPatch(identifications, body) }
    },
  )
}

/**
 * GDPR-style erasure: the row stays (sessions and audit entries point at it) but every personal
 * field is cleared and the addresses are deleted, which frees them for new accounts. The user
 * leaves every organization, even as its last owner: erasure is not blocked by an organization.
 */
export async function remove(deps: Deps, tenant: TenantRow, id: string, by: AuditBy): Promise<void> {
  await withTenant(deps.db, tenant.id, (tx) => removeInTx(deps, tx, tenant.id, id, by))
}

/** `remove` inside the caller's transaction (SCIM deletes the users its organization created). */
export function removeInTx(deps: Deps, tx: Tx, tenantId: string, id: string, by: AuditBy): Promise<PublicUser> {
  const now = new Date(deps.clock.now())
  return mutateInTx(
    deps,
    tx,
    tenantId,
    id,
    { audit: 'user.deleted', by, revokeSessions: true, event: 'user.deleted' },
    async (tx) => {
      await OrganizationsService.removeAllOfUser(deps, tx, tenantId, id, { by, audience: 'backend' })
      await UsersService.removeIdentifications(tx, tenantId, id)
      await PasskeysService.removeAllInTx(tx, tenantId, id)
      await ExternalAccountsService.removeAllOfUserInTx(tx, tenantId, id)
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

/** Replaces the user's tenant roles; the next session token carries them (claim `roles`). */
export const setRoles = (deps: Deps, tenant: TenantRow, id: string, roles: string[], actor: AuditBy['actor']) =>
  withTenant(deps.db, tenant.id, (tx) => setRolesInTx(deps, tx, tenant.id, id, roles, actor))

/** `setRoles` inside the caller's transaction (operators: checked and changed under one lock). */
export function setRolesInTx(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  id: string,
  roles: string[],
  actor: AuditBy['actor'],
): Promise<PublicUser> {
  let change: { before: string[]; after: string[] } = { before: [], after: [] }
  const how = { audit: 'user.roles_updated', by: { actor }, data: () => change }
  return mutateInTx(deps, tx, tenantId, id, how, async (tx) => {
    change = await RolesService.assignTenantRoles(tx, tenantId, id, roles)
    return {}
  })
}

type Actor = AuditBy['actor']

export const ban = (deps: Deps, tenant: TenantRow, id: string, actor: Actor) =>
  withTenant(deps.db, tenant.id, (tx) => setBannedInTx(deps, tx, tenant.id, id, true, { actor }))

export const unban = (deps: Deps, tenant: TenantRow, id: string, actor: Actor) =>
  withTenant(deps.db, tenant.id, (tx) => setBannedInTx(deps, tx, tenant.id, id, false, { actor }))

/** Bans (every session revoked) or unbans inside the caller's transaction (SCIM deprovisioning). */
export const setBannedInTx = (deps: Deps, tx: Tx, tenantId: string, id: string, banned: boolean, by: AuditBy) =>
  mutateInTx(
    deps,
    tx,
    tenantId,
    id,
    { audit: banned ? 'user.banned' : 'user.unbanned', by, revokeSessions: banned },
    async () => ({ banned }),
  )

/**
 * An admin removes one of the user's passkeys (Clerk's `DELETE /users/{id}/passkeys/{id}`): no step-up and no
 * last-way-in rule, as for a second-factor reset — the user signs in another way or is helped to. 404 if not theirs.
 */
export const removePasskey = (deps: Deps, tenant: TenantRow, id: string, passkeyId: string, actor: Actor) =>
  mutate(
    deps,
    tenant.id,
    id,
    { audit: 'passkey.deleted', by: { actor }, data: { passkey_id: passkeyId } },
    async (tx) => {
      if (!(await PasskeysService.removeOwnedInTx(tx, tenant.id, id, passkeyId)))
        throw new AppError('resource_not_found')
      return {}
    },
  )

export const lock = (deps: Deps, tenant: TenantRow, id: string, actor: Actor) =>
  mutate(deps, tenant.id, id, { by: { actor } }, async (tx) => {
    const until = deps.clock.now() + INDEFINITE_LOCK_MS
    await UsersService.recordLockInTx(deps, tx, tenant.id, id, { until, by: actor })
    return { lockedUntil: new Date(until), lockedByAdmin: true }
  })

export const unlock = (deps: Deps, tenant: TenantRow, id: string, actor: Actor) =>
  mutate(deps, tenant.id, id, { audit: 'user.unlocked', by: { actor } }, async () => ({
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
  const loaded = await withTenant(deps.db, tenant.id, (tx) => UsersService.loadUser(tx, tenant.id, id))
  if (!loaded) throw new AppError('resource_not_found')
  const hash = loaded.user.passwordHash
  if (
    hash === null ||
    password.length > tenant.settings.password.max_length ||
    !(await passwordMatches(deps.hashing, password, hash))
  )
    throw new AppError('form_password_incorrect', { param_name: 'password' })
  // As at sign-in: a right password under an imported hash or older argon2 settings is rehashed.
  const { argon2 } = tenant.settings.password
  if (needsRehash(hash, argon2)) {
    const to = await hashPassword(deps.hashing, password, argon2)
    await withTenant(deps.db, tenant.id, (tx) => UsersService.rehashPasswordInTx(tx, tenant.id, id, { from: hash, to }))
  }
  return { verified: true }
}

/** What an organization's identity provider may change on a user (SCIM, API.md §17); absent = unchanged. */
export interface ProvidedProfile {
  firstName?: string | null
  lastName?: string | null
  username?: string
  /** Keys set in the user's metadata (merged: other keys stay). */
  publicMetadata?: Record<string, string>
  privateMetadata?: Record<string, string>
  /** A new primary email address; the previous primary one is removed (the provider moved the user). */
  email?: { value: string; verified: boolean }
}

/** Applies a provider's profile inside the caller's transaction (event `user.updated`, audit names the fields). */
export function applyProvidedProfileInTx(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  id: string,
  profile: ProvidedProfile,
  by: AuditBy,
): Promise<PublicUser> {
  const how = { audit: 'user.updated', by, data: { fields: Object.keys(profile).sort() } }
  return mutateInTx(deps, tx, tenantId, id, how, async (tx, { identifications }) => {
    const current = await UsersService.loadUser(tx, tenantId, id)
    const patch: UserPatch = {}
    if (profile.firstName !== undefined) patch.firstName = profile.firstName
    if (profile.lastName !== undefined) patch.lastName = profile.lastName
    if (profile.username !== undefined) patch.username = profile.username
    // Merged, the metadata keeps the limits of API.md §12 (8 KiB): 422 naming the field otherwise.
    const merged = (field: string, stored: Record<string, unknown>, given: Record<string, string>) =>
      UsersService.checkMetadata(field, { ...stored, ...given })
    if (profile.publicMetadata)
      patch.publicMetadata = merged('public_metadata', current!.user.publicMetadata, profile.publicMetadata)
    if (profile.privateMetadata)
      patch.privateMetadata = merged('private_metadata', current!.user.privateMetadata, profile.privateMetadata)
    if (profile.email) {
      const normalized = UsersService.normalizeEmail(profile.email.value)
      let found = identifications.find((i) => i.type === 'email_address' && i.normalized === normalized)
      found ??= await UsersService.addIdentification(deps, tx, tenantId, id, 'email_address', profile.email.value)
      if (profile.email.verified && !found.verified)
        found = await UsersService.verifyIdentification(deps, tx, tenantId, id, found)
      const previous = current!.user.primaryEmailAddressId
      if (previous && previous !== found.id) await UsersService.removeIdentification(tx, tenantId, id, previous)
      patch.primaryEmailAddressId = found.id
    }
    return patch
  })
}
