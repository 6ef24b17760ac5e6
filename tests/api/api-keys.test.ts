import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { apiKeys } from '../../src/features/api-keys/schema'
import { outbox } from '../../src/platform/db/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { waitFor } from '../support/wait'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const KEY_FORMAT = /^tk_live_[0-9a-z]{16}_[A-Za-z0-9_-]{43}$/

interface PublicApiKey {
  object: string
  id: string
  name: string
  scopes: string[]
  key_prefix: string
  status: string
  expires_at: number | null
  last_used_at: number | null
  revoked_at: number | null
  created_at: number
  updated_at: number
  key?: string
}

async function createKey(
  app: TestApp,
  tenant: CreatedTenant,
  body: Record<string, unknown> = {},
): Promise<PublicApiKey & { key: string }> {
  const res = await app.request('POST', '/v1/api-keys', {
    token: tenant.secret_key,
    json: { name: 'Billing backend', scopes: ['users:read'], ...body },
  })
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as PublicApiKey & { key: string }
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status)
  const err = await firstError(res)
  expect(err.code).toBe(code)
  return err
}

const listUsers = (app: TestApp, headers: Record<string, string>) => app.request('GET', '/v1/users', { headers })

describe('POST /v1/api-keys', () => {
  it('returns the key once, stores only its hash, and never shows it again', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('POST', '/v1/api-keys', {
      token: tenant.secret_key,
      json: { name: 'Billing backend', scopes: ['users:read', 'audit:read'] },
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const created = (await res.json()) as PublicApiKey & { key: string }
    expect(created).toMatchObject({
      object: 'api_key',
      name: 'Billing backend',
      scopes: ['users:read', 'audit:read'],
      status: 'active',
      expires_at: null,
      last_used_at: null,
      revoked_at: null,
    })
    expect(created.id).toMatch(/^ak_[0-9A-Z]{26}$/)
    expect(created.key).toMatch(KEY_FORMAT)
    expect(created.key_prefix).toBe(created.key.slice(0, created.key.lastIndexOf('_')))
    expect(created.key_prefix).toMatch(/^tk_live_[0-9a-z]{16}$/)
    expect(typeof created.created_at).toBe('number')

    const [row] = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(apiKeys).where(eq(apiKeys.id, created.id)),
    )
    expect(row!.keyHash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(row)).not.toContain(created.key.slice(created.key_prefix.length + 1))

    const read = await t.request('GET', `/v1/api-keys/${created.id}`, { token: tenant.secret_key })
    expect(read.status).toBe(200)
    const again = (await read.json()) as PublicApiKey
    expect(again.key).toBeUndefined()
    expect(again.key_prefix).toBe(created.key_prefix)
    const list = (await (await t.request('GET', '/v1/api-keys', { token: tenant.secret_key })).json()) as {
      data: PublicApiKey[]
      meta: { next_cursor: string | null }
    }
    expect(list.data.map((k) => k.id)).toEqual([created.id])
    expect(list.data[0]!.key).toBeUndefined()
    expect(list.meta.next_cursor).toBeNull()
  })

  it('audits the creation and emits apiKey.created without the key', async () => {
    const tenant = await newTenant(t)
    const created = await createKey(t, tenant)
    const audit = await t.request('GET', '/v1/audit-events?action=api_key.created', { token: tenant.secret_key })
    const events = ((await audit.json()) as { data: { target: { id: string } }[] }).data
    expect(events.map((e) => e.target.id)).toEqual([created.id])
    const rows = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx
        .select()
        .from(outbox)
        .where(and(eq(outbox.tenantId, tenant.id), eq(outbox.type, 'apiKey.created'))),
    )
    expect(rows).toHaveLength(1)
    expect(JSON.stringify(rows[0]!.payload)).toContain(created.id)
    expect(JSON.stringify(rows[0]!.payload)).not.toContain(created.key)
  })

  it('refuses an unknown scope with 422 naming it, and a missing name', async () => {
    const tenant = await newTenant(t)
    const unknown = await t.request('POST', '/v1/api-keys', {
      token: tenant.secret_key,
      json: { name: 'x', scopes: ['users:read', 'users:delete'] },
    })
    const err = await expectError(unknown, 422, 'form_param_format_invalid')
    expect(err.meta.param_name).toBe('scopes.1')
    const nameless = await t.request('POST', '/v1/api-keys', {
      token: tenant.secret_key,
      json: { scopes: ['users:read'] },
    })
    expect((await expectError(nameless, 422, 'form_param_missing')).meta.param_name).toBe('name')
  })

  it('pages the list with the §2 cursor', async () => {
    const tenant = await newTenant(t)
    const ids = []
    for (let i = 0; i < 3; i++) ids.push((await createKey(t, tenant, { name: `k${i}` })).id)
    const first = (await (await t.request('GET', '/v1/api-keys?limit=2', { token: tenant.secret_key })).json()) as {
      data: PublicApiKey[]
      meta: { next_cursor: string }
    }
    expect(first.data.map((k) => k.id)).toEqual([ids[2]!, ids[1]!])
    const second = (await (
      await t.request('GET', `/v1/api-keys?limit=2&cursor=${first.meta.next_cursor}`, { token: tenant.secret_key })
    ).json()) as { data: PublicApiKey[]; meta: { next_cursor: string | null } }
    expect(second.data.map((k) => k.id)).toEqual([ids[0]!])
    expect(second.meta.next_cursor).toBeNull()
  })
})

describe('authenticating with a service key', () => {
  it('works from Authorization: Bearer and from X-API-Key, and records last_used_at', async () => {
    const tenant = await newTenant(t)
    const { id, key } = await createKey(t, tenant)
    expect((await listUsers(t, { authorization: `Bearer ${key}` })).status).toBe(200)
    expect((await listUsers(t, { 'x-api-key': key })).status).toBe(200)
    expect((await listUsers(t, { 'x-api-key': key, authorization: `Bearer ${key}` })).status).toBe(200)
    const read = (await (
      await t.request('GET', `/v1/api-keys/${id}`, { token: tenant.secret_key })
    ).json()) as PublicApiKey
    expect(read.last_used_at).toBe(t.clock.now())
  })

  it('refuses two different credentials, a secret key in X-API-Key, and a malformed or unknown key', async () => {
    const tenant = await newTenant(t)
    const { key } = await createKey(t, tenant)
    const other = await createKey(t, tenant)
    await expectError(
      await listUsers(t, { 'x-api-key': key, authorization: `Bearer ${other.key}` }),
      401,
      'authentication_invalid',
    )
    await expectError(
      await listUsers(t, { 'x-api-key': key, authorization: `Bearer ${tenant.secret_key}` }),
      401,
      'authentication_invalid',
    )
    await expectError(await listUsers(t, { 'x-api-key': tenant.secret_key }), 401, 'authentication_invalid')
    await expectError(await listUsers(t, { 'x-api-key': `${key}x` }), 401, 'authentication_invalid')
    const forged = `${key.slice(0, -4)}AAAA`
    await expectError(await listUsers(t, { 'x-api-key': forged }), 401, 'authentication_invalid')
  })

  it('refuses a revoked key here and, within 2 s, on another node', async () => {
    const tenant = await newTenant(t)
    const { id, key } = await createKey(t, tenant)
    const nodeB = await testApp({ platformApiKey: t.platformKey, encryptionKey: t.deps.config.encryptionKey })
    try {
      nodeB.clock.set(t.clock.now())
      nodeB.deps.changes.start()
      expect((await listUsers(nodeB, { 'x-api-key': key })).status).toBe(200)
      const res = await t.request('POST', `/v1/api-keys/${id}/revoke`, { token: tenant.secret_key })
      expect(res.status).toBe(200)
      const revoked = (await res.json()) as PublicApiKey
      expect(revoked).toMatchObject({ status: 'revoked', revoked_at: t.clock.now() })
      await expectError(await listUsers(t, { 'x-api-key': key }), 401, 'authentication_invalid')
      // Node B shares no bus with this one in embedded mode: its poll of the change feed tells it.
      await waitFor(async () => (await listUsers(nodeB, { 'x-api-key': key })).status === 401, 2000)
    } finally {
      await nodeB.close()
    }
    const audit = await t.request('GET', '/v1/audit-events?action=api_key.revoked', { token: tenant.secret_key })
    expect(((await audit.json()) as { data: unknown[] }).data).toHaveLength(1)
  })

  it('refuses a key once now reaches expires_at, and shows it as expired', async () => {
    const tenant = await newTenant(t)
    const { id, key, expires_at } = await createKey(t, tenant, { expires_at: t.clock.now() + 60_000 })
    expect(expires_at).toBe(t.clock.now() + 60_000)
    expect((await listUsers(t, { 'x-api-key': key })).status).toBe(200)
    t.clock.advance(60_000)
    await expectError(await listUsers(t, { 'x-api-key': key }), 401, 'authentication_invalid')
    const read = (await (
      await t.request('GET', `/v1/api-keys/${id}`, { token: tenant.secret_key })
    ).json()) as PublicApiKey
    expect(read.status).toBe('expired')
  })

  it('refuses an expires_at in the past', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('POST', '/v1/api-keys', {
      token: tenant.secret_key,
      json: { name: 'x', scopes: ['users:read'], expires_at: t.clock.now() },
    })
    expect((await expectError(res, 422, 'form_param_format_invalid')).meta.param_name).toBe('expires_at')
  })
})

describe('scopes', () => {
  it('lets users:read list users but not create one (403 required_scope users:write)', async () => {
    const tenant = await newTenant(t)
    const { key } = await createKey(t, tenant, { scopes: ['users:read'] })
    expect((await listUsers(t, { 'x-api-key': key })).status).toBe(200)
    const create = await t.request('POST', '/v1/users', {
      headers: { 'x-api-key': key },
      json: { email_address: ['a@example.com'] },
    })
    expect((await expectError(create, 403, 'permission_denied')).meta.required_scope).toBe('users:write')
    const webhooks = await t.request('GET', '/v1/webhooks/endpoints', { headers: { 'x-api-key': key } })
    expect((await expectError(webhooks, 403, 'permission_denied')).meta.required_scope).toBe('webhooks:manage')
  })

  it('names the service key, not the secret key, as the actor of what it does (API.md §11 audit actor api_key)', async () => {
    const tenant = await newTenant(t)
    const { id, key } = await createKey(t, tenant, { scopes: ['users:write'] })
    const created = await t.request('POST', '/v1/users', {
      headers: { 'x-api-key': key },
      json: { email_address: ['audited@example.com'] },
    })
    expect(created.status).toBe(201)
    const userId = ((await created.json()) as { id: string }).id
    expect((await t.request('POST', `/v1/users/${userId}/ban`, { headers: { 'x-api-key': key } })).status).toBe(200)
    const res = await t.request('GET', '/v1/audit-events', { token: tenant.secret_key })
    const events = ((await res.json()) as { data: { action: string; actor: { type: string; id: string } }[] }).data
    for (const action of ['user.created', 'user.banned'])
      expect(events.find((e) => e.action === action)?.actor).toEqual({ type: 'api_key', id })
    // The secret key is named as itself.
    await t.request('POST', `/v1/users/${userId}/unban`, { token: tenant.secret_key })
    const again = (
      (await (await t.request('GET', '/v1/audit-events', { token: tenant.secret_key })).json()) as {
        data: { action: string; actor: { type: string; id: string } }[]
      }
    ).data
    expect(again.find((e) => e.action === 'user.unbanned')?.actor).toEqual({ type: 'secret_key', id: tenant.id })
  })

  it('lets users:write read too', async () => {
    const tenant = await newTenant(t)
    const { key } = await createKey(t, tenant, { scopes: ['users:write'] })
    const created = await t.request('POST', '/v1/users', {
      headers: { authorization: `Bearer ${key}` },
      json: { email_address: ['b@example.com'] },
    })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    expect((await t.request('GET', `/v1/users/${id}`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(
      200,
    )
  })

  it('keeps service keys out of /v1/api-keys, whatever their scopes', async () => {
    const tenant = await newTenant(t)
    const { id, key } = await createKey(t, tenant, { scopes: ['users:write', 'settings:manage', 'webhooks:manage'] })
    for (const [method, path] of [
      ['GET', '/v1/api-keys'],
      ['GET', `/v1/api-keys/${id}`],
      ['POST', `/v1/api-keys/${id}/revoke`],
    ] as const)
      await expectError(await t.request(method, path, { headers: { 'x-api-key': key } }), 403, 'permission_denied')
    const create = await t.request('POST', '/v1/api-keys', {
      headers: { 'x-api-key': key },
      json: { name: 'escalate', scopes: ['audit:read'] },
    })
    await expectError(create, 403, 'permission_denied')
  })
})

describe('tenant isolation', () => {
  it('answers 404 for another tenant’s key id, and the key works only for its own tenant', async () => {
    const mine = await newTenant(t)
    const theirs = await newTenant(t)
    const foreign = await createKey(t, theirs)
    for (const [method, path] of [
      ['GET', `/v1/api-keys/${foreign.id}`],
      ['POST', `/v1/api-keys/${foreign.id}/revoke`],
    ] as const)
      await expectError(await t.request(method, path, { token: mine.secret_key }), 404, 'resource_not_found')
    await t.request('POST', '/v1/users', { token: mine.secret_key, json: { email_address: ['c@example.com'] } })
    const users = await listUsers(t, { 'x-api-key': foreign.key })
    expect(users.status).toBe(200)
    expect(((await users.json()) as { data: unknown[] }).data).toHaveLength(0)
  })

  it('stops a deleted tenant’s service keys', async () => {
    const tenant = await newTenant(t)
    const { key } = await createKey(t, tenant)
    expect((await listUsers(t, { 'x-api-key': key })).status).toBe(200)
    await t.request('DELETE', `/platform/v1/tenants/${tenant.id}`, { token: t.platformKey })
    await expectError(await listUsers(t, { 'x-api-key': key }), 401, 'authentication_invalid')
  })
})
