import { pgTable, text } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'

/**
 * A tenant's custom domain (`cdom_`): one per tenant, `pending` until the TXT record
 * `_tessera-challenge.{host}` holds `tessera-verify={token}`; verifying it sets `tenants.custom_host`.
 */
export const customDomains = pgTable('custom_domains', {
  id: text().primaryKey(),
  tenantId: text()
    .notNull()
    .unique('custom_domains_tenant_id_uq')
    .references(() => tenants.id),
  host: text().notNull(),
  verificationToken: text().notNull(),
  verifiedAt: ms(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
})
