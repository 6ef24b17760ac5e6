import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { clients } from '../../src/features/sessions/schema'
import { sweepOnce } from '../../workers/sweeper'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { nativeClient, newUser, signInNative } from '../support/flows'

/**
 * Security review #12: every Frontend API call without a client credential created a client row,
 * without limit, and none was ever deleted. Creation now counts against the caller's per-IP
 * budget, and the sweeper deletes clients unused for a day that own no session (API.md §12).
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
  // app.handle has no socket: the test names the peer in a header of its own (none: no peer).
  t.deps.peerOf = (request) => request.headers.get('x-test-peer')
})
afterAll(() => t.close())

const anonymous = (tenant: CreatedTenant, peer: string, headers: Record<string, string> = {}) =>
  t.request('GET', `/t/${tenant.slug}/v1/client`, {
    headers: { 'x-native-client': '1', 'x-test-peer': peer, ...headers },
  })
const clientRows = async (tenant: CreatedTenant) =>
  (await t.deps.db.select({ id: clients.id }).from(clients).where(eq(clients.tenantId, tenant.id))).length

describe('anonymous client creation', () => {
  it('is limited per IP with 429 too_many_requests and Retry-After; another IP still gets a client', async () => {
    const tenant = await newTenant(t, { settings: { rate_limits: { per_ip_per_minute: 5 } } })
    for (let i = 0; i < 5; i++) expect((await anonymous(tenant, '203.0.113.1')).status).toBe(200)
    const refused = await anonymous(tenant, '203.0.113.1')
    expect(refused.status).toBe(429)
    const error = await firstError(refused)
    expect(error.code).toBe('too_many_requests')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(error.meta.retry_after_s).toBe(Number(refused.headers.get('retry-after')))
    expect(refused.headers.get('x-client-token')).toBeNull()
    expect(await clientRows(tenant)).toBe(5)

    expect((await anonymous(tenant, '203.0.113.2')).status).toBe(200)
    // An unknown token is not adopted: it asks for a new client, and counts like none.
    expect((await anonymous(tenant, '203.0.113.1', { 'x-client-token': 'forged' })).status).toBe(429)
    t.clock.advance(60_000)
    expect((await anonymous(tenant, '203.0.113.1')).status).toBe(200)
  })

  it('never limits a caller that presents its own client', async () => {
    const tenant = await newTenant(t, { settings: { rate_limits: { per_ip_per_minute: 1 } } })
    const first = await anonymous(tenant, '203.0.113.3')
    const token = first.headers.get('x-client-token')!
    expect((await anonymous(tenant, '203.0.113.3')).status).toBe(429)
    for (let i = 0; i < 3; i++) {
      expect((await anonymous(tenant, '203.0.113.3', { 'x-client-token': token })).status).toBe(200)
    }
  })

  it('is unlimited when the tenant sets per_ip_per_minute to 0', async () => {
    const tenant = await newTenant(t, { settings: { rate_limits: { per_ip_per_minute: 0 } } })
    for (let i = 0; i < 8; i++) expect((await anonymous(tenant, '203.0.113.4')).status).toBe(200)
  })
})

describe('idle clients', () => {
  it('deletes a client unused for a day without sessions; keeps one with a session and one in use', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const idle = nativeClient(t, tenant)
    const idleId = ((await (await idle.request('GET', '/client')).json()) as { id: string }).id
    const withSession = nativeClient(t, tenant)
    await signInNative(t, tenant, user, withSession)
    const inUse = nativeClient(t, tenant)
    const inUseId = ((await (await inUse.request('GET', '/client')).json()) as { id: string }).id

    t.clock.advance(23 * 3_600_000)
    expect((await inUse.request('GET', '/client')).status).toBe(200)
    t.clock.advance(2 * 3_600_000)
    const counts = await sweepOnce(t.deps)
    expect(counts.clients).toBeGreaterThanOrEqual(1)

    expect(await t.deps.db.select().from(clients).where(eq(clients.id, idleId))).toHaveLength(0)
    expect(await t.deps.db.select().from(clients).where(eq(clients.id, inUseId))).toHaveLength(1)
    const kept = (await (await withSession.request('GET', '/client')).json()) as { sessions: unknown[] }
    expect(kept.sessions).toHaveLength(1)
    // The deleted client's token is unknown now: its holder starts over with a new client.
    const after = await idle.request('GET', '/client')
    expect(after.status).toBe(200)
    expect(((await after.json()) as { id: string }).id).not.toBe(idleId)
    expect(after.headers.get('x-client-token')).toBeString()
  })
})
