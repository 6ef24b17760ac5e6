import { Webhook, WebhookVerificationError } from 'standardwebhooks'
import type { WebhookEvent } from './objects'

export { WebhookVerificationError }

/**
 * Verifies a delivery the Standard Webhooks way (`webhook-id`, `webhook-timestamp`, `webhook-signature`; API.md §9)
 * and returns its event. `payload` must be the raw body as received: a re-serialised object does not verify.
 * During a secret rotation deliveries carry both signatures, so either secret verifies. Timestamps more than five
 * minutes away are refused (replays).
 */
export function verifyWebhook<T = Record<string, unknown>>(
  payload: string,
  headers: Headers | Record<string, string | string[] | undefined>,
  secret: string,
): WebhookEvent<T> {
  const flat: Record<string, string> = {}
  const read = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name])
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const value = read(name)
    if (typeof value === 'string') flat[name] = value
    else if (Array.isArray(value) && typeof value[0] === 'string') flat[name] = value[0]
  }
  return new Webhook(secret).verify(payload, flat) as WebhookEvent<T>
}
