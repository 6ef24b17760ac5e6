import { exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose'

/** Token-signing algorithms a tenant may choose (API.md §3). Never HMAC: verifiers hold only public keys. */
export const SIGNING_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number]

export interface GeneratedKey {
  publicJwk: JWK
  privatePkcs8: string
}

export async function generateSigningKey(alg: SigningAlgorithm, kid: string): Promise<GeneratedKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'RS256' ? { modulusLength: 2048 } : {}),
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
  })
  const jwk = await exportJWK(publicKey)
  return {
    publicJwk: { ...jwk, kid, alg, use: 'sig' },
    privatePkcs8: await exportPKCS8(privateKey),
  }
}

export interface LoadedKey {
  kid: string
  alg: SigningAlgorithm
  publicJwk: JWK
  publicKey: CryptoKey
  privateKey: CryptoKey
}

export async function loadSigningKey(alg: SigningAlgorithm, publicJwk: JWK, privatePkcs8: string): Promise<LoadedKey> {
  const publicKey = await importJWK(publicJwk, alg)
  const privateKey = await importPKCS8(privatePkcs8, alg)
  if (!('type' in publicKey)) throw new Error('unexpected symmetric key')
  return { kid: String(publicJwk.kid), alg, publicJwk, publicKey, privateKey }
}

/** The members of a public JWK that a JWKS publishes; nothing private can slip through. */
export function publicMembers(jwk: JWK): JWK {
  const { kty, crv, x, y, n, e, kid, alg, use } = jwk
  return Object.fromEntries(Object.entries({ kty, crv, x, y, n, e, kid, alg, use }).filter(([, v]) => v !== undefined))
}
