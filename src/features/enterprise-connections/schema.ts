import { boolean, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { organizations } from '../organizations/schema'
import { tenants } from '../tenants/schema'

export type Protocol = 'oidc' | 'saml'

/**
 * Where a profile's fields come from (API.md §16): OIDC claim names, or SAML attribute names
 * with `user_id` "NameID" meaning the assertion's Subject NameID.
 */
export interface AttributeMapping {
  user_id: string
  email_address: string
  first_name: string
  last_name: string
  groups: string
}

/** An IdP group that grants an organization role (by key). */
export interface RoleMapping {
  group: string
  role: string
}

/**
 * Enterprise SSO connections (`conn_`, API.md §16): one OIDC or SAML IdP serving an organization
 * and its email domains. Lower-cased domains; a domain belongs to at most one *active* connection of
 * the tenant, which the service checks under a per-tenant lock (an array column has no unique
 * index). The OIDC client secret is sealed under the row's id.
 */
export const enterpriseConnections = pgTable(
  'enterprise_connections',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    protocol: text().$type<Protocol>().notNull(),
    organizationId: text()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    domains: text().array().notNull(),
    active: boolean().notNull(),
    oidcDiscoveryUrl: text(),
    oidcClientId: text(),
    oidcClientSecretSealed: text(),
    oidcScopes: text().array(),
    idpMetadataUrl: text(),
    idpEntityId: text(),
    idpSsoUrl: text(),
    /** PEM signing certificates (several during a rollover). */
    idpCertificates: text().array(),
    attributeMapping: jsonb().$type<AttributeMapping>().notNull(),
    roleMapping: jsonb().$type<RoleMapping[]>().notNull(),
    defaultRole: text(),
    allowIdpInitiated: boolean().notNull(),
    jitProvisioning: boolean().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('enterprise_connections_tenant_id_created_at_idx').on(t.tenantId, t.createdAt, t.id),
    index('enterprise_connections_domains_idx').using('gin', t.domains),
  ],
)

/**
 * SAML assertion ids already accepted (API.md §16 "an unseen assertion id"): the replay cache every
 * node shares. A row is kept until the assertion could no longer be accepted anyway, then swept.
 */
export const samlAssertionIds = pgTable(
  'saml_assertion_ids',
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    connectionId: text()
      .notNull()
      .references(() => enterpriseConnections.id, { onDelete: 'cascade' }),
    assertionId: text().notNull(),
    expiresAt: ms().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.assertionId] }),
    index('saml_assertion_ids_expires_at_idx').on(t.expiresAt),
  ],
)
