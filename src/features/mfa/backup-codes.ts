import type { Mac } from '../../platform/crypto/mac'
import { hashesEqual } from '../../platform/crypto/tokens'

/**
 * Backup codes: 10 codes of 10 characters from an alphabet without look-alikes (no 0/o, 1/l/i),
 * about 49 bits each. Stored as an HMAC under the installation key (49 bits do not survive an
 * offline search of a plain hash) bound to the user, so a hash copied to another account never
 * matches; input is forgiving about case, spaces and dashes.
 */
export const CODE_COUNT = 10
const CODE_LENGTH = 10
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
// Bytes at or above this would make the first characters likelier than the rest.
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length)

function randomCode(): string {
  let code = ''
  while (code.length < CODE_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(CODE_LENGTH * 2))) {
      if (byte < UNBIASED_LIMIT && code.length < CODE_LENGTH) code += ALPHABET[byte % ALPHABET.length]
    }
  }
  return code
}

export const newCodes = (): string[] => Array.from({ length: CODE_COUNT }, randomCode)

/**
 * The canonical form of a typed code, or null if it cannot be one. Codes imported from another
 * system (POST /v1/users `backup_codes`) may use any letters and digits, 8 to 32 of them; ours
 * are a subset of that form.
 */
export function normalise(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]+/g, '')
  return /^[a-z0-9]{8,32}$/.test(code) ? code : null
}

export const hashCode = (mac: Mac, userId: string, code: string) => mac.hashHex(`backup_code:${userId}:${code}`)

/**
 * The id of the stored code this one matches, or null. Every stored hash is compared, in
 * constant time, so the answer's timing does not depend on which code (if any) matched.
 */
export async function matching(
  mac: Mac,
  userId: string,
  input: string,
  stored: { id: string; codeHash: string }[],
): Promise<string | null> {
  const code = normalise(input)
  const hash = await hashCode(mac, userId, code ?? '')
  let found: string | null = null
  for (const row of stored) if (hashesEqual(hash, row.codeHash) && code !== null) found = row.id
  return found
}
