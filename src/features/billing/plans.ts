import type { Deps } from '../../deps'
import type { AuditEntry } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { CursorPosition, Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import { recordResourceChange } from '../../platform/resource-change'
import * as OrganizationsService from '../organizations/service'
import type { TenantRow } from '../tenants/service'
import { planToPublic, type PlanCreateBody, type PlanUpdateBody, type PublicPlan } from './model'
import * as Repo from './repo'

/** Plans (API.md §18): CRUD; a plan an organization subscribes to cannot be deleted (409 `resource_in_use`). */
type Actor = AuditEntry['actor']

async function unique<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (isUniqueViolation(err, Repo.PLAN_KEY_CONSTRAINT)) throw new AppError('duplicate_record', { param_name: 'key' })
    throw err
  }
}

/** Members of its subscribers carry the plan's key in their tokens: their cached claims go. */
async function subscribersChanged(deps: Deps, tx: Tx, tenantId: string, planId: string): Promise<void> {
  for (const organizationId of await Repo.subscribersOf(tx, tenantId, planId))
    await OrganizationsService.organizationChanged(deps, tx, tenantId, organizationId)
}

/** A Stripe price names one plan: a webhook must know which plan a subscription is on. */
async function checkPrices(tx: Tx, tenantId: string, prices: string[] | undefined, self: string | null) {
  if (!prices?.length) return
  if ((await Repo.plansByPrice(tx, tenantId, prices)).some((p) => p.id !== self))
    throw new AppError('duplicate_record', { param_name: 'stripe_price_ids' })
}

export async function create(deps: Deps, tenant: TenantRow, body: PlanCreateBody, actor: Actor) {
  const now = new Date(deps.clock.now())
  const row = await unique(() =>
    withTenant(deps.db, tenant.id, async (tx) => {
      await checkPrices(tx, tenant.id, body.stripe_price_ids, null)
      const row = await Repo.insertPlan(tx, {
        id: newId('plan', now.getTime()),
        tenantId: tenant.id,
        key: body.key,
        name: body.name,
        features: body.features ?? [],
        stripePriceIds: body.stripe_price_ids ?? [],
        createdAt: now,
        updatedAt: now,
      })
      await recordResourceChange(deps, tx, tenant.id, { type: 'plan.created', actor, data: planToPublic(row) })
      return row
    }),
  )
  return planToPublic(row)
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicPlan>> {
  const scope = `plans:${tenant.id}`
  const read = (limit: number, after: CursorPosition | null) =>
    withTenant(deps.db, tenant.id, (tx) => Repo.listPlans(tx, tenant.id, limit, after))
  return deps.cursors.list(scope, query, read, planToPublic)
}

export async function get(deps: Deps, tenant: TenantRow, id: string): Promise<PublicPlan> {
  const row = await withTenant(deps.db, tenant.id, (tx) => Repo.findPlan(tx, tenant.id, id))
  if (!row) throw new AppError('resource_not_found')
  return planToPublic(row)
}

export async function update(deps: Deps, tenant: TenantRow, id: string, body: PlanUpdateBody, actor: Actor) {
  const row = await unique(() =>
    withTenant(deps.db, tenant.id, async (tx) => {
      const current = await Repo.findPlan(tx, tenant.id, id, true)
      if (!current) throw new AppError('resource_not_found')
      await checkPrices(tx, tenant.id, body.stripe_price_ids, id)
      const row = (await Repo.updatePlan(tx, tenant.id, id, {
        ...(body.key !== undefined ? { key: body.key } : {}),
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.features !== undefined ? { features: body.features } : {}),
        ...(body.stripe_price_ids !== undefined ? { stripePriceIds: body.stripe_price_ids } : {}),
        updatedAt: new Date(deps.clock.now()),
      }))!
      if (row.key !== current.key) await subscribersChanged(deps, tx, tenant.id, id)
      await recordResourceChange(deps, tx, tenant.id, { type: 'plan.updated', actor, data: planToPublic(row) })
      return row
    }),
  )
  return planToPublic(row)
}

export async function remove(deps: Deps, tenant: TenantRow, id: string, actor: Actor) {
  await withTenant(deps.db, tenant.id, async (tx) => {
    if (!(await Repo.findPlan(tx, tenant.id, id, true))) throw new AppError('resource_not_found')
    if ((await Repo.subscribersOf(tx, tenant.id, id)).length)
      throw new AppError('resource_in_use', { param_name: 'id' })
    await Repo.deletePlan(tx, tenant.id, id)
    const data = { object: 'plan', id, deleted: true }
    await recordResourceChange(deps, tx, tenant.id, { type: 'plan.deleted', actor, data })
  })
  return { object: 'plan' as const, id, deleted: true as const }
}
