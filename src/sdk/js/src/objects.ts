/**
 * The Frontend API's objects as API.md defines them (timestamps are Unix ms). Request shapes come from the
 * OpenAPI document (generated/fapi.ts); these are the answers, checked against the server's own types by tsc
 * (tests/sdk/js-object-types.test.ts).
 */
import type { Session } from '@tessera/shared'

export type { List, OrganizationInvitation, Session } from '@tessera/shared'

export type SignInStatus =
  | 'needs_identifier'
  | 'needs_first_factor'
  | 'needs_second_factor'
  | 'needs_second_factor_enrollment'
  | 'needs_new_password'
  | 'complete'
  | 'expired'
  | 'locked'

/** A way to prove who one is: `password`, `email_code`, `passkey`, `totp`, `oauth_<provider>`, … */
export type Strategy = string

export interface Factor {
  strategy: Strategy
  safe_identifier?: string
  email_address_id?: string
  phone_number_id?: string
}

export interface Challenge {
  object: 'challenge'
  id: string
  strategy: Strategy
  status: 'pending' | 'verified' | 'failed' | 'expired'
  attempts_remaining: number
  expire_at: number
  /** Where the code went, masked (j***@example.com). */
  safe_identifier?: string
  /** PublicKeyCredentialRequestOptionsJSON, for `passkey` challenges. */
  public_key_options?: Record<string, unknown>
  /** Where to send the browser, for `oauth_*` and `enterprise_sso` challenges. */
  external_redirect_url?: string
}

export interface SignIn {
  object: 'sign_in_attempt'
  id: string
  status: SignInStatus
  identifier: string | null
  supported_first_factors: Factor[]
  supported_second_factors: Factor[]
  current_challenge: Challenge | null
  created_session_id: string | null
  expire_at: number
  created_at: number
  updated_at: number
}

export interface Verification {
  status: string
  strategy: Strategy | null
}

export interface SignUp {
  object: 'sign_up_attempt'
  id: string
  status: 'missing_requirements' | 'complete' | 'abandoned' | 'expired'
  email_address: string | null
  phone_number: string | null
  username: string | null
  first_name: string | null
  last_name: string | null
  required_fields: string[]
  missing_fields: string[]
  unverified_fields: string[]
  verifications: { email_address?: Verification; phone_number?: Verification }
  created_user_id: string | null
  created_session_id: string | null
  expire_at: number
  created_at: number
  updated_at: number
}

export interface Client {
  object: 'client'
  id: string
  sessions: Session[]
  sign_in: SignIn | null
  sign_up: SignUp | null
  last_active_session_id: string | null
}

/** What a completed attempt adds: the session, and its tokens in native mode. */
export interface Completion {
  session?: Session
  session_token?: string
  refresh_token?: string
  /** Returned once when TOTP was enrolled inside a sign-in attempt. */
  backup_codes?: string[]
}

export interface EmailAddress {
  object: 'email_address'
  id: string
  email_address: string
  verified: boolean
}

export interface PhoneNumber {
  object: 'phone_number'
  id: string
  phone_number: string
  verified: boolean
  reserved_for_second_factor?: boolean
}

export interface Passkey {
  object?: 'passkey'
  id: string
  name: string
  created_at: number
  last_used_at: number | null
}

export interface User {
  object: 'user'
  id: string
  primary_email_address_id: string | null
  primary_phone_number_id: string | null
  email_addresses: EmailAddress[]
  phone_numbers: PhoneNumber[]
  username: string | null
  first_name: string | null
  last_name: string | null
  password_enabled: boolean
  totp_enabled: boolean
  backup_code_enabled: boolean
  two_factor_enabled: boolean
  passkeys: Passkey[]
  external_accounts: ExternalAccount[]
  public_metadata: Record<string, unknown>
  unsafe_metadata: Record<string, unknown>
  last_sign_in_at: number | null
  created_at: number
  updated_at: number
}

export interface TotpEnrollment {
  object: 'totp'
  id: string
  secret: string
  otpauth_uri: string
  qr_svg: string
  verified: false
}

export interface OrganizationSummary {
  id: string
  name: string
  slug: string
  image_url: string | null
}

export interface Organization extends OrganizationSummary {
  object: 'organization'
  max_memberships: number
  members_count: number
  public_metadata: Record<string, unknown>
  created_by: string | null
  created_at: number
  updated_at: number
}

export interface OrganizationMembership {
  object: 'organization_membership'
  id: string
  organization: OrganizationSummary
  public_user_data: { user_id: string; first_name: string | null; last_name: string | null; identifier: string | null }
  role: string
  role_name: string
  permissions: string[]
  status: 'active' | 'suspended'
  public_metadata: Record<string, unknown>
  created_at: number
  updated_at: number
}

/** An organization role as `GET {issuer}/v1/organizations/{org_id}/roles` lists it, highest level first. */
export interface OrganizationRole {
  object: 'role'
  id: string
  key: string
  name: string
  description: string | null
  scope: 'organization'
  /** 1..60: a member may give only roles below their own level (an `org:owner` may also give `org:owner`). */
  level: number
  permissions: string[]
  is_system: boolean
  created_at: number
  updated_at: number
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
