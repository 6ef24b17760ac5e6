import type { Deps } from '../../deps'
import { serialiseCookie } from '../../platform/http/cookies'
import type { TenantRow } from '../tenants/service'
import { cookiePath } from './fapi-guard'
import type { IssuedTokens } from './service'

/**
 * Browser mode (API.md §5): the session token in `__session` (readable by the page, like
 * Clerk's, and short-lived), the refresh token in the HttpOnly `__refresh`.
 */
export function sessionCookies(deps: Deps, tenant: TenantRow, issued: IssuedTokens): string[] {
  const secure = deps.config.publicUrl.startsWith('https:')
  const path = cookiePath(tenant)
  return [
    serialiseCookie('__session', issued.session_token, {
      path,
      httpOnly: false,
      secure,
      maxAgeS: tenant.settings.session.token_lifetime_s,
    }),
    serialiseCookie('__refresh', issued.refresh_token, {
      path,
      httpOnly: true,
      secure,
      maxAgeS: tenant.settings.session.max_lifetime_s,
    }),
  ]
}
