import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, asc, eq } from 'drizzle-orm'
import { exportPKCS8, generateKeyPair } from 'jose'
import { oauthProviders } from '../../src/features/oauth-providers/schema'
import { auditEvents, outbox } from '../../src/platform/db/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { startFakeOAuth2, startFakeOidc, type FakeIdp } from '../support/fake-idp'

let t: TestApp
let idp: FakeIdp
beforeAll(async () => {
  t = await testApp({ webhookAllowPrivate: true })
  idp = await startFakeOidc()
})
afterAll(async () => {
  idp.stop()
  await t.close()
})

interface Provider {
  object: string
  id: string
  provider: string
  key: string | null
  strategy: string
  name: string
  client_id: string
  scopes: string[]
  enabled: boolean
  discovery_url: string | null
  authorization_url: string | null
  token_url: string | null
  userinfo_url: string | null
  attribute_mapping: Record<string, string> | null
  callback_url: string
  created_at: number
  updated_at: number
}

const SECRET = 'GOCSPX-very-secret-value'

const api = (tenant: CreatedTenant, method: string, path = '', json?: unknown, token = tenant.secret_key) =>
  t.request(method, `/v1/oauth-providers${path}`, { token, ...(json === undefined ? {} : { json }) })

async function create(tenant: CreatedTenant, body: Record<string, unknown>): Promise<Provider> {
  const res = await api(tenant, 'POST', '', body)
  if (res.status !== 201) throw new Error(`provider creation failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as Provider
}

async function expectInvalid(res: Response, param: string, reason?: string, code = 'form_param_format_invalid') {
  expect(res.status).toBe(422)
  const error = await firstError(res)
  expect(error.code).toBe(code)
  expect(error.meta.param_name).toBe(param)
  if (reason) expect(error.meta.reason).toBe(reason)
}

const rowOf = (tenant: CreatedTenant, id: string) =>
  withTenant(t.deps.db, tenant.id, async (tx) => {
    const [row] = await tx.select().from(oauthProviders).where(eq(oauthProviders.id, id))
    return row ?? null
  })

const customOidc = (key: string, extra: Record<string, unknown> = {}) => ({
  provider: 'custom_oidc',
  key,
  client_id: idp.clientId,
  client_secret: idp.clientSecret,
  discovery_url: idp.issuer,
  ...extra,
})

describe('POST /v1/oauth-providers', () => {
  it('creates a preset with its defaults, strategy and callback URL, and never returns the secret', async () => {
    const tenant = await newTenant(t)
    const res = await api(tenant, 'POST', '', {
      provider: 'google',
      client_id: 'g.apps.example',
      client_secret: SECRET,
    })
    expect(res.status).toBe(201)
    const text = await res.text()
    expect(text).not.toContain(SECRET)
    const body = JSON.parse(text) as Provider
    expect(body).toMatchObject({
      object: 'oauth_provider',
      provider: 'google',
      key: null,
      strategy: 'oauth_google',
      name: 'Google',
      client_id: 'g.apps.example',
      scopes: ['openid', 'email', 'profile'],
      enabled: true,
      discovery_url: null,
      authorization_url: null,
      token_url: null,
      userinfo_url: null,
      attribute_mapping: null,
      callback_url: `${PUBLIC_URL}/t/${tenant.slug}/v1/oauth-callback/google`,
    })
    expect(body.id).toMatch(/^oap_[0-9A-Z]{26}$/)
    expect(Object.keys(body)).not.toContain('client_secret')
    const row = (await rowOf(tenant, body.id))!
    expect(row.clientSecretSealed).not.toContain(SECRET)
    expect(row.clientSecretSealed).toStartWith('v1.')
    const events = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(outbox).where(eq(outbox.tenantId, tenant.id)).orderBy(asc(outbox.id)),
    )
    const created = events.find((e) => e.type === 'oauthProvider.created')!
    expect((created.payload as { data: Provider }).data).toEqual(body)
    expect(JSON.stringify(events)).not.toContain(SECRET)
  })

  it('creates custom providers with their strategy and callback named by the key', async () => {
    const tenant = await newTenant(t)
    const oidc = await create(tenant, customOidc('acme_sso', { scopes: ['openid', 'email', 'email'] }))
    expect(oidc).toMatchObject({
      key: 'acme_sso',
      strategy: 'oauth_custom_acme_sso',
      name: 'acme_sso',
      scopes: ['openid', 'email'],
      discovery_url: idp.issuer,
      callback_url: `${PUBLIC_URL}/t/${tenant.slug}/v1/oauth-callback/acme_sso`,
    })
    const oauth2 = await create(tenant, {
      provider: 'custom_oauth2',
      key: 'forge',
      name: 'Forge',
      client_id: 'f',
      client_secret: SECRET,
      authorization_url: 'https://forge.example.com/oauth/authorize',
      token_url: 'https://forge.example.com/oauth/token',
      userinfo_url: 'https://api.forge.example.com/me',
      attribute_mapping: { user_id: 'id', email_address: 'emails.0.value', email_verified: 'emails.0.verified' },
      enabled: false,
    })
    expect(oauth2).toMatchObject({
      strategy: 'oauth_custom_forge',
      scopes: [],
      enabled: false,
      attribute_mapping: { user_id: 'id', email_address: 'emails.0.value', email_verified: 'emails.0.verified' },
    })
  })

  it('takes Apple’s .p8 key, team id and key id, and refuses a key that does not load', async () => {
    const tenant = await newTenant(t)
    const { privateKey } = await generateKeyPair('ES256', { extractable: true })
    const p8 = await exportPKCS8(privateKey)
    const base = {
      provider: 'apple',
      client_id: 'com.example.web',
      apple_team_id: 'TEAM123456',
      apple_key_id: 'KEY1234567',
    }
    await expectInvalid(
      await api(tenant, 'POST', '', { ...base, client_secret: 'not a key' }),
      'client_secret',
      'key_invalid',
    )
    await expectInvalid(
      await api(tenant, 'POST', '', { provider: 'apple', client_id: 'x', client_secret: p8 }),
      'apple_team_id',
      undefined,
      'form_param_missing',
    )
    const res = await api(tenant, 'POST', '', { ...base, client_secret: p8 })
    expect(res.status).toBe(201)
    const text = await res.text()
    expect(text).not.toContain('PRIVATE KEY')
    expect(JSON.parse(text)).toMatchObject({ strategy: 'oauth_apple', scopes: ['openid', 'name', 'email'] })
  })

  it('answers 409 duplicate_record for a second preset of a kind and a key taken by any custom provider', async () => {
    const tenant = await newTenant(t)
    await create(tenant, { provider: 'github', client_id: 'a', client_secret: SECRET })
    const again = await api(tenant, 'POST', '', { provider: 'github', client_id: 'b', client_secret: SECRET })
    expect(again.status).toBe(409)
    expect(await firstError(again)).toMatchObject({ code: 'duplicate_record', meta: { param_name: 'provider' } })
    await create(tenant, customOidc('acme'))
    const sameKey = await api(tenant, 'POST', '', {
      provider: 'custom_oauth2',
      key: 'acme',
      client_id: 'x',
      client_secret: SECRET,
      authorization_url: 'https://a.example.com/authorize',
      token_url: 'https://a.example.com/token',
      userinfo_url: 'https://a.example.com/me',
      attribute_mapping: { user_id: 'id' },
    })
    expect(sameKey.status).toBe(409)
    expect(await firstError(sameKey)).toMatchObject({ code: 'duplicate_record', meta: { param_name: 'key' } })
    // Another tenant has its own namespace.
    expect(
      (await api(await newTenant(t), 'POST', '', { provider: 'github', client_id: 'a', client_secret: SECRET })).status,
    ).toBe(201)
  })

  it('validates fields per provider type with 422', async () => {
    const tenant = await newTenant(t)
    const post = (body: Record<string, unknown>) => api(tenant, 'POST', '', body)
    await expectInvalid(await post({ provider: 'myspace', client_id: 'a', client_secret: 's' }), 'provider')
    await expectInvalid(
      await post({ provider: 'google', client_id: 'a' }),
      'client_secret',
      undefined,
      'form_param_missing',
    )
    await expectInvalid(await post({ provider: 'google', client_id: 'a', client_secret: 's', extra: 1 }), 'extra')
    await expectInvalid(
      await post({ provider: 'google', client_id: 'a', client_secret: 's', enabled: 'yes' }),
      'enabled',
    )
    await expectInvalid(
      await post({ provider: 'google', client_id: 'a', client_secret: 's', key: 'g' }),
      'key',
      'not_applicable',
    )
    await expectInvalid(
      await post({ provider: 'github', client_id: 'a', client_secret: 's', discovery_url: 'https://x.example.com' }),
      'discovery_url',
      'not_applicable',
    )
    await expectInvalid(await post({ ...customOidc('x'), key: 'Bad-Key' }), 'key')
    await expectInvalid(await post({ ...customOidc('x'), key: 'a'.repeat(33) }), 'key')
    await expectInvalid(await post({ ...customOidc('x'), key: 'google' }), 'key', 'reserved')
    await expectInvalid(await post({ ...customOidc('x'), key: undefined }), 'key', undefined, 'form_param_missing')
    await expectInvalid(
      await post({ ...customOidc('x'), discovery_url: undefined }),
      'discovery_url',
      undefined,
      'form_param_missing',
    )
    await expectInvalid(
      await post({ ...customOidc('x'), token_url: 'https://x.example.com/t' }),
      'token_url',
      'not_applicable',
    )
    await expectInvalid(await post({ ...customOidc('x'), discovery_url: 'ftp://x.example.com' }), 'discovery_url')
    await expectInvalid(await post({ ...customOidc('x'), discovery_url: 'https://u:p@x.example.com' }), 'discovery_url')
    await expectInvalid(
      await post({ ...customOidc('x'), discovery_url: 'http://idp.example.com' }),
      'discovery_url',
      'https_required',
    )
    await expectInvalid(await post({ ...customOidc('x'), scopes: ['open id'] }), 'scopes.0')
    const oauth2 = {
      provider: 'custom_oauth2',
      key: 'forge',
      client_id: 'f',
      client_secret: 's',
      authorization_url: 'https://f.example.com/a',
      token_url: 'https://f.example.com/t',
      userinfo_url: 'https://f.example.com/u',
      attribute_mapping: { user_id: 'id' },
    }
    await expectInvalid(
      await post({ ...oauth2, attribute_mapping: undefined }),
      'attribute_mapping',
      undefined,
      'form_param_missing',
    )
    await expectInvalid(
      await post({ ...oauth2, attribute_mapping: { email_address: 'email' } }),
      'attribute_mapping.user_id',
      undefined,
      'form_param_missing',
    )
    await expectInvalid(await post({ ...oauth2, attribute_mapping: { user_id: 'a..b' } }), 'attribute_mapping.user_id')
    await expectInvalid(
      await post({ ...oauth2, attribute_mapping: { user_id: 'id', groups: 'g' } }),
      'attribute_mapping.groups',
    )
    await expectInvalid(
      await post({ ...oauth2, userinfo_url: undefined }),
      'userinfo_url',
      undefined,
      'form_param_missing',
    )
    const rows = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(oauthProviders).where(eq(oauthProviders.tenantId, tenant.id)),
    )
    expect(rows).toEqual([])
  })

  it('refuses private and loopback targets without WEBHOOK_ALLOW_PRIVATE, and plain http even with it off loopback', async () => {
    const strict = await testApp({ webhookAllowPrivate: false })
    try {
      const tenant = await newTenant(strict)
      const post = (url: string) =>
        strict.request('POST', '/v1/oauth-providers', {
          token: tenant.secret_key,
          json: customOidc('x', { discovery_url: url }),
        })
      await expectInvalid(await post('http://127.0.0.1:8080'), 'discovery_url', 'target_not_allowed')
      await expectInvalid(await post('https://169.254.169.254/latest'), 'discovery_url', 'target_not_allowed')
      await expectInvalid(await post('https://localhost/realms/x'), 'discovery_url', 'target_not_allowed')
      expect((await post('https://idp.example.com/realms/x')).status).toBe(201)
    } finally {
      await strict.close()
    }
    const tenant = await newTenant(t)
    expect((await api(tenant, 'POST', '', customOidc('loop', { discovery_url: 'http://127.0.0.1:9/x' }))).status).toBe(
      201,
    )
    await expectInvalid(
      await api(tenant, 'POST', '', customOidc('lan', { discovery_url: 'http://10.0.0.7/x' })),
      'discovery_url',
      'https_required',
    )
  })
})

describe('GET, PATCH, DELETE /v1/oauth-providers/{id}', () => {
  it('lists, reads, updates (rotating the secret) and deletes, with events and audit entries', async () => {
    const tenant = await newTenant(t)
    const a = await create(tenant, { provider: 'google', client_id: 'g', client_secret: SECRET })
    const b = await create(tenant, { provider: 'discord', client_id: 'd', client_secret: SECRET })
    const list = (await (await api(tenant, 'GET', '?limit=1')).json()) as {
      data: Provider[]
      meta: { next_cursor: string }
    }
    expect(list.data.map((p) => p.id)).toEqual([b.id])
    const next = (await (await api(tenant, 'GET', `?limit=1&cursor=${list.meta.next_cursor}`)).json()) as {
      data: Provider[]
    }
    expect(next.data.map((p) => p.id)).toEqual([a.id])
    expect(await (await api(tenant, 'GET', `/${a.id}`)).json()).toEqual(a)

    const sealedBefore = (await rowOf(tenant, a.id))!.clientSecretSealed
    t.clock.advance(1000)
    const res = await api(tenant, 'PATCH', `/${a.id}`, {
      provider: 'google',
      name: 'Google Workspace',
      scopes: ['openid', 'email'],
      enabled: false,
      client_secret: 'rotated-secret',
    })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toContain('rotated-secret')
    const updated = JSON.parse(text) as Provider
    expect(updated).toMatchObject({
      name: 'Google Workspace',
      scopes: ['openid', 'email'],
      enabled: false,
      client_id: 'g',
    })
    expect(updated.updated_at).toBeGreaterThan(a.updated_at)
    const row = (await rowOf(tenant, a.id))!
    expect(row.clientSecretSealed).not.toBe(sealedBefore)
    expect(await t.deps.box.open(row.clientSecretSealed, `oauth_provider.client_secret:${tenant.id}:${a.id}`)).toBe(
      'rotated-secret',
    )

    await expectInvalid(await api(tenant, 'PATCH', `/${a.id}`, { provider: 'github' }), 'provider', 'immutable')
    await expectInvalid(
      await api(tenant, 'PATCH', `/${a.id}`, { discovery_url: 'https://x.example.com' }),
      'discovery_url',
      'not_applicable',
    )

    const deleted = await api(tenant, 'DELETE', `/${a.id}`)
    expect(deleted.status).toBe(200)
    expect(await deleted.json()).toEqual({ object: 'oauth_provider', id: a.id, deleted: true })
    expect((await api(tenant, 'GET', `/${a.id}`)).status).toBe(404)
    expect((await api(tenant, 'DELETE', `/${a.id}`)).status).toBe(404)
    // The preset is free again.
    expect((await api(tenant, 'POST', '', { provider: 'google', client_id: 'g2', client_secret: SECRET })).status).toBe(
      201,
    )

    const events = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(outbox).where(eq(outbox.tenantId, tenant.id)).orderBy(asc(outbox.id)),
    )
    expect(events.filter((e) => e.type.startsWith('oauthProvider.')).map((e) => e.type)).toEqual([
      'oauthProvider.created',
      'oauthProvider.created',
      'oauthProvider.updated',
      'oauthProvider.deleted',
      'oauthProvider.created',
    ])
    expect(JSON.stringify(events)).not.toContain('rotated-secret')
    const audit = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.targetId, a.id)))
        .orderBy(asc(auditEvents.seq)),
    )
    expect(audit.map((e) => [e.action, e.actorType])).toEqual([
      ['oauthProvider.created', 'secret_key'],
      ['oauthProvider.updated', 'secret_key'],
      ['oauthProvider.deleted', 'secret_key'],
    ])
    expect(JSON.stringify(audit)).not.toContain('rotated-secret')
  })

  it("answers 404 for another tenant's provider on every route", async () => {
    const tenant = await newTenant(t)
    const other = await newTenant(t)
    const p = await create(tenant, { provider: 'google', client_id: 'g', client_secret: SECRET })
    for (const [method, path, json] of [
      ['GET', `/${p.id}`, undefined],
      ['PATCH', `/${p.id}`, { name: 'x' }],
      ['DELETE', `/${p.id}`, undefined],
      ['POST', `/${p.id}/test`, undefined],
    ] as const) {
      const res = await api(other, method, path, json)
      expect(res.status).toBe(404)
      expect((await firstError(res)).code).toBe('resource_not_found')
    }
    expect((await (await api(other, 'GET')).json()) as { data: unknown[] }).toMatchObject({ data: [] })
    expect((await rowOf(tenant, p.id))!.name).toBe('Google')
  })
})

describe('credentials', () => {
  it('takes a service key with connections:manage, refuses other scopes with 403 and no key with 401', async () => {
    const tenant = await newTenant(t)
    const keyWith = async (scopes: string[]) => {
      const res = await t.request('POST', '/v1/api-keys', { token: tenant.secret_key, json: { name: 'k', scopes } })
      return ((await res.json()) as { key: string }).key
    }
    const manage = await keyWith(['connections:manage'])
    const res = await t.request('POST', '/v1/oauth-providers', {
      headers: { 'x-api-key': manage },
      json: { provider: 'gitlab', client_id: 'l', client_secret: SECRET },
    })
    expect(res.status).toBe(201)
    const created = (await res.json()) as Provider
    const audit = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.targetId, created.id))),
    )
    expect(audit.map((a) => a.actorType)).toEqual(['api_key'])

    const other = await keyWith(['users:write', 'settings:manage'])
    for (const [method, path] of [
      ['GET', ''],
      ['POST', ''],
      ['GET', `/${created.id}`],
      ['PATCH', `/${created.id}`],
      ['DELETE', `/${created.id}`],
      ['POST', `/${created.id}/test`],
    ] as const) {
      const denied = await api(
        tenant,
        method,
        path,
        method === 'PATCH' || (method === 'POST' && path === '') ? {} : undefined,
        other,
      )
      expect(denied.status).toBe(403)
      expect(await firstError(denied)).toMatchObject({
        code: 'permission_denied',
        meta: { required_scope: 'connections:manage' },
      })
    }
    expect((await t.request('GET', '/v1/oauth-providers')).status).toBe(401)
    expect((await t.request('GET', '/v1/oauth-providers', { token: 'sk_live_nope' })).status).toBe(401)
  })
})

describe('POST /v1/oauth-providers/{id}/test', () => {
  type Test = { object: string; ok: boolean; checks: { name: string; ok: boolean; detail: string }[] }
  const runTest = async (tenant: CreatedTenant, id: string) => {
    const res = await api(tenant, 'POST', `/${id}/test`)
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toContain(idp.clientSecret)
    return JSON.parse(text) as Test
  }

  it('passes for a reachable OpenID provider whose document names it', async () => {
    const tenant = await newTenant(t)
    const p = await create(tenant, customOidc('acme'))
    const result = await runTest(tenant, p.id)
    expect(result.object).toBe('connection_test')
    expect(result.checks.map((c) => [c.name, c.ok])).toEqual([
      ['client_credentials', true],
      ['discovery', true],
      ['issuer', true],
      ['endpoints', true],
      ['pkce', true],
      ['jwks', true],
    ])
    expect(result.ok).toBe(true)
  })

  it('fails on an issuer mismatch and on an unreachable provider', async () => {
    const tenant = await newTenant(t)
    const liar = await startFakeOidc()
    try {
      liar.tamper.documentIssuer = 'https://accounts.example.com'
      const p = await create(tenant, customOidc('liar', { discovery_url: liar.issuer }))
      const result = await runTest(tenant, p.id)
      expect(result.ok).toBe(false)
      expect(result.checks.find((c) => c.name === 'issuer')).toMatchObject({ ok: false })
    } finally {
      liar.stop()
    }
    const gone = await create(tenant, customOidc('gone', { discovery_url: 'http://127.0.0.1:9' }))
    const result = await runTest(tenant, gone.id)
    expect(result.ok).toBe(false)
    expect(result.checks.find((c) => c.name === 'discovery')).toMatchObject({ ok: false })
  })

  it('checks that a custom OAuth 2 provider’s endpoints answer', async () => {
    const tenant = await newTenant(t)
    const server = await startFakeOAuth2()
    try {
      const p = await create(tenant, {
        provider: 'custom_oauth2',
        key: 'forge',
        client_id: server.clientId,
        client_secret: server.clientSecret,
        authorization_url: `${server.issuer}/login/oauth/authorize`,
        token_url: `${server.issuer}/login/oauth/access_token`,
        userinfo_url: `${server.issuer}/api/me`,
        attribute_mapping: { user_id: 'data.id' },
      })
      const result = await runTest(tenant, p.id)
      expect(result.checks.map((c) => [c.name, c.ok])).toEqual([
        ['client_credentials', true],
        ['authorization_endpoint', true],
        ['token_endpoint', true],
        ['userinfo_endpoint', true],
      ])
      expect(result.ok).toBe(true)
      // The probe never sends the client secret.
      expect(server.lastTokenRequest!.form.has('client_secret')).toBe(false)
      expect(server.lastTokenRequest!.authorization).toBeNull()
    } finally {
      server.stop()
    }
  })
})
