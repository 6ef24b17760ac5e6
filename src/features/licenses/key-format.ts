import { createHash } from 'node:crypto'
import { randomBase32 } from '../../platform/crypto/tokens'

/**
 * License key format (API.md §18): `<PREFIX>-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-CCCC`, 25 random Crockford base32
 * characters and a checksum `CCCC`: the first 20 bits of SHA-256 over the upper-case prefix and the 25
 * characters (no dashes), as Crockford base32, most significant bits first. On input, case and dashes are
 * ignored and nothing else is: a typed `O` for `0` is a typo, which the checksum catches before any lookup
 * (every single-character change and adjacent swap but with probability 2⁻²⁰).
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const BODY_LENGTH = 25
const CHECK_LENGTH = 4
const PREFIX = /^[A-Z0-9]{2,8}$/
const BODY = new RegExp(`^[${ALPHABET}]{${BODY_LENGTH}}$`)

/** `CCCC` of a prefix and body: 20 bits, four base32 digits. */
function checksumOf(prefix: string, body: string): string {
  const digest = createHash('sha256')
    .update(prefix + body)
    .digest()
  const bits = (digest[0]! << 12) | (digest[1]! << 4) | (digest[2]! >> 4)
  let out = ''
  for (let shift = 15; shift >= 0; shift -= 5) out += ALPHABET[(bits >> shift) & 31]
  return out
}

/** A new key for a product's prefix, as shown once to its creator. */
export function newLicenseKey(prefix: string): string {
  const body = randomBase32(BODY_LENGTH).toUpperCase()
  const groups = body.match(/.{5}/g)!
  return [prefix, ...groups, checksumOf(prefix, body)].join('-')
}

/**
 * The canonical form of a typed key (upper case, no dashes: what is hashed for storage and lookup), or null
 * when it is malformed or its checksum does not match.
 */
export function canonicalKey(typed: string): string | null {
  const compact = typed.trim().replaceAll('-', '').toUpperCase()
  const prefixLength = compact.length - BODY_LENGTH - CHECK_LENGTH
  if (prefixLength < 2 || prefixLength > 8) return null
  const prefix = compact.slice(0, prefixLength)
  const body = compact.slice(prefixLength, prefixLength + BODY_LENGTH)
  const check = compact.slice(prefixLength + BODY_LENGTH)
  if (!PREFIX.test(prefix) || !BODY.test(body)) return null
  return checksumOf(prefix, body) === check ? compact : null
}

/** `key_hint`: the prefix followed by the key's last four characters (API.md §18). */
export const keyHintOf = (prefix: string, key: string) => `${prefix}${key.slice(-4)}`
