import { and, desc, eq } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { olderThan } from '../../platform/db/page'
import type { CursorPosition } from '../../platform/http/pagination'
import { billingConfigs, plans, stripeEvents, subscriptions } from './schema'

export type PlanRow = typeof plans.$inferSelect
export type SubscriptionRow = typeof subscriptions.$inferSelect
export type PlanPatch = Partial<Omit<PlanRow, 'id' | 'tenantId' | 'createdAt'>> & { updatedAt: Date }

/** The constraint behind "a plan key is unique per tenant" (409 duplicate_record). */
export const PLAN_KEY_CONSTRAINT = 'plans_tenant_id_key_uq'

const ofPlan = (tenantId: string, id: string) => and(eq(plans.tenantId, tenantId), eq(plans.id, id))
const ofOrg = (tenantId: string, organizationId: string) =>
  and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.organizationId, organizationId))

export async function insertPlan(db: Db, row: PlanRow): Promise<PlanRow> {
  const [created] = await db.insert(plans).values(row).returning()
  return created!
}

export async function findPlan(db: Db, tenantId: string, id: string, forUpdate = false) {
  const query = db.select().from(plans).where(ofPlan(tenantId, id)).limit(1)
  const [row] = forUpdate ? await query.for('update') : await query
  return row ?? null
}

export function listPlans(db: Db, tenantId: string, limit: number, after: CursorPosition | null) {
  return db
    .select()
    .from(plans)
    .where(and(eq(plans.tenantId, tenantId), olderThan(plans.createdAt, plans.id, after)))
    .orderBy(desc(plans.createdAt), desc(plans.id))
    .limit(limit)
}

/** The tenant's plans that list any of these Stripe prices. */
export async function plansByPrice(db: Db, tenantId: string, priceIds: string[]): Promise<PlanRow[]> {
  const all = await db.select().from(plans).where(eq(plans.tenantId, tenantId))
  return all.filter((p) => p.stripePriceIds.some((id) => priceIds.includes(id)))
}

export async function updatePlan(db: Db, tenantId: string, id: string, patch: PlanPatch) {
  const [row] = await db.update(plans).set(patch).where(ofPlan(tenantId, id)).returning()
  return row ?? null
}

export async function deletePlan(db: Db, tenantId: string, id: string): Promise<void> {
  await db.delete(plans).where(ofPlan(tenantId, id))
}

/** The organizations subscribed to a plan (their members' claims carry its key). */
export async function subscribersOf(db: Db, tenantId: string, planId: string): Promise<string[]> {
  const found = await db
    .select({ organizationId: subscriptions.organizationId })
    .from(subscriptions)
    .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.planId, planId)))
  return found.map((r) => r.organizationId)
}

export async function findSubscription(db: Db, tenantId: string, organizationId: string, forUpdate = false) {
  const query = db.select().from(subscriptions).where(ofOrg(tenantId, organizationId)).limit(1)
  const [row] = forUpdate ? await query.for('update') : await query
  return row ?? null
}

/** The subscription with its plan's key, for claims. */
export async function subscriptionWithPlan(db: Db, tenantId: string, organizationId: string) {
  const [row] = await db
    .select({ status: subscriptions.status, key: plans.key })
    .from(subscriptions)
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .where(ofOrg(tenantId, organizationId))
    .limit(1)
  return row ?? null
}

export async function upsertSubscription(db: Db, row: SubscriptionRow): Promise<SubscriptionRow> {
  const { id: _id, tenantId: _t, organizationId: _o, createdAt: _c, ...changes } = row
  const [saved] = await db
    .insert(subscriptions)
    .values(row)
    .onConflictDoUpdate({ target: subscriptions.organizationId, set: changes })
    .returning()
  return saved!
}

export async function deleteSubscription(db: Db, tenantId: string, organizationId: string): Promise<void> {
  await db.delete(subscriptions).where(ofOrg(tenantId, organizationId))
}

export async function saveStripeSecret(db: Db, tenantId: string, sealed: string, at: Date): Promise<void> {
  await db
    .insert(billingConfigs)
    .values({ tenantId, stripeWebhookSecretSealed: sealed, updatedAt: at })
    .onConflictDoUpdate({ target: billingConfigs.tenantId, set: { stripeWebhookSecretSealed: sealed, updatedAt: at } })
}

export async function findStripeSecret(db: Db, tenantId: string): Promise<string | null> {
  const [row] = await db.select().from(billingConfigs).where(eq(billingConfigs.tenantId, tenantId)).limit(1)
  return row?.stripeWebhookSecretSealed ?? null
}

/** Records a Stripe event id; false when it was already applied. */
export async function markStripeEvent(db: Db, tenantId: string, eventId: string, at: Date): Promise<boolean> {
  const inserted = await db
    .insert(stripeEvents)
    .values({ tenantId, eventId, createdAt: at })
    .onConflictDoNothing()
    .returning({ id: stripeEvents.eventId })
  return inserted.length === 1
}
