import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { secretKeys, tenants } from '../../src/features/tenants/schema'
import { firstError, newTenant, PUBLIC_URL, testApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const path = '/platform/v1/tenants'

describe('POST /platform/v1/tenants', () => {
  it('creates a tenant and returns its secret key once, with no-store', async () => {
    const res = await t.request('POST', path, { token: t.platformKey, json: { name: 'Acme' } })
    expect(res.status).toBe(201)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as Record<string, unknown>
    expect(body.object).toBe('tenant')
    expect(body.id).toMatch(/^ten_[0-9A-Z]{26}$/)
    expect(body.slug).toMatch(/^acme/)
    expect(body.issuer).toBe(`${PUBLIC_URL}/t/${body.slug}`)
    expect(body.frontend_api_url).toBe(`${PUBLIC_URL}/t/${body.slug}/v1`)
    expect(body.publishable_key).toMatch(/^pk_live_/)
    expect(body.secret_key).toMatch(/^sk_live_[0-9a-z]{16}_[A-Za-z0-9_-]{43}$/)
    expect((body.settings as { session: { token_lifetime_s: number } }).session.token_lifetime_s).toBe(600)
    expect(typeof body.created_at).toBe('number')

    const [stored] = await t.deps.db
      .select()
      .from(secretKeys)
      .where(eq(secretKeys.tenantId, body.id as string))
    expect(stored!.secretHash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(stored)).not.toContain((body.secret_key as string).slice(25))

    const read = await t.request('GET', `${path}/${body.id}`, { token: t.platformKey })
    expect(read.status).toBe(200)
    const again = (await read.json()) as Record<string, unknown>
    expect(again.secret_key).toBeUndefined()
    expect(again.id).toBe(body.id as string)
  })

  it('takes a slug and refuses one already taken with 409', async () => {
    const slug = `s-${crypto.randomUUID().slice(0, 8)}`
    const first = await t.request('POST', path, { token: t.platformKey, json: { name: 'One', slug } })
    expect(first.status).toBe(201)
    expect(((await first.json()) as { slug: string }).slug).toBe(slug)
    const second = await t.request('POST', path, { token: t.platformKey, json: { name: 'Two', slug } })
    expect(second.status).toBe(409)
    const err = await firstError(second)
    expect(err.code).toBe('form_identifier_exists')
    expect(err.meta.param_name).toBe('slug')
  })

  it('gives tenants with the same name distinct slugs', async () => {
    const name = `Same ${crypto.randomUUID().slice(0, 6)}`
    const a = await newTenant(t, { name })
    const b = await newTenant(t, { name })
    expect(a.slug).not.toBe(b.slug)
  })

  it('rejects an invalid slug and invalid settings with 422, creating nothing', async () => {
    const bad = await t.request('POST', path, { token: t.platformKey, json: { name: 'x', slug: 'Not A Slug' } })
    expect(bad.status).toBe(422)
    expect((await firstError(bad)).meta.param_name).toBe('slug')
    for (const settings of [
      { session: { token_lifetime_s: 4 } },
      { session: { token_lifetime_s: 86_401 } },
      { signing_algorithm: 'HS256' },
      { allowed_origins: ['https://ok.example/path'] },
      { unknown_key: true },
      { session: { unknown: 1 } },
      { allowed_origins: Array.from({ length: 101 }, (_, i) => `https://o${i}.example`) },
      { password: { min_length: 100, max_length: 50 } },
    ]) {
      const res = await t.request('POST', path, { token: t.platformKey, json: { name: 'bad settings', settings } })
      expect(res.status, JSON.stringify(settings)).toBe(422)
    }
    const rows = await t.deps.db.select().from(tenants).where(eq(tenants.name, 'bad settings'))
    expect(rows).toHaveLength(0)
  })

  it('merges given settings over the defaults', async () => {
    const tenant = await newTenant(t, {
      settings: { session: { token_lifetime_s: 60 }, allowed_origins: ['https://app.example'] },
    })
    const s = tenant.settings as {
      session: Record<string, number>
      allowed_origins: string[]
      lockout: { max_failed_attempts: number }
    }
    expect(s.session.token_lifetime_s).toBe(60)
    expect(s.session.refresh_grace_s).toBe(10)
    expect(s.allowed_origins).toEqual(['https://app.example'])
    expect(s.lockout.max_failed_attempts).toBe(10)
  })
})

describe('platform authentication', () => {
  it('answers a missing, wrong or non-Bearer platform key with 401', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-key-wrong-key-wrong-key' },
      { authorization: `Basic ${t.platformKey}` },
      { 'x-api-key': t.platformKey },
    ] as Record<string, string>[]) {
      const res = await t.request('GET', path, { headers })
      expect(res.status).toBe(401)
      expect((await firstError(res)).code).toBe('authentication_invalid')
    }
  })

  it('never reads the platform key from the query string', async () => {
    const res = await t.request('GET', `${path}?api_key=${t.platformKey}`)
    expect(res.status).toBe(401)
  })

  it('answers a tenant secret key on the platform API with 401', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('GET', path, { token: tenant.secret_key })
    expect(res.status).toBe(401)
  })
})

describe('GET /platform/v1/tenants', () => {
  it('pages newest first with an opaque cursor', async () => {
    const created = [await newTenant(t), await newTenant(t), await newTenant(t)]
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res = await t.request('GET', `${path}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        token: t.platformKey,
      })
      expect(res.status).toBe(200)
      const page = (await res.json()) as {
        data: { id: string; object: string }[]
        meta: { next_cursor: string | null }
      }
      expect(page.data.length).toBeLessThanOrEqual(2)
      for (const item of page.data) expect(item.object).toBe('tenant')
      seen.push(...page.data.map((d) => d.id))
      cursor = page.meta.next_cursor
    } while (cursor)
    expect(new Set(seen).size).toBe(seen.length)
    const positions = created.map((c) => seen.indexOf(c.id))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect(positions).toEqual([...positions].sort((a, b) => b - a))
  })

  it('refuses a tampered or foreign cursor and a limit outside 1..100 with 422', async () => {
    await newTenant(t)
    await newTenant(t)
    const first = (await (await t.request('GET', `${path}?limit=1`, { token: t.platformKey })).json()) as {
      meta: { next_cursor: string }
    }
    const cursor = first.meta.next_cursor
    const [payload, sig] = cursor.split('.')
    const forged = Buffer.from(JSON.stringify([Date.now(), 'ten_X'])).toString('base64url') + '.' + sig
    for (const bad of [forged, `${payload}.AAAA`, 'garbage', `${cursor}x`]) {
      const res = await t.request('GET', `${path}?cursor=${encodeURIComponent(bad)}`, { token: t.platformKey })
      expect(res.status).toBe(422)
      const err = await firstError(res)
      expect(err.code).toBe('form_param_format_invalid')
      expect(err.meta.param_name).toBe('cursor')
    }
    // The same cursor presented by another installation's key material is foreign too.
    const other = await testApp({ encryptionKey: crypto.getRandomValues(new Uint8Array(32)) })
    const res = await other.request('GET', `${path}?cursor=${encodeURIComponent(cursor)}`, { token: other.platformKey })
    expect(res.status).toBe(422)
    await other.close()
    for (const limit of ['0', '101', 'abc', '1.5']) {
      const bad = await t.request('GET', `${path}?limit=${limit}`, { token: t.platformKey })
      expect(bad.status, limit).toBe(422)
      expect((await firstError(bad)).meta.param_name).toBe('limit')
    }
  })
})

describe('PATCH /platform/v1/tenants/:id', () => {
  it('deep-merges settings and renames', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('PATCH', `${path}/${tenant.id}`, {
      token: t.platformKey,
      json: { name: 'Renamed', settings: { session: { token_lifetime_s: 120 } } },
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      name: string
      settings: { session: { token_lifetime_s: number; refresh_grace_s: number } }
    }
    expect(body.name).toBe('Renamed')
    expect(body.settings.session).toMatchObject({ token_lifetime_s: 120, refresh_grace_s: 10 })
  })

  it('changes nothing when the patch is invalid', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('PATCH', `${path}/${tenant.id}`, {
      token: t.platformKey,
      json: { name: 'New', settings: { session: { token_lifetime_s: 0 } } },
    })
    expect(res.status).toBe(422)
    const [row] = await t.deps.db.select().from(tenants).where(eq(tenants.id, tenant.id))
    expect(row!.name).toBe('Test tenant')
  })

  it('answers 404 for an unknown id', async () => {
    const res = await t.request('PATCH', `${path}/ten_00000000000000000000000000`, {
      token: t.platformKey,
      json: { name: 'x' },
    })
    expect(res.status).toBe(404)
  })
})

describe('DELETE /platform/v1/tenants/:id', () => {
  it('stops the tenant’s secret keys, JWKS and discovery at once', async () => {
    const tenant = await newTenant(t)
    expect((await t.request('GET', '/v1/settings', { token: tenant.secret_key })).status).toBe(200)
    expect((await t.request('GET', `/t/${tenant.slug}/.well-known/jwks.json`)).status).toBe(200)

    const res = await t.request('DELETE', `${path}/${tenant.id}`, { token: t.platformKey })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ object: 'tenant', id: tenant.id, deleted: true })

    const settings = await t.request('GET', '/v1/settings', { token: tenant.secret_key })
    expect(settings.status).toBe(401)
    expect((await firstError(settings)).code).toBe('authentication_invalid')
    expect((await t.request('GET', `/t/${tenant.slug}/.well-known/jwks.json`)).status).toBe(404)
    expect((await t.request('GET', `/t/${tenant.slug}/.well-known/openid-configuration`)).status).toBe(404)
    expect((await t.request('GET', `${path}/${tenant.id}`, { token: t.platformKey })).status).toBe(404)
    expect((await t.request('DELETE', `${path}/${tenant.id}`, { token: t.platformKey })).status).toBe(404)
  })

  it('reaches another node’s caches through the change feed', async () => {
    const nodeB = await testApp({ platformApiKey: t.platformKey, encryptionKey: t.deps.config.encryptionKey })
    try {
      const tenant = await newTenant(t)
      expect((await nodeB.request('GET', '/v1/settings', { token: tenant.secret_key })).status).toBe(200)
      expect((await nodeB.request('GET', `/t/${tenant.slug}/.well-known/jwks.json`)).status).toBe(200)
      await t.request('DELETE', `${path}/${tenant.id}`, { token: t.platformKey })
      // Node B shares no bus with A in embedded mode: only its poll of the feed can tell it.
      await nodeB.deps.changes.poll()
      expect((await nodeB.request('GET', '/v1/settings', { token: tenant.secret_key })).status).toBe(401)
      expect((await nodeB.request('GET', `/t/${tenant.slug}/.well-known/jwks.json`)).status).toBe(404)
    } finally {
      await nodeB.close()
    }
  })
})

describe('GET|PATCH /v1/settings', () => {
  it('lets the tenant’s backend read and patch its own settings', async () => {
    const tenant = await newTenant(t)
    const read = await t.request('GET', '/v1/settings', { token: tenant.secret_key })
    expect(read.status).toBe(200)
    expect(((await read.json()) as { signing_algorithm: string }).signing_algorithm).toBe('RS256')
    const patched = await t.request('PATCH', '/v1/settings', {
      token: tenant.secret_key,
      json: { lockout: { max_failed_attempts: 3 } },
    })
    expect(patched.status).toBe(200)
    const body = (await patched.json()) as { lockout: { max_failed_attempts: number; duration_s: number } }
    expect(body.lockout).toEqual({ max_failed_attempts: 3, duration_s: 1800 })
    const other = await newTenant(t)
    const otherSettings = (await (
      await t.request('GET', '/v1/settings', { token: other.secret_key })
    ).json()) as typeof body
    expect(otherSettings.lockout.max_failed_attempts).toBe(10)
  })

  it('leaves every setting that a patch does not name as it was', async () => {
    const tenant = await newTenant(t, { settings: { signing_algorithm: 'ES256', mfa: { policy: 'off' } } })
    const res = await t.request('PATCH', '/v1/settings', {
      token: tenant.secret_key,
      json: { session: { token_lifetime_s: 300 } },
    })
    const body = (await res.json()) as {
      signing_algorithm: string
      mfa: { policy: string }
      session: { token_lifetime_s: number }
    }
    expect(body).toMatchObject({
      signing_algorithm: 'ES256',
      mfa: { policy: 'off' },
      session: { token_lifetime_s: 300 },
    })
  })

  it('answers 401 to a malformed, unknown or altered secret key', async () => {
    const tenant = await newTenant(t)
    const altered = tenant.secret_key.slice(0, -1) + (tenant.secret_key.endsWith('A') ? 'B' : 'A')
    for (const token of ['sk_live_nope', altered, t.platformKey]) {
      const res = await t.request('GET', '/v1/settings', { token })
      expect(res.status).toBe(401)
    }
  })
})
