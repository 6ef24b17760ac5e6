import { t } from 'elysia'
import type { ApiKeyRow } from './repo'

/** Service keys as the Backend API shows them (API.md §14). */
export const SCOPES = [
  'users:read',
  'users:write',
  'sessions:read',
  'sessions:write',
  'sessions:introspect',
  'organizations:read',
  'organizations:write',
  'roles:manage',
  'jwt_templates:manage',
  'webhooks:manage',
  'audit:read',
  'settings:manage',
  'connections:manage',
  'scim:manage',
  'oauth_applications:manage',
  'license_keys:manage',
  'analytics:read',
  'billing:manage',
] as const
export type Scope = (typeof SCOPES)[number]

export const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value)

/** Held scopes cover a required one exactly, or as `<x>:write` covering `<x>:read` (write ⊃ read). */
export function grants(held: readonly string[], required: Scope): boolean {
  return held.includes(required) || (required.endsWith(':read') && held.includes(required.replace(/:read$/, ':write')))
}

export const createBody = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: 256 }),
    // Checked against SCOPES by the service, so an unknown one is named `scopes.<i>`.
    scopes: t.Array(t.String({ maxLength: 64 }), { minItems: 1, maxItems: 100 }),
    expires_at: t.Optional(t.Union([t.Integer({ minimum: 0 }), t.Null()])),
  },
  { additionalProperties: false },
)

export const idParams = t.Object({ id: t.String({ maxLength: 64 }) })

export type ApiKeyStatus = 'active' | 'revoked' | 'expired'

export interface PublicApiKey {
  object: 'api_key'
  id: string
  name: string
  scopes: string[]
  key_prefix: string
  status: ApiKeyStatus
  expires_at: number | null
  last_used_at: number | null
  revoked_at: number | null
  created_at: number
  updated_at: number
}

export const statusOf = (row: Pick<ApiKeyRow, 'revokedAt' | 'expiresAt'>, now: number): ApiKeyStatus =>
  row.revokedAt ? 'revoked' : row.expiresAt && now >= row.expiresAt.getTime() ? 'expired' : 'active'

/** Everything but the key: that is added to the answer of create only. */
export const toPublic = (row: ApiKeyRow, now: number): PublicApiKey => ({
  object: 'api_key',
  id: row.id,
  name: row.name,
  scopes: row.scopes,
  key_prefix: `tk_live_${row.lookup}`,
  status: statusOf(row, now),
  expires_at: row.expiresAt?.getTime() ?? null,
  last_used_at: row.lastUsedAt?.getTime() ?? null,
  revoked_at: row.revokedAt?.getTime() ?? null,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})
