import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, updatedAt } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'

/** A tenant's own email or SMS template for a slug and locale; absent → the built-in default. */
export const messageTemplates = pgTable(
  'message_templates',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    channel: text().$type<'email' | 'sms'>().notNull(),
    slug: text().notNull(),
    /** '' is the tenant's template for every locale without its own. */
    locale: text().notNull(),
    subject: text(),
    text: text().notNull(),
    html: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('message_templates_tenant_id_channel_slug_locale_uq').on(t.tenantId, t.channel, t.slug, t.locale),
  ],
)
