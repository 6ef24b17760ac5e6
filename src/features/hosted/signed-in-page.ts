import type { Deps } from '../../deps'
import * as SessionsService from '../sessions/service'
import type { TenantRow } from '../tenants/service'
import { currentClient } from './browser-client'
import { escapeHtml } from './html'
import { newNonce, pageHeaders, renderPage } from './layout'
import { themeOf } from '../tenants/service'

/**
 * `{issuer}/signed-in`: where the sign-in and sign-up pages go when they were given no usable
 * return_to. Read-only: it looks at the browser's client without creating one.
 */
export async function signedInPage(
  deps: Deps,
  request: Request,
  set: { status?: number | string; headers: Record<string, string | number> },
  slug: string,
): Promise<string> {
  const nonce = newNonce()
  const tenant: TenantRow | null = await deps.tenants.bySlugOrNull(slug)
  pageHeaders(set, nonce, tenant)
  if (!tenant) {
    set.status = 404
    return renderPage({ tenant, title: 'Page not found', body: '<p>There is nothing here.</p>', nonce })
  }
  const client = await currentClient(deps, tenant, request)
  const sessions = client ? await SessionsService.activeForClient(deps, tenant, client.id) : []
  const brand = escapeHtml(themeOf(tenant).name)
  const body = sessions.length
    ? `<p>You are signed in to ${brand}. You can close this tab.</p>`
    : `<p>You are not signed in to ${brand}.</p><p><a class="button" href="/t/${escapeHtml(tenant.slug)}/sign-in">Sign in</a></p>`
  return renderPage({ tenant, title: sessions.length ? 'You are signed in' : 'Not signed in', body, nonce })
}
