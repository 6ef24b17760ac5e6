import { BlockList, isIP } from 'node:net'

/**
 * The caller's address for rate limits and audit: the socket peer, or the nearest untrusted
 * hop of X-Forwarded-For when the peer is a trusted proxy (API.md §12). Never the header alone.
 */
export function trustedProxyList(cidrs: string[]): BlockList {
  const list = new BlockList()
  for (const cidr of cidrs) {
    const [ip, bits] = cidr.split('/')
    const family = isIP(ip!) === 6 ? 'ipv6' : 'ipv4'
    list.addSubnet(ip!, Number(bits), family)
  }
  return list
}

const familyOf = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4')

export function clientIp(peer: string | null, forwardedFor: string | null, trusted: BlockList): string | null {
  if (!peer) return null
  let current = peer.replace(/^::ffff:/, '')
  if (!forwardedFor) return current
  const hops = forwardedFor
    .split(',')
    .map((h) => h.trim())
    .filter((h) => isIP(h))
  while (isIP(current) && trusted.check(current, familyOf(current)) && hops.length)
    current = hops.pop()!.replace(/^::ffff:/, '')
  return current
}
