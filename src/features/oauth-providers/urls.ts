import { checkTargetUrl, literalAddress } from '../../platform/net/ssrf'

/**
 * Where a provider's endpoints may be (API.md §12 "Outbound requests"): absolute https without
 * credentials or fragment; plain http only to a loopback host, and only with
 * WEBHOOK_ALLOW_PRIVATE=1 (local development and tests), since codes, tokens and client secrets
 * travel to these URLs.
 */
export type UrlVerdict = 'ok' | 'invalid' | 'insecure' | 'target_not_allowed'

const LOOPBACK_NAME = /(^|\.)localhost\.?$/i

function isLoopback(hostname: string): boolean {
  if (LOOPBACK_NAME.test(hostname)) return true
  const literal = literalAddress(hostname)
  if (literal === null) return false
  return literal === '::1' || /^127\./.test(literal)
}

export function checkProviderUrl(raw: string, allowPrivate: boolean): UrlVerdict {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'invalid'
  }
  if (url.hash || raw.includes('#')) return 'invalid'
  const target = checkTargetUrl(raw, allowPrivate)
  if (target === 'invalid') return 'invalid'
  if (target === 'private') return 'target_not_allowed'
  if (url.protocol === 'http:' && !(allowPrivate && isLoopback(url.hostname))) return 'insecure'
  return 'ok'
}
