import type { Deps } from '../../../deps'
import * as TenantsService from '../../tenants/service'
import { canWrite } from '../access'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { field, link, postForm, table, text, when } from './kit'

/** Operators: every customer tenant, and (admins) a form to make one. */
export async function tenantsPage(deps: Deps, viewer: Viewer, csrf: string, cursor?: string): Promise<ConsolePage> {
  const page = await TenantsService.list(deps, { limit: '50', ...(cursor ? { cursor } : {}) })
  const rows = page.data.map((t) => [link(`/console/tenants/${t.id}`, t.name), text(t.slug), when(t.created_at)])
  const more = page.meta.next_cursor
    ? `<p>${link(`/console/tenants?cursor=${encodeURIComponent(page.meta.next_cursor)}`, 'Older tenants')}</p>`
    : ''
  const create = canWrite(viewer)
    ? `<h2>New tenant</h2>${postForm('/console/tenants', csrf, 'Create tenant', { fields: field('Name', 'name') })}`
    : ''
  return { title: 'Tenants', body: table(['Name', 'Slug', 'Created'], rows, 'No tenants yet.') + more + create }
}

/** The answer to "Create tenant": its secret key, shown this once. */
export function tenantCreated(tenant: { id: string; name: string; secret_key: string }): ConsolePage {
  return {
    title: `Tenant ${tenant.name} created`,
    body:
      '<p>Its secret key, shown this once (the Backend API takes it as a Bearer token):</p>' +
      `<p><code>${text(tenant.secret_key)}</code></p>` +
      `<p>${link(`/console/tenants/${tenant.id}`, 'Go to the tenant')}</p>`,
  }
}
