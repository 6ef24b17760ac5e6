import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import { pinTarget, type Pinned, type Resolve } from './ssrf'

/**
 * The one way this server makes an HTTP request to a URL that a tenant chose (API.md §12
 * "Outbound requests"): webhooks now; OIDC discovery, JWKS, token and userinfo calls and SAML
 * metadata when they come. Every such call goes through `outboundRequest`, which
 *  - resolves the name once, checks every address (pinTarget), and connects to exactly the
 *    address that passed, through a `lookup` that answers only that address (node:http honours
 *    it on Bun and on Deno; fetch() would resolve again, which is what DNS rebinding exploits). TLS still
 *    verifies the certificate against the URL's host name and sends it as SNI;
 *  - follows no redirect: a 3xx is returned as it is, and its Location is never fetched;
 *  - bounds the whole exchange by a timeout and keeps at most `maxBodyBytes` of the body;
 *  - never throws: every failure is an `error` code.
 */
export interface OutboundRequest {
  method: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  /** WEBHOOK_ALLOW_PRIVATE=1: the one switch that lets any outbound request reach private addresses. */
  allowPrivate: boolean
  /** The DNS resolver (Deps.resolveHost); tests substitute their own to simulate rebinding. */
  resolve: Resolve
  /** The whole exchange: connection, headers and the body read. */
  timeoutMs: number
  /** Bytes of the response body kept; the rest is never read (a huge or endless body costs nothing). */
  maxBodyBytes: number
}

export type OutboundError = 'invalid_url' | 'target_not_allowed' | 'dns_failed' | 'timeout' | 'connection_failed'

export type OutboundResult =
  | { ok: true; status: number; headers: http.IncomingHttpHeaders; body: Uint8Array }
  | { ok: false; error: OutboundError }

/** A lookup that answers every question with the pinned address, whatever the name asked. */
function pinnedLookup(pinned: Pinned): LookupFunction {
  return (_hostname, options, callback) => {
    type All = (err: null, addresses: { address: string; family: number }[]) => void
    if (options.all) (callback as unknown as All)(null, [pinned])
    else callback(null, pinned.address, pinned.family)
  }
}

export async function outboundRequest(rawUrl: string, req: OutboundRequest): Promise<OutboundResult> {
  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    return { ok: false, error: 'invalid_url' }
  }
  const secure = url.protocol === 'https:'
  if ((!secure && url.protocol !== 'http:') || url.username || url.password) return { ok: false, error: 'invalid_url' }
  const pin = await pinTarget(url.hostname, req.allowPrivate, req.resolve)
  if (pin.verdict !== 'ok') return { ok: false, error: pin.verdict === 'private' ? 'target_not_allowed' : 'dns_failed' }
  return exchange(url, secure, pin.pinned, req)
}

function exchange(url: URL, secure: boolean, pinned: Pinned, req: OutboundRequest): Promise<OutboundResult> {
  return new Promise((settle) => {
    let done = false
    // Before the status line a timeout fails the request; after it, what arrived is the answer.
    let onTimeout = () => finish({ ok: false, error: 'timeout' })
    const finish = (result: OutboundResult) => {
      if (done) return
      done = true
      clearTimeout(timer)
      settle(result)
    }
    const request = (secure ? https : http).request(
      {
        // The name stays the URL's (Host header, SNI, certificate check); only the lookup is pinned.
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || (secure ? 443 : 80),
        path: url.pathname + url.search,
        method: req.method,
        headers: { ...req.headers, host: url.host },
        lookup: pinnedLookup(pinned),
        // A fresh connection each time: a pooled socket must not outlive the check that chose its address.
        agent: false,
      },
      (res) => {
        const chunks: Uint8Array[] = []
        let size = 0
        const keep = () =>
          finish({
            ok: true,
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: new Uint8Array(Buffer.concat(chunks, size)),
          })
        onTimeout = keep
        res.on('data', (chunk: Uint8Array) => {
          const room = req.maxBodyBytes - size
          chunks.push(chunk.subarray(0, room))
          size += Math.min(chunk.length, room)
          if (size >= req.maxBodyBytes) {
            keep()
            res.destroy()
          }
        })
        res.on('end', keep)
        // Reset mid-body: keep what arrived; the status code already tells the outcome.
        res.on('error', keep)
        res.on('close', keep)
      },
    )
    const timer = setTimeout(() => {
      onTimeout()
      request.destroy()
    }, req.timeoutMs)
    request.on('error', () => finish({ ok: false, error: 'connection_failed' }))
    request.end(req.body)
  })
}
