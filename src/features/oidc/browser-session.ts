import type { Deps } from '../../deps'
import { readCookie } from '../../platform/http/cookies'
import * as SessionsService from '../sessions/service'
import type { SessionRow } from '../sessions/service'
import type { TenantRow } from '../tenants/service'

/**
 * The browser's signed-in session, as the authorization endpoint sees it: the `__client` cookie's
 * client (never created here: a GET that changes nothing) and one of its active sessions — the one
 * `chosen` at the account chooser if still active, else the newest created after `since` (the one the
 * hosted sign-in just made), else the last used. `count`: how many active sessions the browser has.
 */
export async function browserSession(
  deps: Deps,
  tenant: TenantRow,
  from: Request | { client: { id: string } },
  since: number,
  chosen: string | null = null,
): Promise<{ clientId: string; session: SessionRow | null; count: number } | null> {
  const client =
    from instanceof Request ? await SessionsService.findClient(deps, tenant, readCookie(from, '__client')) : from.client
  if (!client) return null
  // An impersonation (issue #21) never signs anyone in elsewhere: no authorization, consent, device or SAML
  // request is answered with it (nor the console's own sign-in), so its `act` cannot be shed.
  const active = (await SessionsService.activeForClient(deps, tenant, client.id)).filter((s) => !s.actor)
  const fresh = active.filter((s) => s.created_at >= since).sort((a, b) => b.created_at - a.created_at)
  const picked =
    active.find((s) => s.id === chosen) ??
    fresh[0] ??
    [...active].sort((a, b) => b.last_active_at - a.last_active_at)[0]
  const count = active.length
  if (!picked) return { clientId: client.id, session: null, count }
  return {
    clientId: client.id,
    session: await SessionsService.findForClient(deps, tenant, client.id, picked.id),
    count,
  }
}
