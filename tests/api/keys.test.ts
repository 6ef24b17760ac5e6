import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
} from 'jose'
import * as KeysService from '../../src/features/keys/service'
import { signingKeys } from '../../src/features/keys/schema'
import * as TenantsService from '../../src/features/tenants/service'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { tamperedSignature } from '../support/jwt'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const owner = async (tenant: CreatedTenant) =>
  TenantsService.keyOwner(t.deps, await TenantsService.get(t.deps, tenant.id))
const fetchJwks = async (tenant: CreatedTenant, app = t) => {
  const res = await app.request('GET', `/t/${tenant.slug}/.well-known/jwks.json`)
  expect(res.status).toBe(200)
  return (await res.json()) as JSONWebKeySet
}
const sign = async (tenant: CreatedTenant, claims: Record<string, unknown> = { sub: 'user_1' }, lifetime = 600) =>
  KeysService.signToken(t.deps, await owner(tenant), claims, lifetime)

describe('GET /t/:tenant/.well-known/jwks.json', () => {
  it('publishes public members only, cacheable', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('GET', `/t/${tenant.slug}/.well-known/jwks.json`)
    expect(res.headers.get('cache-control')).toBe('public, max-age=60')
    const jwks = (await res.json()) as JSONWebKeySet
    expect(jwks.keys).toHaveLength(1)
    const key = jwks.keys[0]!
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' })
    expect(key.kid).toMatch(/^key_/)
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret)
  })

  it('answers 404 for an unknown tenant', async () => {
    const res = await t.request('GET', '/t/no-such-tenant-here/.well-known/jwks.json')
    expect(res.status).toBe(404)
    expect((await firstError(res)).code).toBe('resource_not_found')
  })

  it('stores private keys sealed, never in clear', async () => {
    const tenant = await newTenant(t)
    const [row] = await t.deps.db.select().from(signingKeys).where(eq(signingKeys.tenantId, tenant.id))
    expect(row!.privateKeySealed).toStartWith('v1.')
    expect(row!.privateKeySealed).not.toContain('PRIVATE KEY')
  })
})

describe('GET /t/:tenant/.well-known/openid-configuration', () => {
  it('names the issuer and the JWKS', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('GET', `/t/${tenant.slug}/.well-known/openid-configuration`, {
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
    })
    expect(res.status).toBe(200)
    const doc = (await res.json()) as Record<string, unknown>
    expect(doc.issuer).toBe(tenant.issuer)
    expect(doc.jwks_uri).toBe(`${tenant.issuer}/.well-known/jwks.json`)
    expect(doc.id_token_signing_alg_values_supported).toEqual(['RS256'])
  })
})

describe('signToken / verifyToken', () => {
  for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
    it(`signs with the tenant’s ${alg} key, verifiable offline with jose against the JWKS`, async () => {
      const tenant = await newTenant(t, { settings: { signing_algorithm: alg } })
      const token = await sign(tenant, { sub: 'user_1', sid: 'sess_1' })
      expect(decodeProtectedHeader(token).alg).toBe(alg)
      const { payload } = await jwtVerify(token, createLocalJWKSet(await fetchJwks(tenant)), {
        issuer: tenant.issuer,
        currentDate: new Date(t.clock.now()),
      })
      expect(payload).toMatchObject({ sub: 'user_1', sid: 'sess_1', iss: tenant.issuer })
      expect(payload.exp! - payload.iat!).toBe(600)
      expect(await KeysService.verifyToken(t.deps, await owner(tenant), token)).toMatchObject({ ok: true })
    })
  }

  it('reports an expired token as expired', async () => {
    const tenant = await newTenant(t)
    const token = await sign(tenant, {}, 60)
    t.clock.advance(61_000)
    expect(await KeysService.verifyToken(t.deps, await owner(tenant), token)).toEqual({ ok: false, reason: 'expired' })
  })

  it('remembers a verified token but still checks its expiry, and never a tampered copy', async () => {
    const tenant = await newTenant(t)
    const o = await owner(tenant)
    const token = await sign(tenant, { sub: 'user_1' }, 60)
    expect((await KeysService.verifyToken(t.deps, o, token)).ok).toBe(true)
    expect((await KeysService.verifyToken(t.deps, o, token)).ok).toBe(true)
    expect((await KeysService.verifyToken(t.deps, o, tamperedSignature(token))).ok).toBe(false)
    const other = await owner(await newTenant(t))
    expect((await KeysService.verifyToken(t.deps, other, token)).ok).toBe(false)
    t.clock.advance(61_000)
    expect(await KeysService.verifyToken(t.deps, o, token)).toEqual({ ok: false, reason: 'expired' })
  })

  it('refuses another tenant’s token, a tampered token, alg none and HMAC with the public key', async () => {
    const a = await newTenant(t)
    const b = await newTenant(t)
    const ownerA = await owner(a)
    const fromB = await sign(b)
    expect((await KeysService.verifyToken(t.deps, ownerA, fromB)).ok).toBe(false)

    const good = await sign(a, { sub: 'user_1' })
    const [h, p, s] = good.split('.')
    const tampered = `${h}.${Buffer.from(JSON.stringify({ sub: 'user_admin', iss: a.issuer, exp: 9e9, iat: 1 })).toString('base64url')}.${s}`
    expect((await KeysService.verifyToken(t.deps, ownerA, tampered)).ok).toBe(false)

    const { kid } = decodeProtectedHeader(good)
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url')}.${p}.`
    expect((await KeysService.verifyToken(t.deps, ownerA, none)).ok).toBe(false)

    const publicJwk = (await fetchJwks(a)).keys[0]!
    const now = Math.floor(t.clock.now() / 1000)
    const hmac = await new SignJWT({ sub: 'user_admin' })
      .setProtectedHeader({ alg: 'HS256', kid })
      .setIssuer(a.issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)))
    expect((await KeysService.verifyToken(t.deps, ownerA, hmac)).ok).toBe(false)
  })

  it('never trusts an embedded or referenced key (jwk, jku), an unknown crit, a foreign iss or a future nbf', async () => {
    const tenant = await newTenant(t)
    const o = await owner(tenant)
    const attacker = await generateKeyPair('RS256')
    const attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: 'evil' }
    const now = Math.floor(t.clock.now() / 1000)
    const forge = (header: Record<string, unknown>, claims: Record<string, unknown> = {}) =>
      new SignJWT({ sub: 'user_admin', ...claims })
        .setProtectedHeader({ alg: 'RS256', ...header })
        .setIssuer((claims.iss as string) ?? tenant.issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(attacker.privateKey)
    expect((await KeysService.verifyToken(t.deps, o, await forge({ kid: 'evil', jwk: attackerJwk }))).ok).toBe(false)
    expect(
      (await KeysService.verifyToken(t.deps, o, await forge({ kid: 'evil', jku: 'http://127.0.0.1:1/jwks.json' }))).ok,
    ).toBe(false)

    const key = await t.deps.keys.signingKey(tenant.id, t.clock.now())
    const withKey = (header: Record<string, unknown>, claims: Record<string, unknown>) =>
      new SignJWT({ sub: 'user_1', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: key!.kid, ...header })
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(key!.privateKey)
    expect((await KeysService.verifyToken(t.deps, o, await withKey({}, { iss: tenant.issuer }))).ok).toBe(true)
    // jose refuses to sign an unknown crit, so this one is assembled by hand with WebCrypto.
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const input = `${b64({ alg: 'RS256', kid: key!.kid, crit: ['x-unknown'], 'x-unknown': 1 })}.${b64({ sub: 'user_1', iss: tenant.issuer, iat: now, exp: now + 600 })}`
    const signature = await crypto.subtle.sign(
      'RSASSA-PKCS1-v1_5',
      key!.privateKey as CryptoKey,
      new TextEncoder().encode(input),
    )
    const critical = `${input}.${Buffer.from(signature).toString('base64url')}`
    expect((await KeysService.verifyToken(t.deps, o, critical)).ok).toBe(false)
    expect((await KeysService.verifyToken(t.deps, o, await withKey({}, { iss: 'http://localhost/t/other' }))).ok).toBe(
      false,
    )
    expect(
      (await KeysService.verifyToken(t.deps, o, await withKey({}, { iss: tenant.issuer, nbf: now + 120 }))).ok,
    ).toBe(false)
  })
})

describe('POST /platform/v1/tenants/:id/keys/rotate', () => {
  it('publishes the new key at once, signs with it after the overlap, and retires the old one later', async () => {
    const tenant = await newTenant(t)
    const oldKid = (await fetchJwks(tenant)).keys[0]!.kid
    const before = await sign(tenant)

    const res = await t.request('POST', `/platform/v1/tenants/${tenant.id}/keys/rotate`, { token: t.platformKey })
    expect(res.status).toBe(200)
    const rotation = (await res.json()) as { id: string; activate_at: number; status: string }
    expect(rotation.status).toBe('pending')
    expect(rotation.activate_at).toBe(t.clock.now() + 300_000)

    const published = (await fetchJwks(tenant)).keys.map((k) => k.kid)
    expect(published).toEqual(expect.arrayContaining([oldKid, rotation.id]))
    expect(decodeProtectedHeader(await sign(tenant)).kid).toBe(oldKid)

    t.clock.advance(300_000)
    const after = await sign(tenant)
    expect(decodeProtectedHeader(after).kid).toBe(rotation.id)
    expect((await fetchJwks(tenant)).keys.map((k) => k.kid)).toContain(oldKid)

    // A token signed just before the switch still verifies while it lives.
    const lastOld = await KeysService.verifyToken(t.deps, await owner(tenant), before)
    expect(lastOld.ok || (lastOld as { reason: string }).reason === 'expired').toBe(true)

    t.clock.advance(86_400_000)
    expect((await fetchJwks(tenant)).keys.map((k) => k.kid)).toEqual([rotation.id])
  })

  it('switches algorithm through a rotation when the setting changes', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('PATCH', '/v1/settings', {
      token: tenant.secret_key,
      json: { signing_algorithm: 'ES256', signing_key_overlap_s: 60 },
    })
    expect(res.status).toBe(200)
    const algs = (await fetchJwks(tenant)).keys.map((k) => k.alg)
    expect(algs.sort()).toEqual(['ES256', 'RS256'])
    expect(decodeProtectedHeader(await sign(tenant)).alg).toBe('RS256')
    t.clock.advance(60_000)
    expect(decodeProtectedHeader(await sign(tenant)).alg).toBe('ES256')
  })

  it('refuses an overlap shorter than the JWKS cache lifetime', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('PATCH', '/v1/settings', {
      token: tenant.secret_key,
      json: { signing_key_overlap_s: 59 },
    })
    expect(res.status).toBe(422)
    expect((await firstError(res)).meta.param_name).toBe('signing_key_overlap_s')
  })

  it('reaches a second node, which publishes the new key without a restart', async () => {
    const nodeB = await testApp({ platformApiKey: t.platformKey, encryptionKey: t.deps.config.encryptionKey })
    try {
      const tenant = await newTenant(t)
      expect((await fetchJwks(tenant, nodeB)).keys).toHaveLength(1)
      const res = await t.request('POST', `/platform/v1/tenants/${tenant.id}/keys/rotate`, { token: t.platformKey })
      const { id } = (await res.json()) as { id: string }
      await nodeB.deps.changes.poll()
      expect((await fetchJwks(tenant, nodeB)).keys.map((k) => k.kid)).toContain(id)
    } finally {
      await nodeB.close()
    }
  })

  it('answers 404 for an unknown or deleted tenant', async () => {
    const tenant = await newTenant(t)
    await t.request('DELETE', `/platform/v1/tenants/${tenant.id}`, { token: t.platformKey })
    expect(
      (await t.request('POST', `/platform/v1/tenants/${tenant.id}/keys/rotate`, { token: t.platformKey })).status,
    ).toBe(404)
  })
})
