import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import * as OrganizationsService from '../organizations/service'
import { currentUserIds, type ScimCaller } from './admin'
import { equalityProbe, evaluate, filterOf, listResponse, pageOf, type ListQuery } from './listing'
import * as ScimRepo from './repo'
import type { ScimGroupRow, ScimUserRow } from './repo'
import { groupResource, userResource } from './resources'
import { baseUrlOf } from './users'

/**
 * GET /Users, /Groups and their POST /.search (RFC 7644 §3.4.2–3.4.3). Three paths, cheapest first:
 * the probe every provider sends before a create (`userName eq`, `displayName eq`) reads one row by
 * index; a plain page (no filter, no sort) reads only that page's resources; anything else reads the
 * organization's resources (up to a cap) and filters and sorts them in memory.
 */
const MAX_USERS_SCAN = 50_000
const MAX_GROUPS_SCAN = 10_000

/** `/Users` lists the organization's members linked to or created by its SCIM (API.md §17), not users who left. */
async function members(tx: Tx, caller: ScimCaller, rows: ScimUserRow[]): Promise<ScimUserRow[]> {
  const ids = rows.map((r) => r.userId)
  const current = await OrganizationsService.memberIdsInTx(tx, caller.tenant.id, caller.organizationId, ids)
  return rows.filter((r) => current.has(r.userId))
}

export async function listUsers(deps: Deps, caller: ScimCaller, query: ListQuery) {
  const filter = filterOf(query)
  const probe = equalityProbe(filter, 'username')
  const { tenant, organizationId } = caller
  const toResource = (row: ScimUserRow) => userResource(row, baseUrlOf(deps, caller))
  return withTenant(deps.db, tenant.id, async (tx) => {
    if (probe !== null) {
      const found = await ScimRepo.findUserByName(tx, tenant.id, organizationId, probe)
      return evaluate('User', (await members(tx, caller, found ? [found] : [])).map(toResource), query, filter)
    }
    if (filter === null && !query.sortBy) {
      const listed = await currentUserIds(tx, tenant.id, organizationId)
      const { startIndex, count } = pageOf(query)
      const page = listed.slice(startIndex - 1, startIndex - 1 + count)
      const rows = await ScimRepo.findUsers(tx, tenant.id, organizationId, page)
      return listResponse('User', rows.map(toResource), listed.length, query)
    }
    const rows = await members(tx, caller, await ScimRepo.listUsers(tx, tenant.id, organizationId, MAX_USERS_SCAN))
    return evaluate('User', rows.map(toResource), query, filter)
  })
}

/** Members are read only when the answer may show them or the filter needs them (`excludedAttributes=members`). */
export async function listGroups(deps: Deps, caller: ScimCaller, query: ListQuery) {
  const filter = filterOf(query)
  const probe = equalityProbe(filter, 'displayname')
  const { tenant, organizationId } = caller
  const withoutMembers =
    /(^|,)\s*members\s*(,|$)/i.test(query.excludedAttributes ?? '') && !/members/i.test(query.filter ?? '')
  return withTenant(deps.db, tenant.id, async (tx) => {
    const present = async (rows: ScimGroupRow[]) => {
      const ids = rows.map((r) => r.id)
      const byGroup = withoutMembers ? new Map() : await ScimRepo.membersOf(tx, tenant.id, ids)
      return rows.map((r) => groupResource(r, byGroup.get(r.id) ?? [], baseUrlOf(deps, caller)))
    }
    if (probe !== null) {
      const found = await ScimRepo.findGroupByName(tx, tenant.id, organizationId, probe)
      return evaluate('Group', await present(found ? [found] : []), query, filter)
    }
    if (filter === null && !query.sortBy) {
      const { startIndex, count } = pageOf(query)
      const rows = await ScimRepo.listGroups(tx, tenant.id, organizationId, count, startIndex - 1)
      const total = await ScimRepo.countGroups(tx, tenant.id, organizationId)
      return listResponse('Group', await present(rows), total, query)
    }
    const rows = await ScimRepo.listGroups(tx, tenant.id, organizationId, MAX_GROUPS_SCAN)
    return evaluate('Group', await present(rows), query, filter)
  })
}
