import type { Deps } from '../src/deps'
import type { WorkerDefinition } from '../src/platform/bus/worker'
import { analyticsMfaWorker } from './analytics-mfa.worker'
import { analyticsWorker } from './analytics.worker'
import { deliveryWorker } from './delivery.worker'
import { scimWorker } from './scim.worker'
import { webhooksWorker } from './webhooks.worker'

/**
 * Every worker of the installation, by name. `npm run worker <name>` runs one outside the HTTP
 * process; with WORKERS=embedded the server runs them all. Features add theirs here.
 */
export const WORKERS: Record<string, WorkerDefinition<Deps>> = {
  delivery: deliveryWorker,
  webhooks: webhooksWorker,
  scim: scimWorker,
  analytics: analyticsWorker,
  'analytics-mfa': analyticsMfaWorker,
}
