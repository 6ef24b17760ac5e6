import type { Deps } from '../../../deps'
import * as ApiKeysService from '../../api-keys/service'
import { SCOPES } from '../../api-keys/model'
import type { TenantRow } from '../../tenants/service'
import { canWrite } from '../access'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { field, postForm, table, tenantTabs, text, when } from './kit'

/** A tenant's service keys (API.md §14): scoped keys for its backends; the key itself is shown once. */
export async function keysPage(deps: Deps, viewer: Viewer, tenant: TenantRow, csrf: string, notice: string | null) {
  const base = `/console/tenants/${tenant.id}/service-keys`
  const keys = await ApiKeysService.list(deps, tenant, { limit: '100' })
  const write = canWrite(viewer)
  const rows = keys.data.map((k) => [
    text(k.name),
    `<code>${text(k.key_prefix)}…</code>`,
    text(k.scopes.join(', ')),
    `<span class="badge">${text(k.status)}</span>`,
    when(k.last_used_at),
    write && k.status === 'active'
      ? postForm(`${base}/${k.id}/revoke`, csrf, 'Revoke', { inline: true, danger: true })
      : '',
  ])
  const scopes =
    '<fieldset><legend>Scopes</legend>' +
    SCOPES.map(
      (s) => `<label class="inline"><input type="checkbox" name="scope_${text(s)}" value="on"> ${text(s)}</label><br>`,
    ).join('') +
    '</fieldset>'
  const page: ConsolePage = {
    title: `${tenant.name}: service keys`,
    body:
      tenantTabs(tenant.id) +
      (notice ? `<p role="status" class="ok">${text(notice)}</p>` : '') +
      table(['Name', 'Key', 'Scopes', 'Status', 'Last used', ''], rows, 'No service keys.') +
      (write
        ? `<h2>New service key</h2>${postForm(base, csrf, 'Create key', { fields: field('Name', 'name') + scopes })}`
        : ''),
  }
  return page
}

/** The scopes ticked on the form, in the catalogue's order. */
export const scopesFrom = (fields: Partial<Record<string, string>>) =>
  SCOPES.filter((s) => fields[`scope_${s}`] === 'on')

/** The answer to "Create key": the key, shown this once. */
export const keyCreated = (tenant: TenantRow, key: { name: string; key: string }): ConsolePage => ({
  title: `Service key ${key.name} created`,
  body:
    tenantTabs(tenant.id) +
    '<p>The key, shown this once (send it as <code>Authorization: Bearer …</code>):</p>' +
    `<p><code>${text(key.key)}</code></p>`,
})
