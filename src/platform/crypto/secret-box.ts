/**
 * AES-256-GCM sealing of secrets at rest (signing keys, TOTP secrets, webhook secrets).
 * Format: "v1." + base64url(12-byte IV || ciphertext+tag). The additional data binds a
 * sealed value to its purpose and row, so a ciphertext moved to another row fails to open.
 */
export interface SecretBox {
  seal(plaintext: string, context: string): Promise<string>
  open(sealed: string, context: string): Promise<string>
}

const enc = new TextEncoder()
const dec = new TextDecoder()

export async function createSecretBox(rawKey: Uint8Array<ArrayBuffer>): Promise<SecretBox> {
  const key = await crypto.subtle.importKey('raw', rawKey, 'AES-GCM', false, ['encrypt', 'decrypt'])
  return {
    async seal(plaintext, context) {
      const iv = crypto.getRandomValues(new Uint8Array(12))
      const ct = new Uint8Array(
        await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv, additionalData: enc.encode(context) },
          key,
          enc.encode(plaintext),
        ),
      )
      const out = new Uint8Array(iv.length + ct.length)
      out.set(iv)
      out.set(ct, iv.length)
      return 'v1.' + Buffer.from(out).toString('base64url')
    },
    async open(sealed, context) {
      if (!sealed.startsWith('v1.')) throw new Error('unknown sealed format')
      const raw = Buffer.from(sealed.slice(3), 'base64url')
      const pt = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: raw.subarray(0, 12), additionalData: enc.encode(context) },
        key,
        raw.subarray(12),
      )
      return dec.decode(pt)
    },
  }
}
