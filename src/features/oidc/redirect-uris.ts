/**
 * Redirect URI rules (API.md §15, RFC 8252, OAuth 2.1 §2.3.1): registered URIs are absolute, carry no
 * fragment or userinfo, and use https — http only on a loopback IP; native apps may use a private-use
 * scheme (reverse domain, RFC 8252 §7.1). Matching is exact, except that a loopback IP URI matches
 * on any port (RFC 8252 §7.3); `localhost` is not loopback here (it can be resolved elsewhere).
 */
const LOOPBACK = new Set(['127.0.0.1', '[::1]'])

export function registrable(raw: string): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  if (url.hash || raw.includes('#') || url.username || url.password) return false
  if (url.protocol === 'https:') return true
  if (url.protocol === 'http:') return LOOPBACK.has(url.hostname)
  // A private-use scheme: `com.example.app:/callback`.
  return /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol)
}

const withoutPort = (url: URL) => `${url.protocol}//${url.hostname}${url.pathname}${url.search}`

export function matchesRegistered(registered: readonly string[], given: string): boolean {
  if (registered.includes(given)) return true
  let url: URL
  try {
    url = new URL(given)
  } catch {
    return false
  }
  if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname) || url.hash || url.username) return false
  return registered.some((r) => {
    const reg = new URL(r)
    return reg.protocol === 'http:' && LOOPBACK.has(reg.hostname) && withoutPort(reg) === withoutPort(url)
  })
}

/** RFC 8707 §2: a resource indicator is an absolute URI without a fragment. */
export function absoluteWithoutFragment(raw: string): boolean {
  try {
    return !new URL(raw).hash && !raw.includes('#')
  } catch {
    return false
  }
}

/**
 * The CSP form-action source that admits a redirect to `uri`: its origin, or for a private-use scheme
 * (whose origin is the opaque "null") the scheme itself.
 */
export function formActionOf(uri: string): string {
  const url = new URL(uri)
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol
}
