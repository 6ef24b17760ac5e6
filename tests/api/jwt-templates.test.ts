import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, asc, eq } from 'drizzle-orm'
import { generateKeyPairSync } from 'node:crypto'
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importSPKI,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
} from 'jose'
import { jwtTemplates } from '../../src/features/jwt-templates/schema'
import { auditEvents, outbox } from '../../src/platform/db/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { nativeClient, newUser, signInNative } from '../support/flows'
import { newOrg } from '../support/orgs'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

interface Template {
  object: string
  id: string
  name: string
  claims: Record<string, unknown>
  lifetime_s: number
  allowed_clock_skew_s: number
  signing_algorithm: string
  custom_signing_key: boolean
  created_at: number
  updated_at: number
}

const SECRET = 'a shared secret of at least 32 bytes!!'

const api = (tenant: CreatedTenant, method: string, path = '', json?: unknown) =>
  t.request(method, `/v1/jwt-templates${path}`, { token: tenant.secret_key, ...(json === undefined ? {} : { json }) })

async function createTemplate(tenant: CreatedTenant, body: Record<string, unknown>): Promise<Template> {
  const res = await api(tenant, 'POST', '', { name: `tpl-${crypto.randomUUID().slice(0, 8)}`, claims: {}, ...body })
  if (res.status !== 201) throw new Error(`template creation failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as Template
}

const mintForUser = (tenant: CreatedTenant, userId: string, name: string, json?: unknown) =>
  t.request('POST', `/v1/users/${userId}/jwt-templates/${name}/tokens`, {
    token: tenant.secret_key,
    ...(json === undefined ? {} : { json }),
  })

async function jwtOf(res: Response): Promise<string> {
  if (res.status !== 200) throw new Error(`mint failed: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as { object: string; jwt: string }
  expect(body.object).toBe('token')
  return body.jwt
}

async function tenantJwks(tenant: CreatedTenant) {
  const res = await t.request('GET', `/t/${tenant.slug}/.well-known/jwks.json`)
  return createLocalJWKSet((await res.json()) as JSONWebKeySet)
}

const verifyOptions = (tenant: CreatedTenant) => ({ issuer: tenant.issuer, currentDate: new Date(t.clock.now()) })

async function signedIn(tenant: CreatedTenant, body: Record<string, unknown> = {}) {
  const user = await newUser(t, tenant, body)
  const client = nativeClient(t, tenant)
  const signed = await signInNative(t, tenant, user, client)
  return { user, client, ...signed }
}

/** The FAPI mint, asked with the client and a session token (that session's own, unless `token` says). */
const mintForSession = (
  tenant: CreatedTenant,
  s: Awaited<ReturnType<typeof signedIn>>,
  sid: string,
  name: string,
  opts: { json?: unknown; token?: string | null } = {},
) =>
  t.request('POST', `/t/${tenant.slug}/v1/client/sessions/${sid}/tokens/${name}`, {
    headers: {
      'x-client-token': s.client.token!,
      ...(opts.token === null ? {} : { authorization: `Bearer ${opts.token ?? s.session_token}` }),
    },
    ...(opts.json === undefined ? {} : { json: opts.json }),
  })

const eventsOf = (tenant: CreatedTenant) =>
  withTenant(t.deps.db, tenant.id, (tx) =>
    tx.select().from(outbox).where(eq(outbox.tenantId, tenant.id)).orderBy(asc(outbox.id)),
  )

async function expectInvalid(res: Response, param: string, code = 'form_param_format_invalid') {
  expect(res.status).toBe(422)
  const error = await firstError(res)
  expect(error.code).toBe(code)
  expect(error.meta.param_name).toBe(param)
}

describe('CRUD /v1/jwt-templates', () => {
  it('creates with defaults, reads, lists, updates and deletes, with events and audit entries', async () => {
    const tenant = await newTenant(t)
    const res = await api(tenant, 'POST', '', { name: 'hasura', claims: { role: 'user' } })
    expect(res.status).toBe(201)
    const created = (await res.json()) as Template
    expect(created).toMatchObject({
      object: 'jwt_template',
      name: 'hasura',
      claims: { role: 'user' },
      lifetime_s: 60,
      allowed_clock_skew_s: 5,
      signing_algorithm: 'RS256',
      custom_signing_key: false,
    })
    expect(created.id).toMatch(/^jwtt_/)
    expect(created.created_at).toBe(created.updated_at)

    expect(await (await api(tenant, 'GET', `/${created.id}`)).json()).toEqual(created)
    const second = await createTemplate(tenant, {})
    const page = (await (await api(tenant, 'GET', '?limit=1')).json()) as {
      data: Template[]
      meta: { next_cursor: string | null }
    }
    expect(page.data.map((d) => d.id)).toEqual([second.id])
    const next = (await (await api(tenant, 'GET', `?limit=1&cursor=${page.meta.next_cursor}`)).json()) as {
      data: Template[]
      meta: { next_cursor: string | null }
    }
    expect(next.data.map((d) => d.id)).toEqual([created.id])
    expect(next.meta.next_cursor).toBeNull()

    t.clock.advance(1000)
    const patched = await api(tenant, 'PATCH', `/${created.id}`, {
      name: 'hasura-v2',
      claims: { role: 'admin' },
      lifetime_s: 300,
      allowed_clock_skew_s: 0,
    })
    expect(patched.status).toBe(200)
    const updated = (await patched.json()) as Template
    expect(updated).toMatchObject({ name: 'hasura-v2', claims: { role: 'admin' }, lifetime_s: 300 })
    expect(updated.allowed_clock_skew_s).toBe(0)
    expect(updated.updated_at).toBe(created.updated_at + 1000)

    const deleted = await api(tenant, 'DELETE', `/${created.id}`)
    expect(await deleted.json()).toEqual({ object: 'jwt_template', id: created.id, deleted: true })
    expect((await api(tenant, 'GET', `/${created.id}`)).status).toBe(404)
    expect((await api(tenant, 'DELETE', `/${created.id}`)).status).toBe(404)

    const events = (await eventsOf(tenant)).filter((e) => e.type.startsWith('jwtTemplate.'))
    expect(events.map((e) => e.type)).toEqual([
      'jwtTemplate.created',
      'jwtTemplate.created',
      'jwtTemplate.updated',
      'jwtTemplate.deleted',
    ])
    expect((events[2]!.payload as { data: Template }).data).toEqual(updated)
    const audit = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.targetId, created.id)))
        .orderBy(asc(auditEvents.seq)),
    )
    expect(audit.map((a) => [a.action, a.actorType])).toEqual([
      ['jwtTemplate.created', 'secret_key'],
      ['jwtTemplate.updated', 'secret_key'],
      ['jwtTemplate.deleted', 'secret_key'],
    ])
  })

  it("answers 404 for another tenant's template and 401 without the secret key", async () => {
    const tenant = await newTenant(t)
    const other = await newTenant(t)
    const template = await createTemplate(tenant, {})
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await api(other, method, `/${template.id}`, method === 'PATCH' ? { lifetime_s: 100 } : undefined)
      expect(res.status).toBe(404)
    }
    expect((await (await api(other, 'GET')).json()) as { data: unknown[] }).toMatchObject({ data: [] })
    expect((await t.request('GET', '/v1/jwt-templates')).status).toBe(401)
  })

  it('refuses bad names, and a name taken in the tenant with 409 duplicate_record', async () => {
    const tenant = await newTenant(t)
    for (const name of ['', 'has space', 'a'.repeat(65), 'dot.ted', 'ünïcode'])
      await expectInvalid(await api(tenant, 'POST', '', { name, claims: {} }), 'name')
    await createTemplate(tenant, { name: 'A_b-9' })
    const taken = await api(tenant, 'POST', '', { name: 'A_b-9', claims: {} })
    expect(taken.status).toBe(409)
    expect(await firstError(taken)).toMatchObject({ code: 'duplicate_record', meta: { param_name: 'name' } })
    const other = await createTemplate(tenant, { name: 'other' })
    const renamed = await api(tenant, 'PATCH', `/${other.id}`, { name: 'A_b-9' })
    expect(renamed.status).toBe(409)
    expect((await firstError(renamed)).code).toBe('duplicate_record')
    // Unique per tenant only.
    await createTemplate(await newTenant(t), { name: 'A_b-9' })
  })

  it('refuses reserved claims with 422 claims.<name>, and claims beyond the metadata limits', async () => {
    const tenant = await newTenant(t)
    for (const name of ['iss', 'sub', 'iat', 'exp', 'nbf', 'sid', 'jti', 'azp'])
      await expectInvalid(
        await api(tenant, 'POST', '', { name: 'x', claims: { ok: 1, [name]: 'v' } }),
        `claims.${name}`,
      )
    const template = await createTemplate(tenant, {})
    await expectInvalid(await api(tenant, 'PATCH', `/${template.id}`, { claims: { sub: 'me' } }), 'claims.sub')
    // Nested names are the template's own.
    await createTemplate(tenant, { claims: { nested: { sub: 'x', exp: 1 } } })

    let deep: Record<string, unknown> = {}
    for (let i = 0; i < 11; i++) deep = { d: deep }
    await expectInvalid(await api(tenant, 'POST', '', { name: 'deep', claims: deep }), 'claims')
    await expectInvalid(await api(tenant, 'POST', '', { name: 'big', claims: { v: 'x'.repeat(9000) } }), 'claims')
    await expectInvalid(await api(tenant, 'POST', '', { name: 'arr', claims: [] }), 'claims')
    const missing = await api(tenant, 'POST', '', { name: 'none' })
    expect(missing.status).toBe(422)
    expect((await firstError(missing)).meta.param_name).toBe('claims')
  })

  it('keeps lifetime_s in 30..86400 and allowed_clock_skew_s in 0..300, as integers', async () => {
    const tenant = await newTenant(t)
    for (const lifetime_s of [29, 86_401, 60.5, '60'])
      await expectInvalid(await api(tenant, 'POST', '', { name: 'x', claims: {}, lifetime_s }), 'lifetime_s')
    for (const allowed_clock_skew_s of [-1, 301, '5'])
      await expectInvalid(
        await api(tenant, 'POST', '', { name: 'x', claims: {}, allowed_clock_skew_s }),
        'allowed_clock_skew_s',
      )
    const edges = await createTemplate(tenant, { lifetime_s: 30, allowed_clock_skew_s: 300 })
    expect([edges.lifetime_s, edges.allowed_clock_skew_s]).toEqual([30, 300])
    await expectInvalid(await api(tenant, 'PATCH', `/${edges.id}`, { lifetime_s: 86_401 }), 'lifetime_s')
    await expectInvalid(await api(tenant, 'POST', '', { name: 'x', claims: {}, extra: 1 }), 'extra')
  })
})

describe('shortcodes', () => {
  it('resolves typed whole strings, embedded text, nested values, metadata paths; unknown → null', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant, {
      first_name: 'Ada',
      last_name: 'Lovelace',
      username: 'ada_l',
      public_metadata: { age: 36, tags: ['math', 'poetry'], nested: { deep: { v: true } }, nil: null },
      unsafe_metadata: { theme: 'dark' },
      private_metadata: { secret: 'never' },
    })
    const template = await createTemplate(tenant, {
      claims: {
        uid: '{{user.id}}',
        first: '{{user.first_name}}',
        spaced: '{{ user.last_name }}',
        greeting: 'Hi {{user.first_name}} {{user.last_name}}!',
        username: '{{user.username}}',
        email: '{{user.primary_email_address}}',
        phone: '{{user.primary_phone_number}}',
        verified: '{{user.email_verified}}',
        age: '{{user.public_metadata.age}}',
        tags: '{{user.public_metadata.tags}}',
        deep: '{{user.public_metadata.nested.deep.v}}',
        meta: '{{user.public_metadata}}',
        nil: '{{user.public_metadata.nil}}',
        theme: '{{user.unsafe_metadata.theme}}',
        private: '{{user.private_metadata.secret}}',
        missing: '{{user.public_metadata.nope.deeper}}',
        proto: '{{user.public_metadata.__proto__}}',
        unknown: '{{user.password}}',
        path_on_plain: '{{user.first_name.length}}',
        embedded: 'age={{user.public_metadata.age}};tags={{user.public_metadata.tags}};gone=[{{user.nothing}}]',
        nested: { list: ['{{session.id}}', { amr: '{{session.amr}}' }], fixed: 42 },
        sid_copy: '{{session.id}}',
        amr: '{{session.amr}}',
        org: { id: '{{org.id}}', slug: '{{org.slug}}', role: '{{org.role}}', perms: '{{org.permissions}}' },
        org_text: 'org:{{org.name}}',
        literal: 'no {{ shortcode',
        flag: true,
        count: 3,
      },
    })
    const jwt = await jwtOf(await mintForSession(tenant, s, s.session.id, template.name, { json: {} }))
    const { payload } = await jwtVerify(jwt, await tenantJwks(tenant), verifyOptions(tenant))
    expect(payload).toMatchObject({
      uid: s.user.id,
      first: 'Ada',
      spaced: 'Lovelace',
      greeting: 'Hi Ada Lovelace!',
      username: 'ada_l',
      email: s.user.email,
      phone: null,
      verified: true,
      age: 36,
      tags: ['math', 'poetry'],
      deep: true,
      meta: { age: 36, tags: ['math', 'poetry'], nested: { deep: { v: true } }, nil: null },
      nil: null,
      theme: 'dark',
      private: null,
      missing: null,
      proto: null,
      unknown: null,
      path_on_plain: null,
      embedded: 'age=36;tags=["math","poetry"];gone=[]',
      nested: { list: [s.session.id, { amr: ['password'] }], fixed: 42 },
      sid_copy: s.session.id,
      amr: ['password'],
      // No organization can be active yet: every org.* is null.
      org: { id: null, slug: null, role: null, perms: null },
      org_text: 'org:',
      literal: 'no {{ shortcode',
      flag: true,
      count: 3,
      sub: s.user.id,
      sid: s.session.id,
    })
  })

  it('answers email_verified false without a primary address, session.* null without a session', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('POST', '/v1/users', {
      token: tenant.secret_key,
      json: { username: 'no_email', password: 'correct horse battery staple' },
    })
    const user = (await res.json()) as { id: string }
    const template = await createTemplate(tenant, {
      claims: { verified: '{{user.email_verified}}', email: '{{user.primary_email_address}}' },
    })
    const raw = await createTemplate(tenant, { claims: { session: '{{session.id}}', amr: '{{session.amr}}' } })
    const { payload } = await jwtVerify(
      await jwtOf(await mintForUser(tenant, user.id, template.name)),
      await tenantJwks(tenant),
      verifyOptions(tenant),
    )
    expect(payload).toMatchObject({ verified: false, email: null })
    const noSession = await jwtVerify(
      await jwtOf(await mintForUser(tenant, user.id, raw.name, {})),
      await tenantJwks(tenant),
      verifyOptions(tenant),
    )
    expect(noSession.payload).toMatchObject({ session: null, amr: null })
    expect(noSession.payload).not.toHaveProperty('sid')
  })
})

describe('signing', () => {
  it("signs with the tenant's key: verifiable with its JWKS, nbf = iat − skew, exp = iat + lifetime", async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const template = await createTemplate(tenant, { lifetime_s: 120, allowed_clock_skew_s: 10, claims: { a: 1 } })
    const jwt = await jwtOf(await mintForUser(tenant, user.id, template.name))
    const { payload, protectedHeader } = await jwtVerify(jwt, await tenantJwks(tenant), verifyOptions(tenant))
    const jwks = (await (await t.request('GET', `/t/${tenant.slug}/.well-known/jwks.json`)).json()) as JSONWebKeySet
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]!.kid, typ: 'template+jwt' })
    const iat = Math.floor(t.clock.now() / 1000)
    expect(payload).toMatchObject({ iss: tenant.issuer, sub: user.id, iat, nbf: iat - 10, exp: iat + 120, a: 1 })
    expect(typeof payload.jti).toBe('string')
    const again = await jwtVerify(
      await jwtOf(await mintForUser(tenant, user.id, template.name)),
      await tenantJwks(tenant),
      verifyOptions(tenant),
    )
    expect(again.payload.jti).not.toBe(payload.jti)

    t.clock.advance(121_000)
    await expect(jwtVerify(jwt, await tenantJwks(tenant), verifyOptions(tenant))).rejects.toThrow()
  })

  it("follows the tenant's algorithm and refuses another one without a key", async () => {
    const tenant = await newTenant(t, { settings: { signing_algorithm: 'ES256' } })
    const template = await createTemplate(tenant, { signing_algorithm: 'ES256' })
    expect(template).toMatchObject({ signing_algorithm: 'ES256', custom_signing_key: false })
    for (const signing_algorithm of ['RS256', 'HS256'])
      await expectInvalid(
        await api(tenant, 'POST', '', { name: 'x', claims: {}, signing_algorithm }),
        'signing_algorithm',
      )
    await expectInvalid(
      await api(tenant, 'PATCH', `/${template.id}`, { signing_algorithm: 'EdDSA' }),
      'signing_algorithm',
    )
    const user = await newUser(t, tenant)
    const jwt = await jwtOf(await mintForUser(tenant, user.id, template.name))
    expect(decodeProtectedHeader(jwt).alg).toBe('ES256')
    await jwtVerify(jwt, await tenantJwks(tenant), verifyOptions(tenant))
  })

  it('signs with a custom HS256 secret (kid = template id), never returned, sealed at rest', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const res = await api(tenant, 'POST', '', {
      name: 'shared',
      claims: { x: 1 },
      signing_algorithm: 'HS256',
      signing_key: SECRET,
    })
    const text = await res.text()
    expect(res.status).toBe(201)
    expect(text).not.toContain(SECRET)
    const template = JSON.parse(text) as Template
    expect(template).toMatchObject({ signing_algorithm: 'HS256', custom_signing_key: true })
    expect(template).not.toHaveProperty('signing_key')
    for (const read of [await api(tenant, 'GET', `/${template.id}`), await api(tenant, 'GET')])
      expect(await read.text()).not.toContain(SECRET)
    const [row] = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(jwtTemplates).where(eq(jwtTemplates.id, template.id)),
    )
    expect(row!.signingKeySealed).toStartWith('v1.')
    expect(row!.signingKeySealed).not.toContain(SECRET)
    expect(JSON.stringify(await eventsOf(tenant))).not.toContain(SECRET)

    const jwt = await jwtOf(await mintForUser(tenant, user.id, 'shared'))
    const { payload, protectedHeader } = await jwtVerify(jwt, new TextEncoder().encode(SECRET), verifyOptions(tenant))
    expect(protectedHeader).toMatchObject({ alg: 'HS256', kid: template.id })
    expect(payload).toMatchObject({ iss: tenant.issuer, sub: user.id, x: 1 })

    // A new algorithm of the same family keeps the secret; one the secret cannot serve is refused.
    const hs512 = await api(tenant, 'PATCH', `/${template.id}`, { signing_algorithm: 'HS512' })
    expect(((await hs512.json()) as Template).signing_algorithm).toBe('HS512')
    const again = await jwtOf(await mintForUser(tenant, user.id, 'shared'))
    expect(decodeProtectedHeader(again).alg).toBe('HS512')
    await jwtVerify(again, new TextEncoder().encode(SECRET), verifyOptions(tenant))
    await expectInvalid(
      await api(tenant, 'PATCH', `/${template.id}`, { signing_algorithm: 'RS256' }),
      'signing_algorithm',
    )
  })

  it('refuses a short secret, a key without an algorithm, and a key that does not fit the algorithm', async () => {
    const tenant = await newTenant(t)
    const body = { name: 'k', claims: {} }
    const short = { ...body, signing_algorithm: 'HS384', signing_key: 'x'.repeat(31) }
    await expectInvalid(await api(tenant, 'POST', '', short), 'signing_key')
    await expectInvalid(
      await api(tenant, 'POST', '', { ...body, signing_key: SECRET }),
      'signing_algorithm',
      'form_param_missing',
    )
    const ec = await generateKeyPair('ES256', { extractable: true })
    const ecPem = await exportPKCS8(ec.privateKey)
    const rsaPem = await exportPKCS8((await generateKeyPair('RS256', { extractable: true })).privateKey)
    // jose generates no RSA key under 2048 bits; node:crypto still does.
    const weakRsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    })
    for (const [signing_algorithm, signing_key] of [
      ['RS256', ecPem],
      ['ES256', rsaPem],
      ['EdDSA', ecPem],
      ['RS256', 'not a pem'],
      ['RS256', await exportSPKI(ec.publicKey)],
      ['RS256', String(weakRsa)],
    ] as const)
      await expectInvalid(await api(tenant, 'POST', '', { ...body, signing_algorithm, signing_key }), 'signing_key')
    expect(((await (await api(tenant, 'GET')).json()) as { data: unknown[] }).data).toHaveLength(0)
  })

  it('signs with a custom RS256 PEM key, and PATCH signing_key null goes back to the tenant key', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const pair = await generateKeyPair('RS256', { extractable: true })
    const pem = await exportPKCS8(pair.privateKey)
    const template = await createTemplate(tenant, { signing_algorithm: 'RS256', signing_key: pem })
    expect(template.custom_signing_key).toBe(true)
    const jwt = await jwtOf(await mintForUser(tenant, user.id, template.name))
    const publicKey = await importSPKI(await exportSPKI(pair.publicKey), 'RS256')
    const { protectedHeader } = await jwtVerify(jwt, publicKey, verifyOptions(tenant))
    expect(protectedHeader.kid).toBe(template.id)
    await expect(jwtVerify(jwt, await tenantJwks(tenant), verifyOptions(tenant))).rejects.toThrow()

    const reverted = await api(tenant, 'PATCH', `/${template.id}`, { signing_key: null })
    expect(reverted.status).toBe(200)
    expect(await reverted.json()).toMatchObject({ custom_signing_key: false, signing_algorithm: 'RS256' })
    const [row] = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(jwtTemplates).where(eq(jwtTemplates.id, template.id)),
    )
    expect(row!.signingKeySealed).toBeNull()
    const tenantSigned = await jwtOf(await mintForUser(tenant, user.id, template.name))
    const verified = await jwtVerify(tenantSigned, await tenantJwks(tenant), verifyOptions(tenant))
    expect(verified.protectedHeader.kid).toMatch(/^key_/)

    // Back to a custom key, EdDSA this time.
    const ed = await generateKeyPair('EdDSA', { extractable: true, crv: 'Ed25519' })
    const edPem = await exportPKCS8(ed.privateKey)
    const patched = await api(tenant, 'PATCH', `/${template.id}`, { signing_algorithm: 'EdDSA', signing_key: edPem })
    expect(await patched.json()).toMatchObject({ custom_signing_key: true, signing_algorithm: 'EdDSA' })
    await jwtVerify(await jwtOf(await mintForUser(tenant, user.id, template.name)), ed.publicKey, verifyOptions(tenant))
  })
})

describe('POST /t/:tenant/v1/client/sessions/:sid/tokens/:name', () => {
  it("mints for the client's own session without rotating anything", async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    const template = await createTemplate(tenant, { claims: { who: '{{user.primary_email_address}}' } })
    const res = await mintForSession(tenant, s, s.session.id, template.name)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const jwt = await jwtOf(res)
    const { payload } = await jwtVerify(jwt, await tenantJwks(tenant), verifyOptions(tenant))
    expect(payload).toMatchObject({ sub: s.user.id, sid: s.session.id, who: s.user.email })
    // The refresh token is untouched: it still rotates once, as if the mint had not happened.
    const refresh = await s.client.request('POST', `/client/sessions/${s.session.id}/tokens`, {
      refresh_token: s.refresh_token,
    })
    expect(refresh.status).toBe(200)
  })

  it('never passes for a session token: refused at /me and inactive at introspection, whatever its claims', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    // Claims a step-up would look for: a template token must not grant them.
    const template = await createTemplate(tenant, { claims: { amr: ['password', 'totp'], fva: [0, 0] } })
    const jwt = await jwtOf(await mintForSession(tenant, s, s.session.id, template.name))
    const { protectedHeader } = await jwtVerify(jwt, await tenantJwks(tenant), verifyOptions(tenant))
    expect(protectedHeader.typ).toBe('template+jwt')
    const me = await t.request('GET', `/t/${tenant.slug}/v1/me`, { headers: { authorization: `Bearer ${jwt}` } })
    expect(me.status).toBe(401)
    const introspected = await t.request('POST', '/v1/tokens/introspect', {
      token: tenant.secret_key,
      json: { token: jwt },
    })
    expect(await introspected.json()).toEqual({ active: false })
    // The session token itself still works.
    const own = await t.request('GET', `/t/${tenant.slug}/v1/me`, {
      headers: { authorization: `Bearer ${s.session_token}` },
    })
    expect(own.status).toBe(200)
  })

  it("answers 404 for another client's session, an unknown or another tenant's name, a non-member's org", async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    const other = await signedIn(tenant)
    // An organization the user is not a member of (see active-organization.test.ts for members).
    const org = await newOrg(t, tenant, { created_by: other.user.id })
    const template = await createTemplate(tenant, {})
    const foreign = await createTemplate(await newTenant(t), { name: 'elsewhere' })
    for (const res of [
      await mintForSession(tenant, s, other.session.id, template.name),
      await mintForSession(tenant, s, other.session.id, template.name, { token: other.session_token }),
      await mintForSession(tenant, s, 'sess_unknown', template.name),
      await mintForSession(tenant, s, s.session.id, 'no-such-template'),
      await mintForSession(tenant, s, s.session.id, foreign.name),
      await mintForSession(tenant, s, s.session.id, template.name, { json: { organization_id: org.id } }),
      await mintForSession(tenant, s, s.session.id, template.name, { json: { organization_id: 'org_unknown' } }),
    ]) {
      expect(res.status).toBe(404)
      expect((await firstError(res)).code).toBe('resource_not_found')
    }
  })

  it('answers 401 once the session has ended', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    const template = await createTemplate(tenant, {})
    expect((await s.client.request('POST', `/client/sessions/${s.session.id}/end`)).status).toBe(200)
    const res = await mintForSession(tenant, s, s.session.id, template.name)
    expect(res.status).toBe(401)
  })

  it('answers 401 to the client without that session’s token (the client credential alone mints nothing)', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    const template = await createTemplate(tenant, {})
    const res = await mintForSession(tenant, s, s.session.id, template.name, { token: null })
    expect(res.status).toBe(401)
    expect((await firstError(res)).code).toBe('authentication_invalid')
  })
})

describe('POST /v1/users/:id/jwt-templates/:name/tokens', () => {
  it('mints bound to a session; 404 for another user’s session, unknown user, name, a non-member’s org', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    const other = await signedIn(tenant)
    const org = await newOrg(t, tenant, { created_by: other.user.id })
    const template = await createTemplate(tenant, { claims: { amr: '{{session.amr}}' } })
    const jwt = await jwtOf(await mintForUser(tenant, s.user.id, template.name, { session_id: s.session.id }))
    const { payload }: { payload: JWTPayload } = await jwtVerify(jwt, await tenantJwks(tenant), verifyOptions(tenant))
    expect(payload).toMatchObject({ sub: s.user.id, sid: s.session.id, amr: ['password'] })

    for (const res of [
      await mintForUser(tenant, s.user.id, template.name, { session_id: other.session.id }),
      await mintForUser(tenant, 'user_unknown', template.name),
      await mintForUser(tenant, s.user.id, 'nope'),
      await mintForUser(tenant, s.user.id, template.name, { organization_id: org.id }),
      await mintForUser(tenant, s.user.id, template.name, { organization_id: 'org_unknown' }),
    ]) {
      expect(res.status).toBe(404)
      expect((await firstError(res)).code).toBe('resource_not_found')
    }
    // Another tenant's secret key sees neither the user nor the template.
    expect((await mintForUser(await newTenant(t), s.user.id, template.name)).status).toBe(404)
  })
})
