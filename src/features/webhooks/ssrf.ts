import { lookup } from 'node:dns/promises'

/**
 * SSRF guard for webhook targets (API.md §11 "Webhook targets"). A customer chooses the URL and
 * our server makes the request, so a target must never reach this host, the internal network or
 * cloud metadata (169.254.169.254). Literal addresses are refused when the endpoint is written;
 * names are resolved at every delivery and refused if ANY address is private, so a name with
 * one public and one private record cannot be used to pick the private one.
 *
 * Residual gap, accepted: fetch() resolves the name again, so a DNS answer that changes between
 * our lookup and the connection (rebinding with a zero TTL) is not caught here.
 */

/** [first address, prefix length] per blocked IPv4 range. */
const V4_BLOCKED: [string, number][] = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT, often internal
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['192.0.0.0', 24], // IETF protocol assignments
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], ['240.0.0.0', 4], // multicast, reserved and broadcast
]

function parseV4(ip: string): number | null {
  const parts = ip.split('.')
  if (parts.length !== 4) return null
  let value = 0
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null
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
  const embeddedV4 = (hi: number, lo: number) => v4Blocked((g[hi]! * 65536) + g[lo]!)
  if (zeroUntil(8)) return true // :: unspecified
  if (zeroUntil(7) && g[7] === 1) return true // ::1 loopback
  if (zeroUntil(5) && g[5] === 0xffff) return embeddedV4(6, 7) // ::ffff:a.b.c.d mapped
  if (zeroUntil(6)) return embeddedV4(6, 7) // ::a.b.c.d, deprecated IPv4-compatible
  if (a === 0x64 && b === 0xff9b) return embeddedV4(6, 7) // NAT64 well-known prefix
  if (a === 0x2002) return embeddedV4(1, 2) // 6to4
  if ((a & 0xfe00) === 0xfc00) return true // fc00::/7 unique local
  if ((a & 0xffc0) === 0xfe80 || (a & 0xffc0) === 0xfec0) return true // link-local, old site-local
  if ((a & 0xff00) === 0xff00) return true // multicast
  return false
}

/** True for an address this server must not send webhooks to; also for anything unparsable. */
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
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || !url.hostname) return 'invalid'
  if (allowPrivate) return 'ok'
  const literal = literalAddress(url.hostname)
  if (LOCAL_NAME.test(url.hostname) || (literal !== null && isPrivateAddress(literal))) return 'private'
  return 'ok'
}

export type Resolve = (host: string) => Promise<string[]>

const systemResolve: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)

/**
 * At delivery: `ok`, `private` (some address is private) or `unresolvable` (DNS failed, which
 * may be passing, so the caller retries).
 */
export async function checkTargetHost(hostname: string, allowPrivate: boolean, resolve: Resolve = systemResolve): Promise<'ok' | 'private' | 'unresolvable'> {
  if (allowPrivate) return 'ok'
  if (LOCAL_NAME.test(hostname)) return 'private'
  const literal = literalAddress(hostname)
  let addresses: string[]
  try {
    addresses = literal !== null ? [literal] : await resolve(hostname.replace(/\.$/, ''))
  } catch {
    return 'unresolvable'
  }
  if (addresses.length === 0) return 'unresolvable'
  return addresses.some(isPrivateAddress) ? 'private' : 'ok'
}
