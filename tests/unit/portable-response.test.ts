import { describe, expect, it } from 'bun:test'
import { Elysia } from 'elysia'
import { portableResponse } from '../../src/platform/http/portable-response'

/** Responses built the same way on Bun and Deno (issue #23); `npm run test:deno` runs this file on Deno too. */
describe('portableResponse', () => {
  it('sends JSON as application/json, also when cookies are set (Elysia’s web-standard mapping lost it)', async () => {
    const res = portableResponse(
      { object: 'client', id: 'c1' },
      { status: 201, headers: { 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'], 'x-request-id': 't1' } },
    )!
    expect(res.status).toBe(201)
    expect(res.headers.get('content-type')).toBe('application/json;charset=utf-8')
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/'])
    expect(res.headers.get('x-request-id')).toBe('t1')
    expect(await res.json()).toEqual({ object: 'client', id: 'c1' })
  })

  it('keeps a content type the handler chose, and arrays and null-prototype objects are JSON too', async () => {
    const problem = portableResponse(
      { type: 'about:blank' },
      { status: 400, headers: { 'content-type': 'application/problem+json' } },
    )!
    expect(problem.headers.get('content-type')).toBe('application/problem+json')
    expect(await portableResponse([1, 2], { status: 200, headers: {} })!.json()).toEqual([1, 2])
    const bare = Object.assign(Object.create(null), { a: 1 })
    expect(await portableResponse(bare, { status: 200, headers: {} })!.json()).toEqual({ a: 1 })
  })

  it('answers an empty 204 or 304 with no body at all (Deno refuses a "" body there)', async () => {
    for (const status of [204, 304]) {
      const res = portableResponse('', { status, headers: { vary: 'Origin' } })!
      expect(res.status).toBe(status)
      expect(res.body).toBeNull()
      expect(res.headers.get('vary')).toBe('Origin')
    }
  })

  it('leaves strings, Responses, class instances and Elysia cookies to Elysia', () => {
    expect(portableResponse('<p>hi</p>', { status: 200, headers: { 'content-type': 'text/html' } })).toBeUndefined()
    expect(portableResponse(new Response('x'), { status: 200, headers: {} })).toBeUndefined()
    expect(portableResponse(new Date(0), { status: 200, headers: {} })).toBeUndefined()
    expect(portableResponse({ a: 1 }, { status: 200, headers: {}, cookie: { name: {} } })).toBeUndefined()
  })
})

describe('portableResponse as the app’s mapResponse hook', () => {
  const app = new Elysia()
    .mapResponse(({ responseValue, set }) => portableResponse(responseValue, set))
    .get('/one-cookie', ({ set }) => {
      set.headers['set-cookie'] = 'a=1; Path=/'
      return { ok: true }
    })
    .get('/two-cookies', ({ set }) => {
      set.headers['set-cookie'] = ['a=1; Path=/', 'b=2; Path=/'] as unknown as string
      return { ok: true }
    })
    .options('/preflight', ({ set }) => {
      set.status = 204
      set.headers['access-control-allow-origin'] = 'https://app.example'
      return ''
    })
  const get = (path: string, method = 'GET') => app.handle(new Request(`http://localhost${path}`, { method }))

  it('sends each cookie once, with the JSON content type', async () => {
    const one = await get('/one-cookie')
    expect(one.headers.getSetCookie()).toEqual(['a=1; Path=/'])
    expect(one.headers.get('content-type')).toBe('application/json;charset=utf-8')
    const two = await get('/two-cookies')
    expect(two.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/'])
    expect(await two.json()).toEqual({ ok: true })
  })

  it('answers a preflight with 204, its headers and no body', async () => {
    const res = await get('/preflight', 'OPTIONS')
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(await res.text()).toBe('')
  })
})
