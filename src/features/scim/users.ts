import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import * as AccountsService from '../accounts/service'
import * as OrganizationsService from '../organizations/service'
import * as SessionsService from '../sessions/service'
import * as UsersService from '../users/service'
import { lockedOrgOf, type ScimCaller } from './admin'
import { invalidValue, notFound, ScimError, uniqueness } from './errors'
import { loadMappings } from './mappings'
import { mapResource } from './mapping'
import { checkStoredSize, normalizeResource } from './normalize'
import { applyPatch } from './patch'
import { byToken, recordScim } from './record'
import * as ScimRepo from './repo'
import type { ScimUserRow } from './repo'
import { scimBaseUrl } from './model'
import { checkIfMatch, userResource, type Resource } from './resources'
import * as UserProfile from './user-profile'
import { syncMembers } from './sync'

/**
 * SCIM Users of one organization (RFC 7644 §3.3–3.6, API.md §17): each maps to a tenant user, created
 * or linked, and to a membership whose status follows `active`. Every change commits in one
 * transaction with its membership, ban, sessions and events: a 2xx means the user is in or out.
 */
export const baseUrlOf = (deps: Deps, caller: ScimCaller) => scimBaseUrl(deps.config.publicUrl, caller.tenant)

const userNameOf = (resource: Resource): string => {
  const userName = resource.userName
  if (typeof userName !== 'string' || userName.trim() === '') throw invalidValue('userName is required.')
  return userName
}
const activeOf = (resource: Resource, fallback: boolean) =>
  typeof resource.active === 'boolean' ? resource.active : fallback
const externalIdOf = (resource: Resource) => (typeof resource.externalId === 'string' ? resource.externalId : null)

/** The identity provider's resource as stored: what it sent, without what the server owns. */
function stored(resource: Resource): Resource {
  const { id: _id, meta: _meta, schemas: _schemas, ...rest } = resource
  return rest
}

/** Translates the users feature's conflicts into SCIM's. */
async function scimConflicts<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof AppError && (err.code === 'form_identifier_exists' || err.code === 'duplicate_record'))
      throw uniqueness('An address or username of this user belongs to another user.')
    if (err instanceof AppError && err.code === 'form_param_format_invalid')
      throw invalidValue(`Invalid ${String(err.meta.param_name ?? 'value')}.`)
    if (isUniqueViolation(err)) throw uniqueness('userName is already provisioned in this organization.')
    throw err
  }
}

/**
 * Whether a SCIM row still stands for someone the organization owns: a live tenant user who is
 * still a member. Otherwise the row is forgotten (every organization's, for an erased user; this
 * one's, for a user who left or was removed), so that the provider can no longer revoke their
 * sessions, ban them or write their profile (API.md §17: never a user it does not own).
 */
async function stillProvisioned(tx: Tx, caller: ScimCaller, userId: string): Promise<boolean> {
  const tenantId = caller.tenant.id
  if (!(await UsersService.loadUser(tx, tenantId, userId))) {
    await ScimRepo.forgetUser(tx, tenantId, userId)
    return false
  }
  if (!(await OrganizationsService.isMemberInTx(tx, tenantId, caller.organizationId, userId))) {
    await ScimRepo.deleteUser(tx, tenantId, caller.organizationId, userId)
    return false
  }
  return true
}

/** The live SCIM user (locked), or 404; a row that no longer stands for a member is forgotten on the way. */
async function liveRow(tx: Tx, caller: ScimCaller, id: string, forUpdate: boolean): Promise<ScimUserRow> {
  const row = await ScimRepo.findUser(tx, caller.tenant.id, caller.organizationId, id, forUpdate)
  if (!row || !(await stillProvisioned(tx, caller, row.userId))) throw notFound()
  return row
}

/** userName must be free in the organization; a name held by a user who is gone is released. */
async function claimUserName(tx: Tx, caller: ScimCaller, userName: string, except: string | null) {
  const holder = await ScimRepo.findUserByName(tx, caller.tenant.id, caller.organizationId, userName)
  if (!holder || holder.userId === except) return
  if (await stillProvisioned(tx, caller, holder.userId))
    throw uniqueness('userName is already provisioned in this organization.')
}

/**
 * `active:false` (API.md §17): membership suspended (by syncMembers), every session revoked, and a
 * user this organization's SCIM created is banned; `active:true` lifts only a ban deprovisioning set.
 */
async function applyActive(deps: Deps, tx: Tx, caller: ScimCaller, row: ScimUserRow, active: boolean) {
  const tenantId = caller.tenant.id
  const by = byToken(caller)
  if (!active) {
    const user = await UsersService.loadUser(tx, tenantId, row.userId)
    const banNow = row.createdByScim && !user!.user.banned
    if (banNow) await AccountsService.setBannedInTx(deps, tx, tenantId, row.userId, true, by)
    else
      await SessionsService.revokeAllForUser(deps, tx, tenantId, row.userId).then(UserProfile.announceAfterCommit(deps))
    return banNow || row.bannedByScim
  }
  if (row.bannedByScim) await AccountsService.setBannedInTx(deps, tx, tenantId, row.userId, false, by)
  return false
}

export async function create(deps: Deps, caller: ScimCaller, body: unknown): Promise<Resource> {
  const resource = stored(normalizeResource('User', body))
  checkStoredSize(resource)
  const userName = userNameOf(resource)
  const active = activeOf(resource, true)
  const tenantId = caller.tenant.id
  const now = new Date(deps.clock.now())
  const row = await withTenant(deps.db, tenantId, (tx) =>
    scimConflicts(async () => {
      const org = await lockedOrgOf(tx, caller)
      await claimUserName(tx, caller, userName, null)
      const profile = mapResource(resource, (await loadMappings(tx, tenantId, org.id)).user)
      const { userId, createdByScim } = await UserProfile.userFor(deps, tx, caller, org, profile)
      if (await ScimRepo.findUser(tx, tenantId, org.id, userId))
        throw uniqueness('This user is already provisioned in this organization.')
      let row = await ScimRepo.insertUser(tx, {
        tenantId,
        organizationId: org.id,
        userId,
        userName,
        externalId: externalIdOf(resource),
        active,
        resource: { ...resource, active },
        createdByScim,
        createdAt: now,
        updatedAt: now,
      })
      await syncMembers(deps, tx, caller.tenant, org, [userId], byToken(caller), { admit: true })
      if (!active) {
        const bannedByScim = await applyActive(deps, tx, caller, row, false)
        row = await ScimRepo.updateUser(tx, row, { bannedByScim, updatedAt: now })
      }
      const target = { type: 'scim_user' as const, id: userId }
      await recordScim(deps, tx, caller, 'scimUser.provisioned', target, eventData(row))
      if (!active) await recordScim(deps, tx, caller, 'scimUser.deprovisioned', target, eventData(row))
      return row
    }),
  )
  return userResource(row, baseUrlOf(deps, caller))
}

const eventData = (row: ScimUserRow) => ({
  user_id: row.userId,
  user_name: row.userName,
  external_id: row.externalId,
  active: row.active,
  linked: !row.createdByScim,
})

export async function get(deps: Deps, caller: ScimCaller, id: string): Promise<Resource> {
  const row = await withTenant(deps.db, caller.tenant.id, (tx) => liveRow(tx, caller, id, false))
  return userResource(row, baseUrlOf(deps, caller))
}

/** PUT (`replace`: the body is the whole resource) or PATCH (RFC 7644 §3.5.2 operations). */
export async function change(
  deps: Deps,
  caller: ScimCaller,
  id: string,
  how: { put: unknown } | { patch: unknown },
  ifMatch: string | null,
): Promise<Resource> {
  const tenantId = caller.tenant.id
  const row = await withTenant(deps.db, tenantId, (tx) =>
    scimConflicts(async () => {
      const org = await lockedOrgOf(tx, caller)
      const current = await liveRow(tx, caller, id, true)
      checkIfMatch(ifMatch, current.version)
      const before = userResource(current, '')
      const next =
        'put' in how
          ? stored(normalizeResource('User', how.put))
          : stored(applyPatch('User', { ...stored(before), id: current.userId }, how.patch).resource)
      checkStoredSize(next)
      const userName = userNameOf(next)
      const active = activeOf(next, current.active)
      if (userName.toLowerCase() !== current.userName.toLowerCase())
        await claimUserName(tx, caller, userName, current.userId)
      const mappings = await loadMappings(tx, tenantId, org.id)
      await UserProfile.applyChanges(deps, tx, caller, current, {
        before: mapResource(stored(before), mappings.user),
        after: mapResource(next, mappings.user),
      })
      let row = await ScimRepo.updateUser(tx, current, {
        userName,
        externalId: externalIdOf(next),
        active,
        resource: { ...next, active },
        updatedAt: new Date(deps.clock.now()),
      })
      await syncMembers(deps, tx, caller.tenant, org, [row.userId], byToken(caller))
      const target = { type: 'scim_user' as const, id: row.userId }
      await recordScim(deps, tx, caller, 'scimUser.updated', target, eventData(row))
      if (active !== current.active) {
        const bannedByScim = await applyActive(deps, tx, caller, row, active)
        row = await ScimRepo.updateUser(tx, row, { bannedByScim, updatedAt: row.updatedAt })
        // Reactivation provisions the user again: the same event as a create, so consumers need one handler.
        const type = active ? 'scimUser.provisioned' : 'scimUser.deprovisioned'
        await recordScim(deps, tx, caller, type, target, eventData(row))
      }
      return row
    }),
  )
  return userResource(row, baseUrlOf(deps, caller))
}

/** DELETE: the membership goes, and with it a user that exists only through this organization's SCIM. */
export async function remove(deps: Deps, caller: ScimCaller, id: string, ifMatch: string | null): Promise<void> {
  const tenantId = caller.tenant.id
  await withTenant(deps.db, tenantId, async (tx) => {
    const org = await lockedOrgOf(tx, caller)
    const row = await liveRow(tx, caller, id, true)
    checkIfMatch(ifMatch, row.version)
    await ScimRepo.deleteUser(tx, tenantId, org.id, row.userId)
    const orgs = await OrganizationsService.organizationIdsOfUser(tx, tenantId, row.userId)
    const scimOnly = row.createdByScim && orgs.every((o) => o === org.id)
    try {
      // The membership goes first, through the last-owner check: erasure alone would skip it.
      await OrganizationsService.removeProvisioned(deps, tx, tenantId, org, row.userId, {
        by: byToken(caller),
        audience: 'backend',
      })
      if (scimOnly) await AccountsService.removeInTx(deps, tx, tenantId, row.userId, byToken(caller))
      // A user who stays (in other organizations) keeps no ban that only this organization's deprovisioning set.
      else if (row.bannedByScim)
        await AccountsService.setBannedInTx(deps, tx, tenantId, row.userId, false, byToken(caller))
    } catch (err) {
      if (err instanceof AppError && err.code === 'last_owner')
        throw new ScimError(409, null, 'This user is the organization’s last owner.')
      throw err
    }
    const data = { ...eventData(row), active: false, deleted: true }
    await recordScim(deps, tx, caller, 'scimUser.deprovisioned', { type: 'scim_user', id: row.userId }, data)
  })
}
