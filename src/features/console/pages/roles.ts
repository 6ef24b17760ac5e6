import type { Deps } from '../../../deps'
import { AppError } from '../../../platform/errors'
import type { Fields } from '../../hosted/form'
import * as RolesService from '../../roles/service'
import type { TenantRow } from '../../tenants/service'
import { canWrite } from '../access'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { field, postForm, table, tenantTabs, text } from './kit'

/**
 * A tenant's roles (API.md §8, §14): organization roles with their level and permissions, and tenant roles
 * (`admin` makes a console admin). Admins add either kind; system roles are as seeded.
 */
export async function rolesPage(deps: Deps, viewer: Viewer, tenant: TenantRow, csrf: string): Promise<ConsolePage> {
  const roles = await RolesService.listRoles(deps, tenant, { limit: '100' })
  const rows = roles.data.map((r) => [
    text(r.key),
    text(r.name),
    text(r.scope),
    r.level === null ? '—' : String(r.level),
    text(r.permissions.join(', ') || '—'),
    r.is_system ? '<span class="badge">system</span>' : '',
  ])
  const scope =
    '<label for="f-scope">Scope</label><select id="f-scope" name="scope">' +
    '<option value="tenant">Tenant (a user’s role, e.g. admin)</option>' +
    '<option value="organization">Organization (a member’s role, key org:…)</option></select>'
  const level =
    '<label for="f-level">Level (organization roles, 1–59)</label>' +
    '<input id="f-level" name="level" type="number" min="1" max="59">'
  return {
    title: `${tenant.name}: roles`,
    body:
      tenantTabs(tenant.id) +
      table(['Key', 'Name', 'Scope', 'Level', 'Permissions', ''], rows, 'No roles.') +
      (canWrite(viewer)
        ? '<h2>New role</h2>' +
          postForm(`/console/tenants/${tenant.id}/roles`, csrf, 'Create role', {
            fields: field('Key', 'key') + field('Name', 'name') + scope + level,
          })
        : ''),
  }
}

/** The form as a role to create (the roles service checks keys, levels and scopes as for the API). */
export function roleFrom(fields: Fields) {
  const scope = fields.scope === 'organization' ? 'organization' : 'tenant'
  const level = fields.level?.trim() ? Number(fields.level) : undefined
  if (level !== undefined && !Number.isInteger(level))
    throw new AppError('form_param_format_invalid', { param_name: 'level' })
  return {
    key: fields.key?.trim() ?? '',
    name: fields.name?.trim() ?? '',
    scope,
    ...(scope === 'organization' && level !== undefined ? { level } : {}),
  } as const
}
