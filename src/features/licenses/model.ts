import { t } from 'elysia'
import type { ActivationRow, LicenseKeyRow, ProductRow } from './repo'

/** Products, license keys and activations as the Backend API and the public license routes show them (API.md §18). */
const strict = { additionalProperties: false } as const

/** The latest instant a Date holds (ECMA-262): a later `expires_at` would not be a date at all. */
const MAX_DATE_MS = 8_640_000_000_000_000
const maxActivations = t.Union([t.Integer({ minimum: 0, maximum: 1_000_000 }), t.Null()])
const id = t.String({ minLength: 1, maxLength: 64 })
/** Metadata is an object of at most 8 KiB serialised (checked by the service). */
const metadata = t.Record(t.String({ maxLength: 256 }), t.Unknown())

export const productCreateBody = t.Object(
  {
    name: t.String({ minLength: 1, maxLength: 256 }),
    key_prefix: t.String({ pattern: '^[A-Z0-9]{2,8}$' }),
    default_max_activations: t.Optional(maxActivations),
  },
  strict,
)
export const productUpdateBody = t.Object(
  {
    name: t.Optional(productCreateBody.properties.name),
    key_prefix: t.Optional(productCreateBody.properties.key_prefix),
    default_max_activations: t.Optional(maxActivations),
  },
  strict,
)
export type ProductCreateBody = typeof productCreateBody.static
export type ProductUpdateBody = typeof productUpdateBody.static

export const licenseCreateBody = t.Object(
  {
    product_id: id,
    user_id: t.Optional(t.Union([id, t.Null()])),
    organization_id: t.Optional(t.Union([id, t.Null()])),
    expires_at: t.Optional(t.Union([t.Integer({ minimum: 0, maximum: MAX_DATE_MS }), t.Null()])),
    max_activations: t.Optional(maxActivations),
    metadata: t.Optional(metadata),
  },
  strict,
)
/** The create fields but the product (a key's prefix names it for good). */
export const licenseUpdateBody = t.Object(
  {
    user_id: t.Optional(t.Union([id, t.Null()])),
    organization_id: t.Optional(t.Union([id, t.Null()])),
    expires_at: t.Optional(t.Union([t.Integer({ minimum: 0, maximum: MAX_DATE_MS }), t.Null()])),
    max_activations: t.Optional(maxActivations),
    metadata: t.Optional(metadata),
  },
  strict,
)
export type LicenseCreateBody = typeof licenseCreateBody.static
export type LicenseUpdateBody = typeof licenseUpdateBody.static

export const LICENSE_STATUSES = ['active', 'revoked', 'expired'] as const
export type LicenseStatus = (typeof LICENSE_STATUSES)[number]

export const licenseListQuery = t.Object({
  product_id: t.Optional(id),
  user_id: t.Optional(id),
  organization_id: t.Optional(id),
  status: t.Optional(t.Union(LICENSE_STATUSES.map((s) => t.Literal(s)))),
  cursor: t.Optional(t.String({ maxLength: 512 })),
  limit: t.Optional(t.String({ maxLength: 4 })),
})

const key = t.String({ minLength: 1, maxLength: 128 })
const fingerprint = t.String({ minLength: 1, maxLength: 256 })
export const activateBody = t.Object(
  { key, device_fingerprint: fingerprint, device_name: t.Optional(t.String({ minLength: 1, maxLength: 256 })) },
  strict,
)
export const validateBody = t.Object({ key, device_fingerprint: t.Optional(fingerprint) }, strict)
export const deactivateBody = t.Object({ key, device_fingerprint: fingerprint }, strict)

export interface PublicProduct {
  object: 'product'
  id: string
  name: string
  key_prefix: string
  default_max_activations: number | null
  created_at: number
  updated_at: number
}

export const productToPublic = (row: ProductRow): PublicProduct => ({
  object: 'product',
  id: row.id,
  name: row.name,
  key_prefix: row.keyPrefix,
  default_max_activations: row.defaultMaxActivations,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})

export const statusOf = (row: LicenseKeyRow, now: number): LicenseStatus =>
  row.revokedAt ? 'revoked' : row.expiresAt && row.expiresAt.getTime() <= now ? 'expired' : 'active'

export interface PublicLicenseKey {
  object: 'license_key'
  id: string
  product_id: string
  user_id: string | null
  organization_id: string | null
  key_hint: string
  status: LicenseStatus
  expires_at: number | null
  max_activations: number | null
  activations_count: number
  metadata: Record<string, unknown>
  last_validated_at: number | null
  created_at: number
  updated_at: number
}

export const licenseToPublic = (row: LicenseKeyRow, now: number): PublicLicenseKey => ({
  object: 'license_key',
  id: row.id,
  product_id: row.productId,
  user_id: row.userId,
  organization_id: row.organizationId,
  key_hint: row.keyHint,
  status: statusOf(row, now),
  expires_at: row.expiresAt?.getTime() ?? null,
  max_activations: row.maxActivations,
  activations_count: row.activationsCount,
  metadata: row.metadata,
  last_validated_at: row.lastValidatedAt?.getTime() ?? null,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})

export interface PublicActivation {
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

export const activationToPublic = (row: ActivationRow): PublicActivation => ({
  object: 'license_activation',
  id: row.id,
  license_key_id: row.licenseKeyId,
  device_fingerprint: row.deviceFingerprint,
  device_name: row.deviceName,
  status: row.deactivatedAt ? 'deactivated' : 'active',
  last_seen_at: row.lastSeenAt.getTime(),
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})

/** `license_validation` (API.md §18): `license` is null when no key was found (or it was malformed). */
export type ValidationCode = 'valid' | 'not_found' | 'malformed' | 'revoked' | 'expired' | 'not_activated'
export interface LicenseValidation {
  object: 'license_validation'
  valid: boolean
  code: ValidationCode
  license: {
    id: string
    product_id: string
    status: LicenseStatus
    expires_at: number | null
    max_activations: number | null
    activations_count: number
  } | null
}

export const validationOf = (code: ValidationCode, row: LicenseKeyRow | null, now: number): LicenseValidation => ({
  object: 'license_validation',
  valid: code === 'valid',
  code,
  license: row && {
    id: row.id,
    product_id: row.productId,
    status: statusOf(row, now),
    expires_at: row.expiresAt?.getTime() ?? null,
    max_activations: row.maxActivations,
    activations_count: row.activationsCount,
  },
})

export const idParams = t.Object({ id })
export const activationParams = t.Object({ id, act: id })
