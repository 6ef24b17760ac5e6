import { createHmac } from 'node:crypto'

/**
 * HMAC-SHA-256 under a key of the installation. For values that must be recomputable by any
 * node but unforgeable without the key (e.g. a refresh token's successor, derived from the token
 * itself). Callers prefix their input with a purpose. Computed in place, like sha256Hex.
 */
export interface Mac {
  /** base64url of the MAC of `data`. */
  sign(data: string): Promise<string>
  /** Hex of the MAC of `data`: a keyed hash to store, compared with hashesEqual. */
  hashHex(data: string): Promise<string>
}

export function createMac(rawKey: Uint8Array<ArrayBuffer>): Mac {
  const key = Buffer.from(rawKey)
  return {
    async sign(data) {
      return createHmac('sha256', key).update(data).digest('base64url')
    },
    async hashHex(data) {
      return createHmac('sha256', key).update(data).digest('hex')
    },
  }
}
