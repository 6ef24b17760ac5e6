import type { Deps } from '../../deps'
import { readCookie } from '../../platform/http/cookies'
import { AppError } from '../../platform/errors'
import { requestMeta } from '../../platform/http/request-meta'
import * as OidcService from '../oidc/service'
import type { FapiContext } from '../sessions/fapi-guard'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import { browserClient } from './browser-client'
import { checkFormOrigin, csrfValid, issueCsrf } from './csrf'
import { fieldsOf, type Fields } from './form'
import { newNonce, pageHeaders, renderPage } from './layout'
import { pageErrorOf } from './messages'
import { returnToOf } from './return-to'
import { escapeHtml } from './html'

/**
 * One hosted page request, from tenant to response: Origin and CSRF checks on POST, the browser's
 * client, return_to, the headers, and errors as pages (never the JSON envelope, never a stack).
 */
export interface PageContext {
  tenant: TenantRow
  /** Browser-mode FAPI context of the `__client` cookie (new clients' cookies queued in it). */
  fapi: FapiContext
  nonce: string
  csrf: string
  /** Where to go when done: a checked same-issuer path (return-to.ts). */
  returnTo: string
  /** The page's own path, which its forms post to. */
  path: string
  /** Where this browser reaches the tenant: its custom domain or `{PUBLIC_URL}/t/{tenant}` (what it came through). */
  base: string
  /** A cookie of this request (a malformed one reads as absent). */
  cookie: (name: string) => string | null
}

export type PageResult =
  | { title: string; body: string; status?: number; headers?: Record<string, string> }
  | { redirect: string }

type Server = Parameters<Deps['peerOf']>[1]
interface Exchange {
  request: Request
  server: Server
  set: { status?: number | string; headers: Record<string, string | number> }
  slug: string
  /** The query (GET) or the urlencoded form (POST). */
  input: unknown
}

/** What a request that cannot go on shows: the reason, and a way to start again. */
function errorPage(err: AppError, path: string): { title: string; body: string; status: number } {
  const { message } = pageErrorOf(err)
  const title = err.status === 404 ? 'Page not found' : 'Something went wrong'
  const again = err.status === 404 ? '' : `<p><a href="${escapeHtml(path)}">Start again</a></p>`
  return { title, body: `<p class="error" role="alert">${escapeHtml(message)}</p>${again}`, status: err.status }
}

/** Runs `handle` for a page and turns its result (or its failure) into the response body. */
export async function servePage(
  deps: Deps,
  x: Exchange,
  handle: (p: PageContext, fields: Fields) => Promise<PageResult>,
): Promise<string> {
  const nonce = newNonce()
  let tenant: TenantRow | null = null
  let formActions: string[] = []
  let result: PageResult
  try {
    tenant = await TenantsService.resolveSlug(deps, x.slug)
    requestMeta(x.request).tenantId = tenant.id
    const post = x.request.method === 'POST'
    // Before a client is created or anything read: a cross-site form gets nothing done.
    if (post) checkFormOrigin(deps, tenant, x.request)
    const fields = fieldsOf(x.input)
    const fapi = await browserClient(deps, tenant, x.request, x.server, post ? x.request.headers.get('origin') : null)
    x.set.headers['set-cookie'] = fapi.cookies as unknown as string
    if (post && !(await csrfValid(deps, fapi.client.id, fields.csrf)))
      throw new AppError('permission_denied', { reason: 'csrf_token_invalid' })
    const page: PageContext = {
      tenant,
      fapi,
      nonce,
      csrf: await issueCsrf(deps, fapi.client.id),
      returnTo: returnToOf(tenant.slug, fields),
      path: new URL(x.request.url).pathname,
      base: TenantsService.browserBaseOf(deps, tenant, x.request),
      cookie: (name) => readCookie(x.request, name),
    }
    // Signing in for an authorization request ends on the client's redirect URI: CSP's form-action
    // governs the redirects after a form POST, so the page admits that one origin.
    const authRequest = /[?&]auth_request=([\w-]+)/.exec(page.returnTo)?.[1]
    if (authRequest) formActions = await OidcService.formActionsFor(deps, tenant, authRequest)
    result = await handle(page, fields)
    // The session cookies a completed attempt queued, with the client's.
    x.set.headers['set-cookie'] = fapi.cookies as unknown as string
  } catch (err) {
    if (!(err instanceof AppError)) {
      const traceId = requestMeta(x.request).traceId
      deps.log.error('hosted page failed', { trace_id: traceId, err, path: new URL(x.request.url).pathname })
    }
    result = errorPage(err instanceof AppError ? err : new AppError('internal_error'), new URL(x.request.url).pathname)
  }
  pageHeaders(x.set, nonce, tenant, { formActions })
  if ('redirect' in result) {
    x.set.status = 303
    x.set.headers.location = result.redirect
    return ''
  }
  x.set.status = result.status ?? 200
  Object.assign(x.set.headers, result.headers ?? {})
  return renderPage({ tenant, title: result.title, body: result.body, nonce })
}
