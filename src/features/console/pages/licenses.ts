import type { Deps } from '../../../deps'
import * as LicensesService from '../../licenses/service'
import type { TenantRow } from '../../tenants/service'
import { canWrite } from '../access'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { postForm, table, tenantTabs, text, when } from './kit'

/**
 * The tenant's products and license keys (API.md §18): each key by its hint (the key itself is shown only when
 * it is issued, through the API), its holder, activations and state; admins revoke (refused everywhere within
 * seconds).
 */
export async function licensesPage(
  deps: Deps,
  viewer: Viewer,
  tenant: TenantRow,
  csrf: string,
  notice: string | null,
): Promise<ConsolePage> {
  const base = `/console/tenants/${tenant.id}/licenses`
  const [products, keys] = await Promise.all([
    LicensesService.Products.list(deps, tenant, { limit: '100' }),
    LicensesService.LicenseKeys.list(deps, tenant, { limit: '100' }),
  ])
  const names = new Map(products.data.map((p) => [p.id, p.name]))
  const productRows = products.data.map((p) => [
    text(p.name),
    `<code>${text(p.key_prefix)}</code>`,
    p.default_max_activations === null ? 'unlimited' : String(p.default_max_activations),
    when(p.created_at),
  ])
  const keyRows = keys.data.map((k) => [
    `<code>${text(k.key_hint)}</code>`,
    text(names.get(k.product_id) ?? k.product_id),
    text(k.user_id ?? k.organization_id ?? '—'),
    `${k.activations_count}${k.max_activations === null ? '' : ` / ${k.max_activations}`}`,
    `<span class="badge">${text(k.status)}</span>`,
    when(k.expires_at),
    canWrite(viewer) && k.status === 'active'
      ? postForm(`${base}/${k.id}/revoke`, csrf, 'Revoke', { inline: true, danger: true })
      : '',
  ])
  return {
    title: `${tenant.name}: licenses`,
    body:
      tenantTabs(tenant.id) +
      (notice ? `<p role="status" class="ok">${text(notice)}</p>` : '') +
      '<h2>Products</h2>' +
      table(['Product', 'Key prefix', 'Activations per key', 'Created'], productRows, 'No products.') +
      '<h2>License keys</h2>' +
      table(['Key', 'Product', 'Holder', 'Activations', 'State', 'Expires', ''], keyRows, 'No license keys.'),
  }
}
