import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { firstError, newTenant, testApp, type TestApp } from '../support/app'

/**
 * Issue #12, /metrics open: anyone could read request counts per route and the installation's
 * shape. With METRICS_TOKEN set, /metrics needs it as a Bearer (compared in constant time); a
 * missing or wrong token is 401 authentication_invalid in the API.md envelope.
 */
const TOKEN = 'metrics_' + crypto.randomUUID()

describe('GET /metrics with METRICS_TOKEN set', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp({ metricsToken: TOKEN })
  })
  afterAll(async () => {
    await t.close()
  })

  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', { authorization: `Bearer ${TOKEN}x` }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['the token in another scheme', { authorization: `Basic ${TOKEN}` }],
    ['the token in another header', { 'x-metrics-token': TOKEN }],
  ])('refuses %s with 401 authentication_invalid', async (_, headers) => {
    const res = await t.request('GET', '/metrics', headers ? { headers } : {})
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer')
    expect(await firstError(res)).toMatchObject({ code: 'authentication_invalid' })
  })

  it('refuses the token in the query string', async () => {
    expect((await t.request('GET', `/metrics?token=${TOKEN}`)).status).toBe(401)
  })

  it('answers the metrics to the right Bearer', async () => {
    await newTenant(t)
    const res = await t.request('GET', '/metrics', { token: TOKEN })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    expect(await res.text()).toContain('tessera_db_pool_max')
  })
})

describe('GET /metrics without METRICS_TOKEN', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp({ metricsToken: null })
  })
  afterAll(async () => {
    await t.close()
  })

  it('stays open, as before (a private network or a proxy guards it)', async () => {
    const res = await t.request('GET', '/metrics')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('tessera_db_pool_max')
  })
})
