import { t, type Static } from 'elysia'
import { tenantIssuer, type TenantAddress } from '../tenants/model'
import type { ScimTokenRow } from './repo'

/** `{issuer}/scim/v2` (API.md §17): the endpoint's `base_url` and its resources' `meta.location`. */
export const scimBaseUrl = (publicUrl: string, tenant: TenantAddress) => `${tenantIssuer(publicUrl, tenant)}/scim/v2`

/** The Backend API's SCIM administration objects (API.md §17). */
export const orgParams = t.Object({ id: t.String({ maxLength: 64 }) })
export const tokenParams = t.Object({ id: t.String({ maxLength: 64 }), token_id: t.String({ maxLength: 64 }) })

export const createTokenBody = t.Object(
  {
    name: t.Optional(t.Union([t.String({ minLength: 1, maxLength: 256 }), t.Null()])),
    expires_at: t.Optional(t.Union([t.Integer({ minimum: 0 }), t.Null()])),
  },
  { additionalProperties: false },
)

export const listTokensQuery = t.Object(
  {
    status: t.Optional(t.Union([t.Literal('active'), t.Literal('revoked'), t.Literal('expired')])),
    cursor: t.Optional(t.String({ maxLength: 512 })),
    limit: t.Optional(t.String({ pattern: '^(100|[1-9][0-9]?)$', description: '1..100, default 20' })),
  },
  { additionalProperties: false },
)

const groupRole = t.Object(
  { group: t.String({ minLength: 1, maxLength: 256 }), role: t.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
)

export const putMappingsBody = t.Object(
  {
    user: t.Optional(t.Record(t.String({ maxLength: 256 }), t.Union([t.String({ maxLength: 128 }), t.Null()]))),
    group_roles: t.Optional(t.Array(groupRole, { maxItems: 100 })),
    default_role: t.Optional(t.Union([t.String({ minLength: 1, maxLength: 64 }), t.Null()])),
  },
  { additionalProperties: false },
)
export type PutMappingsBody = Static<typeof putMappingsBody>

export interface PublicScimToken {
  object: 'scim_token'
  id: string
  organization_id: string
  name: string | null
  token_prefix: string
  status: 'active' | 'revoked' | 'expired'
  expires_at: number | null
  last_used_at: number | null
  revoked_at: number | null
  created_at: number
  updated_at: number
  /** Only in the answer that created it. */
  token?: string
}

const ms = (d: Date | null) => (d ? d.getTime() : null)

export function tokenStatus(row: ScimTokenRow, now: number): PublicScimToken['status'] {
  if (row.revokedAt) return 'revoked'
  return row.expiresAt && row.expiresAt.getTime() <= now ? 'expired' : 'active'
}

export const toPublicToken = (row: ScimTokenRow, now: number): PublicScimToken => ({
  object: 'scim_token',
  id: row.id,
  organization_id: row.organizationId,
  name: row.name,
  token_prefix: row.tokenPrefix,
  status: tokenStatus(row, now),
  expires_at: ms(row.expiresAt),
  last_used_at: ms(row.lastUsedAt),
  revoked_at: ms(row.revokedAt),
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})

export interface PublicScimEndpoint {
  object: 'scim_endpoint'
  organization_id: string
  base_url: string
  authentication_scheme: 'oauthbearertoken'
  users_count: number
  groups_count: number
  last_request_at: number | null
}

export interface PublicScimMappings {
  object: 'scim_attribute_mappings'
  organization_id: string
  user: Record<string, string | null>
  group_roles: { group: string; role: string }[]
  default_role: string | null
  is_default: boolean
  updated_at: number | null
}
