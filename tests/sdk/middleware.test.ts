import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createTesseraBackend, type Auth, type TesseraBackend } from '@tessera/backend'
import { tesseraAuth } from '@tessera/backend/elysia'
import * as ExpressAdapter from '@tessera/backend/express'
import * as HonoAdapter from '@tessera/backend/hono'
import * as NextAdapter from '@tessera/backend/next'
import { Elysia } from 'elysia'
import express from 'express'
import { Hono } from 'hono'
import type { AddressInfo } from 'node:net'
import { liveServer, liveTenant, type LiveServer } from './support'

/**
 * One protected resource per framework: `/me` needs a session, `/invoices` the organization permission
 * `org:invoices:read`. Every adapter must answer the same: 401 signed out, 403 without the permission, 200 with it.
 */
let s: LiveServer
let backend: TesseraBackend
let member: string // a session token without the permission
let reader: string // a session token whose active organization grants it
let userId: string

beforeAll(async () => {
  s = await liveServer()
  const tenant = await liveTenant(s)
  backend = createTesseraBackend({ issuer: tenant.issuer, secretKey: tenant.secret_key, now: () => s.clock.now() })
  const plain = await tenant.newSession()
  member = plain.token
  const session = await tenant.newSession()
  userId = session.userId
  await backend.permissions.create({ key: 'org:invoices:read', name: 'Read invoices' })
  await backend.roles.create({
    key: 'org:accountant',
    name: 'Accountant',
    level: 20,
    permissions: ['org:invoices:read'],
  })
  const org = await backend.organizations.create({ name: 'Books', created_by: plain.userId })
  await backend.organizations.addMember(org.id, { user_id: userId, role: 'org:accountant' })
  // A token with the organization active, as the Frontend API hands it out after an organization switch.
  const fapi = (path: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${tenant.issuer}/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  const signIn = await fapi(
    '/client/sign-ins',
    { identifier: session.email, password: session.password },
    {
      'x-native-client': '1',
    },
  )
  const done = (await signIn.json()) as { refresh_token: string; session: { id: string } }
  const refreshed = await fapi(
    `/client/sessions/${done.session.id}/tokens`,
    { refresh_token: done.refresh_token, organization_id: org.id },
    { 'x-client-token': signIn.headers.get('x-client-token')! },
  )
  reader = ((await refreshed.json()) as { jwt: string }).jwt
})
afterAll(() => s.close())

type Call = (path: string, token?: string) => Promise<{ status: number; body: Record<string, unknown> }>

function behavesAsContract(name: string, call: () => Call) {
  describe(name, () => {
    it('answers 401 without a token or with a bad one, in the error envelope', async () => {
      const none = await call()('/me')
      expect(none.status).toBe(401)
      expect(none.body).toMatchObject({
        errors: [{ code: 'authentication_invalid', meta: { reason: 'token_missing' } }],
      })
      expect((await call()('/me', 'garbage')).status).toBe(401)
    })
    it('puts the caller on the request', async () => {
      const me = await call()('/me', member)
      expect(me.status).toBe(200)
      expect(me.body.userId).not.toBeNull()
    })
    it('answers 403 without the permission and 200 with it', async () => {
      const denied = await call()('/invoices', member)
      expect(denied.status).toBe(403)
      expect(denied.body).toMatchObject({
        errors: [{ code: 'permission_denied', meta: { required_permission: 'org:invoices:read' } }],
      })
      const allowed = await call()('/invoices', reader)
      expect(allowed).toEqual({ status: 200, body: { userId, orgRole: 'org:accountant' } })
    })
  })
}

const answer = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> })
const request = (path: string, token?: string) =>
  new Request(`http://app.test${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {})
const view = (auth: Auth) => ({ userId: auth.userId, orgRole: auth.orgRole })

behavesAsContract('Elysia', () => {
  const app = new Elysia()
    .use(tesseraAuth(backend))
    .get('/me', ({ auth }) => ({ userId: auth.userId }), { signedIn: true })
    .get('/invoices', ({ auth }) => view(auth), { signedIn: 'org:invoices:read' })
  return async (path, token) => answer(await app.handle(request(path, token)))
})

behavesAsContract('Hono', () => {
  const app = new Hono<{ Variables: HonoAdapter.TesseraVariables }>()
    .use(HonoAdapter.tesseraMiddleware(backend))
    .get('/me', HonoAdapter.requireAuth(), (c) => c.json({ userId: c.get('auth').userId }))
    .get('/invoices', HonoAdapter.requireAuth('org:invoices:read'), (c) => c.json(view(c.get('auth'))))
  return async (path, token) => answer(await app.request(request(path, token)))
})

let expressUrl = ''
let expressServer: { close(): unknown } | null = null
afterAll(() => expressServer?.close())
behavesAsContract('Express', () => async (path, token) => {
  if (!expressUrl) {
    const app = express()
    app.use(ExpressAdapter.tesseraMiddleware(backend))
    app.get('/me', ExpressAdapter.requireAuth(), (req, res) => res.json({ userId: req.auth.userId }))
    app.get('/invoices', ExpressAdapter.requireAuth('org:invoices:read'), (req, res) => res.json(view(req.auth)))
    const server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    expressServer = server
    expressUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }
  return answer(await fetch(`${expressUrl}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {}))
})

behavesAsContract('Next.js route handlers', () => {
  const me = NextAdapter.withAuth(backend, (_req, { auth }) => Response.json({ userId: auth.userId }), { check: true })
  const invoices = NextAdapter.withAuth(backend, (_req, { auth }) => Response.json(view(auth)), {
    check: 'org:invoices:read',
  })
  return async (path, token) => answer(await (path === '/me' ? me : invoices)(request(path, token), {}))
})

describe('Next.js middleware', () => {
  it('refuses protected paths when signed out and lets everything else through', async () => {
    const middleware = NextAdapter.tesseraMiddleware(backend, { protect: (r) => new URL(r.url).pathname !== '/' })
    expect(await middleware(request('/'))).toBeUndefined()
    expect((await middleware(request('/dashboard')))!.status).toBe(401)
    expect(await middleware(request('/dashboard', member))).toBeUndefined()
  })
})
