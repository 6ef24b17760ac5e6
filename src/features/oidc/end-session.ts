import type { Deps } from '../../deps'
import { callerOf } from '../../platform/http/caller'
import * as HostedService from './hosted'
import * as KeysService from '../keys/service'
import * as SessionsService from '../sessions/service'
import { keyOwner, type TenantRow } from '../tenants/service'
import { applicationOf } from './client-auth'
import { OAuthError } from './errors'
import { formActionOf } from './redirect-uris'

const { escapeHtml } = HostedService
type Server = Parameters<Deps['peerOf']>[1]
export type Params = Record<string, string | undefined>

export type EndSessionOutcome =
  | { kind: 'page'; title: string; body: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'error_page'; error: OAuthError }

interface Target {
  clientId: string | null
  /** From a valid hint: the session it names, and its user. */
  sid: string | null
  sub: string | null
  redirect: string | null
  state: string | null
}

/**
 * OIDC RP-Initiated Logout 1.0 §2–§3: the hint (a valid ID token of this issuer) names the client and
 * session; `post_logout_redirect_uri` must be one the client registered, else nothing is redirected.
 */
async function target(deps: Deps, tenant: TenantRow, params: Params): Promise<Target | OAuthError> {
  let clientId = params.client_id ?? null
  let sid: string | null = null
  let sub: string | null = null
  if (params.id_token_hint) {
    const verified = await KeysService.verifyToken(deps, keyOwner(deps, tenant), params.id_token_hint, 'id')
    if (verified.ok) {
      const aud = verified.claims.aud
      const hinted = Array.isArray(aud) ? aud[0] : aud
      if (clientId && hinted !== clientId)
        return new OAuthError('invalid_request', 'client_id does not match the hint.')
      clientId = hinted ?? null
      sid = typeof verified.claims.sid === 'string' ? verified.claims.sid : null
      sub = typeof verified.claims.sub === 'string' ? verified.claims.sub : null
    }
  }
  const redirect = params.post_logout_redirect_uri ?? null
  if (redirect !== null) {
    const app = clientId ? await applicationOf(deps, tenant, clientId) : null
    if (!app || !app.postLogoutRedirectUris.includes(redirect))
      return new OAuthError('invalid_request', 'post_logout_redirect_uri is not registered for this client.')
  }
  return { clientId, sid, sub, redirect, state: params.state ?? null }
}

/** Where the browser goes once signed out: the client's registered page (with `state`), else ours. */
function signedOut(found: Target): EndSessionOutcome {
  if (!found.redirect)
    return { kind: 'page', title: 'Signed out', body: '<p>You are signed out. You can close this tab.</p>' }
  const url = new URL(found.redirect)
  if (found.state !== null) url.searchParams.set('state', found.state)
  return { kind: 'redirect', location: url.toString() }
}

/**
 * GET (API.md §15): with a valid `id_token_hint` the RP asks to end the session it names, which ends
 * at once (only the holder of the user's ID token can ask it, and it only signs out); without one, a
 * confirmation page whose CSRF-checked POST signs this browser out, so a bare link cannot.
 */
export async function confirmLogout(
  deps: Deps,
  tenant: TenantRow,
  request: Request,
  server: Server,
  params: Params,
): Promise<EndSessionOutcome & { formActions?: string[] }> {
  const found = await target(deps, tenant, params)
  if (found instanceof OAuthError) return { kind: 'error_page' as const, error: found }
  if (found.sid && found.sub) {
    const session = await SessionsService.get(deps, tenant, found.sid).catch(() => null)
    if (session?.status === 'active' && session.user_id === found.sub) {
      const caller = callerOf(request, deps.peerOf(request, server), deps.trustedProxies)
      if (session.client_id)
        await SessionsService.endForClient(deps, tenant, session.client_id, session.id, session.user_id, caller)
      else await SessionsService.revoke(deps, tenant, session.id, { type: 'user', id: session.user_id }, caller)
    }
    return signedOut(found)
  }
  const client = await HostedService.currentClient(deps, tenant, request)
  const csrf = client ? await HostedService.issueCsrf(deps, client.id) : ''
  const hidden = (name: string, value: string | null) => (value === null ? '' : HostedService.hidden(name, value))
  const body =
    `<p>Do you want to sign out of ${escapeHtml(tenant.name)}?</p>` +
    `<form method="post" action="">${hidden('csrf', csrf)}${hidden('client_id', found.clientId)}` +
    `${hidden('id_token_hint', params.id_token_hint ?? null)}` +
    `${hidden('post_logout_redirect_uri', found.redirect)}${hidden('state', found.state)}` +
    '<button type="submit" autofocus>Sign out</button></form>'
  return {
    kind: 'page' as const,
    title: 'Sign out',
    body,
    formActions: found.redirect ? [formActionOf(found.redirect)] : [],
  }
}

/** POST: ends this browser's session named by the hint, or all its sessions; then the client's page. */
export async function logout(
  deps: Deps,
  tenant: TenantRow,
  request: Request,
  server: Server,
  form: Params,
): Promise<EndSessionOutcome> {
  const found = await target(deps, tenant, form)
  if (found instanceof OAuthError) return { kind: 'error_page', error: found }
  const client = await HostedService.currentClient(deps, tenant, request)
  if (client) {
    await HostedService.checkFormPost(deps, tenant, request, client.id, form.csrf)
    const active = await SessionsService.activeForClient(deps, tenant, client.id)
    const caller = callerOf(request, deps.peerOf(request, server), deps.trustedProxies)
    const hinted = active.find((s) => s.id === found.sid)
    if (hinted) await SessionsService.endForClient(deps, tenant, client.id, hinted.id, hinted.user_id, caller)
    else if (active.length) await SessionsService.endAllForClient(deps, tenant, client.id)
  } else HostedService.checkFormOrigin(deps, tenant, request)
  return signedOut(found)
}
