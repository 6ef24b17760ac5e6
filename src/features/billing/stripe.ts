import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Deps } from '../../deps'
import { appendAudit, type AuditEntry } from '../../platform/audit'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import * as OrganizationsService from '../organizations/service'
import type { TenantRow } from '../tenants/service'
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

interface StripeSubscription {
  id?: unknown
  status?: unknown
  metadata?: { organization_id?: unknown }
  cancel_at_period_end?: unknown
  current_period_end?: unknown
  items?: { data?: { price?: { id?: unknown }; current_period_end?: unknown }[] }
}

const STATUS: Record<string, SubscriptionStatus> = {
  trialing: 'trialing',
  active: 'active',
  past_due: 'past_due',
  unpaid: 'past_due',
  canceled: 'canceled',
  incomplete: 'incomplete',
  incomplete_expired: 'canceled',
  paused: 'incomplete',
}

const periodEnd = (sub: StripeSubscription): Date | null => {
  const s =
    typeof sub.current_period_end === 'number' ? sub.current_period_end : sub.items?.data?.[0]?.current_period_end
  return typeof s === 'number' ? new Date(s * 1000) : null
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
    const orgId = typeof sub.metadata?.organization_id === 'string' ? sub.metadata.organization_id : null
    const org =
      orgId && /^org_[0-9A-Z]{26}$/.test(orgId) ? await OrganizationsService.findInTx(tx, tenant.id, orgId) : null
    if (!org || org.id !== orgId) return
    const existing = await Repo.findSubscription(tx, tenant.id, org.id, true)
    const at = event.created * 1000
    // A late event (an update sent before the one already applied) must not roll the subscription back.
    if (existing?.providerEventAt && existing.providerEventAt.getTime() > at) return
    const prices = (sub.items?.data ?? []).flatMap((i) => (typeof i.price?.id === 'string' ? [i.price.id] : []))
    const [plan] = await Repo.plansByPrice(tx, tenant.id, prices)
    const planRow = plan ?? (existing ? await Repo.findPlan(tx, tenant.id, existing.planId) : null)
    if (!planRow) return
    const status =
      event.type === 'customer.subscription.deleted' ? 'canceled' : (STATUS[String(sub.status)] ?? 'incomplete')
    await saveInTx(
      deps,
      tx,
      tenant.id,
      org.id,
      planRow,
      {
        status,
        provider: 'stripe',
        providerSubscriptionId: typeof sub.id === 'string' ? sub.id : null,
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
  const event = JSON.parse(Buffer.from(raw).toString('utf8')) as {
    id?: unknown
    type?: unknown
    created?: unknown
    data?: { object?: StripeSubscription }
  }
  if (typeof event.id !== 'string' || typeof event.type !== 'string' || typeof event.created !== 'number')
    throw new AppError('malformed_request', { reason: 'not_a_stripe_event' })
  if (SUBSCRIPTION_EVENTS.includes(event.type) && event.data?.object)
    await apply(deps, tenant, { id: event.id, type: event.type, created: event.created, sub: event.data.object })
  return { received: true as const }
}
