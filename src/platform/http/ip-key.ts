import { isIP } from 'node:net'

/**
 * The key that per-IP limits count by (API.md §12). IPv6 callers count per /64: a subscriber
 * is routinely handed a whole /64, so counting per address would give one caller 2^64 fresh
 * budgets. IPv4 counts per address, and an IPv4-mapped IPv6 address (::ffff:1.2.3.4) as the
 * IPv4 address it maps, so one host has one budget whichever way its socket reports it.
 */
export function perIpKey(ip: string): string {
  if (isIP(ip) === 4) return ip
  const groups = ipv6Groups(ip)
  if (!groups) return ip
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [g6, g7] = [groups[6]!, groups[7]!]
    return [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff].join('.')
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`
}

/** The eight 16-bit groups of an IPv6 address (zone dropped, embedded IPv4 expanded), or null. */
function ipv6Groups(ip: string): number[] | null {
  const address = ip.split('%')[0]!
  if (isIP(address) !== 6) return null
  const parts = (text: string): number[] => {
    if (text === '') return []
    return text.split(':').flatMap((part) => {
      if (!part.includes('.')) return [parseInt(part, 16)]
      const [a, b, c, d] = part.split('.').map(Number) as [number, number, number, number]
      return [(a << 8) | b, (c << 8) | d]
    })
  }
  const [head = '', tail] = address.split('::')
  if (tail === undefined) return parts(head)
  const front = parts(head)
  const back = parts(tail)
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back]
}
