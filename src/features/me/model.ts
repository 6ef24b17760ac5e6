import { t } from 'elysia'
import { oneOf } from '../../platform/http/schema'
import type { IdentificationRow } from '../users/service'
import { USERNAME_PATTERN, type PublicUser } from '../users/model'

/**
 * Shapes of the current-user API (API.md §6, §11). The user sees their own User object without
 * `private_metadata`, which is backend-only (API.md §7).
 */
export type MeUser = Omit<PublicUser, 'private_metadata'>

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
  reserved_for_second_factor: boolean
}

export const toMe = ({ private_metadata: _hidden, ...user }: PublicUser): MeUser => user

export const toEmailAddress = (row: IdentificationRow): EmailAddress => ({
  object: 'email_address',
  id: row.id,
  email_address: row.value,
  verified: row.verified,
})

export const toPhoneNumber = (row: IdentificationRow): PhoneNumber => ({
  object: 'phone_number',
  id: row.id,
  phone_number: row.value,
  verified: row.verified,
  reserved_for_second_factor: row.reservedForSecondFactor,
})

const strict = { additionalProperties: false } as const
const id = t.String({ maxLength: 64 })
const name = t.String({ maxLength: 256 })
const nullable = <T extends Parameters<typeof t.Union>[0][number]>(schema: T) => t.Union([schema, t.Null()])

export const patchBody = t.Object(
  {
    first_name: t.Optional(nullable(name)),
    last_name: t.Optional(nullable(name)),
    username: t.Optional(nullable(t.String({ pattern: USERNAME_PATTERN }))),
    // Any JSON object; size, depth and key safety are checked by the users feature's metadata rules.
    unsafe_metadata: t.Optional(t.Record(t.String(), t.Unknown())),
    primary_email_address_id: t.Optional(id),
    primary_phone_number_id: t.Optional(id),
  },
  strict,
)

export const addEmailBody = t.Object({ email_address: t.String({ maxLength: 320 }) }, strict)
export const addPhoneBody = t.Object({ phone_number: t.String({ maxLength: 64 }) }, strict)
// The body may be absent: the kind's first strategy (email_code, phone_code) is used.
export const emailChallengeBody = t.Optional(
  t.Object({ strategy: t.Optional(oneOf(['email_code', 'email_link'])) }, strict),
)
export const phoneChallengeBody = t.Optional(t.Object({ strategy: t.Optional(oneOf(['phone_code'])) }, strict))
export const answerBody = t.Object({ code: t.String({ minLength: 1, maxLength: 64 }) }, strict)
export const phonePatchBody = t.Object({ reserved_for_second_factor: t.Boolean() }, strict)

// No maxLength on passwords here: the tenant's password.max_length decides, before any hashing.
export const passwordBody = t.Object(
  {
    current_password: t.Optional(t.String()),
    new_password: t.String(),
    sign_out_other_sessions: t.Optional(t.Boolean()),
  },
  strict,
)

export const tenantParams = t.Object({ tenant: t.String({ maxLength: 63 }) })
export const idParams = t.Object({ tenant: t.String({ maxLength: 63 }), id })
export const challengeParams = t.Object({ tenant: t.String({ maxLength: 63 }), id, cid: id })
