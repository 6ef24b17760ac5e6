import type { Deps } from '../src/deps'
import * as WebhooksService from '../src/features/webhooks/service'
import { BusEvent } from '../src/features/webhooks/service'
import { defineWorker } from '../src/platform/bus/worker'

/**
 * Fans every customer-visible event out to the tenant's subscribed webhook endpoints and makes
 * the first attempts. Retries are not the bus's job: the database schedule is, run by the retry
 * loop started alongside this consumer. The bus backoff only covers database errors in fan-out.
 */
export const webhooksWorker = defineWorker<Deps, typeof BusEvent>({
  name: 'webhooks',
  subject: 'tessera.events.>',
  message: BusEvent,
  backoffMs: [1_000, 10_000, 60_000, 600_000],
  // First attempts wait on receivers (up to the delivery timeout); one slow receiver must not stall the rest.
  concurrency: 8,
  async handle(deps, event) {
    await WebhooksService.fanOut(deps, event)
    return 'ack'
  },
  alongside: (deps) => WebhooksService.startRetryLoop(deps),
})
