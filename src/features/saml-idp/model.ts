import { t } from 'elysia'
import { oneOf } from '../../platform/http/schema'
import type { ServiceProviderRow } from './repo'

/** SAML service providers as the Backend API shows them (API.md §16 "SAML IdP"). */
const strict = { additionalProperties: false } as const

/** The SAML URNs of the three NameID formats (emailAddress is the default). */
export const NAME_ID_FORMAT_URNS = [
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
] as const
export type NameIdFormat = (typeof NAME_ID_FORMAT_URNS)[number]
export const DEFAULT_NAME_ID_FORMAT: NameIdFormat = NAME_ID_FORMAT_URNS[0]

/** At most this many attributes per SP; names and templates are bounded too (API.md §12 sizes). */
export const MAX_ATTRIBUTES = 50

const certificate = t.String({ minLength: 1, maxLength: 16_384 })

const fields = {
  name: t.String({ minLength: 1, maxLength: 256 }),
  entity_id: t.String({ minLength: 1, maxLength: 1024 }),
  acs_url: t.String({ minLength: 1, maxLength: 2048 }),
  name_id_format: oneOf(NAME_ID_FORMAT_URNS),
  attribute_mapping: t.Record(t.String({ minLength: 1, maxLength: 256 }), t.String({ maxLength: 1024 }), {
    maxProperties: MAX_ATTRIBUTES,
  }),
  sp_certificate: t.Union([certificate, t.Null()]),
  want_authn_requests_signed: t.Boolean(),
  organization_id: t.Union([t.String({ minLength: 1, maxLength: 64 }), t.Null()]),
  enabled: t.Boolean(),
}

export const createBody = t.Object(
  {
    name: fields.name,
    entity_id: fields.entity_id,
    acs_url: fields.acs_url,
    name_id_format: t.Optional(fields.name_id_format),
    attribute_mapping: t.Optional(fields.attribute_mapping),
    sp_certificate: t.Optional(fields.sp_certificate),
    want_authn_requests_signed: t.Optional(fields.want_authn_requests_signed),
    organization_id: t.Optional(fields.organization_id),
    enabled: t.Optional(fields.enabled),
  },
  strict,
)

/** The create fields (API.md §13); `attribute_mapping` replaces, `null` clears the certificate or organization. */
export const updateBody = t.Object(
  {
    name: t.Optional(fields.name),
    entity_id: t.Optional(fields.entity_id),
    acs_url: t.Optional(fields.acs_url),
    name_id_format: t.Optional(fields.name_id_format),
    attribute_mapping: t.Optional(fields.attribute_mapping),
    sp_certificate: t.Optional(fields.sp_certificate),
    want_authn_requests_signed: t.Optional(fields.want_authn_requests_signed),
    organization_id: t.Optional(fields.organization_id),
    enabled: t.Optional(fields.enabled),
  },
  strict,
)

export type CreateBody = typeof createBody.static
export type UpdateBody = typeof updateBody.static

export const idParams = t.Object({ id: t.String({ maxLength: 64 }) })

export interface PublicServiceProvider {
  object: 'saml_service_provider'
  id: string
  name: string
  entity_id: string
  acs_url: string
  name_id_format: string
  attribute_mapping: Record<string, string>
  sp_certificate: string | null
  want_authn_requests_signed: boolean
  organization_id: string | null
  enabled: boolean
  created_at: number
  updated_at: number
}

export const toPublic = (row: ServiceProviderRow): PublicServiceProvider => ({
  object: 'saml_service_provider',
  id: row.id,
  name: row.name,
  entity_id: row.entityId,
  acs_url: row.acsUrl,
  name_id_format: row.nameIdFormat,
  attribute_mapping: row.attributeMapping,
  sp_certificate: row.spCertificate,
  want_authn_requests_signed: row.wantAuthnRequestsSigned,
  organization_id: row.organizationId,
  enabled: row.enabled,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})
