import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { AppError } from '../../src/platform/errors'
import { firstError, newTenant, testApp, type TestApp } from '../support/app'
import { waitFor } from '../support/wait'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
  // Routes registered after creation still run inside the platform's global hooks.
  t.app.get('/__test/boom', () => {
    throw new Error('secret detail: password=hunter2 select * from users')
  })
  t.app.get('/__test/locked', () => {
    throw new AppError('too_many_requests', {}, { headers: { 'retry-after': '7' } })
  })
})
afterAll(() => t.close())

const tenantsPath = '/platform/v1/tenants'

describe('error envelope', () => {
  it('answers malformed JSON with 400 malformed_request and creates nothing', async () => {
    const before = await t.request('GET', `${tenantsPath}?limit=100`, { token: t.platformKey })
    const count = ((await before.json()) as { data: unknown[] }).data.length
    const res = await t.request('POST', tenantsPath, {
      token: t.platformKey,
      body: '{"name": "x",',
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(400)
    const err = await firstError(res)
    expect(err.code).toBe('malformed_request')
    expect(err.message).toBeString()
    expect(err.long_message).toBeString()
    const after = await t.request('GET', `${tenantsPath}?limit=100`, { token: t.platformKey })
    expect(((await after.json()) as { data: unknown[] }).data.length).toBe(count)
  })

  it('answers an unsupported content type with 400 malformed_request', async () => {
    const res = await t.request('POST', tenantsPath, {
      token: t.platformKey,
      body: 'name=x',
      headers: { 'content-type': 'text/plain' },
    })
    expect(res.status).toBe(400)
    expect((await firstError(res)).code).toBe('malformed_request')
  })

  it('rejects an unknown field with 422 naming it', async () => {
    const res = await t.request('POST', tenantsPath, { token: t.platformKey, json: { name: 'x', colour: 'red' } })
    expect(res.status).toBe(422)
    const err = await firstError(res)
    expect(err.code).toBe('form_param_format_invalid')
    expect(err.meta.param_name).toBe('colour')
  })

  it('rejects a missing field with 422 form_param_missing', async () => {
    const res = await t.request('POST', tenantsPath, { token: t.platformKey, json: {} })
    expect(res.status).toBe(422)
    const err = await firstError(res)
    expect(err.code).toBe('form_param_missing')
    expect(err.meta.param_name).toBe('name')
  })

  it('never coerces a value of the wrong JSON type', async () => {
    const res = await t.request('POST', tenantsPath, { token: t.platformKey, json: { name: 42 } })
    expect(res.status).toBe(422)
    const err = await firstError(res)
    expect(err.code).toBe('form_param_format_invalid')
    expect(err.meta.param_name).toBe('name')
  })

  it('names nested parameters with dots', async () => {
    const res = await t.request('POST', tenantsPath, {
      token: t.platformKey,
      json: { name: 'x', settings: { session: { token_lifetime_s: '600' } } },
    })
    expect(res.status).toBe(422)
    expect((await firstError(res)).meta.param_name).toBe('settings.session.token_lifetime_s')
  })

  it('answers an unknown route with 404 resource_not_found in the envelope', async () => {
    const res = await t.request('GET', '/nope/nothing')
    expect(res.status).toBe(404)
    expect((await firstError(res)).code).toBe('resource_not_found')
  })

  it('refuses bodies over 1 MiB with 413 payload_too_large', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) })
    const res = await t.request('POST', tenantsPath, {
      token: t.platformKey,
      body: big,
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(413)
    expect((await firstError(res)).code).toBe('payload_too_large')
  })

  it('refuses a declared Content-Length over 1 MiB before reading the body', async () => {
    const res = await t.request('POST', tenantsPath, {
      token: t.platformKey,
      body: '{}',
      headers: { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
    })
    expect(res.status).toBe(413)
  })

  it('answers an unexpected error with 500 internal_error and no detail', async () => {
    const res = await t.request('GET', '/__test/boom')
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('select')
    expect(text).not.toContain('at ')
    expect(JSON.parse(text).errors[0].code).toBe('internal_error')
  })

  it('passes an error’s headers through (Retry-After on 429)', async () => {
    const res = await t.request('GET', '/__test/locked')
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('7')
  })
})

describe('request ids and headers', () => {
  it('honours a well-formed X-Request-Id and returns it as trace_id', async () => {
    const res = await t.request('GET', '/nope', { headers: { 'x-request-id': 'abc-123.def:9' } })
    expect(res.headers.get('x-request-id')).toBe('abc-123.def:9')
    expect(((await res.json()) as { trace_id: string }).trace_id).toBe('abc-123.def:9')
  })

  it('replaces a malformed X-Request-Id with its own', async () => {
    const res = await t.request('GET', '/health', { headers: { 'x-request-id': 'bad id<script>' } })
    const id = res.headers.get('x-request-id')
    expect(id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/)
    expect(id).not.toBe('bad id<script>')
  })

  it('sends security headers and no-store on API responses', async () => {
    const res = await t.request('GET', '/health')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('grants no CORS on the platform API', async () => {
    const res = await t.request('GET', tenantsPath, {
      token: t.platformKey,
      headers: { origin: 'https://evil.example' },
    })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('service endpoints', () => {
  it('GET /health is 200', async () => {
    const res = await t.request('GET', '/health')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('GET /ready reports database, bus and migrations', async () => {
    const res = await t.request('GET', '/ready')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: true, bus: true, migrations: true } })
  })

  it('GET /ready is 503 while shutting down', async () => {
    t.deps.state.shuttingDown = true
    try {
      expect((await t.request('GET', '/ready')).status).toBe(503)
    } finally {
      t.deps.state.shuttingDown = false
    }
  })

  it('GET /metrics counts requests by route and status', async () => {
    await newTenant(t)
    // Metrics are recorded after the response is sent, so poll for them.
    const line = 'tessera_http_requests_total{method="POST",route="/platform/v1/tenants",status="201"}'
    const text = await waitFor(async () => {
      const res = await t.request('GET', '/metrics')
      expect(res.status).toBe(200)
      const body = await res.text()
      return body.includes(line) && body
    })
    expect(text).toContain('tessera_http_request_duration_seconds_bucket')
    expect(text).toContain('tessera_db_pool_max')
  })

  it('serves the OpenAPI document and the docs page', async () => {
    const spec = await t.request('GET', '/openapi.json')
    expect(spec.status).toBe(200)
    const doc = (await spec.json()) as { paths: Record<string, unknown> }
    expect(Object.keys(doc.paths)).toContain('/platform/v1/tenants')
    expect(Object.keys(doc.paths)).toContain('/t/{tenant}/.well-known/jwks.json')
    const docs = await t.request('GET', '/docs')
    expect(docs.status).toBe(200)
    expect(docs.headers.get('content-type')).toContain('text/html')
  })
})
