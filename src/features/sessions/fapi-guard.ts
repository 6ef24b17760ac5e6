import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import { callerOf, type Caller } from '../../platform/http/caller'
import { readCookie, serialiseCookie } from '../../platform/http/cookies'
import { requestMeta } from '../../platform/http/request-meta'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import { resolveClient, type ClientRow } from './clients'

/**
 * The Frontend API guard (API.md §4 Client, §12 CORS): resolves the tenant from `/t/:tenant`,
 * the client from the `__client` cookie (browser) or `X-Client-Token` (native, or with
 * `X-Native-Client: 1`), creating one when none is presented; grants CORS only to the
 * tenant's allowed origins; refuses cookie-authenticated mutations from other origins.
 */
export interface FapiContext {
  tenant: TenantRow
  client: ClientRow
  native: boolean
  caller: Caller
  /** Set-Cookie values to send in browser mode. */
  cookies: string[]
}

const contexts = new WeakMap<Request, FapiContext>()
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function allowedOrigins(deps: Deps, tenant: TenantRow): Set<string> {
  const own = tenant.customHost ? [`https://${tenant.customHost}`] : []
  return new Set([deps.config.publicUrl, ...own, ...tenant.settings.allowed_origins])
}

export const cookiePath = (tenant: TenantRow) => `/t/${tenant.slug}`

/**
 * CORS and CSRF for every Frontend API guard (API.md §12): CORS headers only for the tenant's
 * allowed origins, never `*`. A browser-mode mutation from any other origin, or with none, is
 * refused whether or not it carries cookies: SameSite=Lax cookies are not sent on a cross-site
 * form POST, so a check that waited for a cookie would pass exactly the login-CSRF form that
 * signs a victim into the attacker's account. Returns whether the origin passed.
 */
export function checkOrigin(
  deps: Deps,
  tenant: TenantRow,
  request: Request,
  headers: Record<string, string | number>,
  browserMode: boolean,
): boolean {
  const origin = request.headers.get('origin')
  const allowed = origin !== null && allowedOrigins(deps, tenant).has(origin)
  if (allowed) {
    headers['access-control-allow-origin'] = origin
    headers['access-control-allow-credentials'] = 'true'
    headers['access-control-expose-headers'] = 'X-Client-Token, X-Request-Id'
    headers.vary = 'Origin'
  }
  if (browserMode && !SAFE_METHODS.has(request.method) && !allowed) throw new AppError('origin_invalid')
  return allowed
}

export function fapiGuard(deps: Deps) {
  const secure = deps.config.publicUrl.startsWith('https:')
  return new Elysia({ name: 'fapi-guard' }).macro({
    client: {
      async transform({ request, params, set, server }) {
        const tenant = await TenantsService.resolveSlug(
          deps,
          (params as Record<string, string | undefined>).tenant ?? '',
        )
        requestMeta(request).tenantId = tenant.id
        const headerToken = request.headers.get('x-client-token')
        const native = headerToken !== null || request.headers.get('x-native-client') === '1'
        const cookieToken = native ? null : readCookie(request, '__client')
        const originAllowed = checkOrigin(deps, tenant, request, set.headers, !native)

        const caller = callerOf(request, deps.peerOf(request, server), deps.trustedProxies)
        caller.base = TenantsService.browserBaseOf(deps, tenant, request)
        const { client, newToken } = await resolveClient(deps, tenant, native ? headerToken : cookieToken, caller.ip)
        const cookies: string[] = []
        if (newToken && native) set.headers['x-client-token'] = newToken
        if (newToken && !native) {
          cookies.push(
            serialiseCookie('__client', newToken, {
              path: cookiePath(tenant),
              httpOnly: true,
              secure,
              maxAgeS: 365 * 86_400,
            }),
          )
          // Set now, so that an error answer still hands the new client over.
          set.headers['set-cookie'] = [...cookies] as unknown as string
        }
        // `azp`: only an origin that passed the check, and never in native mode (API.md §12).
        if (!native && originAllowed) caller.origin = request.headers.get('origin')
        contexts.set(request, { tenant, client, native, caller, cookies })
      },
      resolve: ({ request }) => {
        const ctx = contexts.get(request)
        if (!ctx) throw new Error('fapi guard did not run')
        return { fapi: ctx }
      },
      afterHandle({ request, set }) {
        const ctx = contexts.get(request)
        if (ctx?.cookies.length) set.headers['set-cookie'] = ctx.cookies as unknown as string
      },
    },
  })
}

/** Preflight for the Frontend API: CORS only for the tenant's allowed origins, never `*`. */
export function fapiPreflight(deps: Deps) {
  return new Elysia().options(
    '/t/:tenant/v1/*',
    async ({ params, request, set }) => {
      const tenant = await deps.tenants.bySlugOrNull(params.tenant)
      const origin = request.headers.get('origin')
      set.status = 204
      if (tenant && origin && allowedOrigins(deps, tenant).has(origin)) {
        set.headers['access-control-allow-origin'] = origin
        set.headers['access-control-allow-credentials'] = 'true'
        set.headers['access-control-allow-methods'] = 'GET, POST, PATCH, DELETE'
        set.headers['access-control-allow-headers'] =
          'Content-Type, Authorization, X-Client-Token, X-Native-Client, X-Request-Id'
        set.headers['access-control-max-age'] = '600'
        set.headers.vary = 'Origin'
      }
      return ''
    },
    { detail: { hide: true } },
  )
}
