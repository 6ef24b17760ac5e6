import { index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'
import { createdAt, updatedAt } from '../../platform/db/columns'

/** What the delivery worker would have sent while no SMTP / SMS provider is configured. */
export const devMessages = pgTable(
  'dev_messages',
  {
    id: text().primaryKey(),
    tenantId: text().notNull(),
    channel: text().$type<'email' | 'sms'>().notNull(),
    to: text().notNull(),
    subject: text(),
    text: text().notNull(),
    html: text(),
    /** The outbox id of the request: a redelivered message is stored once. */
    sourceId: text().notNull().unique('dev_messages_source_id_uq'),
    createdAt: createdAt(),
  },
  (t) => [index('dev_messages_tenant_id_created_at_idx').on(t.tenantId, t.createdAt)],
)

/**
 * The fate of each delivery request (keyed by its outbox id): queued, sent, or failed for good
 * with the last reason. Addresses are stored masked; codes and links never are.
 */
export const deliveries = pgTable(
  'deliveries',
  {
    id: text().primaryKey(),
    tenantId: text().notNull(),
    channel: text().$type<'email' | 'sms'>().notNull(),
    toMasked: text().notNull(),
    template: text().notNull(),
    status: text().$type<'pending' | 'sent' | 'failed'>().notNull(),
    attempts: integer().notNull().default(0),
    lastError: text(),
    /** Whose provider carried it: the tenant's own, the installation's, or the dev mailbox. */
    via: text().$type<'tenant' | 'installation' | 'dev_mailbox'>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('deliveries_tenant_id_created_at_idx').on(t.tenantId, t.createdAt)],
)

/**
 * A tenant's own email or SMS provider (API.md §18 "per-tenant delivery"): its settings sealed (they hold the
 * SMTP password or the provider URL's credentials), and what may be shown of them. None: the installation's.
 */
export const deliveryProviders = pgTable(
  'delivery_providers',
  {
    tenantId: text().notNull(),
    channel: text().$type<'email' | 'sms'>().notNull(),
    settingsSealed: text().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.channel] })],
)
