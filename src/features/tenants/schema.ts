import { sql } from 'drizzle-orm'
import { index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import type { TenantSettings } from './settings'

export const tenants = pgTable(
  'tenants',
  {
    id: text().primaryKey(),
    slug: text().notNull(),
    name: text().notNull(),
    settings: jsonb().$type<TenantSettings>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: ms(),
    /**
     * The tenant's verified custom domain (API.md §1): requests with this Host serve its routes without
     * `/t/{slug}`, and its issuer is `https://{custom_host}`. One tenant per host.
     */
    customHost: text(),
    /**
     * `platform`: the one built-in tenant whose users are the installation's operators (console sign-in, roles
     * `super_admin`, `admin`, `viewer`); made with the first operator. Every other tenant is `customer`.
     */
    kind: text().$type<'customer' | 'platform'>().notNull().default('customer'),
  },
  (t) => [
    uniqueIndex('tenants_slug_uq').on(t.slug),
    index('tenants_created_at_id_idx').on(t.createdAt, t.id),
    uniqueIndex('tenants_custom_host_uq').on(t.customHost),
    uniqueIndex('tenants_platform_uq').on(t.kind).where(sql`${t.kind} = 'platform'`),
  ],
)

/** Tenant secret keys (`sk_...`): looked up by the non-secret `lookup`, verified by hash. */
export const secretKeys = pgTable(
  'secret_keys',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    lookup: text().notNull(),
    secretHash: text().notNull(),
    createdAt: createdAt(),
    revokedAt: ms(),
  },
  (t) => [uniqueIndex('secret_keys_lookup_uq').on(t.lookup), index('secret_keys_tenant_id_idx').on(t.tenantId)],
)
