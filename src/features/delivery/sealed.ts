import type { SecretBox } from '../../platform/crypto/secret-box'
import type { DeliveryRequest, DeliveryRequestedMessage } from './model'

/**
 * One-time codes and link tokens never sit in clear in an outbox row (kept for days) or a bus
 * message (API.md §12 "Secrets at rest and in logs"). The requesting service seals them with the
 * installation's secret box (AES-256-GCM under ENCRYPTION_KEY, which every node and worker
 * shares); only the delivery worker opens them, to render the message. The additional data binds
 * the ciphertext to its tenant, so it cannot be replayed into another tenant's message.
 */
type Secrets = Pick<DeliveryRequest['variables'], 'code' | 'link'>

const context = (tenantId: string) => `delivery.variables:${tenantId}`

/** The request without its secrets, and the secrets sealed (absent when there are none). */
export async function sealRequest(
  box: SecretBox,
  tenantId: string,
  req: DeliveryRequest,
): Promise<{ request: DeliveryRequest; sealed?: string }> {
  const { code, link, ...open } = req.variables
  if (code === undefined && link === undefined) return { request: req }
  const secrets: Secrets = { ...(code === undefined ? {} : { code }), ...(link === undefined ? {} : { link }) }
  return { request: { ...req, variables: open }, sealed: await box.seal(JSON.stringify(secrets), context(tenantId)) }
}

/** The request as it was asked for; null when the sealed part does not open (another key, another tenant). */
export async function openRequest(box: SecretBox, msg: DeliveryRequestedMessage): Promise<DeliveryRequest | null> {
  if (msg.sealed === undefined) return msg.request
  try {
    const secrets = JSON.parse(await box.open(msg.sealed, context(msg.tenant_id))) as Secrets
    const variables = { ...msg.request.variables }
    if (typeof secrets.code === 'string') variables.code = secrets.code
    if (typeof secrets.link === 'string') variables.link = secrets.link
    return { ...msg.request, variables }
  } catch {
    return null
  }
}
