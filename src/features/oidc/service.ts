import type { Deps } from '../../deps'
import type { TenantRow } from '../tenants/service'
import * as SessionsService from '../sessions/service'
import { liveAccessToken } from './access-token'
import { loadRequest, paramsOf } from './authorize'
import { formActionOf } from './redirect-uris'
import * as TokenRepo from './token-repo'

/**
 * The browser side of the authorization endpoint, which the SAML IdP's SSO endpoint shares: the binding
 * cookie that ties a pending request to one browser, and the browser's signed-in session.
 */
export { bindingFor, boundTo, type Binding } from './browser-binding'
export { browserSession } from './browser-session'

/**
 * Where a hosted page's form may end up for this authorization request: the client's redirect URI
 * origin (CSP `form-action` also governs the redirects after a form POST).
 */
export async function formActionsFor(deps: Deps, tenant: TenantRow, authRequestId: string): Promise<string[]> {
  const row = await loadRequest(deps, tenant, authRequestId, null)
  return row ? [formActionOf(paramsOf(row).redirect_uri)] : []
}

/**
 * `POST /v1/tokens/introspect` (API.md §5) also answers OAuth access tokens of this tenant, in the
 * session shape plus `client_id` and `scope`; null when the token is not a live OAuth access token.
 * A client-credentials token has no user: `user` is null and `sub` the client_id.
 */
export async function introspectForBackend(deps: Deps, tenant: TenantRow, token: string, organizationId?: string) {
  const live = await liveAccessToken(deps, tenant, token)
  if (!live) return null
  const c = live.claims
  // A DPoP-bound token says so, so that a resource server never takes it as a bearer token (RFC 9449 §6).
  const jkt = live.family.dpopJkt
  const extra = {
    client_id: c.client_id,
    scope: c.scope,
    token_type: jkt ? 'DPoP' : 'Bearer',
    ...(jkt ? { cnf: { jkt } } : {}),
  }
  const facts = {
    sub: String(c.sub),
    sid: typeof c.sid === 'string' ? c.sid : null,
    organizationId: organizationId ?? live.family.organizationId,
    amr: Array.isArray(c.amr) ? (c.amr as string[]) : [],
    iat: Number(c.iat),
    exp: Number(c.exp),
  }
  const user = live.family.userId ? await SessionsService.userState(deps, tenant.id, live.family.userId) : null
  if (!user) {
    return {
      active: true,
      ...facts,
      user: null,
      org_id: null,
      org_slug: null,
      org_role: null,
      plan: null,
      permissions: [],
      roles: [],
      ...extra,
    }
  }
  return { ...(await SessionsService.describeIntrospection(deps, tenant, user, facts)), ...extra }
}

/** Codes, requests, tokens and families a day past their end (the sweeper). */
export const sweep = (deps: Deps, before: Date) => TokenRepo.deleteExpiredBefore(deps.db, before)
export {
  CONSOLE_CLIENT_ID,
  create as createApplication,
  ensureConsoleApplication,
  get as getApplication,
  list as listApplications,
  remove as removeApplication,
  rotateSecret as rotateApplicationSecret,
} from './applications'
export { list as listGrants, revoke as revokeGrant } from './grants'
