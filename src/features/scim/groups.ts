import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { newId } from '../../platform/ids'
import { lockedOrgOf, type ScimCaller } from './admin'
import { invalidValue, notFound, uniqueness } from './errors'
import { normalizeResource } from './normalize'
import { applyPatch } from './patch'
import { byToken, recordScim } from './record'
import * as ScimRepo from './repo'
import type { ScimGroupRow } from './repo'
import { checkIfMatch, groupResource, type Resource } from './resources'
import { recomputeOrganization } from './sync'
import { baseUrlOf } from './users'

/**
 * SCIM Groups of one organization (RFC 7644, API.md §17). A group is a name and a set of the
 * organization's SCIM users; membership and name changes recompute the roles of the members
 * concerned through the group → role mappings.
 */
type Json = Record<string, unknown>

async function groupOf(tx: Tx, caller: ScimCaller, id: string, forUpdate = false): Promise<ScimGroupRow> {
  const row = await ScimRepo.findGroup(tx, caller.tenant.id, caller.organizationId, id, forUpdate)
  if (!row) throw notFound()
  return row
}

/** The member ids of a group resource, each a SCIM user of this organization (else 400 invalidValue). */
async function memberIds(tx: Tx, caller: ScimCaller, resource: Json): Promise<string[]> {
  const members = Array.isArray(resource.members) ? (resource.members as Json[]) : []
  const ids = [...new Set(members.map((m) => m.value).filter((v): v is string => typeof v === 'string'))]
  const known = await ScimRepo.existingUserIds(tx, caller.tenant.id, caller.organizationId, ids)
  const unknown = ids.find((id) => !known.has(id))
  if (unknown !== undefined) throw invalidValue(`members: "${unknown}" is not a user of this endpoint.`)
  return ids
}

const nameOf = (resource: Json) => {
  const name = resource.displayName
  if (typeof name !== 'string' || name.trim() === '') throw invalidValue('displayName is required.')
  return name
}
const externalIdOf = (resource: Json) => (typeof resource.externalId === 'string' ? resource.externalId : null)

async function present(tx: Tx, deps: Deps, caller: ScimCaller, row: ScimGroupRow): Promise<Resource> {
  const members = (await ScimRepo.membersOf(tx, caller.tenant.id, [row.id])).get(row.id) ?? []
  return groupResource(row, members, baseUrlOf(deps, caller))
}

/** The group as PATCH operations see it: what the provider can write. */
async function storedOf(tx: Tx, caller: ScimCaller, row: ScimGroupRow): Promise<Json> {
  const members = (await ScimRepo.membersOf(tx, caller.tenant.id, [row.id])).get(row.id) ?? []
  // `id` is there so that Okta's rename (`replace` with the unchanged id in its value) is no mutability error.
  const externalId = row.externalId === null ? {} : { externalId: row.externalId }
  return { id: row.id, displayName: row.displayName, ...externalId, members }
}

const duplicateName = (err: unknown) => {
  if (isUniqueViolation(err)) throw uniqueness('A group with this displayName exists in this organization.')
  throw err
}

export async function create(deps: Deps, caller: ScimCaller, body: unknown): Promise<Resource> {
  const resource = normalizeResource('Group', body)
  const displayName = nameOf(resource)
  const now = new Date(deps.clock.now())
  return withTenant(deps.db, caller.tenant.id, async (tx) => {
    const org = await lockedOrgOf(tx, caller)
    const ids = await memberIds(tx, caller, resource)
    const row = await ScimRepo.insertGroup(tx, {
      id: newId('scimgrp', now.getTime()),
      tenantId: caller.tenant.id,
      organizationId: org.id,
      displayName,
      externalId: externalIdOf(resource),
      createdAt: now,
      updatedAt: now,
    }).catch(duplicateName)
    await ScimRepo.setMembers(tx, row, ids)
    await recomputeOrganization(deps, tx, caller.tenant, org, byToken(caller), ids)
    await recordScim(deps, tx, caller, 'scimGroup.created', { type: 'scim_group', id: row.id }, groupData(row, ids))
    return present(tx, deps, caller, row)
  })
}

const groupData = (row: ScimGroupRow, memberIds: string[]) => ({
  display_name: row.displayName,
  external_id: row.externalId,
  members_count: memberIds.length,
})

export async function get(deps: Deps, caller: ScimCaller, id: string): Promise<Resource> {
  return withTenant(deps.db, caller.tenant.id, async (tx) => present(tx, deps, caller, await groupOf(tx, caller, id)))
}

/** PUT or PATCH; members who joined or left, and all members after a rename, get their roles recomputed. */
export async function change(
  deps: Deps,
  caller: ScimCaller,
  id: string,
  how: { put: unknown } | { patch: unknown },
  ifMatch: string | null,
): Promise<Resource> {
  return withTenant(deps.db, caller.tenant.id, async (tx) => {
    const org = await lockedOrgOf(tx, caller)
    const current = await groupOf(tx, caller, id, true)
    checkIfMatch(ifMatch, current.version)
    const next =
      'put' in how
        ? normalizeResource('Group', how.put)
        : applyPatch('Group', await storedOf(tx, caller, current), how.patch).resource
    const displayName = nameOf(next)
    const externalId = 'put' in how || 'externalId' in next ? externalIdOf(next) : current.externalId
    const ids = await memberIds(tx, caller, next)
    const row = await ScimRepo.updateGroup(tx, current, {
      displayName,
      externalId,
      updatedAt: new Date(deps.clock.now()),
    }).catch(duplicateName)
    const { added, removed } = await ScimRepo.setMembers(tx, row, ids)
    const renamed = displayName !== current.displayName || externalId !== current.externalId
    const affected = renamed ? [...new Set([...ids, ...removed])] : [...added, ...removed]
    await recomputeOrganization(deps, tx, caller.tenant, org, byToken(caller), affected)
    await recordScim(deps, tx, caller, 'scimGroup.updated', { type: 'scim_group', id: row.id }, groupData(row, ids))
    return present(tx, deps, caller, row)
  })
}

export async function remove(deps: Deps, caller: ScimCaller, id: string, ifMatch: string | null): Promise<void> {
  await withTenant(deps.db, caller.tenant.id, async (tx) => {
    const org = await lockedOrgOf(tx, caller)
    const row = await groupOf(tx, caller, id, true)
    checkIfMatch(ifMatch, row.version)
    const { removed } = await ScimRepo.setMembers(tx, row, [])
    await ScimRepo.deleteGroup(tx, caller.tenant.id, row.id)
    await recomputeOrganization(deps, tx, caller.tenant, org, byToken(caller), removed)
    await recordScim(deps, tx, caller, 'scimGroup.deleted', { type: 'scim_group', id: row.id }, groupData(row, []))
  })
}
