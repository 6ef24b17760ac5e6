import type { Deps } from '../../deps'
import { randomToken, sha256Hex } from '../../platform/crypto/tokens'
import { readCookie, serialiseCookie } from '../../platform/http/cookies'
import type { TenantRow } from '../tenants/service'
import type { AuthRequestRow } from './repo'

/**
 * The browser an authorization request belongs to: a random HttpOnly cookie (SameSite=Lax, so it
 * comes along on the top-level navigations of the flow) whose hash the request keeps. Without it, an
 * `oar_` id seen in a URL would let another browser finish the victim's request with its own account
 * (a code for the attacker, bound to the victim's PKCE, state and nonce: login CSRF into the client).
 */
const COOKIE = '__oauth_browser'

export interface Binding {
  hash: string
  /** Set-Cookie to send when the browser had none yet. */
  setCookie: string | null
}

export async function bindingFor(deps: Deps, tenant: TenantRow, request: Request): Promise<Binding> {
  const present = readCookie(request, COOKIE)
  if (present && /^[\w-]{43}$/.test(present)) return { hash: await sha256Hex(present), setCookie: null }
  const token = randomToken(32)
  const setCookie = serialiseCookie(COOKIE, token, {
    path: `/t/${tenant.slug}`,
    httpOnly: true,
    secure: deps.config.publicUrl.startsWith('https:'),
    maxAgeS: 86_400,
  })
  return { hash: await sha256Hex(token), setCookie }
}

/** Whether `request` comes from the browser the request (OAuth, or SAML's pending one) is bound to. */
export async function boundTo(request: Request, row: Pick<AuthRequestRow, 'browserBinding'>): Promise<boolean> {
  const present = readCookie(request, COOKIE)
  return !!present && !!row.browserBinding && (await sha256Hex(present)) === row.browserBinding
}
