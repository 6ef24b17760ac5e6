import type { Deps } from '../../deps'
import type { AuditEntry } from '../../platform/audit'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { CursorPosition, Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import { recordResourceChange } from '../../platform/resource-change'
import type { TenantRow } from '../tenants/service'
import { productToPublic, type ProductCreateBody, type ProductUpdateBody, type PublicProduct } from './model'
import * as Repo from './repo'

/** Products (API.md §18): CRUD; a product with keys cannot be deleted (409 `resource_in_use`). */
type Actor = AuditEntry['actor']

/** A key prefix taken by another product of the tenant (the unique index decides races). */
async function unique<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (isUniqueViolation(err, Repo.KEY_PREFIX_CONSTRAINT))
      throw new AppError('duplicate_record', { param_name: 'key_prefix' })
    throw err
  }
}

export async function create(deps: Deps, tenant: TenantRow, body: ProductCreateBody, actor: Actor) {
  const now = new Date(deps.clock.now())
  const row = await unique(() =>
    withTenant(deps.db, tenant.id, async (tx) => {
      const row = await Repo.insertProduct(tx, {
        id: newId('prod', now.getTime()),
        tenantId: tenant.id,
        name: body.name,
        keyPrefix: body.key_prefix,
        defaultMaxActivations: body.default_max_activations ?? null,
        createdAt: now,
        updatedAt: now,
      })
      await recordResourceChange(deps, tx, tenant.id, { type: 'product.created', actor, data: productToPublic(row) })
      return row
    }),
  )
  return productToPublic(row)
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicProduct>> {
  const scope = `products:${tenant.id}`
  const read = (limit: number, after: CursorPosition | null) =>
    withTenant(deps.db, tenant.id, (tx) => Repo.listProducts(tx, tenant.id, limit, after))
  return deps.cursors.list(scope, query, read, productToPublic)
}

export async function get(deps: Deps, tenant: TenantRow, id: string): Promise<PublicProduct> {
  const row = await withTenant(deps.db, tenant.id, (tx) => Repo.findProduct(tx, tenant.id, id))
  if (!row) throw new AppError('resource_not_found')
  return productToPublic(row)
}

export async function update(deps: Deps, tenant: TenantRow, id: string, body: ProductUpdateBody, actor: Actor) {
  const row = await unique(() =>
    withTenant(deps.db, tenant.id, async (tx) => {
      if (!(await Repo.findProduct(tx, tenant.id, id, true))) throw new AppError('resource_not_found')
      const row = await Repo.updateProduct(tx, tenant.id, id, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.key_prefix !== undefined ? { keyPrefix: body.key_prefix } : {}),
        ...(body.default_max_activations !== undefined ? { defaultMaxActivations: body.default_max_activations } : {}),
        updatedAt: new Date(deps.clock.now()),
      })
      await recordResourceChange(deps, tx, tenant.id, { type: 'product.updated', actor, data: productToPublic(row!) })
      return row!
    }),
  )
  return productToPublic(row)
}

export async function remove(deps: Deps, tenant: TenantRow, id: string, actor: Actor) {
  await withTenant(deps.db, tenant.id, async (tx) => {
    // Locked first: a key issued concurrently for this product waits, then finds it gone (its FK fails).
    if (!(await Repo.findProduct(tx, tenant.id, id, true))) throw new AppError('resource_not_found')
    if (await Repo.productHasKeys(tx, tenant.id, id)) throw new AppError('resource_in_use', { param_name: 'id' })
    await Repo.deleteProduct(tx, tenant.id, id)
    const data = { object: 'product', id, deleted: true }
    await recordResourceChange(deps, tx, tenant.id, { type: 'product.deleted', actor, data })
  })
  return { object: 'product' as const, id, deleted: true as const }
}
