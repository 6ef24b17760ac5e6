import type { Static } from '@sinclair/typebox'
import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { bucketOf } from './buckets'
import type { OutcomeMessage } from './record'
import * as Repo from './repo'

/**
 * The analytics worker's step (API.md §18): one outcome message becomes +1 in its hour's count, and a
 * signed-in user is marked active in its hour, day and month. Counted once per message id, in one
 * transaction, so a redelivery changes nothing.
 */
export async function rollUp(deps: Deps, msg: Static<typeof OutcomeMessage>, msgId: string | null): Promise<void> {
  await withTenant(deps.db, msg.tenant_id, async (tx) => {
    if (msgId !== null && !(await Repo.markSeen(tx, msg.tenant_id, msgId, new Date(deps.clock.now())))) return
    const hour = new Date(bucketOf('hour', msg.at))
    await Repo.addCount(tx, { tenantId: msg.tenant_id, metric: msg.outcome, hour, strategy: msg.strategy })
    if (msg.outcome === 'sign_in.failed' || msg.user_id === null) return
    await Repo.markActive(tx, msg.tenant_id, msg.user_id, [
      ['hour', hour],
      ['day', new Date(bucketOf('day', msg.at))],
      ['month', new Date(bucketOf('month', msg.at))],
    ])
  })
}
