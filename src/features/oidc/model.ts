import { t } from 'elysia'
import type { oauthApplications, oauthGrants } from './schema'

type ApplicationRow = typeof oauthApplications.$inferSelect
type GrantRow = typeof oauthGrants.$inferSelect

/** Scopes an application may ask for (API.md §15). */
export const SCOPES = [
  'openid',
  'profile',
  'email',
  'phone',
  'offline_access',
  'organization',
  'public_metadata',
] as const
export const GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:openid:params:grant-type:ciba',
] as const
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code' as const
export const CIBA_GRANT = 'urn:openid:params:grant-type:ciba' as const
export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const

const strict = { additionalProperties: false }
const uri = t.String({ minLength: 1, maxLength: 2048 })
const uris = t.Array(uri, { maxItems: 100 })
const name = t.String({ minLength: 1, maxLength: 200 })
const authMethod = t.Union(AUTH_METHODS.map((m) => t.Literal(m)))
const format = t.Union([t.Literal('jwt'), t.Literal('opaque')])
const nullableUri = t.Union([uri, t.Null()])

const editable = {
  name: t.Optional(name),
  first_party: t.Optional(t.Boolean()),
  redirect_uris: t.Optional(uris),
  post_logout_redirect_uris: t.Optional(uris),
  scopes: t.Optional(t.Array(t.String({ maxLength: 64 }), { maxItems: 20 })),
  grant_types: t.Optional(t.Array(t.String({ maxLength: 64 }), { maxItems: 10 })),
  token_endpoint_auth_method: t.Optional(authMethod),
  jwks_uri: t.Optional(nullableUri),
  consent_required: t.Optional(t.Boolean()),
  access_token_format: t.Optional(format),
  logo_url: t.Optional(nullableUri),
  allowed_resources: t.Optional(t.Array(uri, { maxItems: 20 })),
}

export const createBody = t.Object(
  { ...editable, name, redirect_uris: uris, public: t.Optional(t.Boolean()) },
  { ...strict, description: 'An OAuth application (API.md §15)' },
)
/** `public` is accepted only to say that it cannot change (422 `reason: "immutable"`). */
export const updateBody = t.Object({ ...editable, public: t.Optional(t.Boolean()) }, strict)
export type ApplicationInput = typeof createBody.static
export type ApplicationPatch = typeof updateBody.static

export const idParams = t.Object({ id: t.String({ maxLength: 64 }) })
export const grantParams = t.Object({ id: t.String({ maxLength: 64 }), gid: t.String({ maxLength: 64 }) })
export const grantListQuery = t.Object(
  {
    user_id: t.Optional(t.String({ maxLength: 64 })),
    cursor: t.Optional(t.String({ maxLength: 512 })),
    limit: t.Optional(t.String({ pattern: '^(100|[1-9][0-9]?)$' })),
  },
  strict,
)

export interface PublicApplication {
  object: 'oauth_application'
  id: string
  name: string
  client_id: string
  public: boolean
  first_party: boolean
  redirect_uris: string[]
  post_logout_redirect_uris: string[]
  scopes: string[]
  grant_types: string[]
  token_endpoint_auth_method: string
  jwks_uri: string | null
  consent_required: boolean
  access_token_format: string
  logo_url: string | null
  allowed_resources: string[]
  created_at: number
  updated_at: number
}

export const toPublic = (row: ApplicationRow): PublicApplication => ({
  object: 'oauth_application',
  id: row.id,
  name: row.name,
  client_id: row.clientId,
  public: row.public,
  first_party: row.firstParty,
  redirect_uris: row.redirectUris,
  post_logout_redirect_uris: row.postLogoutRedirectUris,
  scopes: row.scopes,
  grant_types: row.grantTypes,
  token_endpoint_auth_method: row.tokenEndpointAuthMethod,
  jwks_uri: row.jwksUri,
  consent_required: row.consentRequired,
  access_token_format: row.accessTokenFormat,
  logo_url: row.logoUrl,
  allowed_resources: row.allowedResources,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})

export interface PublicGrant {
  object: 'authorization_grant'
  id: string
  application_id: string
  user_id: string
  organization_id: string | null
  scopes: string[]
  last_used_at: number | null
  created_at: number
  updated_at: number
}

export const grantToPublic = (row: GrantRow): PublicGrant => ({
  object: 'authorization_grant',
  id: row.id,
  application_id: row.applicationId,
  user_id: row.userId,
  organization_id: row.organizationId,
  scopes: row.scopes,
  last_used_at: row.lastUsedAt?.getTime() ?? null,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})
