import type { Deps } from '../../../deps'
import * as ScimService from '../../scim/service'
import type { TenantRow } from '../../tenants/service'
import { canWrite } from '../access'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { field, jsonArea, link, postForm, table, tenantTabs, text, when } from './kit'

/** The organization's SCIM endpoint (its base URL for Okta or Entra ID) and its tokens; admins add and revoke. */
export async function scimSection(deps: Deps, viewer: Viewer, tenant: TenantRow, orgId: string, csrf: string) {
  const write = canWrite(viewer)
  const [endpoint, tokens, mappings] = await Promise.all([
    ScimService.endpoint(deps, tenant, orgId),
    ScimService.listTokens(deps, tenant, orgId, { limit: '100' }),
    ScimService.getMappings(deps, tenant, orgId),
  ])
  const editable = { user: mappings.user, group_roles: mappings.group_roles, default_role: mappings.default_role }
  const mappingForm = write
    ? postForm(`/console/tenants/${tenant.id}/organizations/${orgId}/scim-mappings`, csrf, 'Save mappings', {
        fields:
          jsonArea('Attribute and group → role mappings (`{}`: the defaults)', 'mappings', editable, 14) +
          '<p class="note">user: SCIM path → email_address, first_name, last_name, username, phone_number, ' +
          'external_id, public_metadata.&lt;key&gt; or private_metadata.&lt;key&gt; (null drops it); ' +
          'group_roles: [{ group, role }]; default_role: an organization role.</p>',
      })
    : `<pre>${text(JSON.stringify(editable, null, 2))}</pre>`
  const base = `/console/tenants/${tenant.id}/organizations/${orgId}/scim-tokens`
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
    (write ? postForm(base, csrf, 'Create a SCIM token', { fields: field('Name', 'name') }) : '') +
    `<h3>Mappings${mappings.is_default ? ' (defaults)' : ''}</h3>` +
    mappingForm
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
