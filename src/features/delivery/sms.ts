import { outboundRequest, type OutboundRequest } from '../../platform/net/outbound'
import type { SendResult } from './model'

/** A provider's answer: 2xx accepted; 408 and 429 ask us to come back later; other 4xx fail the same way every time. */
function answered(status: number): SendResult {
  if (status >= 200 && status < 300) return { ok: true }
  const retryable = status >= 500 || status === 408 || status === 429
  return { ok: false, retryable, reason: `sms provider answered ${status}` }
}

/**
 * SMS through SMS_PROVIDER_URL. Two wire formats, chosen by the URL:
 * - generic: POST JSON `{ to, body, tenant_id }`; any 2xx means accepted;
 * - Twilio-compatible, when the path ends in `/Messages.json`: POST the form `To`, `Body`, plus
 *   the URL's query parameters (`From` or `MessagingServiceSid`), e.g.
 *   `https://AC…:token@api.twilio.com/2010-04-01/Accounts/AC…/Messages.json?From=%2B15550100`.
 * Userinfo in the URL becomes HTTP Basic authentication and is never sent in the URL itself.
 */

export const SMS_TIMEOUT_MS = 10_000

export interface OutgoingSms {
  to: string
  body: string
  tenantId: string
}

/**
 * `guarded`: the URL is a tenant's (API.md §18): the request goes through the outbound guard (no private
 * address unless allowed, the resolved address pinned), not straight to fetch as the operator's URL does.
 */
export async function sendSms(
  providerUrl: string,
  sms: OutgoingSms,
  timeoutMs = SMS_TIMEOUT_MS,
  guarded?: Pick<OutboundRequest, 'allowPrivate' | 'resolve'>,
): Promise<SendResult> {
  const url = new URL(providerUrl)
  const headers: Record<string, string> = {}
  if (url.username || url.password) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`
    url.username = ''
    url.password = ''
  }
  let body: string
  if (url.pathname.endsWith('/Messages.json')) {
    const form = new URLSearchParams(url.search)
    form.set('To', sms.to)
    form.set('Body', sms.body)
    url.search = ''
    body = form.toString()
    headers['content-type'] = 'application/x-www-form-urlencoded'
  } else {
    body = JSON.stringify({ to: sms.to, body: sms.body, tenant_id: sms.tenantId })
    headers['content-type'] = 'application/json'
  }
  if (guarded) {
    const res = await outboundRequest(url.toString(), {
      method: 'POST',
      headers,
      body,
      timeoutMs,
      maxBodyBytes: 0,
      ...guarded,
    })
    if (!res.ok)
      return {
        ok: false,
        retryable: res.error !== 'target_not_allowed' && res.error !== 'invalid_url',
        reason: `sms provider ${res.error}`,
      }
    return answered(res.status)
  }
  try {
    // A redirect is not followed: it would resend the message body to wherever it points.
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
    await res.body?.cancel().catch(() => undefined)
    return answered(res.status)
  } catch (err) {
    const name = err instanceof Error ? err.name : 'Error'
    if (name === 'TimeoutError')
      return { ok: false, retryable: true, reason: `sms provider did not answer within ${timeoutMs} ms` }
    // Only the error's kind: a message could quote the URL, which may carry credentials.
    const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : name
    return { ok: false, retryable: true, reason: `sms provider unreachable (${code})` }
  }
}
