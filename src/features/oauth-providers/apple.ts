import { importPKCS8, SignJWT } from 'jose'

/**
 * Sign in with Apple has no static client secret: the client authenticates with an ES256 JWT
 * signed by the developer's .p8 key (iss = team id, sub = the Services ID, aud = Apple). We store
 * the key sealed and sign a short-lived secret for each token request.
 */
const APPLE_AUDIENCE = 'https://appleid.apple.com'
const LIFETIME_S = 300

export async function loadAppleKey(pem: string): Promise<CryptoKey | null> {
  try {
    return await importPKCS8(pem.trim(), 'ES256')
  } catch {
    return null
  }
}

export async function appleClientSecret(
  pem: string,
  ids: { teamId: string; keyId: string; clientId: string },
  now: number,
): Promise<string> {
  const key = await loadAppleKey(pem)
  if (!key) throw new Error('the stored Apple key does not load')
  const iat = Math.floor(now / 1000)
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: ids.keyId })
    .setIssuer(ids.teamId)
    .setSubject(ids.clientId)
    .setAudience(APPLE_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + LIFETIME_S)
    .sign(key)
}
