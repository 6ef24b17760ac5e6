import { Webhook } from 'standardwebhooks'
import { checkTargetHost, type Resolve } from './ssrf'

/**
 * One HTTP attempt at a webhook target (Standard Webhooks): SSRF check, signed POST, bounded wait
 * and bounded read. It never throws: every way of failing becomes an `error` code in the log.
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

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const reader = res.body?.getReader()
  if (!reader) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value.subarray(0, maxBytes - size))
      size += Math.min(value.length, maxBytes - size)
    }
  } catch {
    // Timed out or reset mid-body: keep what arrived; the status code already decided the outcome.
  } finally {
    void reader.cancel().catch(() => {})
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.length
  }
  // PostgreSQL text cannot hold NUL; a cut multi-byte character decodes to U+FFFD.
  return new TextDecoder().decode(bytes).replaceAll('\u0000', '')
}

export interface Target {
  url: string
  msgId: string
  body: string
  secrets: string[]
}

export async function send(target: Target, opts: { allowPrivate: boolean; limits: DeliveryLimits; resolve?: Resolve }): Promise<SendResult> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  const fail = (error: SendError, retryable: boolean): SendResult =>
    ({ ok: false, statusCode: null, durationMs: elapsed(), excerpt: null, error, retryable })
  const url = new URL(target.url)
  const host = await checkTargetHost(url.hostname, opts.allowPrivate, opts.resolve)
  if (host === 'private') return fail('target_not_allowed', false)
  if (host === 'unresolvable') return fail('dns_failed', true)

  // Wall clock, not deps.clock: receivers check this header against their own clock (±5 min).
  const timestamp = new Date()
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), opts.limits.timeoutMs)
  try {
    const res = await fetch(url, {
      method: 'POST',
      body: target.body,
      // A redirect could lead anywhere, including past the SSRF check: it is answered as a failure.
      redirect: 'manual',
      signal: controller.signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Tessera-Webhooks/1',
        'webhook-id': target.msgId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signatureHeader(target.secrets, target.msgId, timestamp, target.body),
      },
    })
    const excerpt = await readCapped(res, opts.limits.excerptBytes)
    const ok = res.status >= 200 && res.status < 300
    return { ok, statusCode: res.status, durationMs: elapsed(), excerpt, error: null, retryable: !ok }
  } catch {
    return fail(controller.signal.aborted ? 'timeout' : 'connection_failed', true)
  } finally {
    clearTimeout(timer)
  }
}
