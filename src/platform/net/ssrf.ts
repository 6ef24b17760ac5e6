import { lookup } from 'node:dns/promises'

/**
 * SSRF guard for every outbound request whose target a tenant chooses (API.md §11 "Webhook
 * targets", §12 "Outbound requests"): webhooks, and later OIDC discovery, JWKS, token and
 * userinfo calls, SAML metadata. Such a target must never reach this host, the internal network
 * or cloud metadata (169.254.169.254) unless WEBHOOK_ALLOW_PRIVATE=1. Literal addresses are
 * refused when a URL is written; names are resolved once per request by `pinTarget`, and
 * outbound.ts connects to the address it returns, so DNS rebinding has no second answer to use.
 */

/** [first address, prefix length] per blocked IPv4 range. */
const V4_BLOCKED: [string, number][] = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT, often internal
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['192.0.0.0', 24], // IETF protocol assignments
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4],
  ['240.0.0.0', 4], // multicast, reserved and broadcast
]

/**
 * Canonical dotted decimal only: `012.0.0.5` is not 12.0.0.5 to the system resolver (getaddrinfo reads it
 * as octal, 10.0.0.5), so a leading zero makes it a name, which is resolved and checked like any other.
 */
function parseV4(ip: string): number | null {
  const parts = ip.split('.')
  if (parts.length !== 4) return null
  let value = 0
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null
    value = value * 256 + Number(part)
  }
  return value
}

function v4Blocked(value: number): boolean {
  return V4_BLOCKED.some(([base, bits]) => {
    const size = 2 ** (32 - bits)
    const start = parseV4(base)!
    return value >= start && value < start + size
  })
}

/** Eight 16-bit groups, or null. Accepts `::` and a dotted IPv4 tail; drops a `%zone`. */
function parseV6(input: string): number[] | null {
  let ip = input.replace(/%.*$/, '').toLowerCase()
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip)
  if (tail) {
    const v4 = parseV4(tail[1]!)
    if (v4 === null) return null
    ip = ip.slice(0, -tail[1]!.length) + `${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`
  }
  const halves = ip.split('::')
  if (halves.length > 2) return null
  const groups = (s: string | undefined) => (s ? s.split(':') : [])
  const head = groups(halves[0])
  const rest = groups(halves[1])
  const missing = 8 - head.length - rest.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest]
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null
  return all.map((g) => parseInt(g, 16))
}

function v6Blocked(g: number[]): boolean {
  const [a = 0, b = 0] = g
  const zeroUntil = (n: number) => g.slice(0, n).every((x) => x === 0)
  const embeddedV4 = (hi: number, lo: number) => v4Blocked(g[hi]! * 65536 + g[lo]!)
  if (zeroUntil(8)) return true // :: unspecified
  if (zeroUntil(7) && g[7] === 1) return true // ::1 loopback
  if (zeroUntil(5) && g[5] === 0xffff) return embeddedV4(6, 7) // ::ffff:a.b.c.d mapped
  if (zeroUntil(6)) return embeddedV4(6, 7) // ::a.b.c.d, deprecated IPv4-compatible
  if (a === 0x64 && b === 0xff9b) return g[2] === 1 || embeddedV4(6, 7) // NAT64: 64:ff9b:1::/48 is local-use
  if (a === 0x2001 && b === 0) return true // Teredo tunnels: the peer behind them is not what was checked
  if (a === 0x2002) return embeddedV4(1, 2) // 6to4
  if ((a & 0xfe00) === 0xfc00) return true // fc00::/7 unique local
  if ((a & 0xffc0) === 0xfe80 || (a & 0xffc0) === 0xfec0) return true // link-local, old site-local
  if ((a & 0xff00) === 0xff00) return true // multicast
  return false
}

/** A valid IPv4 or IPv6 address (brackets and `%zone` tolerated), or null. */
function parseAddress(address: string): number | number[] | null {
  const ip = address.replace(/^\[|\]$/g, '')
  return parseV4(ip) ?? parseV6(ip)
}

/** True for an address this server must not send requests to; also for anything unparsable. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '')
  const v4 = parseV4(ip)
  if (v4 !== null) return v4Blocked(v4)
  const v6 = parseV6(ip)
  return v6 === null ? true : v6Blocked(v6)
}

/** The address when the host is an IP literal (URL has already normalised `0x7f.1` etc.). */
export function literalAddress(hostname: string): string | null {
  const host = hostname.replace(/^\[|\]$/g, '')
  return parseV4(host) !== null || (hostname.startsWith('[') && parseV6(host) !== null) ? host : null
}

const LOCAL_NAME = /(^|\.)localhost\.?$/i

/**
 * Checks a URL when an endpoint is written: `invalid` for anything but absolute http(s) without
 * credentials (fetch refuses userinfo anyway), `private` for a private literal or a localhost name.
 */
export function checkTargetUrl(raw: string, allowPrivate: boolean): 'ok' | 'invalid' | 'private' {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'invalid'
  }
  const http = url.protocol === 'http:' || url.protocol === 'https:'
  if (!http || url.username || url.password || !url.hostname) return 'invalid'
  if (allowPrivate) return 'ok'
  const literal = literalAddress(url.hostname)
  if (LOCAL_NAME.test(url.hostname) || (literal !== null && isPrivateAddress(literal))) return 'private'
  return 'ok'
}

export type Resolve = (host: string) => Promise<string[]>

/** The system's resolver (getaddrinfo), every address in the order it gives them. */
export const systemResolve: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)

/** The one address a request may connect to, chosen when the name was checked. */
export interface Pinned {
  address: string
  family: 4 | 6
}

export type PinResult = { verdict: 'ok'; pinned: Pinned } | { verdict: 'private' | 'unresolvable' }

/**
 * Resolves a host ONCE and checks every address: `private` when any is private (so a name with
 * one public and one private record cannot be used to pick the private one), `unresolvable` when
 * DNS fails (which may pass, so callers retry), else the first address, which the caller must
 * connect to instead of resolving again: a second resolution is what DNS rebinding exploits.
 */
export async function pinTarget(
  hostname: string,
  allowPrivate: boolean,
  resolve: Resolve = systemResolve,
): Promise<PinResult> {
  if (!allowPrivate && LOCAL_NAME.test(hostname)) return { verdict: 'private' }
  const literal = literalAddress(hostname)
  let addresses: string[]
  try {
    addresses = literal !== null ? [literal] : await resolve(hostname.replace(/\.$/, ''))
  } catch {
    return { verdict: 'unresolvable' }
  }
  const [first] = addresses
  if (first === undefined) return { verdict: 'unresolvable' }
  // Unparsable answers count as private, so they are refused even when private targets are allowed.
  const refused = (a: string) => (allowPrivate ? parseAddress(a) === null : isPrivateAddress(a))
  if (addresses.some(refused)) return { verdict: 'private' }
  return { verdict: 'ok', pinned: { address: first, family: parseV4(first) !== null ? 4 : 6 } }
}
