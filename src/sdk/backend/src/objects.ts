/**
 * The Backend API's answers (API.md §7, §13–§14; timestamps are Unix ms). Requests are typed by the OpenAPI
 * document (generated/bapi.ts); these shapes are checked against the server's own by tests/sdk/object-types.test.ts.
 */
import type { ApiErrorEntry } from '@tessera/shared'

export type { List, OrganizationInvitation, Session } from '@tessera/shared'

export type Metadata = Record<string, unknown>

export interface Deleted {
  object: string
  id: string
  deleted: true
}

export interface User {
  object: 'user'
  id: string
  primary_email_address_id: string | null
  primary_phone_number_id: string | null
  email_addresses: { object: 'email_address'; id: string; email_address: string; verified: boolean }[]
  phone_numbers: {
    object: 'phone_number'
    id: string
    phone_number: string
    verified: boolean
    reserved_for_second_factor: boolean
  }[]
  username: string | null
  first_name: string | null
  last_name: string | null
  password_enabled: boolean
  totp_enabled: boolean
  backup_code_enabled: boolean
  backup_codes_remaining: number
  two_factor_enabled: boolean
  passkeys: { id: string; name: string; created_at: number; last_used_at: number | null }[]
  external_accounts: ExternalAccount[]
  roles: string[]
  banned: boolean
  locked: boolean
  public_metadata: Metadata
  private_metadata: Metadata
  unsafe_metadata: Metadata
  last_sign_in_at: number | null
  created_at: number
  updated_at: number
}

/** `POST /v1/tokens/introspect`: live, so `active` turns false as soon as the session ends anywhere. */
export type Introspection =
  | { active: false }
  | {
      active: true
      sub: string
      sid: string
      user: { id: string; primary_email_address: string | null; [field: string]: unknown }
      org_id: string | null
      org_slug: string | null
      org_role: string | null
      /** The organization's plan key while its subscription entitles it. */
      plan: string | null
      permissions: string[]
      roles: string[]
      amr: string[]
      iat: number
      exp: number
    }

export interface Organization {
  object: 'organization'
  id: string
  name: string
  slug: string
  image_url: string | null
  max_memberships: number
  members_count: number
  public_metadata: Metadata
  private_metadata: Metadata
  created_by: string | null
  created_at: number
  updated_at: number
}

export interface OrganizationMembership {
  object: 'organization_membership'
  id: string
  organization: { id: string; name: string; slug: string; image_url: string | null }
  public_user_data: { user_id: string; first_name: string | null; last_name: string | null; identifier: string | null }
  role: string
  role_name: string
  permissions: string[]
  status: 'active' | 'suspended'
  public_metadata: Metadata
  private_metadata: Metadata
  created_at: number
  updated_at: number
}

export interface Role {
  object: 'role'
  id: string
  key: string
  name: string
  description: string | null
  scope: 'organization' | 'tenant'
  level: number | null
  permissions: string[]
  is_system: boolean
  created_at: number
  updated_at: number
}

export interface Permission {
  object: 'permission'
  id: string
  key: string
  name: string
  description: string | null
  is_system: boolean
  created_at: number
  updated_at: number
}

export interface ApiKey {
  object: 'api_key'
  id: string
  name: string
  scopes: string[]
  key_prefix: string
  status: 'active' | 'expired' | 'revoked'
  expires_at: number | null
  last_used_at: number | null
  revoked_at: number | null
  /** The raw key, only in the answer that created it. */
  key?: string
  created_at: number
  updated_at: number
}

export interface WebhookEndpoint {
  object: 'webhook_endpoint'
  id: string
  url: string
  filter_types: string[] | null
  description: string | null
  disabled: boolean
  /** `whsec_…`, only from create and rotate-secret. */
  secret?: string
  created_at: number
  updated_at: number
}

export interface WebhookMessage {
  object: 'webhook_message'
  id: string
  event_id: string
  event_type: string
  status: 'pending' | 'delivered' | 'failed'
  attempts_count: number
  created_at: number
}

export interface AuditEvent {
  object: 'audit_event'
  id: string
  action: string
  actor: { type: 'user' | 'secret_key' | 'api_key' | 'platform' | 'scim' | 'system'; id: string | null }
  target: { type: string; id: string } | null
  ip: string | null
  user_agent: string | null
  data: Metadata
  created_at: number
}

/** The Standard Webhooks payload: the event object of API.md §9. */
export interface WebhookEvent<T = Metadata> {
  object: 'event'
  id: string
  type: string
  tenant_id: string
  data: T
  created_at: number
}

export interface Tenant {
  object: 'tenant'
  id: string
  slug: string
  name: string
  issuer: string
  frontend_api_url: string
  publishable_key: string
  /** Only in the answer that created the tenant. */
  secret_key?: string
  settings: Metadata
  created_at: number
  updated_at: number
}

/** One row of `POST /v1/users/bulk`: each row is created or refused on its own. */
export type BulkUserResult =
  | { index: number; status: 'created'; user: User }
  | { index: number; status: 'error'; errors: ApiErrorEntry[] }

/** A SCIM token of one organization (API.md §17); `token` only in the answer that created it. */
export interface ScimToken {
  object: 'scim_token'
  id: string
  organization_id: string
  name: string | null
  token_prefix: string
  status: 'active' | 'revoked' | 'expired'
  expires_at: number | null
  last_used_at: number | null
  revoked_at: number | null
  token?: string
  created_at: number
  updated_at: number
}

/** What an identity provider needs to provision an organization, and how much it has. */
export interface ScimEndpoint {
  object: 'scim_endpoint'
  organization_id: string
  base_url: string
  authentication_scheme: 'oauthbearertoken'
  users_count: number
  groups_count: number
  last_request_at: number | null
}

export interface ScimAttributeMappings {
  object: 'scim_attribute_mappings'
  organization_id: string
  user: Record<string, string | null>
  group_roles: { group: string; role: string }[]
  default_role: string | null
  is_default: boolean
  updated_at: number | null
}

/** An account at a social provider or an enterprise connection that signs the user in. */
export interface ExternalAccount {
  object: 'external_account'
  id: string
  provider: string
  strategy: string
  connection_id: string
  provider_user_id: string
  email_address: string | null
  email_verified: boolean
  first_name: string | null
  last_name: string | null
  username: string | null
  image_url: string | null
  created_at: number
  updated_at: number
}

/** A product license keys are issued for (API.md §18). */
export interface Product {
  object: 'product'
  id: string
  name: string
  key_prefix: string
  default_max_activations: number | null
  created_at: number
  updated_at: number
}

/** A license key (API.md §18); `key` only in the answer that issued it. */
export interface LicenseKey {
  object: 'license_key'
  id: string
  product_id: string
  user_id: string | null
  organization_id: string | null
  key_hint: string
  status: 'active' | 'revoked' | 'expired'
  expires_at: number | null
  max_activations: number | null
  activations_count: number
  metadata: Metadata
  last_validated_at: number | null
  key?: string
  created_at: number
  updated_at: number
}

export interface LicenseActivation {
  object: 'license_activation'
  id: string
  license_key_id: string
  device_fingerprint: string
  device_name: string | null
  status: 'active' | 'deactivated'
  last_seen_at: number
  created_at: number
  updated_at: number
}

/** What a license key is worth now (`license` null when the key is malformed or unknown). */
export interface LicenseValidation {
  object: 'license_validation'
  valid: boolean
  code: 'valid' | 'not_found' | 'malformed' | 'revoked' | 'expired' | 'not_activated'
  license: Pick<
    LicenseKey,
    'id' | 'product_id' | 'status' | 'expires_at' | 'max_activations' | 'activations_count'
  > | null
}
