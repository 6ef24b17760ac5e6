import { Elysia, type AnyElysia } from 'elysia'
import type { Deps } from '../../deps'
import { knownPeers } from '../../platform/http/caller'

/**
 * Requests at a tenant's verified custom domain (API.md §1): matched against the tenants' verified hosts only
 * (any other Host is served as before, never trusted), then handled as the same request under `/t/{tenant}`.
 * A path already under `/t/{tenant}` (links of the hosted pages) passes as it is; another tenant's `/t/…` path
 * and the Platform and Backend APIs are not this host's (they answer 404 under the tenant's prefix). Cookies the
 * tenant's routes set for `/t/{tenant}` are set for `/` here, where the same routes have no prefix.
 */
const SERVICE_PATHS = /^\/(health|ready|metrics|openapi\.json|docs|favicon\.ico)(\/|$)/

/** Requests this plugin made itself: they are the tenant's, not to be routed again. */
const forwarded = new WeakSet<Request>()

/**
 * `Path=/t/{tenant}/x` → `Path=/x` (and `/t/{tenant}` → `/`): where the same routes live at this host. Secure
 * always: the host is served over https (its issuer is `https://{host}`) even when PUBLIC_URL is not.
 */
function rootCookies(response: Response, prefix: string): Response {
  const cookies = response.headers.getSetCookie()
  if (!cookies.length) return response
  const headers = new Headers(response.headers)
  headers.delete('set-cookie')
  const path = new RegExp(`; Path=${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/[^;]*)?(;|$)`)
  for (const cookie of cookies) {
    const rooted = cookie.replace(path, (_m, rest, end) => `; Path=${rest ?? '/'}${end}`)
    headers.append('set-cookie', /;\s*Secure\s*(;|$)/i.test(rooted) ? rooted : `${rooted}; Secure`)
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
}

export const customDomainRouting = (deps: Deps, app: () => AnyElysia) => {
  const installationHost = new URL(deps.config.publicUrl).host
  return new Elysia({ name: 'custom-domain-routing' }).onRequest(async ({ request, server }) => {
    if (forwarded.has(request)) return
    const url = new URL(request.url)
    // The service endpoints answer at any Host (a probe may name the pod's address) without a lookup.
    if (url.host === installationHost || SERVICE_PATHS.test(url.pathname)) return
    // `auth.acme.com.` is the same name as `auth.acme.com` (the URL parser already lowered its case).
    const tenant = await deps.tenants.byHostOrNull(url.hostname.replace(/\.+$/, ''))
    if (!tenant) return
    const prefix = `/t/${tenant.slug}`
    const own = url.pathname === prefix || url.pathname.startsWith(`${prefix}/`)
    if (!own) url.pathname = `${prefix}${url.pathname}`
    const inner = new Request(url, request)
    forwarded.add(inner)
    knownPeers.set(inner, deps.peerOf(request, server))
    return rootCookies(await app().handle(inner), prefix)
  })
}
