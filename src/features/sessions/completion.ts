import type { Deps } from '../../deps'
import type { TenantRow } from '../tenants/service'
import type { FapiContext } from './fapi-guard'
import type { Session } from './model'
import { claimTokens, get, type IssuedTokens } from './service'
import { sessionCookies } from './session-cookies'

/**
 * The session part of a completed attempt's response (API.md §5), shared by the sign-in and
 * sign-up flows: tokens in the body for native clients and the backend API, in cookies for
 * browsers. When this request issued none (an email link completed the attempt elsewhere), the
 * owner's read claims them; once claimed, later reads show the session only.
 */
export async function sessionResponse(
  deps: Deps,
  tenant: TenantRow,
  sessionId: string,
  issued: IssuedTokens | null,
  fapi: FapiContext | null,
): Promise<{ session: Session; session_token?: string; refresh_token?: string }> {
  const tokens = issued ?? (await claimTokens(deps, tenant, sessionId))
  if (!tokens) return { session: await get(deps, tenant, sessionId) }
  if (fapi && !fapi.native) {
    fapi.cookies.push(...sessionCookies(deps, tenant, tokens))
    return { session: tokens.session }
  }
  return tokens
}
