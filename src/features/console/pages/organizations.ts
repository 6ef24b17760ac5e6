import type { Deps } from '../../../deps'
import * as OrganizationsService from '../../organizations/service'
import * as RolesService from '../../roles/service'
import * as ScimService from '../../scim/service'
import type { TenantRow } from '../../tenants/service'
import { canWrite } from '../access'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { field, link, postForm, table, tenantTabs, text, when } from './kit'

/** A tenant's organizations, searched by name; admins make one. */
export async function organizationsPage(
  deps: Deps,
  viewer: Viewer,
  tenant: TenantRow,
  csrf: string,
  query: { query?: string },
): Promise<ConsolePage> {
  const base = `/console/tenants/${tenant.id}/organizations`
  const page = await OrganizationsService.list(deps, tenant, {
    limit: '100',
    ...(query.query ? { query: query.query } : {}),
  })
  const rows = page.data.map((o) => [
    link(`${base}/${o.id}`, o.name),
    text(o.slug),
    String(o.members_count),
    when(o.created_at),
  ])
  const search =
    `<form method="get" action="${text(base)}" role="search"><label for="f-query">Search organizations</label>` +
    `<input id="f-query" name="query" type="search" value="${text(query.query ?? '')}"><button>Search</button></form>`
  const create = canWrite(viewer)
    ? `<h2>New organization</h2>${postForm(base, csrf, 'Create organization', { fields: field('Name', 'name') })}`
    : ''
  return {
    title: `${tenant.name}: organizations`,
    body:
      tenantTabs(tenant.id) +
      search +
      table(['Organization', 'Slug', 'Members', 'Created'], rows, 'No organizations.') +
      create,
  }
}

/** One organization: its members, its pending invitations, and (admins) an invitation form. */
export async function organizationPage(
  deps: Deps,
  viewer: Viewer,
  tenant: TenantRow,
  csrf: string,
  id: string,
  notice: string | null,
): Promise<ConsolePage> {
  const org = await OrganizationsService.get(deps, tenant, id, 'backend')
  const members = await OrganizationsService.listMemberships(deps, tenant, org.id, { limit: '100' }, 'backend')
  const invitations = await OrganizationsService.listInvitations(deps, tenant, org.id, {
    status: 'pending',
    limit: '100',
  })
  const roles = await RolesService.listRoles(deps, tenant, { scope: 'organization', limit: '100' })
  const users = `/console/tenants/${tenant.id}/users`
  const memberRows = members.data.map((m) => [
    link(`${users}/${m.public_user_data.user_id}`, m.public_user_data.identifier ?? m.public_user_data.user_id),
    text(m.role_name),
    text(m.status),
    when(m.created_at),
  ])
  const invitationRows = invitations.data.map((i) => [text(i.email_address), text(i.role), when(i.expires_at)])
  const scim = await scimSection(deps, viewer, tenant, org.id, csrf)
  const roleSelect =
    '<label for="f-role">Role</label><select id="f-role" name="role">' +
    roles.data
      .map((r) => `<option value="${text(r.key)}"${r.key === 'org:member' ? ' selected' : ''}>${text(r.name)}</option>`)
      .join('') +
    '</select>'
  const invite = canWrite(viewer)
    ? '<h2>Invite a member</h2>' +
      postForm(`/console/tenants/${tenant.id}/organizations/${org.id}/invitations`, csrf, 'Send invitation', {
        fields: field('Email address', 'email_address', 'email') + roleSelect,
      })
    : ''
  return {
    title: org.name,
    body:
      tenantTabs(tenant.id) +
      (notice ? `<p role="status" class="ok">${text(notice)}</p>` : '') +
      `<h2>Members</h2>${table(['Member', 'Role', 'Status', 'Since'], memberRows, 'No members.')}` +
      `<h2>Pending invitations</h2>${table(['Email address', 'Role', 'Expires'], invitationRows, 'None.')}` +
      invite +
      scim,
  }
}

/** The organization's SCIM endpoint (its base URL for Okta or Entra ID) and its tokens; admins add and revoke. */
async function scimSection(deps: Deps, viewer: Viewer, tenant: TenantRow, orgId: string, csrf: string) {
  const [endpoint, tokens] = await Promise.all([
    ScimService.endpoint(deps, tenant, orgId),
    ScimService.listTokens(deps, tenant, orgId, { limit: '100' }),
  ])
  const base = `/console/tenants/${tenant.id}/organizations/${orgId}/scim-tokens`
  const write = canWrite(viewer)
  const rows = tokens.data.map((tk) => [
    text(tk.name ?? '—'),
    `<code>${text(tk.token_prefix)}…</code>`,
    `<span class="badge">${text(tk.status)}</span>`,
    when(tk.last_used_at),
    write && tk.status === 'active'
      ? postForm(`${base}/${tk.id}/revoke`, csrf, 'Revoke', { inline: true, danger: true })
      : '',
  ])
  return (
    '<h2>SCIM provisioning</h2>' +
    `<p>Base URL: <code>${text(endpoint.base_url)}</code> · ${endpoint.users_count} users, ${endpoint.groups_count} groups</p>` +
    table(['Token', 'Prefix', 'Status', 'Last used', ''], rows, 'No tokens.') +
    (write ? postForm(base, csrf, 'Create a SCIM token', { fields: field('Name', 'name') }) : '')
  )
}

/** The answer to "Create a SCIM token": the token, shown this once. */
export const scimTokenCreated = (tenant: TenantRow, orgId: string, token: string): ConsolePage => ({
  title: 'SCIM token created',
  body:
    tenantTabs(tenant.id) +
    '<p>The bearer token for your identity provider, shown this once:</p>' +
    `<p><code>${text(token)}</code></p>` +
    `<p>${link(`/console/tenants/${tenant.id}/organizations/${orgId}`, 'Back to the organization')}</p>`,
})
