import { urlsOf } from './model'
import type { TenantAddress } from '../tenants/model'
import type { ConnectionRow } from './repo'
import type { AttributeMapping, Protocol, RoleMapping } from './schema'

/**
 * A connection as the sign-in flow uses it: the row without timestamps, with its server-set URLs.
 * The OIDC client secret stays sealed; `oidcConfigurationOf` opens it for one use.
 */
export interface EnterpriseConnectionConfig {
  id: string
  tenantId: string
  name: string
  protocol: Protocol
  organizationId: string
  domains: string[]
  active: boolean
  /** Defaults applied: `user_id` is `sub` (OIDC) or "NameID" (SAML: the Subject's NameID). */
  attributeMapping: AttributeMapping
  roleMapping: RoleMapping[]
  defaultRole: string | null
  allowIdpInitiated: boolean
  jitProvisioning: boolean
  oidc: {
    discoveryUrl: string
    clientId: string
    clientSecretSealed: string
    /** Always holds `openid`. */
    scopes: string[]
    /** `{issuer}/v1/oauth-callback/{id}`. */
    redirectUri: string
  } | null
  saml: {
    metadataUrl: string | null
    idpEntityId: string
    idpSsoUrl: string
    idpCertificates: string[]
    /** `{issuer}/saml/{id}/metadata`. */
    spEntityId: string
    /** `{issuer}/saml/{id}/acs`. */
    acsUrl: string
  } | null
}

export function toConfig(row: ConnectionRow, publicUrl: string, tenant: TenantAddress): EnterpriseConnectionConfig {
  const urls = urlsOf(publicUrl, tenant, row.id)
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    protocol: row.protocol,
    organizationId: row.organizationId,
    domains: row.domains,
    active: row.active,
    attributeMapping: row.attributeMapping,
    roleMapping: row.roleMapping,
    defaultRole: row.defaultRole,
    allowIdpInitiated: row.allowIdpInitiated,
    jitProvisioning: row.jitProvisioning,
    oidc:
      row.protocol === 'oidc'
        ? {
            discoveryUrl: row.oidcDiscoveryUrl!,
            clientId: row.oidcClientId!,
            clientSecretSealed: row.oidcClientSecretSealed!,
            scopes: row.oidcScopes ?? ['openid'],
            redirectUri: urls.redirectUri,
          }
        : null,
    saml:
      row.protocol === 'saml'
        ? {
            metadataUrl: row.idpMetadataUrl,
            idpEntityId: row.idpEntityId!,
            idpSsoUrl: row.idpSsoUrl!,
            idpCertificates: row.idpCertificates ?? [],
            spEntityId: urls.spEntityId,
            acsUrl: urls.acsUrl,
          }
        : null,
  }
}

/** Binds the sealed client secret to its row: moved to another connection or tenant, it no longer opens. */
export const secretContext = (tenantId: string, id: string) =>
  `enterprise_connection.oidc_client_secret:${tenantId}:${id}`
