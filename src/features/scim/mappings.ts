import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { AuditBy } from '../audit/service'
import * as RolesService from '../roles/service'
import type { TenantRow } from '../tenants/service'
import { orgOf } from './admin'
import { checkOverrides, effectiveMapping, MappingError } from './mapping'
import type { PublicScimMappings, PutMappingsBody } from './model'
import * as ScimRepo from './repo'
import type { ScimMappingRow } from './repo'
import { recomputeOrganization } from './sync'

/** An organization's mappings as the SCIM requests use them (API.md §17). */
export interface Mappings {
  user: Record<string, string | null>
  groupRoles: { group: string; role: string }[]
  defaultRole: string | null
}

export const mappingsOf = (row: ScimMappingRow | null): Mappings => ({
  user: effectiveMapping(row?.user ?? {}),
  groupRoles: row?.groupRoles ?? [],
  defaultRole: row?.defaultRole ?? null,
})

export async function loadMappings(tx: Tx, tenantId: string, orgId: string): Promise<Mappings> {
  return mappingsOf(await ScimRepo.findMapping(tx, tenantId, orgId))
}

/** `default_role` shows the role that applies: the mapping's, else the tenant's `organizations.default_role`. */
const toPublic = (tenant: TenantRow, orgId: string, row: ScimMappingRow | null): PublicScimMappings => {
  const m = mappingsOf(row)
  return {
    object: 'scim_attribute_mappings',
    organization_id: orgId,
    user: m.user,
    group_roles: m.groupRoles,
    default_role: m.defaultRole ?? tenant.settings.organizations.default_role,
    is_default: row === null,
    updated_at: row ? row.updatedAt.getTime() : null,
  }
}

export async function get(deps: Deps, tenant: TenantRow, orgId: string): Promise<PublicScimMappings> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    const org = await orgOf(tx, tenant.id, orgId)
    return toPublic(tenant, org.id, await ScimRepo.findMapping(tx, tenant.id, org.id))
  })
}

/**
 * Replaces the organization's overrides (`{}` and no group roles → the defaults again) and recomputes
 * the roles of its SCIM members. Unknown roles, unparsable paths, unknown targets and `active` → 422.
 */
export async function put(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  body: PutMappingsBody,
  by: AuditBy,
): Promise<PublicScimMappings> {
  const overrides = body.user ?? {}
  try {
    checkOverrides(overrides)
  } catch (err) {
    if (err instanceof MappingError) throw new AppError('form_param_format_invalid', { param_name: `user.${err.key}` })
    throw err
  }
  const groupRoles = body.group_roles ?? []
  const defaultRole = body.default_role ?? null
  const now = deps.clock.now()
  return withTenant(deps.db, tenant.id, async (tx) => {
    const org = await orgOf(tx, tenant.id, orgId)
    const roles = await RolesService.orgRoles(deps, tx, tenant.id)
    groupRoles.forEach((g, i) => {
      if (roles.get(g.role)?.key !== g.role)
        throw new AppError('form_param_format_invalid', { param_name: `group_roles.${i}.role` })
    })
    if (defaultRole !== null && roles.get(defaultRole)?.key !== defaultRole)
      throw new AppError('form_param_format_invalid', { param_name: 'default_role' })
    const isDefault = Object.keys(overrides).length === 0 && groupRoles.length === 0 && defaultRole === null
    let row: ScimMappingRow | null = null
    if (isDefault) await ScimRepo.deleteMapping(tx, tenant.id, org.id)
    else
      row = await ScimRepo.upsertMapping(tx, {
        organizationId: org.id,
        tenantId: tenant.id,
        user: overrides,
        groupRoles,
        defaultRole,
        updatedAt: new Date(now),
      })
    await appendAudit(
      deps.auditKey,
      tx,
      tenant.id,
      {
        action: 'scim_attribute_mappings.updated',
        actor: by.actor,
        target: { type: 'organization', id: org.id },
        ip: by.caller?.ip,
        userAgent: by.caller?.userAgent,
      },
      now,
    )
    await recomputeOrganization(deps, tx, tenant, org, { actor: by.actor })
    return toPublic(tenant, org.id, row)
  })
}
