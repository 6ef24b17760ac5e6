import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import { bearerToken } from '../../platform/http/bearer'
import { callerOf, type Caller } from '../../platform/http/caller'
import { readCookie } from '../../platform/http/cookies'
import { requestMeta } from '../../platform/http/request-meta'
import * as KeysService from '../keys/service'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import { checkOrigin } from './fapi-guard'
import { activeSessionUser } from './introspect'

/**
 * The session guard for `/t/:tenant/v1/me…` (API.md §6, §12): macro `{ session: true }`
 * authenticates in `transform`, before validation, so an anonymous caller learns nothing about
 * a route's parameters. The session token is read only from `Authorization: Bearer` or the
 * `__session` cookie (never a query string, body field or other header), verified with the
 * tenant's own keys, and its session must still be active and its user live (cached per node,
 * dropped by the change feed within a second of an end, revoke or ban).
 */
export interface SessionClaims {
  sub: string
  sid: string
  iat: number
  exp: number
  amr: string[]
  /** [minutes since the first factor, since the second factor or -1], as of `iat`. */
  fva: number[]
}

export interface SessionAuth {
  tenant: TenantRow
  userId: string
  sessionId: string
  claims: SessionClaims
  caller: Caller
}

const contexts = new WeakMap<Request, SessionAuth>()

function claimsOf(payload: Record<string, unknown>): SessionClaims | null {
  const { sub, sid, iat, exp, amr, fva } = payload
  if (typeof sub !== 'string' || typeof sid !== 'string' || typeof iat !== 'number' || typeof exp !== 'number')
    return null
  const strings = Array.isArray(amr) ? amr.filter((a): a is string => typeof a === 'string') : []
  const numbers = Array.isArray(fva) ? fva.filter((n): n is number => typeof n === 'number') : []
  return { sub, sid, iat, exp, amr: strings, fva: numbers }
}

export function sessionAuth(deps: Deps) {
  return new Elysia({ name: 'session-guard' }).macro({
    session: {
      async transform({ request, params, set, server }) {
        const tenant = await TenantsService.resolveSlug(
          deps,
          (params as Record<string, string | undefined>).tenant ?? '',
        )
        requestMeta(request).tenantId = tenant.id
        // A Bearer header wins: browsers never attach it by themselves (a cross-site form cannot
        // set it), so it needs no CSRF check. The `__session` cookie is the one credential a
        // browser attaches on its own, so a call carrying it is checked; one with neither is 401.
        const bearer = bearerToken(request)
        const token = bearer ?? readCookie(request, '__session')
        checkOrigin(deps, tenant, request, set.headers, bearer === null && token !== null)
        // Personal data: never stored by a shared cache.
        set.headers['cache-control'] = 'no-store'
        if (!token) throw new AppError('authentication_invalid')

        const verified = await KeysService.verifyToken(deps, TenantsService.keyOwner(deps, tenant), token)
        if (!verified.ok)
          throw new AppError(verified.reason === 'expired' ? 'session_token_expired' : 'authentication_invalid')
        const claims = claimsOf(verified.claims as Record<string, unknown>)
        if (!claims || !(await activeSessionUser(deps, tenant.id, claims.sub, claims.sid)))
          throw new AppError('authentication_invalid')
        contexts.set(request, {
          tenant,
          userId: claims.sub,
          sessionId: claims.sid,
          claims,
          caller: callerOf(request, deps.peerOf(request, server), deps.trustedProxies),
        })
      },
      resolve: ({ request }) => {
        const me = contexts.get(request)
        if (!me) throw new Error('session guard did not run')
        return { me }
      },
    },
  })
}

/**
 * The least time since the token's last verified factor, now: of either kind, or (`second`) a
 * second factor — a passkey verified with user verification counts as one. `fva` is counted in
 * whole minutes at the token's `iat`, so this is a lower bound; step-up checks the session's own
 * timestamps for the exact age.
 */
export function factorAgeMs(claims: SessionClaims, now: number, kind: 'any' | 'second'): number | null {
  const ages = claims.fva.slice(kind === 'second' ? 1 : 0, 2).filter((m) => m >= 0)
  if (ages.length === 0) return null
  return Math.min(...ages) * 60_000 + Math.max(0, now - claims.iat * 1000)
}
