import type { Deps } from '../../deps'
import type { AuditEntry } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { newId } from '../../platform/ids'
import { recordResourceChange } from '../../platform/resource-change'
import * as OrganizationsService from '../organizations/service'
import type { TenantRow } from '../tenants/service'
import { ENTITLED, subscriptionToPublic, type PublicSubscription, type SubscriptionBody } from './model'
import * as Repo from './repo'
import type { PlanRow, SubscriptionRow } from './repo'

/**
 * An organization's subscription (API.md §18): one per organization, set by hand (`provider: manual`) or by
 * Stripe's webhooks. Every change drops the members' cached claims on every node, so their next token carries
 * the new `plan` and `plan_status`.
 */
type Actor = AuditEntry['actor']

/**
 * An organization of the tenant (by id), else 404: its subscription is its sub-resource. `lock`: its row is
 * locked, which a Stripe event for it waits on too (one writer of its subscription at a time).
 */
async function organizationOf(tx: Tx, tenantId: string, id: string, lock = false): Promise<string> {
  const org = /^org_[0-9A-Z]{26}$/.test(id) ? await OrganizationsService.findInTx(tx, tenantId, id) : null
  if (!org || org.id !== id) throw new AppError('resource_not_found')
  if (lock) await OrganizationsService.lockedOrg(tx, tenantId, id)
  return org.id
}

export async function get(deps: Deps, tenant: TenantRow, organizationId: string): Promise<PublicSubscription> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    await organizationOf(tx, tenant.id, organizationId)
    const row = await Repo.findSubscription(tx, tenant.id, organizationId)
    const plan = row && (await Repo.findPlan(tx, tenant.id, row.planId))
    if (!row || !plan) throw new AppError('resource_not_found')
    return subscriptionToPublic(row, plan.key)
  })
}

/**
 * Writes the organization's subscription in the caller's transaction (the org row is checked by the caller):
 * the events, the audit entry, and the members' claims dropped.
 */
export async function saveInTx(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  organizationId: string,
  plan: PlanRow,
  fields: Omit<SubscriptionRow, 'id' | 'tenantId' | 'organizationId' | 'planId' | 'createdAt' | 'updatedAt'>,
  actor: Actor,
): Promise<PublicSubscription> {
  const now = new Date(deps.clock.now())
  const existing = await Repo.findSubscription(tx, tenantId, organizationId, true)
  const row = await Repo.upsertSubscription(tx, {
    id: existing?.id ?? newId('sub', now.getTime()),
    tenantId,
    organizationId,
    planId: plan.id,
    ...fields,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  })
  const data = subscriptionToPublic(row, plan.key)
  const type = existing ? 'subscription.updated' : 'subscription.created'
  await recordResourceChange(deps, tx, tenantId, { type, actor, data })
  await OrganizationsService.organizationChanged(deps, tx, tenantId, organizationId)
  return data
}

/** PUT: the subscription set by hand (status default active). */
export async function put(
  deps: Deps,
  tenant: TenantRow,
  organizationId: string,
  body: SubscriptionBody,
  actor: Actor,
): Promise<PublicSubscription> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    await organizationOf(tx, tenant.id, organizationId, true)
    const plan = await Repo.findPlan(tx, tenant.id, body.plan_id)
    if (!plan) throw new AppError('form_param_format_invalid', { param_name: 'plan_id', reason: 'plan_not_found' })
    const current = await Repo.findSubscription(tx, tenant.id, organizationId)
    return saveInTx(
      deps,
      tx,
      tenant.id,
      organizationId,
      plan,
      {
        status: body.status ?? 'active',
        provider: 'manual',
        providerSubscriptionId: null,
        currentPeriodEnd:
          body.current_period_end === undefined
            ? (current?.currentPeriodEnd ?? null)
            : body.current_period_end === null
              ? null
              : new Date(body.current_period_end),
        cancelAtPeriodEnd: false,
        providerEventAt: null,
      },
      actor,
    )
  })
}

export async function remove(deps: Deps, tenant: TenantRow, organizationId: string, actor: Actor) {
  return withTenant(deps.db, tenant.id, async (tx) => {
    await organizationOf(tx, tenant.id, organizationId, true)
    const row = await Repo.findSubscription(tx, tenant.id, organizationId, true)
    if (!row) throw new AppError('resource_not_found')
    await Repo.deleteSubscription(tx, tenant.id, organizationId)
    const data = { object: 'subscription', id: row.id, deleted: true }
    await recordResourceChange(deps, tx, tenant.id, { type: 'subscription.deleted', actor, data })
    await OrganizationsService.organizationChanged(deps, tx, tenant.id, organizationId)
    return { object: 'subscription' as const, id: row.id, deleted: true as const }
  })
}

/** `plan` and `plan_status` of an organization's members' tokens, while its subscription entitles them. */
export async function planClaimInTx(tx: Tx, tenantId: string, organizationId: string) {
  const found = await Repo.subscriptionWithPlan(tx, tenantId, organizationId)
  return found && ENTITLED.includes(found.status) ? { key: found.key, status: found.status } : null
}
