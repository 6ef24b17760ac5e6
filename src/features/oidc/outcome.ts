import { t } from 'elysia'
import type { Deps } from '../../deps'
import { requestMeta } from '../../platform/http/request-meta'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import type { AuthorizeOutcome } from './authorize'
import type { OAuthError } from './errors'
import * as HostedService from './hosted'

/** What the OAuth routes share: the tenant of `/t/:tenant`, and how an authorization outcome is answered. */
export type Set = { status?: number | string; headers: Record<string, string | number> }
export const tenantParams = t.Object({ tenant: t.String({ maxLength: 63 }) })
export const anyBody = t.Optional(t.Unknown())

export async function tenantOf(deps: Deps, request: Request, slug: string): Promise<TenantRow> {
  const tenant = await TenantsService.resolveSlug(deps, slug)
  requestMeta(request).tenantId = tenant.id
  return tenant
}

/** The page that a request which cannot be answered on a redirect URI ends with (RFC 6749 §4.1.2.1). */
export function errorPage(set: Set, tenant: TenantRow, error: OAuthError): string {
  const nonce = HostedService.newNonce()
  HostedService.pageHeaders(set, nonce, tenant)
  set.status = 400
  const body =
    `<p role="alert" class="error">${HostedService.escapeHtml(error.description)}</p>` +
    `<p class="note">Error: ${HostedService.escapeHtml(error.error)}. Go back to the application and try again.</p>`
  return HostedService.renderPage({ tenant, title: 'This request cannot be completed', body, nonce })
}

/** A redirect (302 after a GET, 303 after a form POST) or the error page. */
export function render(set: Set, tenant: TenantRow, outcome: AuthorizeOutcome, status: 302 | 303 = 302) {
  if (outcome.setCookie) set.headers['set-cookie'] = outcome.setCookie
  if (outcome.kind === 'error_page') return errorPage(set, tenant, outcome.error)
  set.status = status
  set.headers.location = outcome.location
  set.headers['cache-control'] = 'no-store'
  return ''
}
