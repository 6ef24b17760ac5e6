import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose'
import { newLicenseKey } from '../../src/features/licenses/key-format'
import { newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { newUser } from '../support/flows'
import { auditOf, expectError, newOrg, ok, outboxOf } from '../support/orgs'

/**
 * License keys (API.md §18): products, keys shown once and stored hashed, device activations with an
 * offline-verifiable token, validation, revocation, the activation limit under concurrency, rate limits.
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
  // The test names the caller's address (there is no socket under app.handle).
  t.deps.peerOf = (request) => request.headers.get('x-test-peer')
})
afterAll(() => t.close())

interface Product {
  object: string
  id: string
  key_prefix: string
  default_max_activations: number | null
}
interface License {
  object: string
  id: string
  product_id: string
  user_id: string | null
  organization_id: string | null
  key_hint: string
  status: string
  expires_at: number | null
  max_activations: number | null
  activations_count: number
  metadata: Record<string, unknown>
  last_validated_at: number | null
  key?: string
}
interface Validation {
  object: string
  valid: boolean
  code: string
  license: { id: string; status: string; activations_count: number } | null
}

const bapi = (tenant: CreatedTenant, method: string, path: string, json?: unknown) =>
  t.request(method, path, { token: tenant.secret_key, ...(json === undefined ? {} : { json }) })
const pub = (tenant: CreatedTenant, action: string, json: unknown, ip = '203.0.113.7') =>
  t.request('POST', `/t/${tenant.slug}/v1/licenses/${action}`, { json, headers: { 'x-test-peer': ip } })

let prefixes = 0
async function product(tenant: CreatedTenant, body: Record<string, unknown> = {}) {
  prefixes++
  const key_prefix = `P${String(prefixes).padStart(3, '0')}`
  return ok<Product>(await bapi(tenant, 'POST', '/v1/products', { name: 'Pro', key_prefix, ...body }), 201)
}

async function license(tenant: CreatedTenant, body: Record<string, unknown>) {
  return ok<License>(await bapi(tenant, 'POST', '/v1/license-keys', body), 201)
}

const device = () => `fp-${crypto.randomUUID()}`

describe('products', () => {
  it('creates, lists, updates; a taken prefix is 409; one with keys cannot be deleted', async () => {
    const tenant = await newTenant(t)
    const p = await product(tenant, { default_max_activations: 3 })
    expect(p).toMatchObject({ object: 'product', default_max_activations: 3 })
    expect(p.id).toMatch(/^prod_/)
    await expectError(
      await bapi(tenant, 'POST', '/v1/products', { name: 'Again', key_prefix: p.key_prefix }),
      409,
      'duplicate_record',
      { param_name: 'key_prefix' },
    )
    for (const key_prefix of ['a', 'lower', 'TOOLONGXX', 'A-B'])
      expect((await bapi(tenant, 'POST', '/v1/products', { name: 'X', key_prefix })).status).toBe(422)
    const list = await ok<{ data: Product[] }>(await bapi(tenant, 'GET', '/v1/products'))
    expect(list.data.map((x) => x.id)).toEqual([p.id])
    expect((await ok<Product>(await bapi(tenant, 'PATCH', `/v1/products/${p.id}`, { name: 'Pro+' }))).key_prefix).toBe(
      p.key_prefix,
    )
    await license(tenant, { product_id: p.id })
    await expectError(await bapi(tenant, 'DELETE', `/v1/products/${p.id}`), 409, 'resource_in_use')
    const empty = await product(tenant)
    expect(await ok(await bapi(tenant, 'DELETE', `/v1/products/${empty.id}`))).toEqual({
      object: 'product',
      id: empty.id,
      deleted: true,
    })
    expect((await bapi(await newTenant(t), 'GET', `/v1/products/${p.id}`)).status).toBe(404)
  })
})

describe('license keys', () => {
  it('issues a checksummed key shown once, bound to a user, with the product’s activation limit', async () => {
    const tenant = await newTenant(t)
    const p = await product(tenant, { default_max_activations: 2 })
    const user = await newUser(t, tenant)
    const lic = await license(tenant, { product_id: p.id, user_id: user.id, metadata: { plan: 'pro' } })
    expect(lic.key).toMatch(new RegExp(`^${p.key_prefix}(-[0-9A-HJKMNP-TV-Z]{5}){5}-[0-9A-HJKMNP-TV-Z]{4}$`))
    expect(lic).toMatchObject({
      object: 'license_key',
      product_id: p.id,
      user_id: user.id,
      organization_id: null,
      key_hint: `${p.key_prefix}${lic.key!.slice(-4)}`,
      status: 'active',
      max_activations: 2,
      activations_count: 0,
      metadata: { plan: 'pro' },
    })
    const read = await ok<License>(await bapi(tenant, 'GET', `/v1/license-keys/${lic.id}`))
    expect(read.key).toBeUndefined()
    expect(JSON.stringify(read)).not.toContain(lic.key!.slice(5, 16))
    expect((await outboxOf(t, tenant)).map((e) => e.type)).toContain('licenseKey.created')
    expect((await auditOf(t, tenant)).some((a) => a.action === 'licenseKey.created')).toBe(true)
  })

  it('refuses a user and an organization together, another tenant’s user or product, and a past expiry', async () => {
    const tenant = await newTenant(t)
    const p = await product(tenant)
    const user = await newUser(t, tenant)
    const org = await newOrg(t, tenant)
    const other = await newTenant(t)
    const foreign = await newUser(t, other)
    const foreignProduct = await product(other)
    const cases: [Record<string, unknown>, string][] = [
      [{ product_id: p.id, user_id: user.id, organization_id: org.id }, 'organization_id'],
      [{ product_id: p.id, user_id: foreign.id }, 'user_id'],
      [{ product_id: foreignProduct.id }, 'product_id'],
      [{ product_id: p.id, expires_at: t.clock.now() - 1 }, 'expires_at'],
      [{ product_id: p.id, expires_at: 1e20 }, 'expires_at'],
    ]
    for (const [body, param] of cases)
      await expectError(await bapi(tenant, 'POST', '/v1/license-keys', body), 422, 'form_param_format_invalid', {
        param_name: param,
      })
    expect((await bapi(tenant, 'POST', '/v1/license-keys', { product_id: p.id, extra: 1 })).status).toBe(422)
    expect((await ok<{ data: unknown[] }>(await bapi(tenant, 'GET', '/v1/license-keys'))).data).toEqual([])
  })

  it('lists by product, owner and status', async () => {
    const tenant = await newTenant(t)
    const [a, b] = [await product(tenant), await product(tenant)]
    const org = await newOrg(t, tenant)
    const one = await license(tenant, { product_id: a.id, organization_id: org.id })
    const two = await license(tenant, { product_id: b.id })
    const revoked = await license(tenant, { product_id: b.id })
    await ok(await bapi(tenant, 'POST', `/v1/license-keys/${revoked.id}/revoke`))
    const ids = async (query: string) =>
      (await ok<{ data: License[] }>(await bapi(tenant, 'GET', `/v1/license-keys?${query}`))).data.map((l) => l.id)
    expect(await ids(`product_id=${b.id}`)).toEqual([revoked.id, two.id])
    expect(await ids(`organization_id=${org.id}`)).toEqual([one.id])
    expect(await ids('status=revoked')).toEqual([revoked.id])
    expect(await ids('status=active')).toEqual([two.id, one.id])
    expect((await bapi(tenant, 'GET', '/v1/license-keys?user_id=user_x&organization_id=org_y')).status).toBe(422)
  })
})

describe('activation (public, per device)', () => {
  it('returns a license+jwt verifiable offline with the JWKS; the same device again is 200 with the same id', async () => {
    const tenant = await newTenant(t)
    const p = await product(tenant)
    const user = await newUser(t, tenant)
    const expiresAt = t.clock.now() + 7 * 86_400_000
    const lic = await license(tenant, { product_id: p.id, user_id: user.id, expires_at: expiresAt })
    const fingerprint = device()
    const res = await pub(tenant, 'activate', {
      key: lic.key!.toLowerCase(),
      device_fingerprint: fingerprint,
      device_name: 'Laptop',
    })
    const first = await ok<{ object: string; activation_id: string; token: string }>(res, 201)
    expect(first.object).toBe('license_token')
    expect(first.activation_id).toMatch(/^act_/)
    const jwks = (await (await t.request('GET', `/t/${tenant.slug}/.well-known/jwks.json`)).json()) as JSONWebKeySet
    const { payload } = await jwtVerify(first.token, createLocalJWKSet(jwks), {
      issuer: tenant.issuer,
      audience: p.id,
      currentDate: new Date(t.clock.now()),
      typ: 'license+jwt',
    })
    expect(decodeProtectedHeader(first.token).typ).toBe('license+jwt')
    expect(payload).toMatchObject({
      sub: lic.id,
      activation_id: first.activation_id,
      device_fingerprint: fingerprint,
      license_expires_at: expiresAt,
      user_id: user.id,
    })
    // Never past the license's expiry (shorter than the 30-day token lifetime here).
    expect(payload.exp!).toBeLessThanOrEqual(Math.floor(expiresAt / 1000))
    const again = await ok<{ activation_id: string }>(
      await pub(tenant, 'activate', { key: lic.key, device_fingerprint: fingerprint }),
    )
    expect(again.activation_id).toBe(first.activation_id)
    const acts = await ok<{ data: { id: string; device_name: string; status: string }[] }>(
      await bapi(tenant, 'GET', `/v1/license-keys/${lic.id}/activations`),
    )
    expect(acts.data).toEqual([
      expect.objectContaining({ id: first.activation_id, device_name: 'Laptop', status: 'active' }),
    ])
    expect((await outboxOf(t, tenant)).filter((e) => e.type === 'license.activated')).toHaveLength(1)
    // A session's verifier and introspection never take it.
    expect((await t.request('GET', `/t/${tenant.slug}/v1/me`, { token: first.token })).status).toBe(401)
    const introspected = await ok<{ active: boolean }>(
      await bapi(tenant, 'POST', '/v1/tokens/introspect', { token: first.token }),
    )
    expect(introspected.active).toBe(false)
  })

  it('stops at max_activations, and a deactivated device frees its slot', async () => {
    const tenant = await newTenant(t)
    const lic = await license(tenant, { product_id: (await product(tenant)).id, max_activations: 2 })
    const [a, b, c] = [device(), device(), device()]
    await ok(await pub(tenant, 'activate', { key: lic.key, device_fingerprint: a }), 201)
    await ok(await pub(tenant, 'activate', { key: lic.key, device_fingerprint: b }), 201)
    await expectError(
      await pub(tenant, 'activate', { key: lic.key, device_fingerprint: c }),
      409,
      'license_activation_limit_reached',
    )
    const released = await ok<{ object: string; status: string }>(
      await pub(tenant, 'deactivate', { key: lic.key, device_fingerprint: a }),
    )
    expect(released).toMatchObject({ object: 'license_activation', status: 'deactivated' })
    await ok(await pub(tenant, 'activate', { key: lic.key, device_fingerprint: c }), 201)
    expect((await ok<License>(await bapi(tenant, 'GET', `/v1/license-keys/${lic.id}`))).activations_count).toBe(2)
    expect((await pub(tenant, 'deactivate', { key: lic.key, device_fingerprint: device() })).status).toBe(404)
    expect((await outboxOf(t, tenant)).map((e) => e.type)).toContain('license.deactivated')
  })

  it('never goes over the limit under 20 concurrent activations', async () => {
    const tenant = await newTenant(t, {
      settings: { rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 } },
    })
    const lic = await license(tenant, { product_id: (await product(tenant)).id, max_activations: 5 })
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        pub(tenant, 'activate', { key: lic.key, device_fingerprint: device() }, `198.51.100.${i + 1}`),
      ),
    )
    const statuses = results.map((r) => r.status).sort()
    expect(statuses.filter((s) => s === 201)).toHaveLength(5)
    expect(statuses.filter((s) => s === 409)).toHaveLength(15)
    const read = await ok<License>(await bapi(tenant, 'GET', `/v1/license-keys/${lic.id}`))
    expect(read.activations_count).toBe(5)
    const acts = await ok<{ data: unknown[] }>(await bapi(tenant, 'GET', `/v1/license-keys/${lic.id}/activations`))
    expect(acts.data).toHaveLength(5)
  })

  it('refuses a malformed, unknown, revoked or expired key with 422 license_invalid and its reason', async () => {
    const tenant = await newTenant(t)
    const p = await product(tenant)
    const lic = await license(tenant, { product_id: p.id, expires_at: t.clock.now() + 60_000 })
    const typo = lic.key!.slice(0, -1) + (lic.key!.endsWith('0') ? '1' : '0')
    const reasons: [string, string][] = [
      [typo, 'malformed'],
      [newLicenseKey(p.key_prefix), 'not_found'],
    ]
    for (const [key, reason] of reasons)
      await expectError(await pub(tenant, 'activate', { key, device_fingerprint: device() }), 422, 'license_invalid', {
        reason,
      })
    // Another tenant's key is unknown here.
    const other = await newTenant(t)
    await expectError(
      await pub(other, 'activate', { key: lic.key, device_fingerprint: device() }),
      422,
      'license_invalid',
      { reason: 'not_found' },
    )
    t.clock.advance(60_000)
    await expectError(
      await pub(tenant, 'activate', { key: lic.key, device_fingerprint: device() }),
      422,
      'license_invalid',
      {
        reason: 'expired',
      },
    )
    const revocable = await license(tenant, { product_id: p.id })
    await ok(await bapi(tenant, 'POST', `/v1/license-keys/${revocable.id}/revoke`))
    await expectError(
      await pub(tenant, 'activate', { key: revocable.key, device_fingerprint: device() }),
      422,
      'license_invalid',
      { reason: 'revoked' },
    )
  })
})

describe('validation', () => {
  it('says valid, not_activated, malformed, not_found, revoked; bumps last_validated_at', async () => {
    const tenant = await newTenant(t)
    const p = await product(tenant)
    const lic = await license(tenant, { product_id: p.id })
    const fingerprint = device()
    await ok(await pub(tenant, 'activate', { key: lic.key, device_fingerprint: fingerprint }), 201)
    const check = async (body: Record<string, unknown>) => ok<Validation>(await pub(tenant, 'validate', body))
    expect(await check({ key: lic.key, device_fingerprint: fingerprint })).toMatchObject({
      object: 'license_validation',
      valid: true,
      code: 'valid',
      license: { id: lic.id, status: 'active', activations_count: 1 },
    })
    expect(await check({ key: lic.key })).toMatchObject({ valid: true, code: 'valid' })
    expect(await check({ key: lic.key, device_fingerprint: device() })).toMatchObject({
      valid: false,
      code: 'not_activated',
    })
    expect(await check({ key: `${lic.key}X` })).toEqual({
      object: 'license_validation',
      valid: false,
      code: 'malformed',
      license: null,
    })
    expect(await check({ key: newLicenseKey(p.key_prefix) })).toMatchObject({ code: 'not_found', license: null })
    expect((await ok<License>(await bapi(tenant, 'GET', `/v1/license-keys/${lic.id}`))).last_validated_at).toBe(
      t.clock.now(),
    )
    const revoked = await ok<License>(await bapi(tenant, 'POST', `/v1/license-keys/${lic.id}/revoke`))
    expect(revoked.status).toBe('revoked')
    expect(await check({ key: lic.key, device_fingerprint: fingerprint })).toMatchObject({
      valid: false,
      code: 'revoked',
      license: { status: 'revoked' },
    })
    expect((await outboxOf(t, tenant)).map((e) => e.type)).toContain('license.revoked')
    // The Backend API's verify answers the same.
    expect(await ok<Validation>(await bapi(tenant, 'POST', '/v1/license-keys/verify', { key: lic.key }))).toMatchObject(
      {
        code: 'revoked',
      },
    )
  })

  it('counts per key and per IP: past the tenant’s limits, 429 with Retry-After', async () => {
    const tenant = await newTenant(t, {
      settings: { rate_limits: { per_ip_per_minute: 100, per_identifier_per_minute: 3 } },
    })
    const lic = await license(tenant, { product_id: (await product(tenant)).id })
    for (let i = 0; i < 3; i++)
      expect((await pub(tenant, 'validate', { key: lic.key }, `192.0.2.${i + 1}`)).status).toBe(200)
    const limited = await pub(tenant, 'validate', { key: lic.key }, '192.0.2.50')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).not.toBeNull()
    const byIp = await newTenant(t, {
      settings: { rate_limits: { per_ip_per_minute: 2, per_identifier_per_minute: 100 } },
    })
    for (let i = 0; i < 2; i++) await pub(byIp, 'validate', { key: 'garbage' }, '192.0.2.9')
    expect((await pub(byIp, 'validate', { key: 'garbage' }, '192.0.2.9')).status).toBe(429)
  })

  it('lets an administrator free a device and delete a key with its activations', async () => {
    const tenant = await newTenant(t)
    const lic = await license(tenant, { product_id: (await product(tenant)).id, max_activations: 1 })
    const fingerprint = device()
    const { activation_id } = await ok<{ activation_id: string }>(
      await pub(tenant, 'activate', { key: lic.key, device_fingerprint: fingerprint }),
      201,
    )
    expect(await ok(await bapi(tenant, 'DELETE', `/v1/license-keys/${lic.id}/activations/${activation_id}`))).toEqual({
      object: 'license_activation',
      id: activation_id,
      deleted: true,
    })
    expect(
      await ok<Validation>(await pub(tenant, 'validate', { key: lic.key, device_fingerprint: fingerprint })),
    ).toMatchObject({ code: 'not_activated', license: { activations_count: 0 } })
    await ok(await pub(tenant, 'activate', { key: lic.key, device_fingerprint: device() }), 201)
    await ok(await bapi(tenant, 'DELETE', `/v1/license-keys/${lic.id}`))
    expect((await ok<Validation>(await pub(tenant, 'validate', { key: lic.key }))).code).toBe('not_found')
  })
})
