import type { Deps } from '../../deps'
import { outboundRequest } from '../../platform/net/outbound'
import { checkProviderUrl } from '../oauth-providers/service'

/**
 * One GET of a document an admin pointed us at (OIDC discovery, JWKS, SAML metadata), through
 * outboundRequest (API.md §12 "Outbound requests": SSRF-checked, pinned address, no redirects), fresh:
 * never from a cache, and without any credential.
 */
export type Fetched = { ok: true; status: number; body: string } | { ok: false; detail: string }

const TIMEOUT_MS = 10_000
/** SAML metadata is refused over 512 KiB when parsed; one byte more tells "too large" from "fits". */
const MAX_BODY_BYTES = 512 * 1024 + 1

export async function fetchDocument(deps: Deps, url: string, accept: string): Promise<Fetched> {
  const verdict = checkProviderUrl(url, deps.config.webhookAllowPrivate)
  if (verdict !== 'ok') return { ok: false, detail: `URL refused: ${verdict}` }
  const res = await outboundRequest(url, {
    method: 'GET',
    headers: { accept },
    allowPrivate: deps.config.webhookAllowPrivate,
    resolve: deps.resolveHost,
    timeoutMs: TIMEOUT_MS,
    maxBodyBytes: MAX_BODY_BYTES,
  })
  if (!res.ok) return { ok: false, detail: `request failed: ${res.error}` }
  return { ok: true, status: res.status, body: Buffer.from(res.body).toString('utf8') }
}

export function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

const WELL_KNOWN = '/.well-known/openid-configuration'

/** The discovery document's URL and the issuer it must name (OpenID Connect Discovery §4). */
export function discoveryTarget(given: string): { url: string; issuer: string } {
  const at = given.indexOf('/.well-known/')
  if (at >= 0) return { url: given, issuer: given.slice(0, at) }
  return { url: given.replace(/\/$/, '') + WELL_KNOWN, issuer: given }
}

export const sameIssuer = (a: string, b: string) => a.replace(/\/$/, '') === b.replace(/\/$/, '')

export type Discovery = { ok: true; doc: Record<string, unknown> } | { ok: false; reason: string; detail: string }

/** Fetches and checks an OpenID provider's discovery document: JSON, naming the expected issuer. */
export async function discover(deps: Deps, given: string): Promise<Discovery> {
  const target = discoveryTarget(given)
  const res = await fetchDocument(deps, target.url, 'application/json')
  if (!res.ok) return { ok: false, reason: 'unreachable', detail: res.detail }
  const doc = res.status === 200 ? parseObject(res.body) : null
  if (!doc)
    return { ok: false, reason: 'not_a_discovery_document', detail: `${target.url} answered HTTP ${res.status}` }
  const issuer = typeof doc.issuer === 'string' ? doc.issuer : ''
  if (!sameIssuer(issuer, target.issuer))
    return { ok: false, reason: 'issuer_mismatch', detail: `expected ${target.issuer}, found ${issuer || 'none'}` }
  return { ok: true, doc }
}
