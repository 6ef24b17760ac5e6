import { t } from 'elysia'
import { tenantIssuer, type TenantAddress } from '../tenants/model'
import { oneOf } from '../../platform/http/schema'
import { callbackNameOf, PROVIDERS, strategyOf } from './presets'

export { PROVIDERS }
import type { OAuthProviderRow } from './repo'
import type { AttributeMapping } from './schema'

/** OAuth providers (social login) as the Backend API shows them (API.md §16). */
const strict = { additionalProperties: false } as const

export const KEY_PATTERN = '^[a-z0-9_]{1,32}$'
/** Dot-separated names, a number indexing an array: `data.id`, `emails.0.address`. */
export const JSON_PATH_PATTERN = '^[A-Za-z0-9_$@:-]{1,64}(\\.[A-Za-z0-9_$@:-]{1,64}){0,15}$'
/** RFC 6749 §3.3 scope-token. */
const SCOPE_PATTERN = '^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,256}$'

const url = t.String({ minLength: 1, maxLength: 2048 })
const path = t.String({ pattern: JSON_PATH_PATTERN })

export const attributeMapping = t.Object(
  {
    user_id: path,
    email_address: t.Optional(path),
    email_verified: t.Optional(path),
    first_name: t.Optional(path),
    last_name: t.Optional(path),
    username: t.Optional(path),
    image_url: t.Optional(path),
  },
  strict,
)

const fields = {
  key: t.String({ pattern: KEY_PATTERN }),
  name: t.String({ minLength: 1, maxLength: 256 }),
  client_id: t.String({ minLength: 1, maxLength: 1024 }),
  // Apple: the .p8 private key (PKCS#8 PEM) that signs the real client secret.
  client_secret: t.String({ minLength: 1, maxLength: 16_384 }),
  apple_team_id: t.String({ pattern: '^[A-Z0-9]{10}$' }),
  apple_key_id: t.String({ pattern: '^[A-Z0-9]{10}$' }),
  scopes: t.Array(t.String({ pattern: SCOPE_PATTERN }), { maxItems: 50 }),
  enabled: t.Boolean(),
  discovery_url: url,
  authorization_url: url,
  token_url: url,
  userinfo_url: url,
  attribute_mapping: attributeMapping,
}

export const createBody = t.Object(
  {
    provider: oneOf(PROVIDERS),
    key: t.Optional(fields.key),
    name: t.Optional(fields.name),
    client_id: fields.client_id,
    client_secret: fields.client_secret,
    apple_team_id: t.Optional(fields.apple_team_id),
    apple_key_id: t.Optional(fields.apple_key_id),
    scopes: t.Optional(fields.scopes),
    enabled: t.Optional(fields.enabled),
    discovery_url: t.Optional(fields.discovery_url),
    authorization_url: t.Optional(fields.authorization_url),
    token_url: t.Optional(fields.token_url),
    userinfo_url: t.Optional(fields.userinfo_url),
    attribute_mapping: t.Optional(fields.attribute_mapping),
  },
  strict,
)

/** The create fields (API.md §13); `provider` and `key` may be repeated but not changed. */
export const updateBody = t.Object(
  {
    provider: t.Optional(oneOf(PROVIDERS)),
    key: t.Optional(fields.key),
    name: t.Optional(fields.name),
    client_id: t.Optional(fields.client_id),
    client_secret: t.Optional(fields.client_secret),
    apple_team_id: t.Optional(fields.apple_team_id),
    apple_key_id: t.Optional(fields.apple_key_id),
    scopes: t.Optional(fields.scopes),
    enabled: t.Optional(fields.enabled),
    discovery_url: t.Optional(fields.discovery_url),
    authorization_url: t.Optional(fields.authorization_url),
    token_url: t.Optional(fields.token_url),
    userinfo_url: t.Optional(fields.userinfo_url),
    attribute_mapping: t.Optional(fields.attribute_mapping),
  },
  strict,
)

export type CreateBody = typeof createBody.static
export type UpdateBody = typeof updateBody.static

export const idParams = t.Object({ id: t.String({ maxLength: 64 }) })

export interface PublicOAuthProvider {
  object: 'oauth_provider'
  id: string
  provider: string
  key: string | null
  strategy: string
  name: string
  client_id: string
  scopes: string[]
  enabled: boolean
  discovery_url: string | null
  authorization_url: string | null
  token_url: string | null
  userinfo_url: string | null
  attribute_mapping: AttributeMapping | null
  callback_url: string
  created_at: number
  updated_at: number
}

export interface ConnectionCheck {
  name: string
  ok: boolean
  detail: string
}

export interface ConnectionTest {
  object: 'connection_test'
  ok: boolean
  checks: ConnectionCheck[]
}

/** `{issuer}/v1/oauth-callback/{provider|key}`: the redirect URI to register at the provider. */
const callbackUrl = (publicUrl: string, tenant: TenantAddress, row: Pick<OAuthProviderRow, 'provider' | 'key'>) =>
  `${tenantIssuer(publicUrl, tenant)}/v1/oauth-callback/${callbackNameOf(row.provider, row.key)}`

/** Everything but the write-only fields: the client secret (and Apple's team and key ids, which go with it). */
export const toPublic = (row: OAuthProviderRow, publicUrl: string, tenant: TenantAddress): PublicOAuthProvider => ({
  object: 'oauth_provider',
  id: row.id,
  provider: row.provider,
  key: row.key,
  strategy: strategyOf(row.provider, row.key),
  name: row.name,
  client_id: row.clientId,
  scopes: row.scopes,
  enabled: row.enabled,
  discovery_url: row.discoveryUrl,
  authorization_url: row.authorizationUrl,
  token_url: row.tokenUrl,
  userinfo_url: row.userinfoUrl,
  attribute_mapping: row.attributeMapping,
  callback_url: callbackUrl(publicUrl, tenant, row),
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})
