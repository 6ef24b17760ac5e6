import { Type, type Static } from '@sinclair/typebox'
import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { append } from '../../platform/outbox'
import type { AuditBy } from '../audit/service'
import * as OrganizationsService from '../organizations/service'
import type { OrganizationRow } from '../organizations/service'
import * as RolesService from '../roles/service'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import { loadMappings, type Mappings } from './mappings'
import * as ScimRepo from './repo'

/**
 * Applies what an organization's identity provider says to its memberships (API.md §17): status
 * from `active`, role from the groups through the mappings. Reads the current SCIM state, so it is
 * idempotent and may run any number of times, in a request or in the SCIM worker.
 */

/** Recomputations up to this many members run in the request; larger ones go to the SCIM worker. */
export const INLINE_SYNC_LIMIT = 100
const WORKER_CHUNK = 500

export const SCIM_SYNC_SUBJECT = 'tessera.scim.sync'
export const ScimSyncMessage = Type.Object({
  tenant_id: Type.String(),
  organization_id: Type.String(),
  user_ids: Type.Array(Type.String(), { maxItems: WORKER_CHUNK }),
})

/** The highest-level role mapped from the member's groups, else the mapping's default, else the tenant's. */
export function roleFor(
  mappings: Mappings,
  groups: { displayName: string; externalId: string | null }[],
  levels: Map<string, number>,
  tenantDefault: string,
): string {
  const names = new Set(groups.flatMap((g) => [g.displayName.toLowerCase(), ...(g.externalId ? [g.externalId] : [])]))
  let best: string | null = null
  for (const { group, role } of mappings.groupRoles) {
    if (!names.has(group.toLowerCase()) && !names.has(group)) continue
    if (best === null || (levels.get(role) ?? -1) > (levels.get(best) ?? -1)) best = role
  }
  return best ?? mappings.defaultRole ?? tenantDefault
}

/**
 * Brings these users' memberships of a locked organization in line with its SCIM state. Only a
 * provisioning (`admit`) creates a membership: a user who left, was removed by an administrator or
 * was erased keeps a SCIM row until the provider next touches it, and a group change or a mapping
 * recomputation must not bring them back (nor, through `active:false`, end their sessions).
 */
export async function syncMembers(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  org: OrganizationRow,
  userIds: string[],
  by: AuditBy,
  opts: { admit?: boolean } = {},
): Promise<void> {
  if (userIds.length === 0) return
  const mappings = await loadMappings(tx, tenant.id, org.id)
  const roles = await RolesService.orgRoles(deps, tx, tenant.id)
  const levels = new Map([...roles.values()].map((r) => [r.key, r.level]))
  const groups = await ScimRepo.groupsOfUsers(tx, tenant.id, org.id, userIds)
  const members = opts.admit ? null : await OrganizationsService.memberIdsInTx(tx, tenant.id, org.id, userIds)
  const tenantDefault = tenant.settings.organizations.default_role
  const acting = { by, audience: 'backend' as const }
  for (const userId of userIds) {
    if (members && !members.has(userId)) continue
    const row = await ScimRepo.findUser(tx, tenant.id, org.id, userId)
    if (!row) continue
    const role = roleFor(mappings, groups.get(userId) ?? [], levels, tenantDefault)
    const status = row.active ? 'active' : 'suspended'
    await OrganizationsService.applyProvisioned(
      deps,
      tx,
      tenant.id,
      org,
      userId,
      { role, status },
      acting,
      tenantDefault,
    )
  }
}

/**
 * After a change that may move every member's role (mappings, a group's name): inline for a small
 * organization, else as chunks for the SCIM worker, committed with the change (nothing is lost if a
 * node dies before the worker runs).
 */
export async function recomputeOrganization(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  org: OrganizationRow,
  by: AuditBy,
  userIds?: string[],
): Promise<void> {
  const ids = userIds ?? (await ScimRepo.userIdsOf(tx, tenant.id, org.id))
  if (ids.length <= INLINE_SYNC_LIMIT) return syncMembers(deps, tx, tenant, org, ids, by)
  const messages = []
  for (let i = 0; i < ids.length; i += WORKER_CHUNK) {
    const payload: Static<typeof ScimSyncMessage> = {
      tenant_id: tenant.id,
      organization_id: org.id,
      user_ids: ids.slice(i, i + WORKER_CHUNK),
    }
    messages.push({ type: 'scim.sync', subject: SCIM_SYNC_SUBJECT, payload })
  }
  await append(tx, tenant.id, messages, deps.clock.now())
}

/** The SCIM worker's job: one chunk, in its own transaction; a deleted tenant or organization is done. */
export async function runSync(deps: Deps, msg: Static<typeof ScimSyncMessage>): Promise<void> {
  const tenant = await TenantsService.findLive(deps.db, msg.tenant_id)
  if (!tenant) return
  await withTenant(deps.db, tenant.id, async (tx) => {
    const org = await OrganizationsService.findInTx(tx, tenant.id, msg.organization_id)
    if (!org) return
    const locked = await OrganizationsService.lockedOrg(tx, tenant.id, org.id)
    await syncMembers(deps, tx, tenant, locked, msg.user_ids, { actor: { type: 'system', id: null } })
  })
}
