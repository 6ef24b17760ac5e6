import { Type } from '@sinclair/typebox'
import type { Deps } from '../src/deps'
import * as AnalyticsService from '../src/features/analytics/service'
import { defineWorker } from '../src/platform/bus/worker'

const UserEvent = Type.Object({ tenant_id: Type.String() })

/**
 * MFA adoption: every user event (created, updated, deleted: second factors change through these) marks
 * its tenant; the loop beside the consumer counts marked tenants every few seconds.
 */
export const analyticsMfaWorker = defineWorker<Deps, typeof UserEvent>({
  name: 'analytics-mfa',
  subject: 'tessera.events.user.>',
  message: UserEvent,
  backoffMs: [1_000, 10_000, 60_000, 600_000],
  async handle(deps, event) {
    await AnalyticsService.markChanged(deps, event.tenant_id)
    return 'ack'
  },
  alongside: (deps) => AnalyticsService.startCounting(deps),
})
