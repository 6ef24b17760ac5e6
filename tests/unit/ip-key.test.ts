import { describe, expect, it } from 'bun:test'
import { perIpKey } from '../../src/platform/http/ip-key'

describe('perIpKey', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(perIpKey('203.0.113.7')).toBe('203.0.113.7')
    expect(perIpKey('203.0.113.8')).not.toBe(perIpKey('203.0.113.7'))
  })

  it('counts an IPv4-mapped IPv6 address as the IPv4 address, in any spelling', () => {
    const spellings = ['::ffff:203.0.113.7', '::FFFF:203.0.113.7', '::ffff:cb00:7107', '0:0:0:0:0:ffff:203.0.113.7']
    for (const mapped of spellings) expect(perIpKey(mapped)).toBe('203.0.113.7')
  })

  it('counts IPv6 addresses per /64, whatever their spelling', () => {
    const key = perIpKey('2001:db8:1:2::1')
    expect(key).toBe('2001:db8:1:2::/64')
    const spellings = ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0DB8:0001:0002:0:0:0:9', '2001:db8:1:2::a%eth0']
    for (const same of spellings) expect(perIpKey(same)).toBe(key)
    expect(perIpKey('2001:db8:1:3::1')).not.toBe(key)
    expect(perIpKey('2001:db9:1:2::1')).not.toBe(key)
    expect(perIpKey('::1')).toBe('0:0:0:0::/64')
    expect(perIpKey('fe80::1:2:3:4')).toBe('fe80:0:0:0::/64')
  })

  it('does not merge an IPv4 address with an IPv6 /64', () => {
    expect(perIpKey('::203.0.113.7')).not.toBe(perIpKey('203.0.113.7'))
  })

  it('leaves anything that is not an address unchanged', () => {
    expect(perIpKey('not-an-address')).toBe('not-an-address')
  })
})
