import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Deps } from '../../deps'
import { appendAudit, type AuditEntry } from '../../platform/audit'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import * as OrganizationsService from '../organizations/service'
import type { TenantRow } from '../tenants/service'
import { ENTITLED } from './model'
import type { SubscriptionStatus } from './schema'
import * as Repo from './repo'
import { saveInTx } from './subscriptions'

/**
 * Stripe as the billing provider (API.md §18): the tenant's webhook secret (sealed), and
 * `{issuer}/billing/webhooks/stripe`, which checks `Stripe-Signature` (HMAC-SHA256 of `<t>.<raw body>`, any
 * `v1`, constant time, ±300 s) and applies `customer.subscription.created|updated|deleted` to the organization
 * named by `metadata.organization_id`, with the plan that lists the subscription's price. Each event id is
 * applied once; an event older (by `created`) than the last one applied to the subscription changes nothing.
 */
const TOLERANCE_S = 300
const SUBSCRIPTION_EVENTS = [
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
]
const STRIPE: AuditEntry['actor'] = { type: 'system', id: null }

const sealContext = (tenantId: string) => `stripe_webhook_secret:${tenantId}`

export async function configure(deps: Deps, tenant: TenantRow, secret: string, actor: AuditEntry['actor']) {
  const sealed = await deps.box.seal(secret, sealContext(tenant.id))
  await withTenant(deps.db, tenant.id, async (tx) => {
    await Repo.saveStripeSecret(tx, tenant.id, sealed, new Date(deps.clock.now()))
    await appendAudit(
      deps.auditKey,
      tx,
      tenant.id,
      { action: 'billing_config.updated', actor, data: { provider: 'stripe' } },
      deps.clock.now(),
    )
  })
  return { object: 'billing_config' as const, provider: 'stripe' as const, configured: true }
}

export async function config(deps: Deps, tenant: TenantRow) {
  const sealed = await withTenant(deps.db, tenant.id, (tx) => Repo.findStripeSecret(tx, tenant.id))
  return { object: 'billing_config' as const, provider: 'stripe' as const, configured: sealed !== null }
}

/** Whether `header` signs `raw` with `secret` within the tolerance (Stripe's scheme, v1 only). */
function signed(secret: string, header: string | null, raw: Uint8Array, nowS: number): boolean {
  if (!header || header.length > 4096) return false
  const parts = header.split(',').map((p) => p.trim().split('=', 2) as [string, string | undefined])
  const t = parts.find(([k]) => k === 't')?.[1]
  if (!t || !/^\d{1,12}$/.test(t) || Math.abs(nowS - Number(t)) > TOLERANCE_S) return false
  const expected = createHmac('sha256', secret).update(`${t}.`).update(raw).digest()
  return parts.some(
    ([k, v]) =>
      k === 'v1' && v !== undefined && /^[0-9a-f]{64}$/.test(v) && timingSafeEqual(Buffer.from(v, 'hex'), expected),
  )
}

/** The parts of a Stripe subscription read here; a signed payload is still only data, checked as it is read. */
type StripeSubscription = Record<string, unknown>

const STATUS: Partial<Record<string, SubscriptionStatus>> = {
  trialing: 'trialing',
  active: 'active',
  past_due: 'past_due',
  unpaid: 'past_due',
  canceled: 'canceled',
  incomplete: 'incomplete',
  incomplete_expired: 'canceled',
  paused: 'incomplete',
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Seconds since the epoch that a Date can hold (Stripe's timestamps), else null. */
const seconds = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1e11 ? value : null

const itemsOf = (sub: StripeSubscription): Record<string, unknown>[] => {
  const items = isObject(sub.items) && Array.isArray(sub.items.data) ? sub.items.data : []
  return items.filter(isObject)
}

const priceIdsOf = (sub: StripeSubscription): string[] =>
  itemsOf(sub).flatMap((i) => (isObject(i.price) && typeof i.price.id === 'string' ? [i.price.id] : []))

const periodEnd = (sub: StripeSubscription): Date | null => {
  const s = seconds(sub.current_period_end) ?? seconds(itemsOf(sub)[0]?.current_period_end)
  return s === null ? null : new Date(s * 1000)
}

function statusOf(type: string, sub: StripeSubscription): SubscriptionStatus {
  if (type === 'customer.subscription.deleted') return 'canceled'
  const status = typeof sub.status === 'string' && Object.hasOwn(STATUS, sub.status) ? STATUS[sub.status] : undefined
  return status ?? 'incomplete'
}

/** Applies one subscription event in a transaction; events it cannot place (no such org or plan) are ignored. */
async function apply(
  deps: Deps,
  tenant: TenantRow,
  event: { id: string; type: string; created: number; sub: StripeSubscription },
) {
  await withTenant(deps.db, tenant.id, async (tx) => {
    if (!(await Repo.markStripeEvent(tx, tenant.id, event.id, new Date(deps.clock.now())))) return
    const { sub } = event
    const orgId =
      isObject(sub.metadata) && typeof sub.metadata.organization_id === 'string' ? sub.metadata.organization_id : null
    const found =
      orgId && /^org_[0-9A-Z]{26}$/.test(orgId) ? await OrganizationsService.findInTx(tx, tenant.id, orgId) : null
    if (!found || found.id !== orgId) return
    // The organization's row is the lock that two events (or an event and a PUT) of one subscription queue on.
    const org = await OrganizationsService.lockedOrg(tx, tenant.id, found.id)
    const existing = await Repo.findSubscription(tx, tenant.id, org.id, true)
    const at = event.created * 1000
    const status = statusOf(event.type, sub)
    const subscriptionId = typeof sub.id === 'string' ? sub.id.slice(0, 255) : null
    if (existing?.providerEventAt) {
      const last = existing.providerEventAt.getTime()
      // A late event (sent before the one applied) must not roll the subscription back; within one second
      // (Stripe's resolution) a `created` never overrides what an update or a deletion said.
      if (last > at || (last === at && event.type === 'customer.subscription.created')) return
    }
    // The end of a subscription the organization has since replaced (a plan switch) ends nothing.
    const replaced = existing?.provider === 'stripe' && existing.providerSubscriptionId !== subscriptionId
    if (replaced && !ENTITLED.includes(status)) return
    const [plan] = await Repo.plansByPrice(tx, tenant.id, priceIdsOf(sub))
    const planRow = plan ?? (existing ? await Repo.findPlan(tx, tenant.id, existing.planId) : null)
    if (!planRow) return
    await saveInTx(
      deps,
      tx,
      tenant.id,
      org.id,
      planRow,
      {
        status,
        provider: 'stripe',
        providerSubscriptionId: subscriptionId,
        currentPeriodEnd: periodEnd(sub),
        cancelAtPeriodEnd: sub.cancel_at_period_end === true,
        providerEventAt: new Date(at),
      },
      STRIPE,
    )
  })
}

/** `POST {issuer}/billing/webhooks/stripe`: 400 `webhook_signature_invalid` unless signed; else applied once. */
export async function receive(deps: Deps, tenant: TenantRow, raw: Uint8Array | undefined, header: string | null) {
  const sealed = await withTenant(deps.db, tenant.id, (tx) => Repo.findStripeSecret(tx, tenant.id))
  const secret = sealed && (await deps.box.open(sealed, sealContext(tenant.id)))
  if (!secret || !raw || !signed(secret, header, raw, Math.floor(deps.clock.now() / 1000)))
    throw new AppError('webhook_signature_invalid')
  const event: unknown = JSON.parse(Buffer.from(raw).toString('utf8'))
  const created = isObject(event) ? seconds(event.created) : null
  if (!isObject(event) || typeof event.id !== 'string' || event.id.length > 255 || typeof event.type !== 'string')
    throw new AppError('malformed_request', { reason: 'not_a_stripe_event' })
  if (created === null) throw new AppError('malformed_request', { reason: 'not_a_stripe_event' })
  const sub = isObject(event.data) && isObject(event.data.object) ? event.data.object : null
  if (SUBSCRIPTION_EVENTS.includes(event.type) && sub)
    await apply(deps, tenant, { id: event.id, type: event.type, created, sub })
  return { received: true as const }
}
