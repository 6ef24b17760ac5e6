import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { organizations } from '../organizations/schema'
import { tenants } from '../tenants/schema'
import { users } from '../users/schema'

/**
 * Products that license keys are issued for (`prod_`, API.md §18). `key_prefix` starts every key of the
 * product and is unique per tenant, so a key names its product at a glance.
 */
export const products = pgTable(
  'products',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    keyPrefix: text().notNull(),
    /** null: unlimited. */
    defaultMaxActivations: integer(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('products_tenant_id_key_prefix_uq').on(t.tenantId, t.keyPrefix),
    index('products_tenant_id_created_at_idx').on(t.tenantId, t.createdAt, t.id),
  ],
)

/**
 * License keys (`lic_`): only the SHA-256 of the canonical key is stored (the key is shown once). Bound to a
 * user or an organization (deleting the organization deletes its keys). Status is derived: `revoked_at`, else
 * `expires_at` past, else active. `activations_count` counts active activations, kept in the transaction that
 * changes them under the key row's lock, so concurrent activations never pass `max_activations`.
 */
export const licenseKeys = pgTable(
  'license_keys',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    productId: text()
      .notNull()
      .references(() => products.id),
    userId: text().references(() => users.id),
    organizationId: text().references(() => organizations.id, { onDelete: 'cascade' }),
    keyHash: text().notNull(),
    keyHint: text().notNull(),
    expiresAt: ms(),
    revokedAt: ms(),
    /** null: unlimited. */
    maxActivations: integer(),
    activationsCount: integer().notNull(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull(),
    lastValidatedAt: ms(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('license_keys_tenant_id_key_hash_uq').on(t.tenantId, t.keyHash),
    index('license_keys_tenant_id_created_at_idx').on(t.tenantId, t.createdAt, t.id),
    index('license_keys_tenant_id_product_id_idx').on(t.tenantId, t.productId),
    index('license_keys_tenant_id_user_id_idx').on(t.tenantId, t.userId),
    index('license_keys_tenant_id_organization_id_idx').on(t.tenantId, t.organizationId),
  ],
)

/**
 * A device's activation of a license key (`act_`): one row per (key, device fingerprint), deactivated rather
 * than deleted (a device that comes back is the same activation).
 */
export const licenseActivations = pgTable(
  'license_activations',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    licenseKeyId: text()
      .notNull()
      .references(() => licenseKeys.id, { onDelete: 'cascade' }),
    deviceFingerprint: text().notNull(),
    deviceName: text(),
    deactivatedAt: ms(),
    lastSeenAt: ms().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('license_activations_license_key_id_device_fingerprint_uq').on(t.licenseKeyId, t.deviceFingerprint),
    index('license_activations_tenant_id_license_key_id_idx').on(t.tenantId, t.licenseKeyId, t.createdAt, t.id),
  ],
)
