import { t } from 'elysia'
import { oneOf } from '../../platform/http/schema'
import { tenantIssuer, type TenantAddress } from '../tenants/model'
import type { ConnectionRow } from './repo'
import type { AttributeMapping, Protocol, RoleMapping } from './schema'

/** Enterprise connections as the Backend API shows them (API.md §16). */
const strict = { additionalProperties: false } as const

export const PROTOCOLS = ['oidc', 'saml'] as const satisfies readonly Protocol[]
/** In a SAML connection's `attribute_mapping.user_id`: the Subject's NameID rather than an attribute. */
export const NAME_ID = 'NameID'

/** RFC 6749 §3.3 scope-token. */
const SCOPE_PATTERN = '^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,256}$'
const url = t.String({ minLength: 1, maxLength: 2048 })
const claim = t.String({ minLength: 1, maxLength: 256 })

export const attributeMapping = t.Object(
  {
    user_id: t.Optional(claim),
    email_address: t.Optional(claim),
    first_name: t.Optional(claim),
    last_name: t.Optional(claim),
    groups: t.Optional(claim),
  },
  strict,
)

const roleMapping = t.Array(
  t.Object(
    { group: t.String({ minLength: 1, maxLength: 256 }), role: t.String({ minLength: 1, maxLength: 64 }) },
    strict,
  ),
  { maxItems: 100 },
)

const fields = {
  name: t.String({ minLength: 1, maxLength: 256 }),
  organization_id: t.String({ minLength: 1, maxLength: 64 }),
  domains: t.Array(t.String({ minLength: 1, maxLength: 253 }), { minItems: 1, maxItems: 100 }),
  active: t.Boolean(),
  oidc_discovery_url: url,
  oidc_client_id: t.String({ minLength: 1, maxLength: 1024 }),
  oidc_client_secret: t.String({ minLength: 1, maxLength: 4096 }),
  oidc_scopes: t.Array(t.String({ pattern: SCOPE_PATTERN }), { maxItems: 50 }),
  idp_metadata_url: url,
  // The SAML modules refuse XML over 512 KiB before parsing; the schema refuses it earlier.
  idp_metadata: t.String({ minLength: 1, maxLength: 512 * 1024 }),
  idp_entity_id: t.String({ minLength: 1, maxLength: 1024 }),
  idp_sso_url: url,
  idp_certificate: t.String({ minLength: 1, maxLength: 16_384 }),
  attribute_mapping: attributeMapping,
  role_mapping: roleMapping,
  default_role: t.Union([t.String({ minLength: 1, maxLength: 64 }), t.Null()]),
  allow_idp_initiated: t.Boolean(),
  jit_provisioning: t.Boolean(),
}

const optionalFields = {
  active: t.Optional(fields.active),
  oidc_discovery_url: t.Optional(fields.oidc_discovery_url),
  oidc_client_id: t.Optional(fields.oidc_client_id),
  oidc_client_secret: t.Optional(fields.oidc_client_secret),
  oidc_scopes: t.Optional(fields.oidc_scopes),
  idp_metadata_url: t.Optional(fields.idp_metadata_url),
  idp_metadata: t.Optional(fields.idp_metadata),
  idp_entity_id: t.Optional(fields.idp_entity_id),
  idp_sso_url: t.Optional(fields.idp_sso_url),
  idp_certificate: t.Optional(fields.idp_certificate),
  attribute_mapping: t.Optional(fields.attribute_mapping),
  role_mapping: t.Optional(fields.role_mapping),
  default_role: t.Optional(fields.default_role),
  allow_idp_initiated: t.Optional(fields.allow_idp_initiated),
  jit_provisioning: t.Optional(fields.jit_provisioning),
}

export const createBody = t.Object(
  {
    protocol: oneOf(PROTOCOLS),
    name: fields.name,
    organization_id: fields.organization_id,
    domains: fields.domains,
    ...optionalFields,
  },
  strict,
)

/** The create fields (API.md §13); `protocol` may be repeated but not changed. */
export const updateBody = t.Object(
  {
    protocol: t.Optional(oneOf(PROTOCOLS)),
    name: t.Optional(fields.name),
    organization_id: t.Optional(fields.organization_id),
    domains: t.Optional(fields.domains),
    ...optionalFields,
  },
  strict,
)

export type CreateBody = typeof createBody.static
export type UpdateBody = typeof updateBody.static

export const idParams = t.Object({ id: t.String({ maxLength: 64 }) })
export const metadataParams = t.Object({ tenant: t.String({ maxLength: 63 }), id: t.String({ maxLength: 64 }) })

export interface PublicEnterpriseConnection {
  object: 'enterprise_connection'
  id: string
  name: string
  protocol: Protocol
  organization_id: string
  domains: string[]
  active: boolean
  oidc_discovery_url: string | null
  oidc_client_id: string | null
  oidc_scopes: string[] | null
  redirect_uri: string
  idp_metadata_url: string | null
  idp_entity_id: string | null
  idp_sso_url: string | null
  idp_certificate: string | null
  sp_entity_id: string
  acs_url: string
  sp_metadata_url: string
  attribute_mapping: AttributeMapping
  role_mapping: RoleMapping[]
  default_role: string | null
  allow_idp_initiated: boolean
  jit_provisioning: boolean
  created_at: number
  updated_at: number
}

export interface ConnectionCheck {
  name: string
  ok: boolean
  detail: string
}

export interface ConnectionTest {
  object: 'connection_test'
  ok: boolean
  checks: ConnectionCheck[]
}

/** The server-set URLs of a connection (API.md §16), under the tenant's issuer. */
export function urlsOf(publicUrl: string, tenant: TenantAddress, id: string) {
  const issuer = tenantIssuer(publicUrl, tenant)
  const spEntityId = `${issuer}/saml/${id}/metadata`
  return {
    spEntityId,
    spMetadataUrl: spEntityId,
    acsUrl: `${issuer}/saml/${id}/acs`,
    redirectUri: `${issuer}/v1/oauth-callback/${id}`,
  }
}

/**
 * Everything but the write-only fields (the OIDC client secret, the metadata XML). The server-set URLs
 * are shown for either protocol, as API.md §16 lists them (only the SAML ones answer for a SAML
 * connection, the callback only for an OIDC one).
 */
export function toPublic(row: ConnectionRow, publicUrl: string, tenant: TenantAddress): PublicEnterpriseConnection {
  const urls = urlsOf(publicUrl, tenant, row.id)
  return {
    object: 'enterprise_connection',
    id: row.id,
    name: row.name,
    protocol: row.protocol,
    organization_id: row.organizationId,
    domains: row.domains,
    active: row.active,
    oidc_discovery_url: row.oidcDiscoveryUrl,
    oidc_client_id: row.oidcClientId,
    oidc_scopes: row.oidcScopes,
    redirect_uri: urls.redirectUri,
    idp_metadata_url: row.idpMetadataUrl,
    idp_entity_id: row.idpEntityId,
    idp_sso_url: row.idpSsoUrl,
    idp_certificate: row.idpCertificates?.[0] ?? null,
    sp_entity_id: urls.spEntityId,
    acs_url: urls.acsUrl,
    sp_metadata_url: urls.spMetadataUrl,
    attribute_mapping: row.attributeMapping,
    role_mapping: row.roleMapping,
    default_role: row.defaultRole,
    allow_idp_initiated: row.allowIdpInitiated,
    jit_provisioning: row.jitProvisioning,
    created_at: row.createdAt.getTime(),
    updated_at: row.updatedAt.getTime(),
  }
}
