import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { testApp, type TestApp } from '../support/app'
import { introspect } from '../support/flows'
import { addMember, expectError, member, ok } from '../support/orgs'
import {
  expectScimError,
  filterQuery,
  GROUP_SCHEMA,
  membershipOf,
  patchOp,
  scimClient,
  scimOk,
  scimOrg,
  scimToken,
  tenantUserByEmail,
  tenantUsersByEmail,
  uniqueEmail,
  USER_SCHEMA,
  type ListResponse,
  type ScimGroup,
  type ScimToken,
  type ScimUser,
} from '../support/scim'

/** SCIM credentials, isolation between organizations and tenants, account linking and hostile input (API.md §12, §17). */

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const scimUser = (email: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA],
  userName: email,
  name: { givenName: 'Eve', familyName: 'Example' },
  emails: [{ primary: true, value: email, type: 'work' }],
  active: true,
  ...extra,
})

describe('SCIM tokens and credentials', () => {
  it('shows a token once, lists and revokes it; a revoked token is refused at once', async () => {
    const { tenant, org, token, api, scim } = await scimOrg(t)
    expect(token).toMatchObject({ object: 'scim_token', organization_id: org.id, name: 'IdP', status: 'active' })
    expect(token.id).toMatch(/^scimtok_/)
    expect(token.token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/)
    expect(token.token.startsWith(token.token_prefix)).toBe(true)
    expect(token.token_prefix.length).toBeLessThan(token.token.length)
    expect([token.last_used_at, token.revoked_at, token.expires_at]).toEqual([null, null, null])

    await scimOk(await scim('GET', '/Users'))
    const endpoint = await ok(await api('GET', `/organizations/${org.id}/scim/endpoint`))
    expect(endpoint).toMatchObject({
      object: 'scim_endpoint',
      organization_id: org.id,
      base_url: `http://localhost/t/${tenant.slug}/scim/v2`,
      authentication_scheme: 'oauthbearertoken',
      users_count: 0,
      groups_count: 0,
    })
    expect(typeof (endpoint as { last_request_at: unknown }).last_request_at).toBe('number')

    const issued = await api('POST', `/organizations/${org.id}/scim/tokens`, {})
    expect(issued.headers.get('cache-control') ?? '').toContain('no-store')
    const second = await ok<ScimToken & { token: string }>(issued, 201)
    const list = await ok<{ data: ScimToken[] }>(await api('GET', `/organizations/${org.id}/scim/tokens`))
    expect(list.data.map((x) => x.id).sort()).toEqual([token.id, second.id].sort())
    expect(list.data.every((x) => !('token' in x))).toBe(true)
    expect(JSON.stringify(list)).not.toContain(token.token)
    expect(typeof list.data.find((x) => x.id === token.id)?.last_used_at).toBe('number')

    const revoked = await ok<ScimToken>(await api('POST', `/organizations/${org.id}/scim/tokens/${token.id}/revoke`))
    expect(revoked).toMatchObject({ id: token.id, status: 'revoked' })
    expect(typeof revoked.revoked_at).toBe('number')
    expect('token' in revoked).toBe(false)
    await expectScimError(await scim('GET', '/Users'), 401)
    await scimOk(await scimClient(t, tenant, second.token)('GET', '/Users'))
    const byStatus = await ok<{ data: ScimToken[] }>(
      await api('GET', `/organizations/${org.id}/scim/tokens?status=revoked`),
    )
    expect(byStatus.data.map((x) => x.id)).toEqual([token.id])

    const other = await scimOrg(t, tenant)
    await expectError(
      await api('POST', `/organizations/${other.org.id}/scim/tokens/${second.id}/revoke`),
      404,
      'resource_not_found',
    )
    await scimOk(await scimClient(t, tenant, second.token)('GET', '/Users'))
  })

  it('refuses an expired token once its expires_at has passed', async () => {
    const { tenant, org, api } = await scimOrg(t)
    const expiring = await scimToken(t, tenant, org.id, { expires_at: t.clock.now() + 60_000 })
    const scim = scimClient(t, tenant, expiring.token)
    await scimOk(await scim('GET', '/Users'))
    t.clock.advance(61_000)
    await expectScimError(await scim('GET', '/Users'), 401)
    const expired = await ok<{ data: ScimToken[] }>(
      await api('GET', `/organizations/${org.id}/scim/tokens?status=expired`),
    )
    expect(expired.data.map((x) => [x.id, x.status])).toEqual([[expiring.id, 'expired']])
  })

  it('answers 401 to no credential, garbage, another scheme, the query string and non-SCIM credentials', async () => {
    const { tenant, owner, token } = await scimOrg(t)
    const elsewhere = await scimOrg(t)
    const base = `/t/${tenant.slug}/scim/v2/Users`
    const noAuth = await t.request('GET', base)
    await expectScimError(noAuth, 401)
    expect(noAuth.headers.get('www-authenticate') ?? '').toMatch(/^Bearer/)
    const attempts: { path?: string; headers?: Record<string, string>; token?: string }[] = [
      { token: `scim_${'A'.repeat(43)}` },
      { token: 'garbage' },
      { token: `${token.token}x` },
      { headers: { authorization: `Basic ${btoa(`x:${token.token}`)}` } },
      { headers: { authorization: token.token } },
      { path: `${base}?access_token=${token.token}` },
      { token: tenant.secret_key },
      { token: t.platformKey },
      { token: owner.token },
      { token: elsewhere.token.token }, // another tenant's SCIM token
    ]
    for (const a of attempts) {
      const res = await t.request('GET', a.path ?? base, {
        headers: a.headers ?? {},
        ...(a.token ? { token: a.token } : {}),
      })
      await expectScimError(res, 401)
    }
  })
})

describe('isolation', () => {
  it('keeps one organization’s users and groups out of another’s reach (404, never listed, never changed)', async () => {
    const a = await scimOrg(t)
    const b = await scimOrg(t, a.tenant)
    const email = uniqueEmail('b')
    const bUser = await scimOk<ScimUser>(await b.scim('POST', '/Users', scimUser(email)), 201)
    const bGroup = await scimOk<ScimGroup>(
      await b.scim('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'B team',
        members: [{ value: bUser.id }],
      }),
      201,
    )
    const aGroup = await scimOk<ScimGroup>(
      await a.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'A team', members: [] }),
      201,
    )
    const userId = (await tenantUserByEmail(t, a.tenant, email)).id

    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', scimUser(email, { active: false })],
      ['PATCH', patchOp({ op: 'replace', value: { active: false } })],
      ['DELETE', undefined],
    ] as const)
      await expectScimError(await a.scim(method, `/Users/${bUser.id}`, body), 404)
    for (const method of ['GET', 'DELETE']) await expectScimError(await a.scim(method, `/Groups/${bGroup.id}`), 404)
    await expectScimError(
      await a.scim('PATCH', `/Groups/${bGroup.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: 'x' }] })),
      404,
    )
    const added = await a.scim(
      'PATCH',
      `/Groups/${aGroup.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: bUser.id }] }),
    )
    expect([400, 404]).toContain(added.status)
    expect((await scimOk<ScimGroup>(await a.scim('GET', `/Groups/${aGroup.id}`))).members ?? []).toEqual([])

    const aUsers = await scimOk<ListResponse<ScimUser>>(await a.scim('GET', '/Users'))
    expect(aUsers.totalResults).toBe(0)
    const aFiltered = await scimOk<ListResponse<ScimUser>>(
      await a.scim('GET', `/Users?${filterQuery(`userName eq "${email}"`)}`),
    )
    expect(aFiltered.totalResults).toBe(0)
    const aGroups = await scimOk<ListResponse<ScimGroup>>(await a.scim('GET', '/Groups'))
    expect(aGroups.Resources?.map((g) => g.id)).toEqual([aGroup.id])
    // org A's IdP cannot claim org B's user by provisioning the same address
    await expectScimError(await a.scim('POST', '/Users', scimUser(email)), 409, 'uniqueness')

    expect(await membershipOf(t, a.tenant, a.org.id, userId)).toBeNull()
    expect(await membershipOf(t, b.tenant, b.org.id, userId)).toMatchObject({ status: 'active' })
    expect((await tenantUserByEmail(t, a.tenant, email)).banned).toBe(false)
    expect((await scimOk<ScimUser>(await b.scim('GET', `/Users/${bUser.id}`))).active).toBe(true)
    expect((await scimOk<ScimGroup>(await b.scim('GET', `/Groups/${bGroup.id}`))).members?.map((m) => m.value)).toEqual(
      [bUser.id],
    )
  })

  it('answers 404 for another tenant’s ids', async () => {
    const a = await scimOrg(t)
    const b = await scimOrg(t)
    const bUser = await scimOk<ScimUser>(await b.scim('POST', '/Users', scimUser(uniqueEmail('b'))), 201)
    const bGroup = await scimOk<ScimGroup>(
      await b.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'B' }),
      201,
    )
    await expectScimError(await a.scim('GET', `/Users/${bUser.id}`), 404)
    await expectScimError(await a.scim('GET', `/Groups/${bGroup.id}`), 404)
    await expectScimError(await a.scim('DELETE', `/Users/${bUser.id}`), 404)
    expect((await scimOk<ListResponse<ScimUser>>(await a.scim('GET', '/Users'))).totalResults).toBe(0)
    await scimOk(await b.scim('GET', `/Users/${bUser.id}`))
  })
})

describe('linking to existing tenant users', () => {
  it('refuses a non-member’s address with 409 uniqueness, leaving their account and sessions alone', async () => {
    const { tenant, org, scim } = await scimOrg(t)
    const victim = await member(t, tenant)
    await expectScimError(await scim('POST', '/Users', scimUser(victim.email)), 409, 'uniqueness')
    await expectScimError(
      await scim(
        'POST',
        '/Users',
        scimUser(`other-${victim.id}`, { emails: [{ primary: true, value: victim.email }] }),
      ),
      409,
      'uniqueness',
    )
    await expectScimError(await scim('POST', '/Users', scimUser(victim.email.toUpperCase())), 409, 'uniqueness')
    expect((await introspect(t, tenant, victim.token)).active).toBe(true)
    expect(await membershipOf(t, tenant, org.id, victim.id)).toBeNull()
    expect((await tenantUsersByEmail(t, tenant, victim.email)).map((u) => [u.id, u.banned])).toEqual([
      [victim.id, false],
    ])
  })

  it('links an existing member (no new user): deactivation suspends and revokes but does not ban; DELETE keeps the user', async () => {
    const { tenant, org, scim } = await scimOrg(t)
    const existing = await member(t, tenant)
    await addMember(t, tenant, org.id, existing.id, 'org:member')
    const linked = await scimOk<ScimUser>(await scim('POST', '/Users', scimUser(existing.email)), 201)
    expect((await tenantUsersByEmail(t, tenant, existing.email)).map((u) => u.id)).toEqual([existing.id])
    expect((await scimOk<ListResponse<ScimUser>>(await scim('GET', '/Users'))).Resources?.map((u) => u.id)).toEqual([
      linked.id,
    ])

    await scimOk(await scim('PATCH', `/Users/${linked.id}`, patchOp({ op: 'replace', value: { active: false } })))
    expect(await membershipOf(t, tenant, org.id, existing.id)).toMatchObject({ status: 'suspended' })
    expect((await introspect(t, tenant, existing.token)).active).toBe(false)
    expect((await tenantUserByEmail(t, tenant, existing.email)).banned).toBe(false)

    expect((await scim('DELETE', `/Users/${linked.id}`)).status).toBe(204)
    expect(await membershipOf(t, tenant, org.id, existing.id)).toBeNull()
    expect((await t.request('GET', `/v1/users/${existing.id}`, { token: tenant.secret_key })).status).toBe(200)
  })

  it('links a non-member whose address is at one of the organization’s verified domains', async () => {
    const { tenant, org, scim, api } = await scimOrg(t)
    await ok(await api('POST', `/organizations/${org.id}/domains`, { name: 'acme.example', verified: true }), 201)
    const email = `jo-${crypto.randomUUID().slice(0, 8)}@acme.example`
    const user = await ok<{ id: string }>(await api('POST', '/users', { email_address: [email] }), 201)
    await scimOk(await scim('POST', '/Users', scimUser(email)), 201)
    expect((await tenantUsersByEmail(t, tenant, email)).map((u) => u.id)).toEqual([user.id])
    expect(await membershipOf(t, tenant, org.id, user.id)).toMatchObject({ status: 'active', role: 'org:member' })
  })
})

describe('hostile input', () => {
  it('answers 400 to malformed JSON, a wrong content type, NUL, invalid UTF-8 and a missing userName', async () => {
    const { tenant, scim, token } = await scimOrg(t)
    const raw = (body: BodyInit, contentType: string) =>
      t.request('POST', `/t/${tenant.slug}/scim/v2/Users`, {
        token: token.token,
        headers: { 'content-type': contentType },
        body,
      })
    await expectScimError(await raw('{"userName": ', 'application/scim+json'), 400, 'invalidSyntax')
    await expectScimError(await raw(JSON.stringify(scimUser(uniqueEmail())), 'text/plain'), 400, 'invalidSyntax')
    await expectScimError(await raw('[]', 'application/scim+json'), 400)
    const bytes = new TextEncoder().encode(JSON.stringify(scimUser('zz@example.com')))
    bytes[bytes.indexOf(0x7a)] = 0xff
    await expectScimError(await raw(bytes, 'application/scim+json'), 400)
    await expectScimError(await scim('POST', '/Users', scimUser(`nul\u0000${uniqueEmail()}`)), 400)
    await expectScimError(
      await scim('POST', '/Users', { schemas: [USER_SCHEMA], name: { givenName: 'x' } }),
      400,
      'invalidValue',
    )
    await expectScimError(await scim('GET', `/Users?${filterQuery('userName eq "a\u0000b"')}`), 400)
    expect((await scimOk<ListResponse<ScimUser>>(await scim('GET', '/Users'))).totalResults).toBe(0)
    // plain application/json is accepted too
    await scimOk(await raw(JSON.stringify(scimUser(uniqueEmail())), 'application/json'), 201)
  })

  it('refuses malformed filters with invalidFilter and treats quoted text and wildcards as literals', async () => {
    const { scim } = await scimOrg(t)
    const emails = [uniqueEmail('f'), uniqueEmail('f'), uniqueEmail('f')]
    for (const email of emails) await scimOk(await scim('POST', '/Users', scimUser(email)), 201)
    const count = async (filter: string) =>
      (await scimOk<ListResponse<ScimUser>>(await scim('GET', `/Users?${filterQuery(filter)}`))).totalResults
    for (const bad of [
      'userName eq',
      'userName eq x',
      'userName eq "x") or (1 eq 1',
      "userName eq 'x' or 1=1 --",
      'userName zz "x"',
    ])
      await expectScimError(await scim('GET', `/Users?${filterQuery(bad)}`), 400, 'invalidFilter')
    expect(await count('userName eq "x\\" or \\"1\\" eq \\"1"')).toBe(0)
    expect(await count(`userName eq "' OR '1'='1"`)).toBe(0)
    expect(await count('userName sw "%"')).toBe(0)
    expect(await count('userName co "_"')).toBe(0)
    expect(await count('userName co "\\\\"')).toBe(0)
    expect(await count('userName sw "f-"')).toBe(3)
    expect(await count(`userName eq "${emails[1]}" or userName eq "${emails[2]}"`)).toBe(2)
  })

  it('clamps count to maxResults, reads a negative count as 0 and a startIndex below 1 as 1', async () => {
    const { scim } = await scimOrg(t)
    for (let i = 0; i < 3; i++) await scimOk(await scim('POST', '/Users', scimUser(uniqueEmail('p'))), 201)
    const { filter } = await scimOk<{ filter: { maxResults: number } }>(await scim('GET', '/ServiceProviderConfig'))
    const page = (q: string) => scim('GET', `/Users?${q}`).then((r) => scimOk<ListResponse<ScimUser>>(r))
    const huge = await page('count=100000000&startIndex=1')
    expect(huge.totalResults).toBe(3)
    expect(huge.itemsPerPage).toBe(Math.min(3, filter.maxResults))
    expect(huge.Resources?.length).toBe(huge.itemsPerPage)
    const none = await page('count=-5')
    expect([none.totalResults, none.itemsPerPage, none.Resources?.length ?? 0]).toEqual([3, 0, 0])
    const low = await page('startIndex=0&count=2')
    expect([low.startIndex, low.itemsPerPage]).toEqual([1, 2])
    const second = await page('startIndex=2&count=5')
    expect([second.startIndex, second.itemsPerPage]).toEqual([2, 2])
    const ids = new Set([...(low.Resources ?? []), ...(second.Resources ?? [])].map((u) => u.id))
    expect(ids.size).toBe(3)
    const beyond = await page('startIndex=99')
    expect([beyond.totalResults, beyond.Resources?.length ?? 0]).toEqual([3, 0])
  })
})
