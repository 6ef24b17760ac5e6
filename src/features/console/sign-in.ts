import { timingSafeEqual } from 'node:crypto'
import type { Deps } from '../../deps'
import { randomToken } from '../../platform/crypto/tokens'
import { readCookie, serialiseCookie } from '../../platform/http/cookies'
import * as KeysService from '../keys/service'
import * as OidcService from '../oidc/service'
import * as SessionsService from '../sessions/service'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import { consoleRoleOf } from '../operators/model'
import { sessionCookie } from './session'

/**
 * Signing in to the console (issue #21) is an OpenID Connect code flow with PKCE against the tenant's own
 * issuer — the platform tenant for operators, a customer tenant for its admins — through its hosted pages, so
 * its MFA policy, lockout and passkeys apply. The pipeline: start (state, nonce and verifier sealed in a cookie
 * for the callback's path) → the tenant's /oauth/authorize → callback (state, code exchanged at the tenant's
 * token endpoint inside this process, ID token verified with the tenant's keys, audience and nonce) → the
 * person's console role → the console session cookie.
 */
const LOGIN_COOKIE = '__console_login'
const LOGIN_CONTEXT = 'console_login'
const LOGIN_TTL_MS = 10 * 60_000

interface Login {
  tenant_id: string
  state: string
  nonce: string
  verifier: string
  expires_at: number
}

export type Handle = (request: Request) => Promise<Response>

export const callbackUrl = (deps: Deps) => `${deps.config.publicUrl}/console/callback`

const loginCookie = (deps: Deps, value: string, maxAgeS: number) =>
  serialiseCookie(LOGIN_COOKIE, value, {
    path: '/console/callback',
    httpOnly: true,
    secure: deps.config.publicUrl.startsWith('https:'),
    maxAgeS,
  })

const challengeOf = async (verifier: string) =>
  Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))).toString('base64url')

/** To the tenant's authorization endpoint, under PUBLIC_URL (the console's host, where its pages' cookies are). */
export async function start(deps: Deps, tenant: TenantRow): Promise<{ location: string; cookie: string }> {
  await OidcService.ensureConsoleApplication(deps, tenant, callbackUrl(deps))
  const login: Login = {
    tenant_id: tenant.id,
    state: randomToken(24),
    nonce: randomToken(24),
    verifier: randomToken(32),
    expires_at: deps.clock.now() + LOGIN_TTL_MS,
  }
  const url = new URL(`${deps.config.publicUrl}/t/${tenant.slug}/oauth/authorize`)
  url.search = new URLSearchParams({
    client_id: OidcService.CONSOLE_CLIENT_ID,
    redirect_uri: callbackUrl(deps),
    response_type: 'code',
    scope: 'openid email profile',
    state: login.state,
    nonce: login.nonce,
    code_challenge: await challengeOf(login.verifier),
    code_challenge_method: 'S256',
  }).toString()
  const sealed = await deps.box.seal(JSON.stringify(login), LOGIN_CONTEXT)
  return { location: url.toString(), cookie: loginCookie(deps, sealed, LOGIN_TTL_MS / 1000) }
}

export type CallbackResult =
  | { ok: true; cookies: string[] }
  | { ok: false; status: number; message: string; cookies: string[] }

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

async function openLogin(deps: Deps, request: Request): Promise<Login | null> {
  const raw = readCookie(request, LOGIN_COOKIE)
  if (!raw) return null
  try {
    const login = JSON.parse(await deps.box.open(raw, LOGIN_CONTEXT)) as Login
    return deps.clock.now() < login.expires_at ? login : null
  } catch {
    return null
  }
}

/** The code at the tenant's token endpoint, in this process (the same pipeline as any client's). */
async function exchange(deps: Deps, handle: Handle, tenant: TenantRow, code: string, login: Login) {
  const res = await handle(
    new Request(`${deps.config.publicUrl}/t/${tenant.slug}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: callbackUrl(deps),
        client_id: OidcService.CONSOLE_CLIENT_ID,
        code_verifier: login.verifier,
      }),
    }),
  )
  if (res.status !== 200) return null
  const body = (await res.json()) as { id_token?: unknown }
  return typeof body.id_token === 'string' ? body.id_token : null
}

export async function callback(
  deps: Deps,
  handle: Handle,
  request: Request,
  query: { code?: string; state?: string; error?: string },
): Promise<CallbackResult> {
  const bounded = (value: string | undefined, max: number) =>
    value !== undefined && value.length <= max ? value : undefined
  const state = bounded(query.state, 256)
  const code = bounded(query.code, 1024)
  const cleared = [loginCookie(deps, '', 0)]
  const refuse = (status: number, message: string): CallbackResult => ({ ok: false, status, message, cookies: cleared })
  const login = await openLogin(deps, request)
  // A callback this browser did not start (or a replay after it finished): nothing to continue.
  if (!login || !state || !sameText(state, login.state))
    return refuse(400, 'This sign-in was not started here, or it expired. Start again.')
  if (query.error !== undefined || !code) return refuse(400, 'The sign-in was cancelled.')
  const tenant = await TenantsService.findLive(deps.db, login.tenant_id)
  if (!tenant) return refuse(400, 'This tenant no longer exists.')
  const idToken = await exchange(deps, handle, tenant, code, login)
  const verified =
    idToken && (await KeysService.verifyToken(deps, TenantsService.keyOwner(deps, tenant), idToken, 'id'))
  if (!verified || !verified.ok) return refuse(400, 'The sign-in could not be completed. Start again.')
  const { claims } = verified
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
  if (!audience.includes(OidcService.CONSOLE_CLIENT_ID) || claims.nonce !== login.nonce)
    return refuse(400, 'The sign-in could not be completed. Start again.')
  if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string')
    return refuse(400, 'The sign-in could not be completed. Start again.')
  const live = await SessionsService.activeSessionUser(deps, tenant.id, claims.sub, claims.sid)
  if (
    !live ||
    !consoleRoleOf(tenant, live.roles) ||
    (await SessionsService.actorOfSession(deps, tenant.id, claims.sid))
  )
    return refuse(403, 'You are signed in, but you are not an administrator here.')
  const session = await sessionCookie(deps, { tenant_id: tenant.id, user_id: claims.sub, session_id: claims.sid })
  return { ok: true, cookies: [...cleared, session] }
}
