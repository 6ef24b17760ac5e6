import type { Deps } from '../src/deps'
import * as AnalyticsService from '../src/features/analytics/service'
import { OutcomeMessage } from '../src/features/analytics/service'
import { defineWorker } from '../src/platform/bus/worker'

/**
 * Rolls each flow outcome (a sign-in, a failed one, a sign-up) into the analytics counts and active users,
 * once per message: the series read only these rollups, never the audit log, and never on a request.
 */
export const analyticsWorker = defineWorker<Deps, typeof OutcomeMessage>({
  name: 'analytics',
  subject: AnalyticsService.ANALYTICS_SUBJECT,
  message: OutcomeMessage,
  backoffMs: [1_000, 10_000, 60_000, 600_000],
  concurrency: 4,
  async handle(deps, msg, meta) {
    await AnalyticsService.rollUp(deps, msg, meta.msgId)
    return 'ack'
  },
})
