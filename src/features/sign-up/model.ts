import { t } from 'elysia'
import { missingFields, unverifiedFields } from '../../../machines/sign-up.machine'
import type {
  SignUpContext,
  SignUpField,
  SignUpStatus,
  VerifiableField,
  Verification,
} from '../../../machines/shared/types'
import { oneOf } from '../../platform/http/schema'
import type { Challenge } from '../challenges/service'
import type { Session } from '../sessions/model'
import type { SignUpRow } from './repo'

/** SignUp object of API.md §4. Never carries the password or its hash. */
export interface SignUp {
  object: 'sign_up_attempt'
  id: string
  status: SignUpStatus
  email_address: string | null
  phone_number: string | null
  username: string | null
  first_name: string | null
  last_name: string | null
  required_fields: SignUpField[]
  missing_fields: SignUpField[]
  unverified_fields: VerifiableField[]
  verifications: Partial<Record<VerifiableField, Pick<Verification, 'status' | 'strategy'>>>
  created_user_id: string | null
  created_session_id: string | null
  expire_at: number
  created_at: number
  updated_at: number
}

export interface SignUpResponse extends SignUp {
  /** A sign-up started with a social provider: its challenge, with `external_redirect_url` (API.md §16). */
  current_challenge?: Challenge
  session?: Session
  session_token?: string
  refresh_token?: string
}

type Snapshot = { value: SignUpStatus; context: SignUpContext }
const FINAL: SignUpStatus[] = ['complete', 'abandoned', 'expired']

export const contextOf = (row: SignUpRow) => (row.snapshot as Snapshot).context

/** The stored status, or `expired` once past expire_at (expiry is data, read at every access). */
export function statusOf(row: SignUpRow, now: number): SignUpStatus {
  const value = (row.snapshot as Snapshot).value
  return !FINAL.includes(value) && now >= row.expireAt.getTime() ? 'expired' : value
}

export function toPublic(row: SignUpRow, now: number): SignUp {
  const ctx = contextOf(row)
  const verifications: SignUp['verifications'] = {}
  for (const field of ctx.verifyFields) {
    const v = ctx.verifications[field]
    if (v) verifications[field] = { status: v.status, strategy: v.strategy }
  }
  return {
    object: 'sign_up_attempt',
    id: row.id,
    status: statusOf(row, now),
    email_address: row.emailAddress,
    phone_number: row.phoneNumber,
    username: row.username,
    first_name: row.firstName,
    last_name: row.lastName,
    required_fields: ctx.requiredFields,
    missing_fields: missingFields(ctx),
    unverified_fields: unverifiedFields(ctx),
    verifications,
    created_user_id: ctx.createdUserId,
    created_session_id: ctx.createdSessionId,
    expire_at: row.expireAt.getTime(),
    created_at: row.createdAt.getTime(),
    updated_at: row.updatedAt.getTime(),
  }
}

const name = t.String({ maxLength: 256 })

/** POST and PATCH take the same fields; formats are checked by the service (422 with param_name). */
const fields = {
  email_address: t.Optional(t.String({ maxLength: 320 })),
  phone_number: t.Optional(t.String({ maxLength: 64 })),
  username: t.Optional(t.String({ maxLength: 64 })),
  // No maxLength here: the tenant's password.max_length decides, before any hashing.
  password: t.Optional(t.String()),
  first_name: t.Optional(name),
  last_name: t.Optional(name),
  // Any JSON object; size, depth and key safety are checked by the users feature's metadata rules.
  unsafe_metadata: t.Optional(t.Record(t.String(), t.Unknown())),
  legal_accepted: t.Optional(t.Boolean()),
  redirect_url: t.Optional(t.String({ maxLength: 2048 })),
}
export const fieldsBody = t.Object(fields, { additionalProperties: false })
/** A new attempt may start with an organization invitation's ticket (API.md §13a). */
export const createBody = t.Object(
  {
    ...fields,
    ticket: t.Optional(t.String({ minLength: 1, maxLength: 256 })),
    // A social provider proves the account (API.md §16): its callback fills the fields.
    strategy: t.Optional(t.String({ pattern: '^oauth_[a-z0-9_]{1,48}$' })),
  },
  { additionalProperties: false },
)

export const challengeStrategies = ['email_code', 'email_link', 'phone_code'] as const
export const challengeBody = t.Object({ strategy: oneOf(challengeStrategies) }, { additionalProperties: false })
export const answerBody = t.Object({ code: t.String({ maxLength: 64 }) }, { additionalProperties: false })
export const fapiParams = t.Object({ tenant: t.String({ maxLength: 63 }), id: t.String({ maxLength: 64 }) })
export const fapiChallengeParams = t.Object({
  tenant: t.String({ maxLength: 63 }),
  id: t.String({ maxLength: 64 }),
  cid: t.String({ maxLength: 64 }),
})
export const bapiParams = t.Object({ id: t.String({ maxLength: 64 }) })
export const bapiChallengeParams = t.Object({ id: t.String({ maxLength: 64 }), cid: t.String({ maxLength: 64 }) })
