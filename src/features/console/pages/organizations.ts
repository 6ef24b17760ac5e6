import type { Deps } from '../../../deps'
import * as OrganizationsService from '../../organizations/service'
import * as RolesService from '../../roles/service'
import type { TenantRow } from '../../tenants/service'
import { canWrite } from '../access'
import { scimSection } from './scim'
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
  const write = canWrite(viewer)
  const orgBase = `/console/tenants/${tenant.id}/organizations/${org.id}`
  const roleOptions = (selected: string) =>
    roles.data
      .map((r) => `<option value="${text(r.key)}"${r.key === selected ? ' selected' : ''}>${text(r.name)}</option>`)
      .join('')
  const memberRows = members.data.map((m) => {
    const member = `${orgBase}/members/${m.public_user_data.user_id}`
    const label = m.public_user_data.identifier ?? m.public_user_data.user_id
    return [
      link(`${users}/${m.public_user_data.user_id}`, label),
      write
        ? postForm(member, csrf, 'Change role', {
            inline: true,
            fields: `<select name="role" aria-label="Role of ${text(label)}">${roleOptions(m.role)}</select>`,
          })
        : text(m.role_name),
      text(m.status),
      when(m.created_at),
      write ? postForm(`${member}/remove`, csrf, 'Remove', { inline: true, danger: true }) : '',
    ]
  })
  const invitationRows = invitations.data.map((i) => [text(i.email_address), text(i.role), when(i.expires_at)])
  const scim = await scimSection(deps, viewer, tenant, org.id, csrf)
  const roleSelect = `<label for="f-role">Role</label><select id="f-role" name="role">${roleOptions('org:member')}</select>`
  const invite = write
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
      `<h2>Members</h2>${table(['Member', 'Role', 'Status', 'Since', ''], memberRows, 'No members.')}` +
      `<h2>Pending invitations</h2>${table(['Email address', 'Role', 'Expires'], invitationRows, 'None.')}` +
      invite +
      (await domainsSection(deps, viewer, tenant, org.id, csrf)) +
      scim,
  }
}

/**
 * The organization's domains: people with a verified address there may join (enrollment mode); a domain is
 * verified by the DNS TXT record shown, checked on "Verify".
 */
async function domainsSection(deps: Deps, viewer: Viewer, tenant: TenantRow, orgId: string, csrf: string) {
  const domains = await OrganizationsService.listDomains(deps, tenant, orgId, { limit: '100' })
  const base = `/console/tenants/${tenant.id}/organizations/${orgId}/domains`
  const write = canWrite(viewer)
  const rows = domains.data.map((d) => [
    text(d.name),
    d.verification.status === 'verified'
      ? '<span class="ok">verified</span>'
      : `TXT <code>${text(d.verification.dns_record.name)}</code> = <code>${text(d.verification.dns_record.value)}</code>`,
    text(d.enrollment_mode.replaceAll('_', ' ')),
    write
      ? (d.verification.status === 'verified'
          ? ''
          : postForm(`${base}/${d.id}/verify`, csrf, 'Verify', { inline: true })) +
        postForm(`${base}/${d.id}/remove`, csrf, 'Remove', { inline: true, danger: true })
      : '',
  ])
  return (
    '<h2>Domains</h2>' +
    table(['Domain', 'Verification', 'Enrollment', ''], rows, 'No domains.') +
    (write ? postForm(base, csrf, 'Add domain', { fields: field('Domain', 'name') }) : '')
  )
}
