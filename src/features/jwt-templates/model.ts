import { t } from 'elysia'
import { integer, oneOf } from '../../platform/http/schema'
import type { JwtTemplateRow } from './repo'

/** JWT templates and minted tokens as the APIs show them (API.md §14). */
const strict = { additionalProperties: false } as const

/** The tenant's algorithms (asymmetric) and, with a custom shared secret only, HMAC. */
export const TEMPLATE_ALGORITHMS = ['RS256', 'ES256', 'EdDSA', 'HS256', 'HS384', 'HS512'] as const
export type TemplateAlgorithm = (typeof TEMPLATE_ALGORITHMS)[number]

const name = t.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })
// Any JSON object; size, depth and reserved names are checked in the service.
const claims = t.Record(t.String(), t.Unknown())
const lifetime = integer(30, 86_400)
const skew = integer(0, 300)
const algorithm = oneOf(TEMPLATE_ALGORITHMS)
// A 4096-bit RSA PKCS#8 PEM is about 3.3 KB; null (on PATCH) goes back to the tenant's key.
const signingKey = t.Union([t.String({ minLength: 1, maxLength: 16_384 }), t.Null()])

export const createBody = t.Object(
  {
    name,
    claims,
    lifetime_s: t.Optional(lifetime),
    allowed_clock_skew_s: t.Optional(skew),
    signing_algorithm: t.Optional(algorithm),
    signing_key: t.Optional(signingKey),
  },
  strict,
)

export const updateBody = t.Object(
  {
    name: t.Optional(name),
    claims: t.Optional(claims),
    lifetime_s: t.Optional(lifetime),
    allowed_clock_skew_s: t.Optional(skew),
    signing_algorithm: t.Optional(algorithm),
    signing_key: t.Optional(signingKey),
  },
  strict,
)

export const idParams = t.Object({ id: t.String({ maxLength: 64 }) })
export const userMintParams = t.Object({ id: t.String({ maxLength: 64 }), name: t.String({ maxLength: 256 }) })
export const clientMintParams = t.Object({
  tenant: t.String({ maxLength: 63 }),
  id: t.String({ maxLength: 64 }),
  name: t.String({ maxLength: 256 }),
})

const organizationId = t.String({ maxLength: 64 })
export const clientMintBody = t.Optional(t.Object({ organization_id: t.Optional(organizationId) }, strict))
export const userMintBody = t.Optional(
  t.Object(
    { session_id: t.Optional(t.String({ maxLength: 64 })), organization_id: t.Optional(organizationId) },
    strict,
  ),
)

export interface PublicJwtTemplate {
  object: 'jwt_template'
  id: string
  name: string
  claims: Record<string, unknown>
  lifetime_s: number
  allowed_clock_skew_s: number
  signing_algorithm: string
  custom_signing_key: boolean
  created_at: number
  updated_at: number
}

export interface MintedToken {
  object: 'token'
  jwt: string
}

/**
 * Never the key: `custom_signing_key` says only whether one is set. Without one the template
 * signs as the tenant does, so it shows the tenant's algorithm.
 */
export const toPublic = (row: JwtTemplateRow, tenantAlgorithm: string): PublicJwtTemplate => ({
  object: 'jwt_template',
  id: row.id,
  name: row.name,
  claims: row.claims,
  lifetime_s: row.lifetimeS,
  allowed_clock_skew_s: row.allowedClockSkewS,
  signing_algorithm: row.signingAlgorithm ?? tenantAlgorithm,
  custom_signing_key: row.signingKeySealed !== null,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})
