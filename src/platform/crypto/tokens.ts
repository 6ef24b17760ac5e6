import { createHash, timingSafeEqual } from 'node:crypto'

/** Random opaque secrets, hashing for storage, and constant-time comparison. */
export const randomToken = (bytes = 32): string =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('base64url')

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz'
/** Lower-case Crockford base32: safe inside keys split on '_'. */
export function randomBase32(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  let out = ''
  for (const b of bytes) out += CROCKFORD[b & 31]
  return out
}

/**
 * SHA-256 of a token for storage and lookup. Computed in place: hashing a few dozen bytes costs
 * less than WebCrypto's hop to its thread pool and back, and this runs several times per request.
 */
export async function sha256Hex(value: string): Promise<string> {
  return createHash('sha256').update(value).digest('hex')
}

/** Compares two strings in time independent of where they differ (hash first to equalise lengths). */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([sha256Hex(a), sha256Hex(b)])
  return timingSafeEqual(Buffer.from(ha, 'hex'), Buffer.from(hb, 'hex'))
}

/** Compares a stored hex hash with a freshly computed one. */
export function hashesEqual(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex')
  const b = Buffer.from(bHex, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function hmacSha256(key: Uint8Array<ArrayBuffer>, data: string): Promise<Uint8Array<ArrayBuffer>> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(data)))
}
