import { t } from 'elysia'
import { oneOf } from '../../platform/http/schema'
import type { ExternalStrategy, Factor, SignInContext, SignInStatus } from '../../../machines/shared/types'
import type { Challenge } from '../challenges/service'
import type { Session } from '../sessions/model'
import type { SignInRow } from './repo'

/** SignIn object of API.md §4. */
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

export interface SignInResponse extends SignIn {
  session?: Session
  session_token?: string
  refresh_token?: string
  /** Only in the answer that completed a TOTP enrolment inside the attempt: shown this once. */
  backup_codes?: string[]
}

type Snapshot = { value: SignInStatus; context: SignInContext }
const FINAL: SignInStatus[] = ['complete', 'expired', 'locked']

export const contextOf = (row: SignInRow) => (row.snapshot as Snapshot).context

/** The stored status, or `expired` once past expire_at (expiry is data, read at every access). */
export function statusOf(row: SignInRow, now: number): SignInStatus {
  const value = (row.snapshot as Snapshot).value
  return !FINAL.includes(value) && now >= row.expireAt.getTime() ? 'expired' : value
}

export function toPublic(row: SignInRow, now: number, challenge: Challenge | null): SignIn {
  const ctx = contextOf(row)
  return {
    object: 'sign_in_attempt',
    id: row.id,
    status: statusOf(row, now),
    identifier: ctx.identifier,
    supported_first_factors: ctx.supportedFirstFactors,
    supported_second_factors: ctx.supportedSecondFactors,
    current_challenge: challenge,
    created_session_id: ctx.createdSessionId,
    expire_at: row.expireAt.getTime(),
    created_at: row.createdAt.getTime(),
    updated_at: row.updatedAt.getTime(),
  }
}

/** The strategies a client may name for a sign-in challenge (API.md §4 Factor). */
export const strategies = [
  'password',
  'email_code',
  'email_link',
  'phone_code',
  'passkey',
  'totp',
  'backup_code',
  'reset_password_email_code',
  'reset_password_phone_code',
] as const

/** A strategy a client may name: one of `strategies`, or an external provider's (API.md §16). */
const strategy = t.Union([
  oneOf(strategies),
  t.Unsafe<ExternalStrategy>(t.String({ pattern: '^(oauth_[a-z0-9_]{1,48}|enterprise_sso)$' })),
])

export const createBody = t.Object(
  {
    identifier: t.Optional(t.String({ minLength: 1, maxLength: 320 })),
    strategy: t.Optional(strategy),
    password: t.Optional(t.String({ maxLength: 8192 })),
    redirect_url: t.Optional(t.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
)
export const patchBody = t.Object(
  { identifier: t.String({ minLength: 1, maxLength: 320 }) },
  { additionalProperties: false },
)
export const challengeBody = t.Object({ strategy: t.Optional(strategy) }, { additionalProperties: false })
export const answerBody = t.Object(
  {
    code: t.Optional(t.String({ maxLength: 64 })),
    password: t.Optional(t.String({ maxLength: 8192 })),
    credential: t.Optional(t.Record(t.String(), t.Unknown())),
  },
  { additionalProperties: false },
)
export const resetPasswordBody = t.Object(
  {
    // No maxLength: the tenant's password.max_length decides, before any hashing.
    password: t.String(),
    sign_out_of_other_sessions: t.Optional(t.Boolean()),
  },
  { additionalProperties: false },
)
export const totpVerifyBody = t.Object(
  { code: t.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
)
export const fapiParams = t.Object({ tenant: t.String({ maxLength: 63 }), id: t.String({ maxLength: 64 }) })
export const fapiChallengeParams = t.Object({
  tenant: t.String({ maxLength: 63 }),
  id: t.String({ maxLength: 64 }),
  cid: t.String({ maxLength: 64 }),
})
export const bapiParams = t.Object({ id: t.String({ maxLength: 64 }) })
export const bapiChallengeParams = t.Object({ id: t.String({ maxLength: 64 }), cid: t.String({ maxLength: 64 }) })
