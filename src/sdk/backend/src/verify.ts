import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose'

/** The claims of a Tessera session token (API.md §5, §13a). */
export interface SessionClaims extends JWTPayload {
  sub: string
  sid: string
  azp?: string
  amr?: string[]
  fva?: [number, number]
  org_id?: string
  org_slug?: string
  org_role?: string
  org_permissions?: string[]
  roles?: string[]
}

export interface VerifyOptions {
  /** The tenant's issuer, `{PUBLIC_URL}/t/{slug}`; its JWKS is `{issuer}/.well-known/jwks.json`. */
  issuer: string
  /**
   * Origins allowed in `azp` (the page that asked for the token in a browser). A token with an `azp` outside the
   * list is refused, so a token minted for another site cannot be replayed here. Empty: any.
   */
  authorizedParties?: string[]
  /** Accepted difference between this server's clock and the issuer's (default 5 s). */
  clockSkewInSeconds?: number
  /** How long fetched keys are trusted (default 10 min) and the least time between two fetches (default 30 s). */
  jwks?: { cacheMaxAgeMs?: number; cooldownMs?: number }
  /** For tests: the current time in ms. */
  now?: () => number
}

/** Why a token was refused; `token_expired` tells the caller to refresh rather than sign in again. */
export type TokenRefusal = 'token_missing' | 'token_expired' | 'token_invalid' | 'unauthorized_party'

export class TokenVerificationError extends Error {
  override readonly name = 'TokenVerificationError'
  constructor(readonly reason: TokenRefusal) {
    super(reason)
  }
}

/** Signing algorithms a tenant can choose (API.md §3): a token's own `alg` never selects anything else (no HMAC). */
const ALGORITHMS = ['RS256', 'ES256', 'EdDSA']

/**
 * Verifies session tokens offline against the tenant's JWKS. Keys are cached; an unknown `kid` (a rotation) fetches
 * the set again, at most once per cooldown. jose never follows `jku`/`x5u` and refuses unknown `crit` headers.
 */
export function createTokenVerifier(options: VerifyOptions) {
  const issuer = options.issuer.replace(/\/+$/, '')
  const keys = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`), {
    cacheMaxAge: options.jwks?.cacheMaxAgeMs ?? 600_000,
    cooldownDuration: options.jwks?.cooldownMs ?? 30_000,
  })
  const parties = options.authorizedParties ?? []
  return async function verifyToken(token: string): Promise<SessionClaims> {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        algorithms: ALGORITHMS,
        // Session tokens only: JWT-template tokens (`template+jwt`) and others are refused.
        typ: 'JWT',
        requiredClaims: ['sub', 'sid', 'exp', 'iat'],
        clockTolerance: options.clockSkewInSeconds ?? 5,
        ...(options.now && { currentDate: new Date(options.now()) }),
      })
      if (typeof payload.azp === 'string' && parties.length > 0 && !parties.includes(payload.azp))
        throw new TokenVerificationError('unauthorized_party')
      return payload as SessionClaims
    } catch (err) {
      if (err instanceof TokenVerificationError) throw err
      if (err instanceof errors.JWTExpired) throw new TokenVerificationError('token_expired')
      throw new TokenVerificationError('token_invalid')
    }
  }
}
