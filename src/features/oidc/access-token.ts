import type { Deps } from '../../deps'
import { sha256Hex } from '../../platform/crypto/tokens'
import { withTenant } from '../../platform/db/tx'
import * as KeysService from '../keys/service'
import * as SessionsService from '../sessions/service'
import { keyOwner, type TenantRow } from '../tenants/service'
import { family as familyOf, familyUsable } from './families'
import { familyOfJti } from './issue'
import * as TokenRepo from './token-repo'
import type { FamilyRow } from './token-repo'

/** A live access token: its claims (for an opaque one, built from its family) and its family. */
export interface LiveAccessToken {
  claims: Record<string, unknown>
  family: FamilyRow
}

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/

/**
 * The access token if it is live now: signature, issuer, expiry (a JWT: with the in-memory keys), its
 * family not revoked (per-node cache dropped by the change feed within a second), and its user still
 * there and not banned (the session cache). Opaque tokens cost one lookup by hash.
 */
export async function liveAccessToken(deps: Deps, tenant: TenantRow, token: string): Promise<LiveAccessToken | null> {
  const now = deps.clock.now()
  let claims: Record<string, unknown>
  let family: FamilyRow | null
  if (JWT_SHAPE.test(token)) {
    const verified = await KeysService.verifyToken(deps, keyOwner(deps, tenant), token, 'access')
    if (!verified.ok) return null
    claims = verified.claims as Record<string, unknown>
    const familyId = familyOfJti(claims.jti)
    family = familyId ? await familyOf(deps, tenant.id, familyId) : null
  } else {
    if (token.length > 128) return null
    const hash = await sha256Hex(token)
    const found = await withTenant(deps.db, tenant.id, (tx) => TokenRepo.findOpaqueToken(tx, tenant.id, hash))
    if (!found || found.expireAt.getTime() <= now) return null
    family = found.family
    claims = opaqueClaims(deps, tenant, found)
  }
  if (!familyUsable(family, now)) return null
  if (family.userId && !(await liveUser(deps, tenant, family))) return null
  return { claims, family }
}

/**
 * The user behind a family, if still live. Tokens issued without `offline_access` also end with the
 * session that authorized them (as node-oidc-provider's `expiresWithSession`): signing out at the
 * provider, or a revoked session, ends them on every node within a second. Offline ones outlive it.
 */
function liveUser(deps: Deps, tenant: TenantRow, family: FamilyRow) {
  const userId = family.userId!
  if (family.sessionId && !family.scopes.includes('offline_access'))
    return SessionsService.activeSessionUser(deps, tenant.id, userId, family.sessionId)
  return SessionsService.userState(deps, tenant.id, userId)
}

/** What a JWT would have said, for an opaque token (RFC 7662 answers the same either way). */
function opaqueClaims(
  deps: Deps,
  tenant: TenantRow,
  found: { family: FamilyRow; clientId: string; scopes: string[]; createdAt: Date; expireAt: Date },
): Record<string, unknown> {
  const { family, clientId, createdAt, expireAt } = found
  const issuer = keyOwner(deps, tenant).issuer
  return {
    iss: issuer,
    sub: family.userId ?? clientId,
    aud: family.resource ?? issuer,
    client_id: clientId,
    scope: found.scopes.join(' '),
    iat: Math.floor(createdAt.getTime() / 1000),
    exp: Math.floor(expireAt.getTime() / 1000),
    ...(family.sessionId ? { sid: family.sessionId } : {}),
    ...(family.dpopJkt ? { cnf: { jkt: family.dpopJkt } } : {}),
  }
}
