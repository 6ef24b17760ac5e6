import type { Deps } from '../../deps'
import { sha256Hex } from '../../platform/crypto/tokens'
import { withTenant } from '../../platform/db/tx'
import { keyOwner, type TenantRow } from '../tenants/service'
import { liveAccessToken } from './access-token'
import { authenticateClient } from './client-auth'
import type { Form } from './form'
import { OAuthError } from './errors'
import { familyUsable } from './families'
import type { ApplicationRow } from './repo'
import * as TokenRepo from './token-repo'

const INACTIVE = { active: false } as const

/** Claims an introspection answer repeats from the token (RFC 7662 §2.2, RFC 9068, RFC 9449 §6.2). */
const KEPT = ['scope', 'client_id', 'sub', 'aud', 'iss', 'exp', 'iat', 'nbf', 'jti', 'sid', 'auth_time', 'acr', 'amr']
const ORG = ['org_id', 'org_slug', 'org_role', 'org_permissions', 'plan', 'plan_status']

/**
 * `POST /oauth/introspect` (RFC 7662): a confidential client of the tenant asks whether a token is
 * active (see mayIntrospect for which tokens it may ask about). Access tokens (JWT or opaque) and refresh tokens; anything unknown, expired, revoked or of
 * another tenant is `{ active: false }`. A DPoP-bound token's answer carries `cnf.jkt` and
 * `token_type: "DPoP"`, so the resource server checks the proof it received against it.
 */
export async function introspect(deps: Deps, tenant: TenantRow, request: Request, form: Form) {
  const app = await authenticateClient(deps, tenant, keyOwner(deps, tenant).issuer, request, form)
  if (app.public) throw new OAuthError('invalid_client', 'Introspection needs a confidential client.')
  const token = form.token
  if (!token) throw new OAuthError('invalid_request', 'token is required.')
  if (form.token_type_hint !== 'refresh_token') {
    const live = await liveAccessToken(deps, tenant, token)
    if (live && mayIntrospect(app, live.family.applicationId, live.claims.aud)) {
      const answer: Record<string, unknown> = { active: true }
      for (const k of [...KEPT, ...ORG]) if (live.claims[k] !== undefined) answer[k] = live.claims[k]
      answer.token_type = live.family.dpopJkt ? 'DPoP' : 'Bearer'
      if (live.family.dpopJkt) answer.cnf = { jkt: live.family.dpopJkt }
      return answer
    }
  }
  return (await refreshIntrospection(deps, tenant, app, token)) ?? INACTIVE
}

/**
 * Who may learn about an access token (RFC 7662 §4): the client it was issued to, a client named in
 * its `aud` (a resource server registered as a client), or a first-party application of the tenant (the
 * operator's own APIs). A third-party client — self-registered ones included — learns nothing about
 * other clients' tokens.
 */
function mayIntrospect(caller: ApplicationRow, ownerId: string, aud: unknown): boolean {
  if (caller.id === ownerId || caller.firstParty) return true
  return aud === caller.clientId || (Array.isArray(aud) && aud.includes(caller.clientId))
}

/** A refresh token is the business of its own client only. */
async function refreshIntrospection(deps: Deps, tenant: TenantRow, caller: ApplicationRow, token: string) {
  if (token.length > 128) return null
  const hash = await sha256Hex(token)
  const found = await withTenant(deps.db, tenant.id, (tx) => TokenRepo.findRefreshToken(tx, tenant.id, hash))
  if (!found || found.family.applicationId !== caller.id) return null
  if (found.token.status !== 'active' || !familyUsable(found.family, deps.clock.now())) return null
  return {
    active: true,
    token_type: 'refresh_token',
    scope: found.family.scopes.join(' '),
    client_id: found.clientId,
    sub: found.family.userId,
    iss: keyOwner(deps, tenant).issuer,
    iat: Math.floor(found.token.createdAt.getTime() / 1000),
    exp: Math.floor(found.family.expireAt.getTime() / 1000),
    ...(found.family.sessionId ? { sid: found.family.sessionId } : {}),
  }
}
