import { createHash } from 'node:crypto'
import { SignJWT, type JWTPayload } from 'jose'
import type { Deps } from '../../deps'
import { randomToken, sha256Hex } from '../../platform/crypto/tokens'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { newId } from '../../platform/ids'
import * as KeysService from '../keys/service'
import * as SessionsService from '../sessions/service'
import type { RingKey } from '../keys/service'
import { keyOwner, type TenantRow } from '../tenants/service'
import { acrOf, organizationClaims, rfc8176Amr, userClaims } from './claims'
import { OAuthError } from './errors'
import { recordInTx } from './record'
import type { ApplicationRow } from './repo'
import * as TokenRepo from './token-repo'
import type { FamilyRow } from './token-repo'

/** What one authorization covers: the family's columns. */
export interface Authorization {
  app: ApplicationRow
  grantId: string | null
  userId: string | null
  sessionId: string | null
  organizationId: string | null
  scopes: string[]
  resource: string | null
  /** ms; null for client credentials. */
  authTime: number | null
  /** Tessera strategy names; mapped to RFC 8176 in tokens. */
  amr: string[]
  dpopJkt: string | null
  /** The grant that issued it, for the audit trail. */
  grantType: string
}

export interface TokenResponse {
  access_token: string
  token_type: 'Bearer' | 'DPoP'
  expires_in: number
  scope: string
  refresh_token?: string
  id_token?: string
}

const settings = (tenant: TenantRow) => tenant.settings.oauth

/** Whether this family hands out refresh tokens: asked for (`offline_access`) and allowed. */
const wantsRefresh = (app: ApplicationRow, scopes: string[]) =>
  scopes.includes('offline_access') && app.grantTypes.includes('refresh_token')

/** A new family inside the caller's transaction, with its first refresh token when it has one. */
export async function insertFamilyInTx(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  authz: Authorization,
): Promise<{ family: FamilyRow; refreshToken: string | null }> {
  const now = deps.clock.now()
  const refresh = authz.userId !== null && wantsRefresh(authz.app, authz.scopes)
  // Families of refresh tokens, and the long-lived shared ones of client credentials, last as refresh tokens do.
  const long = refresh || authz.userId === null
  const lifetimeS = long ? settings(tenant).refresh_token_lifetime_s : settings(tenant).access_token_lifetime_s
  const family = await TokenRepo.insertFamily(tx, {
    id: newId('otf', now),
    tenantId: tenant.id,
    applicationId: authz.app.id,
    grantId: authz.grantId,
    userId: authz.userId,
    sessionId: authz.sessionId,
    organizationId: authz.organizationId,
    scopes: authz.scopes,
    resource: authz.resource,
    authTime: authz.authTime === null ? null : new Date(authz.authTime),
    amr: authz.amr,
    acr: authz.userId ? acrOf(authz.amr) : null,
    dpopJkt: authz.dpopJkt,
    status: 'active',
    expireAt: new Date(now + lifetimeS * 1000),
    createdAt: new Date(now),
    updatedAt: new Date(now),
  })
  const refreshToken = refresh ? randomToken(32) : null
  if (refreshToken) await insertRefreshInTx(tx, tenant.id, family.id, refreshToken, now)
  // One entry per authorization (a refresh rotates within its family and is not one).
  const data = {
    application_id: authz.app.id,
    family_id: family.id,
    grant_type: authz.grantType,
    user_id: authz.userId,
    scopes: authz.scopes,
  }
  await recordInTx(deps, tx, tenant.id, {
    event: 'oauthToken.issued',
    action: 'oauth.tokens_issued',
    actor: authz.userId ? { type: 'user', id: authz.userId } : { type: 'system', id: null },
    target: { type: 'oauth_application', id: authz.app.id },
    data,
    auditData: data,
  })
  return { family, refreshToken }
}

export async function insertRefreshInTx(
  tx: Tx,
  tenantId: string,
  familyId: string,
  token: string,
  now: number,
  id: string = newId('ort', now),
) {
  await TokenRepo.insertRefreshToken(tx, {
    id,
    tenantId,
    familyId,
    tokenHash: await sha256Hex(token),
    status: 'active',
    createdAt: new Date(now),
  })
}

/** OIDC Core §3.1.3.6: the left half of the access token's hash, with the hash of the signing algorithm. */
function halfHash(value: string, alg: string): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
    .update(value)
    .digest()
  return digest.subarray(0, digest.length / 2).toString('base64url')
}

/** `jti` of an access token: the family first, so introspection finds what to check without a lookup. */
export const familyOfJti = (jti: unknown): string | null =>
  typeof jti === 'string' && /^otf_[0-9A-Z]{26}\.[\w-]+$/.test(jti) ? jti.slice(0, jti.indexOf('.')) : null

async function sign(key: RingKey, typ: string, claims: JWTPayload, iat: number, lifetimeS: number) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ })
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetimeS)
    .sign(key.privateKey)
}

/**
 * The access token (RFC 9068 JWT, or opaque and stored hashed) and, with `openid`, the ID token of a
 * family. Everything read here comes from the node's caches or one user read; nothing is written for
 * a JWT access token.
 */
export async function mintTokens(
  deps: Deps,
  tenant: TenantRow,
  family: FamilyRow,
  app: ApplicationRow,
  extra: { refreshToken: string | null; nonce?: string | null; withIdToken: boolean; scopes?: string[] },
): Promise<TokenResponse> {
  // A banned or deleted user gets nothing more, whichever grant asks (the per-node user cache: no round trip).
  if (family.userId && !(await SessionsService.userState(deps, tenant.id, family.userId)))
    throw new OAuthError('invalid_grant', 'The user of this grant no longer exists or is banned.')
  const key = await KeysService.currentKey(deps, tenant.id)
  const issuer = keyOwner(deps, tenant).issuer
  const now = deps.clock.now()
  const iat = Math.floor(now / 1000)
  const lifetimeS = Math.min(
    settings(tenant).access_token_lifetime_s,
    Math.max(1, Math.floor((family.expireAt.getTime() - now) / 1000)),
  )
  const sub = family.userId ?? app.clientId
  // A refresh may ask for fewer scopes (RFC 6749 §6); never more than the family holds.
  const scopes = extra.scopes ?? family.scopes
  const scope = scopes.join(' ')
  const userFacts = family.userId
    ? {
        ...(family.authTime ? { auth_time: Math.floor(family.authTime.getTime() / 1000) } : {}),
        acr: family.acr ?? undefined,
        amr: rfc8176Amr(family.amr),
        ...(family.sessionId ? { sid: family.sessionId } : {}),
      }
    : {}
  const org =
    family.userId && scopes.includes('organization')
      ? await organizationClaims(deps, tenant.id, family.organizationId, family.userId)
      : {}
  const cnf = family.dpopJkt ? { cnf: { jkt: family.dpopJkt } } : {}
  let accessToken: string
  if (app.accessTokenFormat === 'opaque') {
    accessToken = randomToken(32)
    const tokenHash = await sha256Hex(accessToken)
    await withTenant(deps.db, tenant.id, (tx) =>
      TokenRepo.insertOpaqueToken(tx, {
        tokenHash,
        tenantId: tenant.id,
        familyId: family.id,
        scopes,
        expireAt: new Date(now + lifetimeS * 1000),
        createdAt: new Date(now),
      }),
    )
  } else {
    accessToken = await sign(
      key,
      'at+jwt',
      {
        iss: issuer,
        sub,
        aud: family.resource ?? issuer,
        client_id: app.clientId,
        scope,
        jti: `${family.id}.${randomToken(9)}`,
        ...userFacts,
        ...org,
        ...cnf,
      },
      iat,
      lifetimeS,
    )
  }
  const response: TokenResponse = {
    access_token: accessToken,
    token_type: family.dpopJkt ? 'DPoP' : 'Bearer',
    expires_in: lifetimeS,
    scope,
  }
  if (extra.refreshToken) response.refresh_token = extra.refreshToken
  if (extra.withIdToken && family.userId && scopes.includes('openid')) {
    const claims = await userClaims(deps, tenant.id, family.userId, scopes, family.organizationId)
    if (!claims) throw new OAuthError('invalid_grant', 'The user of this grant no longer exists or is banned.')
    response.id_token = await sign(
      key,
      'JWT',
      {
        ...claims,
        iss: issuer,
        aud: app.clientId,
        azp: app.clientId,
        ...userFacts,
        ...(extra.nonce ? { nonce: extra.nonce } : {}),
        at_hash: halfHash(accessToken, key.alg),
      },
      iat,
      settings(tenant).id_token_lifetime_s,
    )
  }
  return response
}
