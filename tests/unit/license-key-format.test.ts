import { describe, expect, it } from 'bun:test'
import { createHash } from 'node:crypto'
import { canonicalKey, keyHintOf, newLicenseKey } from '../../src/features/licenses/key-format'

/** License key format of API.md §18: shape, the checksum's definition, and what it catches. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** The checksum as API.md §18 defines it, written out here independently of the implementation. */
function checksumOf(prefix: string, body: string): string {
  const digest = createHash('sha256')
    .update(prefix + body)
    .digest()
  const bits = (digest[0]! << 12) | (digest[1]! << 4) | (digest[2]! >> 4)
  return [15, 10, 5, 0].map((s) => ALPHABET[(bits >> s) & 31]).join('')
}

describe('license key format', () => {
  it('has the prefix, five groups of five Crockford base32 characters and a four-character checksum', () => {
    const key = newLicenseKey('ACME')
    expect(key).toMatch(/^ACME(-[0-9A-HJKMNP-TV-Z]{5}){5}-[0-9A-HJKMNP-TV-Z]{4}$/)
    expect(canonicalKey(key)).toBe(key.replaceAll('-', ''))
    expect(keyHintOf('ACME', key)).toBe(`ACME${key.slice(-4)}`)
  })

  it('computes the checksum as the first 20 bits of SHA-256 over prefix and body, most significant first', () => {
    const key = newLicenseKey('PRO2')
    const body = key.split('-').slice(1, 6).join('')
    expect(key.slice(-4)).toBe(checksumOf('PRO2', body))
  })

  it('ignores case and dashes on input, and nothing else', () => {
    const key = newLicenseKey('AB')
    expect(canonicalKey(key.toLowerCase())).toBe(key.replaceAll('-', ''))
    expect(canonicalKey(key.replaceAll('-', ''))).toBe(key.replaceAll('-', ''))
    expect(canonicalKey(` ${key} `)).toBe(key.replaceAll('-', ''))
    expect(canonicalKey(key.replaceAll('-', ' '))).toBeNull()
    for (const bad of ['', 'AB', `${key}0`, key.slice(0, -1), `A-${key.slice(3)}`, `TOOLONGPX${key.slice(2)}`])
      expect(canonicalKey(bad)).toBeNull()
  })

  // A deterministic sample (a seeded generator): a 20-bit checksum lets one typo in 2^20 through, so a
  // random sample of 20,000 variants would fail about one run in fifty; this one is checked once and for all.
  it('catches every single-character change and adjacent swap on a sample of 10,000 keys', () => {
    let seed = 20_261_207
    const next = () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0
      return seed >>> 16
    }
    let swaps = 0
    for (let n = 0; n < 10_000; n++) {
      const body = Array.from({ length: 25 }, () => ALPHABET[next() & 31]).join('')
      const key = `LIC${body}${checksumOf('LIC', body)}`
      expect(canonicalKey(key)).toBe(key)
      const i = next() % key.length
      const c = key[i]!
      const other = ALPHABET[(ALPHABET.indexOf(c) + 1 + (next() % 31)) % 32]!
      expect(canonicalKey(key.slice(0, i) + other + key.slice(i + 1))).toBeNull()
      const j = next() % (key.length - 1)
      if (key[j] !== key[j + 1]) {
        expect(canonicalKey(key.slice(0, j) + key[j + 1] + key[j] + key.slice(j + 2))).toBeNull()
        swaps++
      }
    }
    expect(swaps).toBeGreaterThan(9_000)
  })
})
