import { importPKCS8, SignJWT, type CryptoKey, type JWTPayload } from 'jose'
import { TEMPLATE_TOKEN_TYPE } from '../keys/service'
import type { TemplateAlgorithm } from './model'

/**
 * Custom signing keys of templates (API.md §14) and the one place template tokens are signed.
 * HMAC is allowed here only: its secret is the customer's own, shared with their verifier,
 * whereas the tenant's key is published and verified by everyone (hence asymmetric only).
 */
export interface TemplateKey {
  alg: string
  kid: string
  key: CryptoKey | Uint8Array
}

/** Binds a sealed key to its template: a ciphertext copied to another row does not open. */
export const keySealContext = (tenantId: string, templateId: string) => `jwt_template_key:${tenantId}:${templateId}`

const HMAC = new Set<TemplateAlgorithm>(['HS256', 'HS384', 'HS512'])
/** RFC 7518 §3.2 asks for a key at least as long as the hash; 32 bytes is API.md's floor for all three. */
const MIN_SECRET_BYTES = 32

/** The key for `alg` from a PKCS#8 PEM or a shared secret, or null when they do not fit together. */
export async function loadCustomKey(alg: TemplateAlgorithm, material: string): Promise<CryptoKey | Uint8Array | null> {
  if (HMAC.has(alg)) {
    const secret = new TextEncoder().encode(material)
    return secret.byteLength >= MIN_SECRET_BYTES ? secret : null
  }
  try {
    return await importPKCS8(material, alg)
  } catch {
    return null
  }
}

/**
 * Whether the key signs with `alg`: importing can succeed where signing cannot (jose refuses RSA
 * keys under 2048 bits only when signing), so a key is accepted only after a trial signature.
 */
export async function signsWith(alg: TemplateAlgorithm, key: CryptoKey | Uint8Array): Promise<boolean> {
  try {
    await new SignJWT({}).setProtectedHeader({ alg }).sign(key)
    return true
  } catch {
    return false
  }
}

/** `iat` now, `nbf` back by the allowed skew (clocks of verifiers lag), `exp` after the lifetime. */
export function signTemplateToken(
  key: TemplateKey,
  claims: JWTPayload,
  times: { nowMs: number; lifetimeS: number; skewS: number },
): Promise<string> {
  const iat = Math.floor(times.nowMs / 1000)
  return (
    new SignJWT(claims)
      // Signed with the tenant key, it must never pass for a session token: its own type says so.
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: TEMPLATE_TOKEN_TYPE })
      .setIssuedAt(iat)
      .setNotBefore(iat - times.skewS)
      .setExpirationTime(iat + times.lifetimeS)
      .sign(key.key)
  )
}
