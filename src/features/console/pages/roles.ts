import type { Deps } from '../../../deps'
import { AppError } from '../../../platform/errors'
import type { Fields } from '../../hosted/form'
import * as RolesService from '../../roles/service'
import type { TenantRow } from '../../tenants/service'
import { canWrite } from '../access'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { field, link, postForm, table, tenantTabs, text } from './kit'

/**
 * A tenant's roles (API.md §8, §14): organization roles with their level and permissions, and tenant roles
 * (`admin` makes a console admin). Admins add either kind; system roles are as seeded.
 */
export async function rolesPage(deps: Deps, viewer: Viewer, tenant: TenantRow, csrf: string): Promise<ConsolePage> {
  const [roles, permissions] = await Promise.all([
    RolesService.listRoles(deps, tenant, { limit: '100' }),
    RolesService.listPermissions(deps, tenant, { limit: '100' }),
  ])
  const base = `/console/tenants/${tenant.id}/roles`
  const rows = roles.data.map((r) => [
    link(`${base}/${r.id}`, r.key),
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
          postForm(base, csrf, 'Create role', {
            fields: field('Key', 'key') + field('Name', 'name') + scope + level,
          })
        : '') +
      '<h2>Permissions</h2>' +
      table(
        ['Key', 'Name', ''],
        permissions.data.map((p) => [
          `<code>${text(p.key)}</code>`,
          text(p.name),
          p.is_system ? '<span class="badge">system</span>' : '',
        ]),
        'No permissions.',
      ) +
      (canWrite(viewer)
        ? postForm(`${base}/permissions`, csrf, 'Create permission', {
            fields: field('Key (org:feature:action)', 'key') + field('Name', 'name'),
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

/**
 * One role: its name and level (a system role keeps its key and level), an organization role's permissions
 * (the owner's are every permission, fixed), and deletion (refused while someone holds it: 409 resource_in_use).
 */
export async function rolePage(
  deps: Deps,
  viewer: Viewer,
  tenant: TenantRow,
  csrf: string,
  id: string,
): Promise<ConsolePage> {
  const [role, permissions] = await Promise.all([
    RolesService.getRole(deps, tenant, id),
    RolesService.listPermissions(deps, tenant, { limit: '100' }),
  ])
  const base = `/console/tenants/${tenant.id}/roles/${role.id}`
  const write = canWrite(viewer)
  const org = role.scope === 'organization'
  const levelField = org && !role.is_system ? field('Level (1–59)', 'level', 'number', String(role.level ?? '')) : ''
  const boxes =
    '<fieldset><legend>Permissions</legend>' +
    permissions.data
      .map(
        (p) =>
          `<label class="inline"><input type="checkbox" name="perm_${text(p.key)}" value="on"` +
          `${role.permissions.includes(p.key) ? ' checked' : ''}> <code>${text(p.key)}</code></label><br>`,
      )
      .join('') +
    '</fieldset>'
  const fixedPermissions = role.is_system && role.key === RolesService.OWNER_ROLE
  return {
    title: `Role ${role.key}`,
    body:
      tenantTabs(tenant.id) +
      table(
        ['Field', 'Value'],
        [
          ['Scope', text(role.scope)],
          ['Level', role.level === null ? '—' : String(role.level)],
          ['Permissions', text(role.permissions.join(', ') || '—')],
        ],
        '',
      ) +
      (write
        ? '<h2>Edit</h2>' +
          postForm(base, csrf, 'Save', { fields: field('Name', 'name', 'text', role.name) + levelField }) +
          (org && !fixedPermissions
            ? postForm(`${base}/permissions`, csrf, 'Save permissions', { fields: boxes })
            : '') +
          (role.is_system ? '' : postForm(`${base}/delete`, csrf, 'Delete role', { danger: true }))
        : ''),
  }
}

/** The permission checkboxes ticked on a role's form. */
export const permissionsFrom = (fields: Fields) =>
  Object.keys(fields)
    .filter((name) => name.startsWith('perm_') && fields[name] === 'on')
    .map((name) => name.slice('perm_'.length))

/** The edit form as the API's PATCH body (a level only where one was shown). */
export function roleEditFrom(fields: Fields) {
  const level = fields.level?.trim() ? Number(fields.level) : undefined
  return { name: fields.name?.trim() ?? '', ...(level === undefined ? {} : { level }) }
}
