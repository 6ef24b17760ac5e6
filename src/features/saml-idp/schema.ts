import { boolean, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, updatedAt } from '../../platform/db/columns'
import { organizations } from '../organizations/schema'
import { tenants } from '../tenants/schema'

/**
 * SAML service providers that Tessera signs users in to (`samlsp_`, API.md §16 "SAML IdP"). `entity_id` is
 * the SP's Issuer and unique per tenant; responses go only to `acs_url`. With `organization_id`, only active
 * members of that organization get a response; deleting the organization deletes the SP (never opens it up).
 */
export const samlServiceProviders = pgTable(
  'saml_service_providers',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    entityId: text().notNull(),
    acsUrl: text().notNull(),
    nameIdFormat: text().notNull(),
    /** `{ <attribute name>: <§14 shortcode template> }`. */
    attributeMapping: jsonb().$type<Record<string, string>>().notNull(),
    spCertificate: text(),
    wantAuthnRequestsSigned: boolean().notNull(),
    organizationId: text().references(() => organizations.id, { onDelete: 'cascade' }),
    enabled: boolean().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('saml_service_providers_tenant_id_entity_id_uq').on(t.tenantId, t.entityId),
    index('saml_service_providers_tenant_id_created_at_idx').on(t.tenantId, t.createdAt, t.id),
  ],
)

/**
 * The tenant's IdP signing keys (RSA-2048) and their self-signed certificates, one per token-signing key
 * (API.md §18 settled points): it signs while that key signs and is in the metadata while that key is in the
 * JWKS, so a rotation of the tenant's keys rotates it too. Made on first use: concurrent first uses insert
 * with ON CONFLICT DO NOTHING and all read the winner.
 */
export const samlIdpKeys = pgTable(
  'saml_idp_keys',
  {
    /** The token-signing key (signing_keys.id, its JWKS kid) this one accompanies. */
    signingKeyId: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    /** PKCS#8 PEM sealed with the secret box under `saml_idp_key:<tenant id>`. */
    privateKeySealed: text().notNull(),
    certificatePem: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('saml_idp_keys_tenant_id_idx').on(t.tenantId)],
)
