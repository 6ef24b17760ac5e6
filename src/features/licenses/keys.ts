import type { Deps } from '../../deps'
import type { AuditEntry } from '../../platform/audit'
import { sha256Hex } from '../../platform/crypto/tokens'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { CursorPosition, Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import { append, eventMessage } from '../../platform/outbox'
import { recordResourceChange } from '../../platform/resource-change'
import * as OrganizationsService from '../organizations/service'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import { keyHintOf, newLicenseKey } from './key-format'
import {
  activationToPublic,
  licenseToPublic,
  type LicenseCreateBody,
  type LicenseStatus,
  type LicenseUpdateBody,
  type PublicActivation,
  type PublicLicenseKey,
} from './model'
import * as Repo from './repo'
import type { LicenseKeyRow } from './repo'

/**
 * License keys as the Backend API manages them (API.md §18): issued for a product, bound to a user or an
 * organization (not both), shown once; revoked, listed with their activations, a device deactivated.
 */
type Actor = AuditEntry['actor']

const invalid = (param: string, reason: string) =>
  new AppError('form_param_format_invalid', { param_name: param, reason })

/** The owner fields as they will be: another tenant's or a deleted user, or an unknown organization, is refused. */
async function checkedOwner(tx: Tx, tenantId: string, userId: string | null, organizationId: string | null) {
  if (userId !== null && organizationId !== null) throw invalid('organization_id', 'user_or_organization')
  if (userId !== null) {
    const user = await UsersService.loadUser(tx, tenantId, userId)
    if (!user || user.user.deletedAt) throw invalid('user_id', 'user_not_found')
  }
  if (organizationId !== null) {
    const org = /^org_[0-9A-Z]{26}$/.test(organizationId)
      ? await OrganizationsService.findInTx(tx, tenantId, organizationId)
      : null
    if (!org || org.id !== organizationId) throw invalid('organization_id', 'organization_not_found')
  }
}

function checkedExpiry(deps: Deps, expiresAt: number | null | undefined): Date | null | undefined {
  if (expiresAt === undefined || expiresAt === null) return expiresAt
  if (expiresAt <= deps.clock.now()) throw invalid('expires_at', 'in_the_past')
  return new Date(expiresAt)
}

/** A key of the tenant, by id (another tenant's is 404). */
async function found(tx: Tx, tenantId: string, id: string, forUpdate = false): Promise<LicenseKeyRow> {
  const row = await Repo.findKey(tx, tenantId, id, forUpdate)
  if (!row) throw new AppError('resource_not_found')
  return row
}

export async function create(
  deps: Deps,
  tenant: TenantRow,
  body: LicenseCreateBody,
  actor: Actor,
): Promise<PublicLicenseKey & { key: string }> {
  const metadata = body.metadata === undefined ? {} : UsersService.checkMetadata('metadata', body.metadata)
  const expiresAt = checkedExpiry(deps, body.expires_at) ?? null
  const now = new Date(deps.clock.now())
  const { row, key } = await withTenant(deps.db, tenant.id, async (tx) => {
    const product = await Repo.findProduct(tx, tenant.id, body.product_id, true)
    if (!product) throw invalid('product_id', 'product_not_found')
    await checkedOwner(tx, tenant.id, body.user_id ?? null, body.organization_id ?? null)
    const key = newLicenseKey(product.keyPrefix)
    const row = await Repo.insertKey(tx, {
      id: newId('lic', now.getTime()),
      tenantId: tenant.id,
      productId: product.id,
      userId: body.user_id ?? null,
      organizationId: body.organization_id ?? null,
      keyHash: await sha256Hex(key.replaceAll('-', '')),
      keyHint: keyHintOf(product.keyPrefix, key),
      expiresAt,
      revokedAt: null,
      maxActivations: body.max_activations !== undefined ? body.max_activations : product.defaultMaxActivations,
      activationsCount: 0,
      metadata,
      lastValidatedAt: null,
      createdAt: now,
      updatedAt: now,
    })
    const data = licenseToPublic(row, now.getTime())
    await recordResourceChange(deps, tx, tenant.id, { type: 'licenseKey.created', actor, data })
    return { row, key }
  })
  return { ...licenseToPublic(row, now.getTime()), key }
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  query: {
    product_id?: string
    user_id?: string
    organization_id?: string
    status?: LicenseStatus
    cursor?: string
    limit?: string
  },
): Promise<Page<PublicLicenseKey>> {
  if (query.user_id !== undefined && query.organization_id !== undefined)
    throw invalid('organization_id', 'user_or_organization')
  const filter = {
    ...(query.product_id !== undefined ? { productId: query.product_id } : {}),
    ...(query.user_id !== undefined ? { userId: query.user_id } : {}),
    ...(query.organization_id !== undefined ? { organizationId: query.organization_id } : {}),
    ...(query.status !== undefined ? { status: query.status } : {}),
  }
  // The filter is part of the cursor's scope: a cursor of one listing never pages another.
  const scope = `license_keys:${tenant.id}:${JSON.stringify(filter)}`
  const now = deps.clock.now()
  const read = (limit: number, after: CursorPosition | null) =>
    withTenant(deps.db, tenant.id, (tx) =>
      Repo.listKeys(tx, tenant.id, { ...filter, now: new Date(now) }, limit, after),
    )
  return deps.cursors.list(scope, query, read, (row) => licenseToPublic(row, now))
}

export async function get(deps: Deps, tenant: TenantRow, id: string): Promise<PublicLicenseKey> {
  const row = await withTenant(deps.db, tenant.id, (tx) => found(tx, tenant.id, id))
  return licenseToPublic(row, deps.clock.now())
}

export async function update(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  body: LicenseUpdateBody,
  actor: Actor,
): Promise<PublicLicenseKey> {
  const metadata = body.metadata === undefined ? undefined : UsersService.checkMetadata('metadata', body.metadata)
  const expiresAt = checkedExpiry(deps, body.expires_at)
  const now = new Date(deps.clock.now())
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const current = await found(tx, tenant.id, id, true)
    const userId = body.user_id !== undefined ? body.user_id : current.userId
    const organizationId = body.organization_id !== undefined ? body.organization_id : current.organizationId
    await checkedOwner(tx, tenant.id, userId, organizationId)
    const row = await Repo.updateKey(tx, tenant.id, id, {
      userId,
      organizationId,
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      ...(body.max_activations !== undefined ? { maxActivations: body.max_activations } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
      updatedAt: now,
    })
    const data = licenseToPublic(row!, now.getTime())
    await recordResourceChange(deps, tx, tenant.id, { type: 'licenseKey.updated', actor, data })
    return row!
  })
  return licenseToPublic(row, now.getTime())
}

export async function remove(deps: Deps, tenant: TenantRow, id: string, actor: Actor) {
  await withTenant(deps.db, tenant.id, async (tx) => {
    await found(tx, tenant.id, id, true)
    await Repo.deleteKey(tx, tenant.id, id)
    const data = { object: 'license_key', id, deleted: true }
    await recordResourceChange(deps, tx, tenant.id, { type: 'licenseKey.deleted', actor, data })
  })
  return { object: 'license_key' as const, id, deleted: true as const }
}

/**
 * POST /{id}/revoke: from now on validation says `revoked` and no device activates it, on every node at
 * once (each check reads the key's row). Tokens already issued stay valid offline until they expire.
 */
export async function revoke(deps: Deps, tenant: TenantRow, id: string, actor: Actor): Promise<PublicLicenseKey> {
  const now = new Date(deps.clock.now())
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const current = await found(tx, tenant.id, id, true)
    if (current.revokedAt) return current
    const row = (await Repo.updateKey(tx, tenant.id, id, { revokedAt: now, updatedAt: now }))!
    const data = licenseToPublic(row, now.getTime())
    await append(tx, tenant.id, [eventMessage('license.revoked', { ...data })], now.getTime())
    await recordResourceChange(deps, tx, tenant.id, { type: 'licenseKey.updated', actor, data })
    return row
  })
  return licenseToPublic(row, now.getTime())
}

export async function activations(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicActivation>> {
  const scope = `license_activations:${tenant.id}:${id}`
  const read = (limit: number, after: CursorPosition | null) =>
    withTenant(deps.db, tenant.id, async (tx) => {
      await found(tx, tenant.id, id)
      return Repo.listActivations(tx, tenant.id, id, limit, after)
    })
  return deps.cursors.list(scope, query, read, activationToPublic)
}
