import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { bucketOf } from './buckets'
import * as Repo from './repo'

/**
 * MFA adoption (API.md §18): a user event marks its tenant; a loop beside the worker counts each marked
 * tenant's users and second factors at most every few seconds and keeps the count as its hour's snapshot.
 * One count per burst of changes, never per request, and within the 60 s the contract allows.
 */
const EVERY_MS = 5_000
const BATCH = 50

export async function markChanged(deps: Deps, tenantId: string): Promise<void> {
  await withTenant(deps.db, tenantId, (tx) => Repo.markDirty(tx, tenantId, new Date(deps.clock.now())))
}

/** Counts every marked tenant once; returns how many it counted. */
export async function countChanged(deps: Deps): Promise<number> {
  const marked = await Repo.dirtyTenants(deps.db, BATCH)
  let counted = 0
  for (const { tenantId } of marked) {
    const now = deps.clock.now()
    const claimed = await withTenant(deps.db, tenantId, async (tx) => {
      if (!(await Repo.claimDirty(tx, tenantId, new Date(now)))) return false
      const counts = await Repo.countMfa(tx, tenantId)
      await Repo.saveSnapshot(tx, { tenantId, hour: new Date(bucketOf('hour', now)), ...counts })
      return true
    })
    if (claimed) counted++
  }
  return counted
}

/** The loop the MFA worker runs alongside its consumer. */
export function startCounting(deps: Deps): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve()
  const timer = setInterval(() => {
    running = running
      .then(() => countChanged(deps))
      .catch((err: unknown) => deps.log.warn('mfa adoption count failed', { err }))
  }, EVERY_MS)
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
