import type { CustomFetch } from 'openid-client'
import type { Deps } from '../../deps'
import { outboundRequest, type OutboundResult } from '../../platform/net/outbound'
import { checkProviderUrl } from './urls'

/**
 * openid-client's `customFetch`, routed through `outboundRequest` (API.md §12 "Outbound
 * requests"): every discovery, JWKS, token, UserInfo and profile call to a provider resolves its
 * name once, connects to the address that passed the SSRF check and follows no redirect. Plain
 * http is refused here too, whatever a discovery document says, unless the target is loopback
 * and WEBHOOK_ALLOW_PRIVATE=1. Discovery documents are kept per node for a few minutes.
 */
const TIMEOUT_MS = 10_000
const MAX_BODY_BYTES = 1024 * 1024
const DISCOVERY_TTL_MS = 300_000
const DISCOVERY_CACHE_MAX = 1_000
const NULL_BODY_STATUS = new Set([101, 204, 205, 304])

/** A provider could not be reached (refused target, DNS, connection, timeout); never a protocol error. */
export class ProviderUnreachable extends TypeError {
  constructor(readonly reason: string) {
    super(`provider unreachable: ${reason}`)
  }
}

interface Kept {
  at: number
  status: number
  headers: [string, string][]
  body: Uint8Array
}

const discoveryCache = new Map<string, Kept>()

/** Only discovery documents: a JWKS must stay fresh, so a rotated key is found on the provider's next answer. */
const isDiscovery = (url: string) =>
  /\/\.well-known\/(openid-configuration|oauth-authorization-server)$/.test(new URL(url).pathname)

function toHeaders(raw: Extract<OutboundResult, { ok: true }>['headers']): [string, string][] {
  const out: [string, string][] = []
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) out.push([name, v])
  }
  return out
}

const toResponse = (kept: Omit<Kept, 'at'>) =>
  new Response(NULL_BODY_STATUS.has(kept.status) ? null : (kept.body as Uint8Array<ArrayBuffer>), {
    status: kept.status,
    headers: kept.headers,
  })

async function bodyText(body: unknown): Promise<string | undefined> {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string') return body
  if (body instanceof URLSearchParams) return body.toString()
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return new TextDecoder().decode(body)
  return new Response(body as ReadableStream).text()
}

function headerRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  new Headers(headers as HeadersInit).forEach((value, name) => {
    out[name] = value
  })
  return out
}

/** The fetch every openid-client call of this feature uses. */
export function providerFetch(deps: Deps): CustomFetch {
  const allowPrivate = deps.config.webhookAllowPrivate
  return async (url, options) => {
    const method = options.method.toUpperCase()
    if (method !== 'GET' && method !== 'POST') throw new ProviderUnreachable('method_not_allowed')
    const verdict = checkProviderUrl(url, allowPrivate)
    if (verdict !== 'ok') throw new ProviderUnreachable(verdict)
    const cacheable = method === 'GET' && isDiscovery(url)
    const now = deps.clock.now()
    const hit = cacheable ? discoveryCache.get(url) : undefined
    if (hit && now - hit.at < DISCOVERY_TTL_MS) return toResponse(hit)
    const res = await outboundRequest(url, {
      method,
      headers: headerRecord(options.headers),
      body: await bodyText(options.body),
      allowPrivate,
      resolve: deps.resolveHost,
      timeoutMs: TIMEOUT_MS,
      maxBodyBytes: MAX_BODY_BYTES,
    })
    if (!res.ok) throw new ProviderUnreachable(res.error)
    if (res.status < 200 || res.status > 599) throw new ProviderUnreachable('invalid_status')
    const kept = { at: now, status: res.status, headers: toHeaders(res.headers), body: res.body }
    if (cacheable && res.status === 200) {
      if (discoveryCache.size >= DISCOVERY_CACHE_MAX) discoveryCache.clear()
      discoveryCache.set(url, kept)
    }
    return toResponse(kept)
  }
}
