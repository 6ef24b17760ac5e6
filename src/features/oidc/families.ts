import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { afterCommit, withTenant } from '../../platform/db/tx'
import { FAMILY_TOPIC, oauthCache } from './cache'
import * as TokenRepo from './token-repo'
import type { FamilyRow } from './token-repo'

/**
 * Revokes token families (what a grant, an application or one authorization issued) inside the
 * caller's transaction; every node drops them from its cache within a second of the commit.
 */
export async function revokeFamiliesInTx(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  where: { ids?: string[]; grantId?: string; applicationId?: string },
): Promise<string[]> {
  const ids = await TokenRepo.revokeFamilies(tx, tenantId, where, new Date(deps.clock.now()))
  // Deleting a grant or application deletes its families too: drop those from the caches as well.
  const gone = where.ids ? [] : await TokenRepo.familiesOf(tx, tenantId, where)
  const all = [...new Set([...ids, ...gone])]
  const changes = await Promise.all(all.map((id) => deps.changes.record(tx, tenantId, FAMILY_TOPIC, id)))
  afterCommit(() => {
    for (const change of changes) deps.changes.announce(change)
  })
  return ids
}

/** The family, from the node's cache when warm; null when unknown (deleted with its grant). */
export async function family(deps: Deps, tenantId: string, id: string): Promise<FamilyRow | null> {
  const cache = oauthCache(deps)
  const cached = cache.family(tenantId, id)
  if (cached !== undefined) return cached
  const epoch = cache.epoch
  const row = await withTenant(deps.db, tenantId, (tx) => TokenRepo.findFamily(tx, tenantId, id))
  cache.setFamily(tenantId, id, row, epoch)
  return row
}

/** Active: not revoked, not past its end, its user (if any) still live. */
export const familyUsable = (row: FamilyRow | null, now: number): row is FamilyRow =>
  row !== null && row.status === 'active' && row.expireAt.getTime() > now
