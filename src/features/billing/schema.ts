import { boolean, index, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { organizations } from '../organizations/schema'
import { tenants } from '../tenants/schema'

/** Plans (`plan_`, API.md §18): `key` is unique per tenant and is what tokens carry as `plan`. */
export const plans = pgTable(
  'plans',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    key: text().notNull(),
    name: text().notNull(),
    features: jsonb().$type<string[]>().notNull(),
    /** The Stripe prices a Stripe subscription maps to this plan by. */
    stripePriceIds: jsonb().$type<string[]>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('plans_tenant_id_key_uq').on(t.tenantId, t.key),
    index('plans_tenant_id_created_at_idx').on(t.tenantId, t.createdAt, t.id),
  ],
)

/**
 * An organization's subscription (`sub_`): at most one, set by hand through the Backend API or by Stripe's
 * webhooks. `provider_event_at` is the `created` time of the last Stripe event applied: an older event
 * arriving late changes nothing.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    organizationId: text()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    planId: text()
      .notNull()
      .references(() => plans.id),
    status: text().$type<SubscriptionStatus>().notNull(),
    provider: text().$type<'manual' | 'stripe'>().notNull(),
    providerSubscriptionId: text(),
    currentPeriodEnd: ms(),
    cancelAtPeriodEnd: boolean().notNull(),
    providerEventAt: ms(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('subscriptions_organization_id_uq').on(t.organizationId),
    index('subscriptions_tenant_id_plan_id_idx').on(t.tenantId, t.planId),
  ],
)

export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'canceled' | 'incomplete'

/** A tenant's billing provider settings: the Stripe webhook secret, sealed. */
export const billingConfigs = pgTable('billing_configs', {
  tenantId: text()
    .primaryKey()
    .references(() => tenants.id),
  stripeWebhookSecretSealed: text().notNull(),
  updatedAt: updatedAt(),
})

/** Stripe event ids already applied (a redelivered event is acknowledged and ignored). */
export const stripeEvents = pgTable(
  'stripe_events',
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    eventId: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.eventId] })],
)
