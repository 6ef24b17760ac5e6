/**
 * HMAC-SHA-256 under a key of the installation, imported once. For values that must be
 * recomputable by any node but unforgeable without the key (e.g. a refresh token's successor,
 * derived from the token itself). Callers prefix their input with a purpose.
 */
export interface Mac {
  /** base64url of the MAC of `data`. */
  sign(data: string): Promise<string>
}

export async function createMac(rawKey: Uint8Array<ArrayBuffer>): Promise<Mac> {
  const key = await crypto.subtle.importKey('raw', rawKey, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const enc = new TextEncoder()
  return {
    async sign(data) {
      return Buffer.from(await crypto.subtle.sign('HMAC', key, enc.encode(data))).toString('base64url')
    },
  }
}
