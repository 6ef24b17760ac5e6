import type { Deps } from '../../../deps'
import type { TenantRow } from '../../tenants/service'
import * as WebhooksService from '../../webhooks/service'
import { canWrite } from '../access'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { field, link, postForm, table, tenantTabs, text, when } from './kit'

/** A tenant's webhook endpoints; admins add one (its signing secret shown once). */
export async function webhooksPage(deps: Deps, viewer: Viewer, tenant: TenantRow, csrf: string): Promise<ConsolePage> {
  const base = `/console/tenants/${tenant.id}/webhooks`
  const page = await WebhooksService.list(deps, tenant, { limit: '100' })
  const rows = page.data.map((e) => [
    link(`${base}/${e.id}`, e.url),
    text(e.filter_types?.join(', ') ?? 'every event'),
    e.disabled ? '<span class="badge">disabled</span>' : 'active',
    when(e.created_at),
  ])
  const create = canWrite(viewer)
    ? `<h2>New endpoint</h2>${postForm(base, csrf, 'Add endpoint', { fields: field('URL (https)', 'url', 'url') })}`
    : ''
  return {
    title: `${tenant.name}: webhooks`,
    body: tenantTabs(tenant.id) + table(['Endpoint', 'Events', 'State', 'Created'], rows, 'No endpoints.') + create,
  }
}

/** The answer to "Add endpoint": its signing secret, shown this once. */
export const endpointCreated = (
  tenant: TenantRow,
  endpoint: { id: string; url: string; secret: string },
): ConsolePage => ({
  title: 'Endpoint added',
  body:
    tenantTabs(tenant.id) +
    `<p>${text(endpoint.url)} receives the tenant's events. Its signing secret, shown this once:</p>` +
    `<p><code>${text(endpoint.secret)}</code></p>` +
    `<p>${link(`/console/tenants/${tenant.id}/webhooks/${endpoint.id}`, 'Go to the endpoint')}</p>`,
})

/** One endpoint's message log, each message's attempts, and (admins) a retry per message. */
export async function endpointPage(
  deps: Deps,
  viewer: Viewer,
  tenant: TenantRow,
  csrf: string,
  id: string,
  notice: string | null,
): Promise<ConsolePage> {
  const endpoint = await WebhooksService.get(deps, tenant, id)
  const base = `/console/tenants/${tenant.id}/webhooks/${endpoint.id}`
  const messages = await WebhooksService.listMessages(deps, tenant, endpoint.id, { limit: '50' })
  const rows = await Promise.all(
    messages.data.map(async (m) => {
      const attempts = await WebhooksService.listAttempts(deps, tenant, endpoint.id, m.id, { limit: '1' })
      const last = attempts.data[0]
      return [
        text(m.event_type),
        `<span class="badge">${text(m.status)}</span>`,
        String(m.attempts_count),
        text(last ? (last.status_code !== null ? `HTTP ${last.status_code}` : (last.error ?? '—')) : '—'),
        when(m.created_at),
        canWrite(viewer) ? postForm(`${base}/messages/${m.id}/retry`, csrf, 'Retry', { inline: true }) : '',
      ]
    }),
  )
  return {
    title: endpoint.url,
    body:
      tenantTabs(tenant.id) +
      (notice ? `<p role="status" class="ok">${text(notice)}</p>` : '') +
      `<p class="note">Events: ${text(endpoint.filter_types?.join(', ') ?? 'every event')}${endpoint.disabled ? ' · disabled' : ''}</p>` +
      `<h2>Messages</h2>${table(['Event', 'Status', 'Attempts', 'Last answer', 'Created', ''], rows, 'No messages yet.')}`,
  }
}
