import { timingSafeEqual } from 'node:crypto'
import type { Deps } from '../../deps'
import { readCookie, serialiseCookie } from '../../platform/http/cookies'
import { consoleRoleOf, type ConsoleRole } from '../operators/model'
import * as SessionsService from '../sessions/service'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'

/**
 * The console's own session (issue #21): a sealed cookie scoped to `/console`, naming the tenant signed in to,
 * the user and the Tessera session the sign-in made. Nothing is stored: every request opens it and asks the
 * session and user caches whether that session is still active and the user still holds a console role, so
 * signing out elsewhere, a revoke, a ban or a role taken away ends console access within a second everywhere.
 * The tenant's `session.inactivity_timeout_s` holds too: the cookie records when it was last used (renewed at
 * most once a minute), and a console left alone longer is signed out.
 */
export const SESSION_COOKIE = '__console'
const SEAL_CONTEXT = 'console_session'
const LIFETIME_MS = 8 * 3600_000
const RENEW_AFTER_MS = 60_000

interface Sealed {
  /** Random per sign-in: what the CSRF token is bound to. */
  id: string
  tenant_id: string
  user_id: string
  session_id: string
  expires_at: number
  /** When a page was last served with it. */
  seen_at: number
}

/** Who is using the console, as this request found them. */
export interface Viewer {
  id: string
  /** The tenant they signed in to: the platform tenant (an operator) or a customer tenant (its admin). */
  home: TenantRow
  userId: string
  sessionId: string
  /** An operator's role, or `admin` of their own tenant. */
  role: ConsoleRole
  label: string
  /** The cookie again with a new `seen_at`, to set on this answer; null when it is recent enough. */
  renewed: string | null
}

const secure = (deps: Deps) => deps.config.publicUrl.startsWith('https:')

async function cookieOf(deps: Deps, sealed: Sealed): Promise<string> {
  const value = await deps.box.seal(JSON.stringify(sealed), SEAL_CONTEXT)
  return serialiseCookie(SESSION_COOKIE, value, {
    path: '/console',
    httpOnly: true,
    secure: secure(deps),
    maxAgeS: Math.max(0, Math.floor((sealed.expires_at - deps.clock.now()) / 1000)),
  })
}

export function sessionCookie(deps: Deps, s: Pick<Sealed, 'tenant_id' | 'user_id' | 'session_id'>): Promise<string> {
  const now = deps.clock.now()
  return cookieOf(deps, { ...s, id: crypto.randomUUID(), expires_at: now + LIFETIME_MS, seen_at: now })
}

export const clearedSessionCookie = (deps: Deps) =>
  serialiseCookie(SESSION_COOKIE, '', { path: '/console', httpOnly: true, secure: secure(deps), maxAgeS: 0 })

async function opened(deps: Deps, request: Request): Promise<Sealed | null> {
  const raw = readCookie(request, SESSION_COOKIE)
  if (!raw) return null
  try {
    const sealed = JSON.parse(await deps.box.open(raw, SEAL_CONTEXT)) as Sealed
    return deps.clock.now() < sealed.expires_at ? sealed : null
  } catch {
    return null
  }
}

/** The viewer of this request, or null (signed out, expired, session ended, role gone). */
export async function viewerOf(deps: Deps, request: Request): Promise<Viewer | null> {
  const sealed = await opened(deps, request)
  if (!sealed) return null
  const home = await TenantsService.findLive(deps.db, sealed.tenant_id)
  const now = deps.clock.now()
  if (!home || now - sealed.seen_at > home.settings.session.inactivity_timeout_s * 1000) return null
  const live = await SessionsService.activeSessionUser(deps, home.id, sealed.user_id, sealed.session_id)
  const role = live && consoleRoleOf(home, live.roles)
  // An impersonation never opens the console (its sign-in refuses one too): whoever acts keeps their own rights.
  if (!live || !role || (await SessionsService.actorOfSession(deps, home.id, sealed.session_id))) return null
  const { primary_email_address: email, username } = live.summary
  const label = typeof email === 'string' ? email : typeof username === 'string' ? username : sealed.user_id
  const renewed = now - sealed.seen_at > RENEW_AFTER_MS ? await cookieOf(deps, { ...sealed, seen_at: now }) : null
  return { id: sealed.id, home, userId: sealed.user_id, sessionId: sealed.session_id, role, label, renewed }
}

/** The CSRF token of the viewer's forms (an HMAC of their console session: nothing stored). */
export const csrfOf = (deps: Deps, viewer: Viewer) => deps.mac.sign(`console-csrf:${viewer.id}`)

export async function csrfValid(deps: Deps, viewer: Viewer, given: unknown): Promise<boolean> {
  if (typeof given !== 'string') return false
  const expected = Buffer.from(await csrfOf(deps, viewer))
  const actual = Buffer.from(given)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}
