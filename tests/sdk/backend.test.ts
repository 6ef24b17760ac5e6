import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import {
  createTesseraBackend,
  TesseraError,
  TokenVerificationError,
  verifyWebhook,
  WebhookVerificationError,
} from '@tessera/backend'
import { decodeProtectedHeader } from 'jose'
import { waitFor } from '../support/wait'
import { liveServer, liveTenant, type LiveServer } from './support'

let s: LiveServer
beforeAll(async () => {
  s = await liveServer()
})
afterAll(() => s.close())

/** The server's clock is a fake one that tests move; the verifier reads the same time. */
const backendFor = (tenant: { issuer: string; secret_key: string }, extra: object = {}) =>
  createTesseraBackend({ issuer: tenant.issuer, secretKey: tenant.secret_key, now: () => s.clock.now(), ...extra })

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (err: unknown) => (err instanceof TokenVerificationError ? err.reason : String(err)),
  )

describe('@tessera/backend verifyToken', () => {
  it('verifies a session token offline and returns its claims', async () => {
    const tenant = await liveTenant(s)
    const session = await tenant.newSession()
    const claims = await backendFor(tenant).verifyToken(session.token)
    expect(claims.sub).toBe(session.userId)
    expect(claims.sid).toBe(session.sessionId)
    expect(claims.iss).toBe(tenant.issuer)
  })

  it("refuses another tenant's token, a tampered one and an expired one", async () => {
    const tenant = await liveTenant(s)
    const other = await liveTenant(s)
    const foreign = await other.newSession()
    const backend = backendFor(tenant)
    expect(await refusal(backend.verifyToken(foreign.token))).toBe('token_invalid')

    const { token } = await tenant.newSession()
    const [h, p, sig] = token.split('.')
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString())
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'user_someone_else' })).toString('base64url')}.${sig}`
    expect(await refusal(backend.verifyToken(forged))).toBe('token_invalid')
    expect(await refusal(backend.verifyToken('not-a-jwt'))).toBe('token_invalid')

    s.clock.advance(3_600_000)
    expect(await refusal(backend.verifyToken(token))).toBe('token_expired')
  })

  it('refuses a JWT-template token as a session token', async () => {
    const tenant = await liveTenant(s)
    const session = await tenant.newSession()
    const backend = backendFor(tenant)
    await backend.request('post', '/v1/jwt-templates', { body: { name: 'partner', claims: { aud: 'partner' } } })
    const minted = (await backend.request('post', '/v1/users/{id}/jwt-templates/{name}/tokens', {
      params: { id: session.userId, name: 'partner' },
      body: {},
    })) as { jwt: string }
    expect(await refusal(backend.verifyToken(minted.jwt))).toBe('token_invalid')
  })

  it('follows a signing-key rotation: an unknown kid fetches the key set again', async () => {
    const tenant = await liveTenant(s)
    const backend = backendFor(tenant, { jwks: { cooldownMs: 0 } })
    const before = await tenant.newSession()
    await backend.verifyToken(before.token) // caches the set that holds only the first key
    const rotated = await fetch(`${s.url}/platform/v1/tenants/${tenant.id}/keys/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.platformKey}` },
    })
    const { id: newKid } = (await rotated.json()) as { id: string }
    s.clock.advance(300_000)
    const after = await tenant.newSession()
    expect(decodeProtectedHeader(after.token).kid).toBe(newKid)
    expect((await backend.verifyToken(after.token)).sid).toBe(after.sessionId)
  })
})

describe('@tessera/backend authenticate', () => {
  it('reads the Bearer token or the __session cookie, and says why a caller is signed out', async () => {
    const tenant = await liveTenant(s)
    const session = await tenant.newSession()
    const backend = backendFor(tenant)
    const bearer = await backend.authenticate(
      new Request('http://app.test/', { headers: { authorization: `Bearer ${session.token}` } }),
    )
    expect(bearer.isSignedIn).toBe(true)
    expect(bearer.userId).toBe(session.userId)
    const cookie = await backend.authenticate(
      new Request('http://app.test/', { headers: { cookie: `theme=dark; __session=${session.token}` } }),
    )
    expect(cookie.sessionId).toBe(session.sessionId)
    const none = await backend.authenticate(new Request('http://app.test/'))
    expect(none).toMatchObject({ isSignedIn: false, userId: null, reason: 'token_missing' })
    expect(none.has('org:sys_profile:manage')).toBe(false)
  })

  it('with live, refuses a revoked session whose token has not expired yet', async () => {
    const tenant = await liveTenant(s)
    const session = await tenant.newSession()
    const backend = backendFor(tenant)
    const request = () => new Request('http://app.test/', { headers: { authorization: `Bearer ${session.token}` } })
    await backend.sessions.revoke(session.sessionId)
    expect((await backend.authenticate(request())).isSignedIn).toBe(true) // offline: valid until it expires
    expect(await backend.authenticate(request(), { live: true })).toMatchObject({
      isSignedIn: false,
      reason: 'session_inactive',
    })
  })

  it('checks azp against the authorized parties', async () => {
    const tenant = await liveTenant(s, { allowed_origins: ['https://app.example'] })
    const user = await createTesseraBackend({ apiUrl: s.url, secretKey: tenant.secret_key }).users.create({
      email_address: ['azp@example.com'],
      password: 'correct horse battery staple',
    })
    // A browser-mode sign-in from an allowed origin: the token's azp is that origin.
    const res = await fetch(`${tenant.issuer}/v1/client/sign-ins`, {
      method: 'POST',
      headers: { origin: 'https://app.example', 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'azp@example.com', password: 'correct horse battery staple' }),
    })
    const session = res.headers
      .getSetCookie()
      .map((c) => /^__session=([^;]+)/.exec(c)?.[1])
      .find(Boolean)!
    expect((await backendFor(tenant).verifyToken(session)).sub).toBe(user.id)
    const allowed = backendFor(tenant, { authorizedParties: ['https://app.example'] })
    expect((await allowed.verifyToken(session)).azp).toBe('https://app.example')
    const elsewhere = backendFor(tenant, { authorizedParties: ['https://other.example'] })
    expect(await refusal(elsewhere.verifyToken(session))).toBe('unauthorized_party')
  })
})

describe('@tessera/backend Backend API client', () => {
  it('creates, reads, lists, updates and deletes users; errors carry the envelope', async () => {
    const tenant = await liveTenant(s)
    const backend = backendFor(tenant)
    const user = await backend.users.create({ email_address: ['bapi@example.com'], first_name: 'Ada' })
    expect(user).toMatchObject({ object: 'user', first_name: 'Ada' })
    expect((await backend.users.get(user.id)).email_addresses[0]!.email_address).toBe('bapi@example.com')
    expect((await backend.users.list({ email_address: 'bapi@example.com' })).data.map((u) => u.id)).toEqual([user.id])
    expect((await backend.users.update(user.id, { last_name: 'Lovelace' })).last_name).toBe('Lovelace')
    expect(await backend.users.delete(user.id)).toMatchObject({ id: user.id, deleted: true })
    const missing = await backend.users.get(user.id).catch((err: unknown) => err)
    expect(missing).toBeInstanceOf(TesseraError)
    expect(missing).toMatchObject({ status: 404, code: 'resource_not_found' })
    const invalid = await backend.users.create({ email_address: ['not an address'] }).catch((err: unknown) => err)
    expect(invalid).toMatchObject({ status: 422, meta: { param_name: expect.any(String) } })
  })

  it('introspects, manages sessions, organizations, roles, keys, webhooks and the audit trail', async () => {
    const tenant = await liveTenant(s)
    const session = await tenant.newSession()
    const backend = backendFor(tenant)
    expect(await backend.tokens.introspect(session.token)).toMatchObject({ active: true, sub: session.userId })
    const org = await backend.organizations.create({ name: 'Acme', created_by: session.userId })
    expect((await backend.organizations.get(org.slug)).id).toBe(org.id)
    expect((await backend.organizations.members(org.id)).data[0]!.role).toBe('org:owner')
    expect((await backend.users.organizationMemberships(session.userId)).data[0]!.organization.id).toBe(org.id)
    expect((await backend.roles.list()).data.map((r) => r.key)).toContain('org:admin')
    const key = await backend.apiKeys.create({ name: 'reports', scopes: ['users:read'] })
    expect(key.key).toStartWith('tk_')
    const endpoint = await backend.webhooks.createEndpoint({ url: 'https://hooks.example/tessera' })
    expect(endpoint.secret).toStartWith('whsec_')
    expect((await backend.sessions.list({ user_id: session.userId })).data[0]!.id).toBe(session.sessionId)
    expect((await backend.sessions.revoke(session.sessionId)).status).toBe('revoked')
    expect(await backend.tokens.introspect(session.token)).toEqual({ active: false })
    expect((await backend.auditEvents.list({ action: 'session.revoked' })).data).toHaveLength(1)
    expect((await backend.auditEvents.verify()).valid).toBe(true)
  })

  it('administers an organization’s SCIM: token once, endpoint, mappings, revocation', async () => {
    const tenant = await liveTenant(s)
    const session = await tenant.newSession()
    const backend = backendFor(tenant)
    const org = await backend.organizations.create({ name: 'Acme', created_by: session.userId })
    const token = await backend.organizations.scim.createToken(org.id, { name: 'Okta' })
    expect(token.token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/)
    expect((await backend.organizations.scim.endpoint(org.id)).base_url).toBe(`${tenant.issuer}/scim/v2`)
    const mappings = await backend.organizations.scim.setMappings(org.id, {
      group_roles: [{ group: 'Admins', role: 'org:admin' }],
    })
    expect(mappings).toMatchObject({ is_default: false, group_roles: [{ group: 'Admins', role: 'org:admin' }] })
    expect((await backend.organizations.scim.revokeToken(org.id, token.id)).status).toBe('revoked')
    expect((await backend.organizations.scim.listTokens(org.id, { status: 'revoked' })).data[0]!.token).toBeUndefined()
  })

  it('issues license keys for a product, verifies and revokes them, and frees a device', async () => {
    const tenant = await liveTenant(s)
    const backend = backendFor(tenant)
    const product = await backend.products.create({ name: 'Desktop', key_prefix: 'DESK', default_max_activations: 1 })
    const issued = await backend.licenseKeys.create({ product_id: product.id, metadata: { seats: 1 } })
    expect(issued.key).toStartWith('DESK-')
    expect((await backend.licenseKeys.list({ product_id: product.id })).data.map((k) => k.id)).toEqual([issued.id])
    expect(await backend.licenseKeys.verify(issued.key)).toMatchObject({ valid: true, code: 'valid' })
    const activated = await fetch(`${tenant.issuer}/v1/licenses/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: issued.key, device_fingerprint: 'laptop-1' }),
    })
    expect(activated.status).toBe(201)
    const [activation] = (await backend.licenseKeys.activations(issued.id)).data
    expect(await backend.licenseKeys.deactivate(issued.id, activation!.id)).toMatchObject({ deleted: true })
    expect((await backend.licenseKeys.revoke(issued.id)).status).toBe('revoked')
    expect(await backend.licenseKeys.verify(issued.key, 'laptop-1')).toMatchObject({ valid: false, code: 'revoked' })
    const inUse = await backend.products.delete(product.id).catch((e: TesseraError) => e.code)
    expect(inUse).toBe('resource_in_use')
  })

  it('a service key reaches only what its scopes allow', async () => {
    const tenant = await liveTenant(s)
    const key = await backendFor(tenant).apiKeys.create({ name: 'reader', scopes: ['users:read'] })
    const reader = createTesseraBackend({ apiUrl: s.url, secretKey: key.key })
    expect((await reader.users.list()).data).toEqual([])
    expect(await reader.users.create({ email_address: ['x@example.com'] }).catch((e: TesseraError) => e.code)).toBe(
      'permission_denied',
    )
  })
})

describe('@tessera/backend verifyWebhook', () => {
  it('verifies a real delivery and refuses a tampered body, a wrong secret and a replayed timestamp', async () => {
    const tenant = await liveTenant(s)
    const backend = backendFor(tenant)
    const received: { body: string; headers: Headers }[] = []
    const receiver = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: async (req) => {
        received.push({ body: await req.text(), headers: req.headers })
        return new Response('ok')
      },
    })
    try {
      const endpoint = await backend.webhooks.createEndpoint({
        url: `http://127.0.0.1:${receiver.port}/hooks`,
        filter_types: ['user.created'],
      })
      const user = await backend.users.create({ email_address: ['hooked@example.com'] })
      await waitFor(() => received.length > 0, 10_000)
      const { body, headers } = received[0]!
      const event = verifyWebhook<{ id: string }>(body, headers, endpoint.secret)
      expect(event).toMatchObject({ object: 'event', type: 'user.created', data: { id: user.id } })

      const fails = (fn: () => unknown) => expect(fn).toThrow(WebhookVerificationError)
      fails(() => verifyWebhook(body.replace(user.id, 'user_forged'), headers, endpoint.secret))
      fails(() => verifyWebhook(body, headers, `whsec_${Buffer.from('another secret').toString('base64')}`))
      const stale = new Headers(headers)
      stale.set('webhook-timestamp', String(Math.floor(Date.now() / 1000) - 3600))
      fails(() => verifyWebhook(body, stale, endpoint.secret))
    } finally {
      receiver.stop(true)
    }
  })
})
