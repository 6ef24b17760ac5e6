import type { Deps } from '../src/deps'
import * as DeliveryService from '../src/features/delivery/service'
import { DeliveryRequestedMessage } from '../src/features/delivery/service'
import { defineWorker } from '../src/platform/bus/worker'

/**
 * Sends what features asked for with DeliveryService.requestDelivery. Idempotent on the outbox
 * id, so at-least-once redelivery stores or sends a message once. Backoff spans ~11 minutes
 * to ride out a provider outage before the message is dead-lettered.
 */
export const deliveryWorker = defineWorker<Deps, typeof DeliveryRequestedMessage>({
  name: 'delivery',
  subject: DeliveryService.DELIVERY_REQUESTED_SUBJECT,
  message: DeliveryRequestedMessage,
  backoffMs: [1_000, 10_000, 60_000, 600_000],
  concurrency: 4,
  async handle(deps, msg) {
    const result = await DeliveryService.deliver(deps, msg)
    return result.ok ? 'ack' : result.retryable ? 'retry' : 'dead'
  },
})
