import { Webhook } from 'standardwebhooks'
import { outboundRequest } from '../../platform/net/outbound'
import { systemResolve, type Resolve } from '../../platform/net/ssrf'

/**
 * One HTTP attempt at a webhook target (Standard Webhooks): a signed POST through the platform's
 * outbound module (SSRF check on the one address it connects to, no redirects, bounded wait and
 * bounded read). It never throws: every way of failing becomes an `error` code in the log.
 */
export interface DeliveryLimits {
  /** The HTTP exchange, headers and body excerpt included (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number
  /** Bytes of the response body kept; the rest is never read (a huge or endless body costs nothing). */
  excerptBytes: number
}

export const EXCERPT_BYTES = 4096

export type SendError = 'target_not_allowed' | 'dns_failed' | 'timeout' | 'connection_failed'

export interface SendResult {
  ok: boolean
  statusCode: number | null
  durationMs: number
  excerpt: string | null
  error: SendError | null
  /** False when trying again cannot help (a refused target). */
  retryable: boolean
}

/** `v1,<sig>` per secret, space-separated: the newest first, then the one still in its overlap. */
export function signatureHeader(secrets: string[], msgId: string, timestamp: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(msgId, timestamp, body)).join(' ')
}

export interface Target {
  url: string
  msgId: string
  body: string
  secrets: string[]
}

export interface SendOptions {
  allowPrivate: boolean
  limits: DeliveryLimits
  /** Deps.resolveHost; the system resolver when omitted. */
  resolve?: Resolve
}

export async function send(target: Target, opts: SendOptions): Promise<SendResult> {
  const started = performance.now()
  // Wall clock, not deps.clock: receivers check this header against their own clock (±5 min).
  const timestamp = new Date()
  const result = await outboundRequest(target.url, {
    method: 'POST',
    body: target.body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Tessera-Webhooks/1',
      'webhook-id': target.msgId,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signatureHeader(target.secrets, target.msgId, timestamp, target.body),
    },
    allowPrivate: opts.allowPrivate,
    resolve: opts.resolve ?? systemResolve,
    timeoutMs: opts.limits.timeoutMs,
    maxBodyBytes: opts.limits.excerptBytes,
  })
  const durationMs = Math.round(performance.now() - started)
  if (!result.ok) {
    // An invalid URL was refused when the endpoint was written; like a refused target, retrying cannot help.
    const refused = result.error === 'target_not_allowed' || result.error === 'invalid_url'
    const error = result.error === 'invalid_url' ? 'target_not_allowed' : result.error
    return { ok: false, statusCode: null, durationMs, excerpt: null, error, retryable: !refused }
  }
  // A 3xx is a failure like any non-2xx: outboundRequest never follows its Location.
  const ok = result.status >= 200 && result.status < 300
  // PostgreSQL text cannot hold NUL; a cut multi-byte character decodes to U+FFFD.
  const excerpt = new TextDecoder().decode(result.body).replaceAll('\u0000', '')
  return { ok, statusCode: result.status, durationMs, excerpt, error: null, retryable: !ok }
}
