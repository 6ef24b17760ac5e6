import type { Deps } from '../src/deps'
import * as DeliveryService from '../src/features/delivery/service'
import { DeliveryRequestedMessage } from '../src/features/delivery/service'
import { defineWorker } from '../src/platform/bus/worker'

/** ~11 minutes in all: long enough to ride out a provider's short outage or a greylisting. */
export const DELIVERY_BACKOFF_MS = [1_000, 10_000, 60_000, 600_000]

/**
 * Sends what features asked for with DeliveryService.requestDelivery. Idempotent on the outbox
 * id, so at-least-once redelivery sends a message once. The try after the last backoff step is
 * `final`: a failure then marks the delivery `failed` with its reason before the bus
 * dead-letters the message. A function so tests can run it with a short backoff.
 */
export const createDeliveryWorker = (backoffMs: number[] = DELIVERY_BACKOFF_MS) =>
  defineWorker<Deps, typeof DeliveryRequestedMessage>({
    name: 'delivery',
    subject: DeliveryService.DELIVERY_REQUESTED_SUBJECT,
    message: DeliveryRequestedMessage,
    backoffMs,
    concurrency: 4,
    async handle(deps, msg, meta) {
      const result = await DeliveryService.deliver(deps, msg, { final: meta.deliveryCount > backoffMs.length })
      return result.ok ? 'ack' : result.retryable ? 'retry' : 'dead'
    },
  })

export const deliveryWorker = createDeliveryWorker()
