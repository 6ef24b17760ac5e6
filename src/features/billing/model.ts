import { t } from 'elysia'
import type { PlanRow, SubscriptionRow } from './repo'
import type { SubscriptionStatus } from './schema'

/** Plans, subscriptions and the billing configuration as the Backend API shows them (API.md §18). */
const strict = { additionalProperties: false } as const

export const STATUSES = [
  'trialing',
  'active',
  'past_due',
  'canceled',
  'incomplete',
] as const satisfies readonly SubscriptionStatus[]
/** The statuses whose plan tokens carry (`plan`, `plan_status`). */
export const ENTITLED: readonly SubscriptionStatus[] = ['trialing', 'active', 'past_due']

const features = t.Array(t.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 })
const priceIds = t.Array(t.String({ minLength: 1, maxLength: 255 }), { maxItems: 20 })

export const planCreateBody = t.Object(
  {
    key: t.String({ pattern: '^[a-z0-9_-]{1,64}$' }),
    name: t.String({ minLength: 1, maxLength: 256 }),
    features: t.Optional(features),
    stripe_price_ids: t.Optional(priceIds),
  },
  strict,
)
export const planUpdateBody = t.Object(
  {
    key: t.Optional(planCreateBody.properties.key),
    name: t.Optional(planCreateBody.properties.name),
    features: t.Optional(features),
    stripe_price_ids: t.Optional(priceIds),
  },
  strict,
)
export type PlanCreateBody = typeof planCreateBody.static
export type PlanUpdateBody = typeof planUpdateBody.static

export const subscriptionBody = t.Object(
  {
    plan_id: t.String({ minLength: 1, maxLength: 64 }),
    status: t.Optional(t.Union(STATUSES.map((s) => t.Literal(s)))),
    current_period_end: t.Optional(t.Union([t.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 }), t.Null()])),
  },
  strict,
)
export type SubscriptionBody = typeof subscriptionBody.static

export const stripeConfigBody = t.Object({ webhook_secret: t.String({ minLength: 1, maxLength: 512 }) }, strict)

export interface PublicPlan {
  object: 'plan'
  id: string
  key: string
  name: string
  features: string[]
  stripe_price_ids: string[]
  created_at: number
  updated_at: number
}

export const planToPublic = (row: PlanRow): PublicPlan => ({
  object: 'plan',
  id: row.id,
  key: row.key,
  name: row.name,
  features: row.features,
  stripe_price_ids: row.stripePriceIds,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})

export interface PublicSubscription {
  object: 'subscription'
  id: string
  organization_id: string
  plan_id: string
  plan_key: string
  status: SubscriptionStatus
  provider: 'manual' | 'stripe'
  provider_subscription_id: string | null
  current_period_end: number | null
  cancel_at_period_end: boolean
  created_at: number
  updated_at: number
}

export const subscriptionToPublic = (row: SubscriptionRow, planKey: string): PublicSubscription => ({
  object: 'subscription',
  id: row.id,
  organization_id: row.organizationId,
  plan_id: row.planId,
  plan_key: planKey,
  status: row.status,
  provider: row.provider,
  provider_subscription_id: row.providerSubscriptionId,
  current_period_end: row.currentPeriodEnd?.getTime() ?? null,
  cancel_at_period_end: row.cancelAtPeriodEnd,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})

export const idParams = t.Object({ id: t.String({ maxLength: 64 }) })
