import { t } from 'elysia'
import { oneOf } from '../../platform/http/schema'

/** Request shapes of the MFA endpoints (API.md §6, §7, §11). */
const strict = { additionalProperties: false } as const
const code = t.String({ minLength: 1, maxLength: 64 })

export const codeBody = t.Object({ code }, strict)
// DELETE /me/totp: a current code instead of a recent factor; the body may be absent.
export const disableTotpBody = t.Optional(t.Object({ code: t.Optional(code) }, strict))

export const reverifyBody = t.Object(
  {
    strategy: oneOf(['password', 'totp', 'backup_code', 'email_code', 'phone_code', 'passkey']),
    code: t.Optional(code),
    // startAuthentication()'s JSON, after `…/reverify/challenges { strategy: "passkey" }`; decoded by the strategy.
    credential: t.Optional(t.Record(t.String(), t.Unknown())),
    // No maxLength: the tenant's password.max_length decides, before any hashing.
    password: t.Optional(t.String()),
  },
  strict,
)
export const reverifyChallengeBody = t.Object({ strategy: oneOf(['email_code', 'phone_code', 'passkey']) }, strict)

export const tenantParams = t.Object({ tenant: t.String({ maxLength: 63 }) })
export const sessionParams = t.Object({ tenant: t.String({ maxLength: 63 }), id: t.String({ maxLength: 64 }) })
export const userParams = t.Object({ id: t.String({ maxLength: 64 }) })
