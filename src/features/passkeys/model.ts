import { t } from 'elysia'
import type { PasskeyRow } from './repo'

/** Passkey object of API.md §11: never the credential id, public key or counter. */
export interface Passkey {
  object: 'passkey'
  id: string
  name: string
  created_at: number
  last_used_at: number | null
}

/** The entry of the User object's `passkeys` list (API.md §7). */
export type PasskeySummary = Omit<Passkey, 'object'>

export const toPublic = (row: PasskeyRow): Passkey => ({
  object: 'passkey',
  id: row.id,
  name: row.name,
  created_at: row.createdAt.getTime(),
  last_used_at: row.lastUsedAt?.getTime() ?? null,
})

export const toSummary = (row: PasskeyRow): PasskeySummary => {
  const { object: _object, ...summary } = toPublic(row)
  return summary
}

const strict = { additionalProperties: false } as const
const name = t.String({ minLength: 1, maxLength: 100 })
// The WebAuthn response as @simplewebauthn/browser returns it; webauthn.ts checks its shape.
const credential = t.Record(t.String(), t.Unknown())

export const registerBody = t.Object({ credential, name: t.Optional(name) }, strict)
export const renameBody = t.Object({ name }, strict)
export const tenantParams = t.Object({ tenant: t.String({ maxLength: 63 }) })
export const idParams = t.Object({ tenant: t.String({ maxLength: 63 }), id: t.String({ maxLength: 64 }) })
