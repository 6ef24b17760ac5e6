import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { nativeClient } from '../support/flows'

/**
 * Hostile input (issue #13): deep nesting, huge arrays, NUL, lone surrogates and bytes that are
 * not UTF-8, in bodies, identifiers, metadata keys, queries and paths. Each answers a 4xx in the
 * envelope within 2 s, never a 500, stores nothing, and every list reads afterwards.
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
const platformKey = () => ({ token: t.platformKey })
const NATIVE = { 'content-type': 'application/json', 'x-native-client': '1' }
afterAll(() => t.close())

const JSON_TYPE = { 'content-type': 'application/json' }
const utf8 = (s: string) => [...new TextEncoder().encode(s)]

/** A 4xx in the envelope, answered within 2 s. */
async function refused(send: () => Promise<Response>): Promise<{ status: number; code: string }> {
  const started = performance.now()
  const res = await send()
  const ms = performance.now() - started
  expect(res.status).toBeGreaterThanOrEqual(400)
  expect(res.status).toBeLessThan(500)
  const { code } = await firstError(res)
  expect(ms).toBeLessThan(2_000)
  return { status: res.status, code }
}

/** Every list of the tenant (and the platform's) still answers 200 with its data. */
async function listsRead(tenant: CreatedTenant, users: number) {
  const bapi = ['/v1/users', '/v1/sessions', '/v1/audit-events', '/v1/webhooks/endpoints']
  for (const path of bapi) expect((await t.request('GET', path, { token: tenant.secret_key })).status).toBe(200)
  const list = (await (await t.request('GET', '/v1/users', { token: tenant.secret_key })).json()) as { data: unknown[] }
  expect(list.data).toHaveLength(users)
  expect((await t.request('GET', '/platform/v1/tenants', platformKey())).status).toBe(200)
  expect((await t.request('GET', `/platform/v1/dev/messages?tenant_id=${tenant.id}`, platformKey())).status).toBe(200)
}

const nestedArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)
const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)

describe('deeply nested and huge JSON', () => {
  for (const depth of [100_000, 10_000]) {
    it(`refuses a ${depth.toLocaleString('en')}-deep array or object, as body or field, on every API`, async () => {
      const tenant = await newTenant(t)
      const bodies = [
        nestedArray(depth),
        nestedObject(depth),
        `{"public_metadata":${nestedArray(depth)}}`,
        `{"first_name":${nestedObject(depth)}}`,
      ]
      for (const body of bodies) {
        await refused(() => t.request('POST', '/v1/users', { token: tenant.secret_key, body, headers: JSON_TYPE }))
        await refused(() => t.request('PATCH', '/v1/settings', { token: tenant.secret_key, body, headers: JSON_TYPE }))
        await refused(() => t.request('POST', '/platform/v1/tenants', { ...platformKey(), body, headers: JSON_TYPE }))
        await refused(() => t.request('POST', `/t/${tenant.slug}/v1/client/sign-ups`, { body, headers: NATIVE }))
      }
      await listsRead(tenant, 0)
    }, 30_000)
  }

  it('refuses 100,000-element arrays, as the body and in fields, within 2 s', async () => {
    const tenant = await newTenant(t)
    const many = Array.from({ length: 100_000 }, (_, i) => i)
    const addresses = Array.from({ length: 100_000 }, (_, i) => `a${i}@example.com`)
    const bodies = [many, { email_address: addresses }, { public_metadata: { list: many } }, { first_name: many }]
    for (const json of bodies) {
      await refused(() => t.request('POST', '/v1/users', { token: tenant.secret_key, json }))
      const settings = { allowed_origins: json }
      await refused(() => t.request('PATCH', '/v1/settings', { token: tenant.secret_key, json: settings }))
    }
    const signUp = { email_address: addresses }
    await refused(() => t.request('POST', `/t/${tenant.slug}/v1/client/sign-ups`, { json: signUp, headers: NATIVE }))
    await listsRead(tenant, 0)
  }, 30_000)
})

describe('text that cannot be stored', () => {
  const LONE = ['\ud800', '\udfff', 'a\udc00b', '\u0000']

  it('refuses NUL and lone surrogates in names, identifiers and metadata keys with 422; stores nothing', async () => {
    const tenant = await newTenant(t)
    const client = nativeClient(t, tenant)
    for (const bad of LONE) {
      for (const json of [
        { email_address: ['ok@example.com'], first_name: bad },
        { email_address: ['ok@example.com'], last_name: `Zoë${bad}` },
        { email_address: [`x${bad}@example.com`] },
        { email_address: ['ok@example.com'], username: bad },
        { email_address: ['ok@example.com'], external_id: bad },
        { email_address: ['ok@example.com'], public_metadata: { [bad]: 1 } },
        { email_address: ['ok@example.com'], private_metadata: { nested: { [`k${bad}`]: 'v' } } },
        { email_address: ['ok@example.com'], unsafe_metadata: { k: [bad] } },
      ]) {
        const { status } = await refused(() => t.request('POST', '/v1/users', { token: tenant.secret_key, json }))
        expect(status).toBe(422)
      }
      await refused(() => client.request('POST', '/client/sign-ins', { identifier: `v${bad}@example.com` }))
      const signUp = { email_address: `v${bad}@example.com`, password: 'correct horse battery staple' }
      await refused(() => client.request('POST', '/client/sign-ups', signUp))
      await refused(() => t.request('POST', '/platform/v1/tenants', { ...platformKey(), json: { name: `T${bad}` } }))
      await refused(() => t.request('PATCH', '/v1/settings', { token: tenant.secret_key, json: { display_name: bad } }))
    }
    await listsRead(tenant, 0)
  })

  it('refuses bytes that are not UTF-8 (stray, overlong, encoded surrogates) with 400', async () => {
    const tenant = await newTenant(t)
    for (const bytes of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe0, 0xa4], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
      const body = new Uint8Array([...utf8('{"email_address":["ok@example.com"],"first_name":"'), ...bytes, 0x22, 0x7d])
      const send = () => t.request('POST', '/v1/users', { token: tenant.secret_key, body, headers: JSON_TYPE })
      const { status, code } = await refused(send)
      expect([status, code]).toEqual([400, 'malformed_request'])
    }
    await listsRead(tenant, 0)
  })

  it('refuses them percent-encoded in queries and paths, never a 500', async () => {
    const tenant = await newTenant(t)
    const client = nativeClient(t, tenant)
    for (const escaped of ['%00', '%ED%A0%80', '%FF', '%C0%80', '%E0%A4', '%']) {
      for (const query of ['query', 'email_address', 'cursor', 'user_id', 'limit']) {
        await refused(() => t.request('GET', `/v1/users?${query}=a${escaped}`, { token: tenant.secret_key }))
      }
      await refused(() => t.request('GET', `/v1/sessions?user_id=${escaped}`, { token: tenant.secret_key }))
      await refused(() => t.request('GET', `/v1/audit-events?action=${escaped}`, { token: tenant.secret_key }))
      await refused(() => t.request('GET', `/v1/users/user_${escaped}`, { token: tenant.secret_key }))
      const patch = { token: tenant.secret_key, json: { first_name: 'x' } }
      await refused(() => t.request('PATCH', `/v1/users/${escaped}`, patch))
      await refused(() => t.request('GET', `/t/${escaped}/.well-known/jwks.json`))
      await refused(() => client.request('GET', `/client/sign-ins/sia_${escaped}`))
      await refused(() => t.request('GET', `/platform/v1/tenants/ten_${escaped}`, platformKey()))
      await refused(() => t.request('GET', `/platform/v1/dev/messages?to=${escaped}`, platformKey()))
    }
    await listsRead(tenant, 0)
  })

  it('stores other Unicode unchanged, and lists and searches read it back', async () => {
    const tenant = await newTenant(t)
    const name = 'Zoë 🦊\u200b\ufeff'
    const json = { email_address: ['zoë@example.com'], first_name: name, public_metadata: { '🔑': '\u00ff' } }
    const res = await t.request('POST', '/v1/users', { token: tenant.secret_key, json })
    expect(res.status).toBe(201)
    const found = await t.request('GET', `/v1/users?query=${encodeURIComponent('🦊')}`, { token: tenant.secret_key })
    expect(found.status).toBe(200)
    const { data } = (await found.json()) as { data: { first_name: string }[] }
    expect(data.map((u) => u.first_name)).toEqual([name])
    await listsRead(tenant, 1)
  })
})
