import type { Deps } from '../../../deps'
import * as AuditService from '../../audit/service'
import type { TenantRow } from '../../tenants/service'
import type { ConsolePage } from '../layout'
import { link, postForm, table, tenantTabs, text, when } from './kit'

/** Which trail: a tenant's (chain = its id) or the platform's, and where its page is. */
export interface Trail {
  chain: string
  list: 'bapi' | 'platform'
  base: string
  title: string
  /** Navigation above the trail (trusted HTML). */
  nav: string
}

export const tenantTrail = (tenant: TenantRow): Trail => ({
  chain: tenant.id,
  list: 'bapi',
  base: `/console/tenants/${tenant.id}/audit`,
  title: `${tenant.name}: audit log`,
  nav: tenantTabs(tenant.id),
})

/**
 * An audit trail, newest first, filtered by action; `verify` (a POST: it reads the whole chain) says whether its
 * chain verifies.
 */
export async function auditPage(
  deps: Deps,
  trail: Trail,
  csrf: string,
  query: { action?: string; cursor?: string },
  verify = false,
): Promise<ConsolePage> {
  const { base } = trail
  const page = await AuditService.list(deps, trail.chain, trail.list, {
    limit: '50',
    ...(query.action ? { action: query.action } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
  })
  const rows = page.data.map((e) => [
    when(e.created_at),
    text(e.action),
    text(`${e.actor.type}${e.actor.id ? ` ${e.actor.id}` : ''}`),
    text(e.target ? `${e.target.type} ${e.target.id}` : '—'),
    text(e.ip ?? '—'),
  ])
  const verified = verify
    ? await AuditService.verify(deps, trail.chain).then((r) =>
        r.valid
          ? `<p role="status" class="ok">The chain verifies (${r.checked} entries).</p>`
          : `<p role="alert" class="error">The chain is broken at ${text(r.first_broken_id ?? '?')}.</p>`,
      )
    : postForm(`${base}/verify`, csrf, 'Verify the chain', { inline: true })
  const filter =
    `<form method="get" action="${text(base)}"><label for="f-action">Action</label>` +
    `<input id="f-action" name="action" type="search" value="${text(query.action ?? '')}" placeholder="user.banned">` +
    '<button>Filter</button></form>'
  const more = page.meta.next_cursor
    ? `<p>${link(`${base}?${new URLSearchParams({ ...(query.action ? { action: query.action } : {}), cursor: page.meta.next_cursor })}`, 'Older entries')}</p>`
    : ''
  return {
    title: trail.title,
    body:
      trail.nav + verified + filter + table(['When', 'Action', 'Actor', 'Target', 'IP'], rows, 'No entries.') + more,
  }
}
