import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { firstError, newTenant, testApp, type TestApp } from '../support/app'
import { waitFor } from '../support/wait'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const rotate = (app: TestApp, tenantId: string, token = app.platformKey) =>
  app.request('POST', `/platform/v1/tenants/${tenantId}/secret-key/rotate`, { token })
const settings = (app: TestApp, token: string) => app.request('GET', '/v1/settings', { token })

describe('POST /platform/v1/tenants/:id/secret-key/rotate', () => {
  it('returns a new key once, which works at once while the old one is refused', async () => {
    const tenant = await newTenant(t)
    const res = await rotate(t, tenant.id)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as { object: string; secret_key: string }
    expect(body.object).toBe('secret_key')
    expect(body.secret_key).toMatch(/^sk_live_[0-9a-z]{16}_[A-Za-z0-9_-]{43}$/)
    expect(body.secret_key).not.toBe(tenant.secret_key)
    expect((await settings(t, body.secret_key)).status).toBe(200)
    const old = await settings(t, tenant.secret_key)
    expect(old.status).toBe(401)
    expect((await firstError(old)).code).toBe('authentication_invalid')

    const audit = await t.request('GET', '/v1/audit-events?action=secret_key.rotated', { token: body.secret_key })
    const events = ((await audit.json()) as { data: { actor: { type: string } }[] }).data
    expect(events.map((e) => e.actor.type)).toEqual(['platform'])
  })

  it('reaches another node within 2 s', async () => {
    const tenant = await newTenant(t)
    const nodeB = await testApp({ platformApiKey: t.platformKey, encryptionKey: t.deps.config.encryptionKey })
    try {
      nodeB.deps.changes.start()
      expect((await settings(nodeB, tenant.secret_key)).status).toBe(200)
      const { secret_key } = (await (await rotate(t, tenant.id)).json()) as { secret_key: string }
      expect((await settings(nodeB, secret_key)).status).toBe(200)
      // Node B shares no bus with this one in embedded mode: its poll of the change feed tells it.
      await waitFor(async () => (await settings(nodeB, tenant.secret_key)).status === 401, 2000)
    } finally {
      await nodeB.close()
    }
  })

  it('needs the platform key, and answers 404 for an unknown or deleted tenant', async () => {
    const tenant = await newTenant(t)
    expect((await rotate(t, tenant.id, tenant.secret_key)).status).toBe(401)
    expect((await settings(t, tenant.secret_key)).status).toBe(200)
    expect((await rotate(t, 'ten_01HZZZZZZZZZZZZZZZZZZZZZZZ')).status).toBe(404)
    await t.request('DELETE', `/platform/v1/tenants/${tenant.id}`, { token: t.platformKey })
    expect((await rotate(t, tenant.id)).status).toBe(404)
  })
})
