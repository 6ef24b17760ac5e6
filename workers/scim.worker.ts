import type { Deps } from '../src/deps'
import * as ScimService from '../src/features/scim/service'
import { ScimSyncMessage } from '../src/features/scim/service'
import { defineWorker } from '../src/platform/bus/worker'

/**
 * Recomputes memberships after SCIM changes too large for one request (a mapping change in a big
 * organization), one chunk of members per message. The job reads the current SCIM state, so a
 * redelivered or reordered message converges to the same roles; while the worker is down the jobs
 * wait in the outbox and the stream.
 */
export const scimWorker = defineWorker<Deps, typeof ScimSyncMessage>({
  name: 'scim',
  subject: ScimService.SCIM_SYNC_SUBJECT,
  message: ScimSyncMessage,
  backoffMs: [1_000, 10_000, 60_000, 600_000],
  concurrency: 2,
  async handle(deps, msg) {
    await ScimService.runSync(deps, msg)
    return 'ack'
  },
})
