import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { firstError, newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { nativeClient } from '../support/flows'

/**
 * Security review #12: a NUL character (which PostgreSQL and PGlite refuse in text), a lone
 * surrogate or invalid UTF-8 anywhere in a request answered 500. It is a 4xx, and nothing is stored.
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const createUser = (tenant: CreatedTenant, json: unknown) =>
  t.request('POST', '/v1/users', { token: tenant.secret_key, json })
const userCount = async (tenant: CreatedTenant) => {
  const res = await t.request('GET', '/v1/users', { token: tenant.secret_key })
  expect(res.status).toBe(200)
  return ((await res.json()) as { data: unknown[] }).data.length
}

describe('JSON bodies', () => {
  it('refuses a NUL in a string with 422 form_param_format_invalid naming it; stores nothing', async () => {
    const tenant = await newTenant(t)
    const res = await createUser(tenant, { email_address: ['nul@example.com'], first_name: 'a\u0000b' })
    expect(res.status).toBe(422)
    const error = await firstError(res)
    expect(error).toMatchObject({ code: 'form_param_format_invalid', meta: { param_name: 'first_name' } })
    expect(await userCount(tenant)).toBe(0)
  })

  it('names a NUL deep inside metadata by its path', async () => {
    const tenant = await newTenant(t)
    const public_metadata = { a: { b: ['ok', 'x\u0000'] } }
    const res = await createUser(tenant, { email_address: ['deep@example.com'], public_metadata })
    expect(res.status).toBe(422)
    expect((await firstError(res)).meta.param_name).toBe('public_metadata.a.b.1')
    expect(await userCount(tenant)).toBe(0)
  })

  it('refuses a lone surrogate in a metadata key, and the user list still reads', async () => {
    const tenant = await newTenant(t)
    const res = await createUser(tenant, { email_address: ['lone@example.com'], public_metadata: { '\ud800': 1 } })
    expect(res.status).toBe(422)
    const error = await firstError(res)
    expect(error).toMatchObject({ code: 'form_param_format_invalid', meta: { param_name: 'public_metadata' } })
    expect(await userCount(tenant)).toBe(0)
  })

  it('refuses bytes that are not UTF-8 with 400 malformed_request', async () => {
    const tenant = await newTenant(t)
    const utf8 = (s: string) => [...new TextEncoder().encode(s)]
    const body = new Uint8Array([...utf8('{"first_name":"'), 0xff, 0xfe, ...utf8('"}')])
    const headers = { 'content-type': 'application/json' }
    const res = await t.request('POST', '/v1/users', { token: tenant.secret_key, body, headers })
    expect(res.status).toBe(400)
    expect((await firstError(res)).code).toBe('malformed_request')
    expect(await userCount(tenant)).toBe(0)
  })

  it('refuses a NUL in a form-encoded body as well (where a form is taken at all)', async () => {
    const tenant = await newTenant(t)
    const headers = { 'content-type': 'application/x-www-form-urlencoded', origin: PUBLIC_URL }
    const res = await t.request('POST', `/t/${tenant.slug}/v1/verify?token=abc`, { body: 'csrf=a%00b', headers })
    expect(res.status).toBe(422)
    // JSON routes take no form at all.
    const users = await t.request('POST', '/v1/users', { token: tenant.secret_key, body: 'first_name=a%00b', headers })
    expect(users.status).toBe(400)
    expect(await userCount(tenant)).toBe(0)
  })

  it('refuses a body nested far beyond any schema with 422 before validation, never a 500', async () => {
    // The same walk bounds nesting: the validator recurses, and a 1 MB body of brackets made it fail.
    const tenant = await newTenant(t)
    const n = 400_000
    const body = `{"public_metadata":${'['.repeat(n)}${']'.repeat(n)}}`
    const headers = { 'content-type': 'application/json' }
    const res = await t.request('POST', '/v1/users', { token: tenant.secret_key, body, headers })
    expect(res.status).toBe(422)
    expect((await firstError(res)).meta).toMatchObject({ param_name: 'public_metadata', reason: 'too_deep' })
    expect(await userCount(tenant)).toBe(0)
  })

  it('stores and returns other Unicode, astral characters included, unchanged', async () => {
    const tenant = await newTenant(t)
    const public_metadata = { 'clé 🔑': 'välue' }
    const res = await createUser(tenant, { email_address: ['zoe@example.com'], first_name: 'Zoë 🦊', public_metadata })
    expect(res.status).toBe(201)
    const user = (await res.json()) as { first_name: string; public_metadata: Record<string, string> }
    expect(user.first_name).toBe('Zoë 🦊')
    expect(user.public_metadata).toEqual({ 'clé 🔑': 'välue' })
    expect(await userCount(tenant)).toBe(1)
  })
})

describe('Frontend API sign-in identifier', () => {
  it('refuses a NUL in the identifier with a 4xx; a clean identifier starts an attempt', async () => {
    const tenant = await newTenant(t)
    const client = nativeClient(t, tenant)
    const res = await client.request('POST', '/client/sign-ins', { identifier: 'victim\u0000@example.com' })
    expect(res.status).toBe(422)
    expect((await firstError(res)).meta.param_name).toBe('identifier')
    expect((await client.request('POST', '/client/sign-ins', { identifier: 'victim@example.com' })).status).toBe(200)
  })
})

describe('query strings and paths', () => {
  it('refuses a NUL in a query parameter with 422 naming it', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('GET', '/v1/users?query=%00', { token: tenant.secret_key })
    expect(res.status).toBe(422)
    expect(await firstError(res)).toMatchObject({ code: 'form_param_format_invalid', meta: { param_name: 'query' } })
    const bad = await t.request('GET', '/v1/users?query=%E0%A4%A', { token: tenant.secret_key })
    expect(bad.status).toBe(422)
    expect((await t.request('GET', '/v1/users?query=z%C3%AB', { token: tenant.secret_key })).status).toBe(200)
  })

  it('answers a NUL or broken escape in a path id with a 4xx, never a 500', async () => {
    const tenant = await newTenant(t)
    for (const id of ['user_%00', 'user_%E0%A4%A', '%00']) {
      const res = await t.request('GET', `/v1/users/${id}`, { token: tenant.secret_key })
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
    }
    const slug = await t.request('GET', '/t/a%00b/v1/client', { headers: { 'x-native-client': '1' } })
    expect(slug.status).toBeGreaterThanOrEqual(400)
    expect(slug.status).toBeLessThan(500)
    const unknown = await t.request('GET', '/v1/users/user_01ARZ3NDEKTSV4RRFFQ69G5FAV', { token: tenant.secret_key })
    expect(unknown.status).toBe(404)
  })
})
