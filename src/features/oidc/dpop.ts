import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from 'jose'
import { createHash } from 'node:crypto'
import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { OAuthError } from './errors'
import * as OAuthRepo from './repo'

/** RFC 9449: proofs signed with one of these (discovery `dpop_signing_alg_values_supported`). */
export const DPOP_ALGS = ['ES256', 'RS256', 'EdDSA']
/** A proof is accepted this long around its `iat` (no server nonce: API.md §18 settled points). */
const IAT_WINDOW_S = 60

const invalidProof = (why: string) => new OAuthError('invalid_dpop_proof', why)

/**
 * Verifies the `DPoP` header of a request for `method` on `url` (RFC 9449 §4.3) and returns the
 * thumbprint of its key (`cnf.jkt`), or null when the request carries no proof. `accessToken`: for
 * a protected resource, the proof must also carry `ath`, the token's hash. Each proof is accepted
 * once (§11.1: its `jti`, remembered for as long as its `iat` is acceptable, on every node).
 */
export async function dpopThumbprint(
  deps: Deps,
  tenantId: string,
  applicationId: string,
  request: Request,
  target: { method: string; url: string; accessToken?: string },
): Promise<string | null> {
  const { method, url, accessToken } = target
  const proofs = request.headers.get('dpop')
  if (proofs === null) return null
  if (proofs.includes(',')) throw invalidProof('Exactly one DPoP proof is allowed.')
  try {
    const { payload, protectedHeader } = await jwtVerify(proofs, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: DPOP_ALGS,
      currentDate: new Date(deps.clock.now()),
      requiredClaims: ['iat', 'jti', 'htm', 'htu'],
      clockTolerance: IAT_WINDOW_S,
    })
    const nowS = deps.clock.now() / 1000
    if (typeof payload.iat !== 'number' || Math.abs(nowS - payload.iat) > IAT_WINDOW_S)
      throw invalidProof('The DPoP proof is too old or from the future.')
    if (payload.htm !== method) throw invalidProof('htm does not match.')
    const target = new URL(url)
    const htu = new URL(String(payload.htu))
    if (`${htu.origin}${htu.pathname}` !== `${target.origin}${target.pathname}`)
      throw invalidProof('htu does not match.')
    if (accessToken !== undefined) {
      const ath = createHash('sha256').update(accessToken).digest('base64url')
      if (payload.ath !== ath) throw invalidProof('ath does not match the access token.')
    }
    const jkt = await calculateJwkThumbprint(protectedHeader.jwk!)
    const jti = String(payload.jti)
    if (jti.length > 256) throw invalidProof('jti is too long.')
    const fresh = await withTenant(deps.db, tenantId, (tx) =>
      OAuthRepo.rememberAssertion(tx, {
        tenantId,
        applicationId,
        jti: `dpop:${jkt}:${jti}`,
        expireAt: new Date((Number(payload.iat) + 2 * IAT_WINDOW_S) * 1000),
      }),
    )
    if (!fresh) throw invalidProof('This DPoP proof was used already.')
    return jkt
  } catch (err) {
    if (err instanceof OAuthError) throw err
    throw invalidProof('The DPoP proof is invalid.')
  }
}
