import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { firstError, newTenant, testApp, type TestApp } from '../support/app'

/**
 * Security review #12: per-IP limits counted IPv6 callers per /128, so one subscriber, who holds a
 * whole /64, had 2^64 budgets. IPv6 callers now count per /64; IPv4 (mapped or not) per address.
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
  // app.handle has no socket: the test names the peer in a header of its own.
  t.deps.peerOf = (request) => request.headers.get('x-test-peer')
})
afterAll(() => t.close())

async function limitedTenant() {
  const rate_limits = { per_ip_per_minute: 2, per_identifier_per_minute: 0 }
  const tenant = await newTenant(t, { settings: { rate_limits } })
  return (peer: string) =>
    t.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
      headers: { 'x-native-client': '1', 'x-test-peer': peer },
      json: { identifier: `${crypto.randomUUID()}@example.com` },
    })
}

describe('per-IP limits over IPv6', () => {
  it('gives two addresses of one /64 one budget, and another /64 its own', async () => {
    const from = await limitedTenant()
    expect((await from('2001:db8:1:2::1')).status).toBe(200)
    expect((await from('2001:db8:1:2:ffff:ffff:ffff:fffe')).status).toBe(200)
    const third = await from('2001:db8:1:2:abcd::77')
    expect(third.status).toBe(429)
    expect((await firstError(third)).code).toBe('too_many_requests')
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await from('2001:db8:1:3::1')).status).toBe(200)
  })

  it('counts an IPv4-mapped address as its IPv4 address, and IPv4 addresses one by one', async () => {
    const from = await limitedTenant()
    expect((await from('::ffff:198.51.100.4')).status).toBe(200)
    expect((await from('198.51.100.4')).status).toBe(200)
    expect((await from('::ffff:198.51.100.4')).status).toBe(429)
    expect((await from('198.51.100.5')).status).toBe(200)
  })

  it('starts a fresh budget in the next minute', async () => {
    const from = await limitedTenant()
    for (const host of ['::1', '::2']) expect((await from(`2001:db8:9:9${host}`)).status).toBe(200)
    expect((await from('2001:db8:9:9::3')).status).toBe(429)
    t.clock.advance(60_000)
    expect((await from('2001:db8:9:9::4')).status).toBe(200)
  })
})
