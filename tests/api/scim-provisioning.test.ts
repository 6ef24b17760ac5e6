import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { testApp, type TestApp } from '../support/app'
import { introspect, signInNative } from '../support/flows'
import { auditOf, ok } from '../support/orgs'
import {
  expectScimError,
  filterQuery,
  patchOp,
  scimEvents,
  scimOk,
  scimOrg,
  tenantUserByEmail,
  uniqueEmail,
  type ListResponse,
  type ScimGroup,
  type ScimUser,
} from '../support/scim'
import { waitFor } from '../support/wait'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const user = (email: string, extra: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: email,
  name: { givenName: 'Grace', familyName: 'Hopper' },
  emails: [{ value: email, type: 'work', primary: true }],
  active: true,
  ...extra,
})

/** A SCIM-created user who signs in (password set by the backend) and holds a session. */
async function signedInScimUser(ctx: Awaited<ReturnType<typeof scimOrg>>) {
  const email = uniqueEmail('node')
  const created = await scimOk<ScimUser>(await ctx.scim('POST', '/Users', user(email)), 201)
  const password = 'correct horse battery staple'
  await ok(await ctx.api('PATCH', `/users/${created.id}`, { password }))
  const signed = await signInNative(t, ctx.tenant, { email, password })
  return { email, created, session: signed.session_token }
}

describe('deprovisioning across nodes', () => {
  it('revokes the sessions on a second node within 1 s of active:false', async () => {
    const ctx = await scimOrg(t)
    const { created, session } = await signedInScimUser(ctx)
    const nodeB = await testApp({ platformApiKey: t.platformKey, encryptionKey: t.deps.config.encryptionKey })
    try {
      nodeB.clock.set(t.clock.now())
      nodeB.deps.changes.start()
      expect((await introspect(nodeB, ctx.tenant, session)).active).toBe(true)
      const started = performance.now()
      await scimOk(
        await ctx.scim('PATCH', `/Users/${created.id}`, patchOp({ op: 'replace', value: { active: false } })),
      )
      expect((await introspect(t, ctx.tenant, session)).active).toBe(false)
      await waitFor(async () => (await introspect(nodeB, ctx.tenant, session)).active === false, 1000)
      expect(performance.now() - started).toBeLessThan(1000)
    } finally {
      await nodeB.close()
    }
  })
})

describe('ETags (RFC 7644 §3.14)', () => {
  it('sends ETag = meta.version and refuses a stale If-Match with 412, changing nothing', async () => {
    const { scim } = await scimOrg(t)
    const res = await scim('POST', '/Users', user(uniqueEmail()))
    const created = await scimOk<ScimUser>(res, 201)
    expect(res.headers.get('etag')).toBe(created.meta.version!)
    expect(res.headers.get('location')).toBe(created.meta.location)
    const renamed = await scimOk<ScimUser>(
      await scim('PATCH', `/Users/${created.id}`, patchOp({ op: 'replace', path: 'name.givenName', value: 'G' }), {
        'if-match': created.meta.version!,
      }),
    )
    expect(renamed.meta.version).not.toBe(created.meta.version)
    const stale = await scim(
      'PATCH',
      `/Users/${created.id}`,
      patchOp({ op: 'replace', path: 'active', value: false }),
      {
        'if-match': created.meta.version!,
      },
    )
    await expectScimError(stale, 412)
    expect((await scimOk<ScimUser>(await scim('GET', `/Users/${created.id}`))).active).toBe(true)
    await expectScimError(await scim('DELETE', `/Users/${created.id}`, undefined, { 'if-match': 'W/"1"' }), 412)
  })
})

describe('concurrency', () => {
  it('two creates of one userName: exactly one 201 and one 409 uniqueness', async () => {
    const { scim } = await scimOrg(t)
    const email = uniqueEmail('race')
    const results = await Promise.all([scim('POST', '/Users', user(email)), scim('POST', '/Users', user(email))])
    expect(results.map((r) => r.status).sort()).toEqual([201, 409])
    const list = await scimOk<ListResponse<ScimUser>>(
      await scim('GET', `/Users?${filterQuery(`userName eq "${email}"`)}`),
    )
    expect(list.totalResults).toBe(1)
  })

  it('concurrent PATCHes of one user both apply, one after the other', async () => {
    const { scim } = await scimOrg(t)
    const created = await scimOk<ScimUser>(await scim('POST', '/Users', user(uniqueEmail())), 201)
    const [a, b] = await Promise.all([
      scim('PATCH', `/Users/${created.id}`, patchOp({ op: 'replace', path: 'name.givenName', value: 'Ada' })),
      scim('PATCH', `/Users/${created.id}`, patchOp({ op: 'replace', path: 'title', value: 'Admiral' })),
    ])
    expect([a.status, b.status]).toEqual([200, 200])
    const now = await scimOk<ScimUser>(await scim('GET', `/Users/${created.id}`))
    expect(now).toMatchObject({ name: { givenName: 'Ada' }, title: 'Admiral' })
    expect(now.meta.version).toBe('W/"3"')
  })
})

describe('lists', () => {
  it('sorts, pages, projects, and answers POST /.search like GET', async () => {
    const { scim } = await scimOrg(t)
    for (const name of ['carol', 'alice', 'bob'])
      await scimOk(await scim('POST', '/Users', user(`${name}-${crypto.randomUUID().slice(0, 6)}@example.com`)), 201)
    const sorted = await scimOk<ListResponse<ScimUser>>(
      await scim('GET', '/Users?sortBy=userName&sortOrder=descending&startIndex=2&count=1&attributes=userName'),
    )
    expect(sorted).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 })
    expect(sorted.Resources![0]!.userName).toStartWith('bob-')
    expect(Object.keys(sorted.Resources![0]!).sort()).toEqual(['id', 'schemas', 'userName'])
    const searched = await scimOk<ListResponse<ScimUser>>(
      await scim('POST', '/Users/.search', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter: 'userName sw "a"',
        attributes: ['userName', 'name.givenName'],
      }),
    )
    expect(searched.totalResults).toBe(1)
    expect(searched.Resources![0]).toMatchObject({ name: { givenName: 'Grace' } })
    expect(searched.Resources![0]!.emails).toBeUndefined()
  })
})

describe('a user erased by the backend', () => {
  it('is gone from SCIM (404) and its userName can be provisioned again', async () => {
    const { scim, api } = await scimOrg(t)
    const email = uniqueEmail('erased')
    const created = await scimOk<ScimUser>(await scim('POST', '/Users', user(email)), 201)
    await ok(await api('DELETE', `/users/${created.id}`))
    await expectScimError(await scim('GET', `/Users/${created.id}`), 404)
    const again = await scimOk<ScimUser>(await scim('POST', '/Users', user(email)), 201)
    expect(again.id).not.toBe(created.id)
  })
})

describe('audit and events', () => {
  it('records what the token did: audit entries by actor scim, events scimUser.* and scimGroup.*', async () => {
    const { tenant, org, token, scim } = await scimOrg(t)
    const created = await scimOk<ScimUser>(await scim('POST', '/Users', user(uniqueEmail('audit'))), 201)
    await scimOk(
      await scim('PATCH', `/Users/${created.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' })),
    )
    const group = await scimOk<ScimGroup>(
      await scim('POST', '/Groups', { displayName: 'Eng', members: [{ value: created.id }] }),
      201,
    )
    expect((await scim('DELETE', `/Groups/${group.id}`)).status).toBe(204)
    const audit = (await auditOf(t, tenant)).filter((a) => a.actorType === 'scim')
    expect(audit.every((a) => a.actorId === token.id)).toBe(true)
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['scimUser.provisioned', 'scimUser.deprovisioned', 'user.banned', 'scimGroup.created']),
    )
    const events = (await scimEvents(t, tenant, 'scim')).map((e) => e.type)
    expect(events).toEqual([
      'scimUser.provisioned',
      'scimUser.updated',
      'scimUser.deprovisioned',
      'scimGroup.created',
      'scimGroup.deleted',
    ])
    const [first] = await scimEvents(t, tenant)
    expect((first!.payload as { data: Record<string, unknown> }).data).toMatchObject({
      object: 'scim_user',
      id: created.id,
      organization_id: org.id,
      user_id: created.id,
      active: true,
    })
  })
})

describe('the SCIM worker', () => {
  it('recomputes the roles of a large organization after a mapping change, once, however often it runs', async () => {
    const ctx = await scimOrg(t)
    const ids: string[] = []
    for (let i = 0; i < 101; i++)
      ids.push((await scimOk<ScimUser>(await ctx.scim('POST', '/Users', user(uniqueEmail(`bulk${i}`))), 201)).id)
    await scimOk(
      await ctx.scim('POST', '/Groups', { displayName: 'Staff', members: ids.map((value) => ({ value })) }),
      201,
    )
    const path = `/organizations/${ctx.org.id}/scim/attribute-mappings`
    await ok(await ctx.api('PUT', path, { group_roles: [{ group: 'Staff', role: 'org:manager' }] }))
    // 101 members exceed the inline limit: the answer comes first, the worker follows.
    const roleOf = async (userId: string) =>
      (await ok<{ data: { role: string }[] }>(await ctx.api('GET', `/users/${userId}/organization-memberships`)))
        .data[0]?.role
    await waitFor(async () => (await roleOf(ids[100]!)) === 'org:manager', 5000)
    await waitFor(async () => (await roleOf(ids[0]!)) === 'org:manager', 5000)
    const { runSync } = await import('../../src/features/scim/service')
    const before = (await scimEvents(t, ctx.tenant, 'organizationMembership.')).length
    await runSync(t.deps, { tenant_id: ctx.tenant.id, organization_id: ctx.org.id, user_ids: ids.slice(0, 10) })
    expect((await scimEvents(t, ctx.tenant, 'organizationMembership.')).length).toBe(before)
    expect(
      (
        await tenantUserByEmail(
          t,
          ctx.tenant,
          (
            await scimOk<ScimUser>(await ctx.scim('GET', `/Users/${ids[5]}`))
          ).userName,
        )
      ).id,
    ).toBe(ids[5]!)
  }, 60_000)
})

describe('plain pages and limits', () => {
  it('pages users and groups without a filter, counting only current members', async () => {
    const { scim, api, org } = await scimOrg(t)
    const ids: string[] = []
    for (let i = 0; i < 5; i++)
      ids.push((await scimOk<ScimUser>(await scim('POST', '/Users', user(uniqueEmail(`page${i}`))), 201)).id)
    await ok(await api('DELETE', `/organizations/${org.id}/memberships/${ids[1]}`))
    const page = await scimOk<ListResponse<ScimUser>>(await scim('GET', '/Users?startIndex=2&count=2'))
    expect(page).toMatchObject({ totalResults: 4, startIndex: 2, itemsPerPage: 2 })
    expect(page.Resources!.map((u) => u.id)).toEqual(ids.slice(2, 4))
    for (const name of ['A', 'B', 'C'])
      await scimOk(await scim('POST', '/Groups', { displayName: name, members: [{ value: ids[0] }] }), 201)
    const groups = await scimOk<ListResponse<ScimGroup>>(
      await scim('GET', '/Groups?startIndex=3&count=5&excludedAttributes=members'),
    )
    expect(groups).toMatchObject({ totalResults: 3, startIndex: 3, itemsPerPage: 1 })
    expect(groups.Resources![0]).toMatchObject({ displayName: 'C' })
    expect(groups.Resources![0]!.members).toBeUndefined()
  })

  it('answers 429 with Retry-After once a token spends its requests of the minute', async () => {
    const { tenant, token, scim } = await scimOrg(t)
    const RateLimit = await import('../../src/platform/rate-limit')
    const { REQUESTS_PER_MINUTE } = await import('../../src/features/scim/admin')
    // The token's own creation request made none; spend the minute's budget as 1200 requests would.
    for (let i = 0; i < REQUESTS_PER_MINUTE; i++)
      await RateLimit.consume(t.deps.db, tenant.id, `scim_token:${token.id}`, Number.MAX_SAFE_INTEGER, t.clock.now())
    const res = await scim('GET', '/Users')
    await expectScimError(res, 429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('DELETE of a user who stays elsewhere', () => {
  it('lifts the ban its deprovisioning set, and keeps the user and the other membership', async () => {
    const ctx = await scimOrg(t)
    const email = uniqueEmail('stays')
    const created = await scimOk<ScimUser>(await ctx.scim('POST', '/Users', user(email)), 201)
    const other = await ok<{ id: string }>(await ctx.api('POST', '/organizations', { name: 'Other' }), 201)
    await ok(
      await ctx.api('POST', `/organizations/${other.id}/memberships`, { user_id: created.id, role: 'org:member' }),
      201,
    )
    await scimOk(await ctx.scim('PATCH', `/Users/${created.id}`, patchOp({ op: 'replace', value: { active: false } })))
    expect((await tenantUserByEmail(t, ctx.tenant, email)).banned).toBe(true)
    expect((await ctx.scim('DELETE', `/Users/${created.id}`)).status).toBe(204)
    expect((await tenantUserByEmail(t, ctx.tenant, email)).banned).toBe(false)
    const memberships = await ok<{ data: { organization: { id: string } }[] }>(
      await ctx.api('GET', `/users/${created.id}/organization-memberships`),
    )
    expect(memberships.data.map((m) => m.organization.id)).toEqual([other.id])
  })
})

describe('mapped metadata', () => {
  it('keeps the 8 KiB limit: a user whose mapped metadata would exceed it is refused and not created', async () => {
    const { tenant, org, api, scim } = await scimOrg(t)
    const attributes = ['title', 'nickName', 'displayName', 'userType', 'preferredLanguage', 'locale', 'timezone']
    const nameParts = ['formatted', 'middleName', 'honorificPrefix']
    const user: Record<string, string> = {}
    for (const a of attributes) user[a] = `public_metadata.${a}`
    for (const p of nameParts) user[`name.${p}`] = `public_metadata.${p}`
    await ok(await api('PUT', `/organizations/${org.id}/scim/attribute-mappings`, { user }))
    const long = 'x'.repeat(1000)
    const email = uniqueEmail('big')
    const body = {
      userName: email,
      ...Object.fromEntries(attributes.map((a) => [a, long])),
      name: Object.fromEntries(nameParts.map((p) => [p, long])),
    }
    await expectScimError(await scim('POST', '/Users', body), 400, 'invalidValue')
    const found = await ok<{ data: unknown[] }>(await api('GET', `/users?email_address=${encodeURIComponent(email)}`))
    expect(found.data).toEqual([])
    expect(await scimEvents(t, tenant)).toEqual([])
  })
})

describe('what is not supported', () => {
  it('answers /Bulk and /Me with 501 once authenticated, and 401 before', async () => {
    const { tenant, scim } = await scimOrg(t)
    await expectScimError(await scim('POST', '/Bulk', { schemas: [], Operations: [] }), 501)
    await expectScimError(await scim('GET', '/Me'), 501)
    const anonymous = await t.request('GET', `/t/${tenant.slug}/scim/v2/Me`)
    await expectScimError(anonymous, 401)
  })
})
