import { t } from 'elysia'
import { HASHERS } from '../../platform/crypto/imported-hashes'
import { listQuery } from '../../platform/http/pagination'
import { eventMessage } from '../../platform/outbox'
import type { PublicExternalAccount } from '../external-accounts/model'
import type { IdentificationRow, UserRow } from './repo'
import type { Metadata } from './schema'

/** The user as the Backend API shows it (API.md §7). The password hash never leaves repo/service. */
export interface PublicUser {
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
  /** Unused backup codes left (each works once). */
  backup_codes_remaining: number
  two_factor_enabled: boolean
  passkeys: { id: string; name: string; created_at: number; last_used_at: number | null }[]
  /** Accounts at social providers and enterprise connections that sign the user in (API.md §16). */
  external_accounts: PublicExternalAccount[]
  /** Tenant-role keys, sorted (API.md §14). */
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

const strict = { additionalProperties: false } as const
export const USERNAME_PATTERN = '^[a-zA-Z0-9_.-]{3,64}$'
const name = t.String({ maxLength: 256 })
const nullable = <T extends Parameters<typeof t.Union>[0][number]>(schema: T) => t.Union([schema, t.Null()])
// Any JSON object; size, depth and key safety are checked in metadata.ts.
const metadata = t.Record(t.String(), t.Unknown())
// No maxLength on passwords here: the tenant's password.max_length decides, before any hashing.
const password = t.String()

export const createBody = t.Object(
  {
    email_address: t.Optional(t.Array(t.String({ maxLength: 320 }), { maxItems: 10 })),
    phone_number: t.Optional(t.Array(t.String({ maxLength: 64 }), { maxItems: 10 })),
    username: t.Optional(t.String({ pattern: USERNAME_PATTERN })),
    password: t.Optional(password),
    first_name: t.Optional(name),
    last_name: t.Optional(name),
    public_metadata: t.Optional(metadata),
    private_metadata: t.Optional(metadata),
    unsafe_metadata: t.Optional(metadata),
    skip_password_checks: t.Optional(t.Boolean()),
    // Import from another system (Clerk's names); checked in accounts/import.ts.
    password_digest: t.Optional(t.String({ maxLength: 512 })),
    password_hasher: t.Optional(t.Union(HASHERS.map((h) => t.Literal(h)))),
    totp_secret: t.Optional(t.String({ maxLength: 256 })),
    backup_codes: t.Optional(t.Array(t.String({ maxLength: 64 }), { maxItems: 20 })),
  },
  strict,
)

/** Each row is checked on its own (accounts/import.ts), so that one bad row fails alone. */
export const BULK_MAX = 100
export const bulkCreateBody = t.Object(
  { users: t.Array(t.Record(t.String(), t.Unknown()), { minItems: 1, maxItems: BULK_MAX }) },
  strict,
)

export const updateBody = t.Object(
  {
    username: t.Optional(nullable(t.String({ pattern: USERNAME_PATTERN }))),
    first_name: t.Optional(nullable(name)),
    last_name: t.Optional(nullable(name)),
    password: t.Optional(password),
    skip_password_checks: t.Optional(t.Boolean()),
    primary_email_address_id: t.Optional(t.String({ maxLength: 64 })),
    primary_phone_number_id: t.Optional(t.String({ maxLength: 64 })),
    public_metadata: t.Optional(metadata),
    private_metadata: t.Optional(metadata),
    unsafe_metadata: t.Optional(metadata),
  },
  strict,
)

export const verifyPasswordBody = t.Object({ password }, strict)

export const listUsersQuery = t.Object(
  {
    ...listQuery.properties,
    email_address: t.Optional(t.String({ maxLength: 320 })),
    phone_number: t.Optional(t.String({ maxLength: 64 })),
    query: t.Optional(t.String({ maxLength: 256 })),
  },
  strict,
)

export const idParams = t.Object({ id: t.String({ maxLength: 64 }) })
export const passkeyParams = t.Object({ id: t.String({ maxLength: 64 }), passkey_id: t.String({ maxLength: 64 }) })

const ms = (d: Date | null) => (d ? d.getTime() : null)

/** The user's second factors as the MFA feature reports them (a new user has none). */
export interface MfaSummary {
  totp: boolean
  backupCodes: number
}
export const NO_MFA: MfaSummary = { totp: false, backupCodes: 0 }

export function toPublicUser(
  user: UserRow,
  identifications: IdentificationRow[],
  now: number,
  held: {
    mfa?: MfaSummary
    passkeys?: PublicUser['passkeys']
    externalAccounts?: PublicUser['external_accounts']
    roles?: string[]
  } = {},
): PublicUser {
  const mfa = held.mfa ?? NO_MFA
  const emails = identifications.filter((i) => i.type === 'email_address')
  const phones = identifications.filter((i) => i.type === 'phone_number')
  const secondFactorPhone = phones.some((p) => p.verified && p.reservedForSecondFactor)
  return {
    object: 'user',
    id: user.id,
    primary_email_address_id: user.primaryEmailAddressId,
    primary_phone_number_id: user.primaryPhoneNumberId,
    email_addresses: emails.map((i) => ({
      object: 'email_address',
      id: i.id,
      email_address: i.value,
      verified: i.verified,
    })),
    phone_numbers: phones.map((i) => ({
      object: 'phone_number',
      id: i.id,
      phone_number: i.value,
      verified: i.verified,
      reserved_for_second_factor: i.reservedForSecondFactor,
    })),
    username: user.username,
    first_name: user.firstName,
    last_name: user.lastName,
    password_enabled: user.passwordHash !== null,
    totp_enabled: mfa.totp,
    backup_code_enabled: mfa.backupCodes > 0,
    backup_codes_remaining: mfa.backupCodes,
    two_factor_enabled: mfa.totp || mfa.backupCodes > 0 || secondFactorPhone,
    passkeys: held.passkeys ?? [],
    external_accounts: held.externalAccounts ?? [],
    roles: held.roles ?? [],
    banned: user.banned,
    locked: user.lockedUntil !== null && user.lockedUntil.getTime() > now,
    public_metadata: user.publicMetadata,
    private_metadata: user.privateMetadata,
    unsafe_metadata: user.unsafeMetadata,
    last_sign_in_at: ms(user.lastSignInAt),
    created_at: user.createdAt.getTime(),
    updated_at: user.updatedAt.getTime(),
  }
}

/** A user event for the outbox (webhooks): `data` is the public user, or `{ id, … }` for a lock or deletion. */
export const userEvent = eventMessage
