import type { Deps } from '../../deps'
import type { AuditEntry } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import type { TenantRow } from '../tenants/service'
import { revokeFamiliesInTx } from './families'
import { grantToPublic, type PublicGrant } from './model'
import { recordInTx } from './record'
import * as OAuthRepo from './repo'
import type { ApplicationRow, GrantRow } from './repo'

type Actor = AuditEntry['actor']

/** Event `authorizationGrant.*` and audit `authorization_grant.*` of one change. */
const recordChange = <D extends { id: string }>(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  type: string,
  data: D,
  actor: Actor,
) =>
  recordInTx(deps, tx, tenantId, {
    event: type,
    action: type.replace('authorizationGrant.', 'authorization_grant.'),
    actor,
    target: { type: 'authorization_grant', id: data.id },
    data,
  })

/**
 * The grant of (application, user, organization), created or widened to cover `scopes`: consent
 * only ever adds scopes; its `last_used_at` is now. Event and audit `authorizationGrant.created|updated`.
 */
export async function recordGrantInTx(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  app: ApplicationRow,
  userId: string,
  organizationId: string | null,
  scopes: string[],
): Promise<GrantRow> {
  const now = new Date(deps.clock.now())
  const actor = { type: 'user' as const, id: userId }
  let existing = await OAuthRepo.findGrantFor(tx, tenantId, app.id, userId, organizationId)
  if (!existing) {
    const created = await OAuthRepo.insertGrant(tx, {
      id: newId('grant', now.getTime()),
      tenantId,
      applicationId: app.id,
      userId,
      organizationId,
      scopes,
      lastUsedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    if (created) {
      await recordChange(deps, tx, tenantId, 'authorizationGrant.created', grantToPublic(created), actor)
      return created
    }
    // A concurrent consent created it first: widen that one.
    existing = (await OAuthRepo.findGrantFor(tx, tenantId, app.id, userId, organizationId))!
  }
  const merged = [...new Set([...existing.scopes, ...scopes])]
  if (merged.length === existing.scopes.length) {
    await OAuthRepo.touchGrant(tx, tenantId, existing.id, now)
    return existing
  }
  const widened = await OAuthRepo.widenGrant(tx, tenantId, existing.id, merged, now)
  await recordChange(deps, tx, tenantId, 'authorizationGrant.updated', grantToPublic(widened), actor)
  return widened
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  filter: { applicationId?: string; userId?: string },
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicGrant>> {
  const scope = `oauth_grants:${tenant.id}:${filter.applicationId ?? ''}:${filter.userId ?? ''}`
  const limit = pageSize(query.limit)
  const after = await deps.cursors.decode(scope, query.cursor)
  const rows = await withTenant(deps.db, tenant.id, (tx) =>
    OAuthRepo.listGrants(tx, tenant.id, filter, limit + 1, after),
  )
  return deps.cursors.page(scope, rows, limit, grantToPublic)
}

/** One grant of the signed-in user; another user's is 404. */
export async function getForUser(deps: Deps, me: { tenant: TenantRow; userId: string }, id: string) {
  const grant = await withTenant(deps.db, me.tenant.id, (tx) => OAuthRepo.findGrant(tx, me.tenant.id, id))
  if (!grant || grant.userId !== me.userId) throw new AppError('resource_not_found')
  return grantToPublic(grant)
}

/**
 * Revokes a grant (its consent) and every token it issued, on every node within a second. `owner`
 * names whose grant it must be (the application's, or the user's at `/me`): anyone else's is 404.
 */
export async function revoke(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  owner: { applicationId?: string; userId?: string },
  actor: Actor,
) {
  await withTenant(deps.db, tenant.id, async (tx) => {
    const grant = await OAuthRepo.findGrant(tx, tenant.id, id)
    if (
      !grant ||
      (owner.applicationId && grant.applicationId !== owner.applicationId) ||
      (owner.userId && grant.userId !== owner.userId)
    )
      throw new AppError('resource_not_found')
    await revokeFamiliesInTx(deps, tx, tenant.id, { grantId: id })
    await OAuthRepo.deleteGrant(tx, tenant.id, id)
    await recordChange(deps, tx, tenant.id, 'authorizationGrant.deleted', { ...grantToPublic(grant) }, actor)
  })
  return { object: 'authorization_grant' as const, id, deleted: true as const }
}
