import type { Deps } from '../../deps'
import { callerOf } from '../../platform/http/caller'
import { readCookie, serialiseCookie } from '../../platform/http/cookies'
import { cookiePath, type FapiContext } from '../sessions/fapi-guard'
import * as SessionsService from '../sessions/service'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'

/**
 * The browser's client on a hosted page: the one its `__client` cookie names, as in browser-mode
 * FAPI (API.md §4 Client), so an attempt begun on a page belongs to that browser alone and the
 * FAPI (e.g. the passkey script) sees the same client.
 */
type Server = Parameters<Deps['peerOf']>[1]

export type ClientRow = FapiContext['client']

/** Who is asking: the client of the `__client` cookie or null — never creates one (read-only pages). */
export const currentClient = (deps: Deps, tenant: TenantRow, request: Request): Promise<ClientRow | null> =>
  SessionsService.findClient(deps, tenant, readCookie(request, '__client'))

/**
 * The client of the `__client` cookie, or a new one whose cookie is queued in `cookies` (send them
 * with the response), as a browser-mode FAPI context: services that take one set the session
 * cookies there too. `origin`: the request's Origin once it passed the check (the session's azp).
 */
export async function browserClient(
  deps: Deps,
  tenant: TenantRow,
  request: Request,
  server: Server,
  origin: string | null,
): Promise<FapiContext> {
  const caller = callerOf(request, deps.peerOf(request, server), deps.trustedProxies)
  caller.origin = origin
  caller.base = TenantsService.browserBaseOf(deps, tenant, request)
  const { client, newToken } = await SessionsService.resolveClient(
    deps,
    tenant,
    readCookie(request, '__client'),
    caller.ip,
  )
  const cookies = newToken
    ? [
        serialiseCookie('__client', newToken, {
          path: cookiePath(tenant),
          httpOnly: true,
          secure: deps.config.publicUrl.startsWith('https:'),
          maxAgeS: 365 * 86_400,
        }),
      ]
    : []
  return { tenant, client, native: false, caller, cookies }
}
