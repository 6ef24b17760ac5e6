import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { testApp, type TestApp } from '../support/app'
import { introspect, signInNative } from '../support/flows'
import { expectError, ok } from '../support/orgs'
import {
  expectScimError,
  filterQuery,
  GROUP_SCHEMA,
  LIST_RESPONSE,
  membershipOf,
  patchOp,
  scimEvents,
  scimOk,
  scimOrg,
  tenantUserByEmail,
  uniqueEmail,
  USER_SCHEMA,
  type ListResponse,
  type ScimGroup,
  type ScimUser,
} from '../support/scim'

/** Okta's SCIM 2.0 validator sequence (Okta "SCIM 2.0 Spec Test"), against API.md §17. */

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

/** The user Okta sends on assignment (it sends `password` when password sync is on). */
const oktaUser = (email: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA],
  userName: email,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ primary: true, value: email, type: 'work' }],
  displayName: 'Ada Lovelace',
  locale: 'en-US',
  externalId: '00ujl29u0le5T6Aj10h7',
  groups: [],
  password: '1mz050nq',
  active: true,
  ...extra,
})

const isoDate = (v: string) => typeof v === 'string' && !Number.isNaN(Date.parse(v))

describe('Okta: Users', () => {
  it('probes, creates, reads and finds a user; a tenant user and a membership appear', async () => {
    const { tenant, org, scim, owner } = await scimOrg(t)
    const email = uniqueEmail('okta')
    const probe = await scimOk<ListResponse<ScimUser>>(
      await scim('GET', `/Users?${filterQuery(`userName eq "${email}"`)}&startIndex=1&count=100`),
    )
    expect(probe.schemas).toEqual([LIST_RESPONSE])
    expect(probe.totalResults).toBe(0)
    expect(probe.Resources ?? []).toEqual([])
    expect(probe.startIndex).toBe(1)

    const created = await scimOk<ScimUser>(await scim('POST', '/Users', oktaUser(email)), 201)
    expect(created).toMatchObject({
      userName: email,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      externalId: '00ujl29u0le5T6Aj10h7',
      active: true,
      meta: { resourceType: 'User' },
    })
    expect(created.schemas).toContain(USER_SCHEMA)
    expect(typeof created.id).toBe('string')
    expect(created.password).toBeUndefined()
    expect(created.emails?.find((e) => e.primary)?.value).toBe(email)
    expect(created.meta.location).toBe(`http://localhost/t/${tenant.slug}/scim/v2/Users/${created.id}`)
    expect(isoDate(created.meta.created) && isoDate(created.meta.lastModified)).toBe(true)

    const user = await tenantUserByEmail(t, tenant, email)
    expect(user).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace', banned: false })
    expect(await membershipOf(t, tenant, org.id, user.id)).toMatchObject({ role: 'org:member', status: 'active' })

    const read = await scimOk<ScimUser>(await scim('GET', `/Users/${created.id}`))
    expect(read).toMatchObject({ id: created.id, userName: email, active: true })

    const found = await scimOk<ListResponse<ScimUser>>(
      await scim('GET', `/Users?${filterQuery(`userName eq "${email}"`)}&startIndex=1&count=100`),
    )
    expect(found.totalResults).toBe(1)
    expect(found.itemsPerPage).toBe(1)
    expect(found.Resources?.map((u) => u.id)).toEqual([created.id])
    // userName is case-insensitive (RFC 7643 §4.1.1, caseExact false)
    const upper = await scimOk<ListResponse<ScimUser>>(
      await scim('GET', `/Users?${filterQuery(`userName eq "${email.toUpperCase()}"`)}`),
    )
    expect(upper.totalResults).toBe(1)
    // /Users lists only members linked to or created by this SCIM: not the owner made by the backend
    const all = await scimOk<ListResponse<ScimUser>>(await scim('GET', '/Users?startIndex=1&count=100'))
    expect(all.totalResults).toBe(1)
    expect(all.Resources?.map((u) => u.userName)).toEqual([email])
    expect(all.Resources?.map((u) => u.userName)).not.toContain(owner.email)

    const events = await scimEvents(t, tenant)
    expect(events.map((e) => [e.type, e.subject])).toEqual([
      ['scimUser.provisioned', 'tessera.events.scimUser.provisioned'],
    ])
  })

  it('refuses a second user with the same userName with 409 uniqueness, and 404s an unknown id', async () => {
    const { tenant, scim } = await scimOrg(t)
    const email = uniqueEmail('okta')
    await scimOk(await scim('POST', '/Users', oktaUser(email)), 201)
    await expectScimError(await scim('POST', '/Users', oktaUser(email)), 409, 'uniqueness')
    await expectScimError(await scim('POST', '/Users', oktaUser(email.toUpperCase())), 409, 'uniqueness')
    expect((await scimEvents(t, tenant)).length).toBe(1)
    await expectScimError(await scim('GET', `/Users/${crypto.randomUUID()}`), 404)
  })

  it('replaces a user with PUT, and PUT with active false suspends and bans, active true restores', async () => {
    const { tenant, org, scim } = await scimOrg(t)
    const email = uniqueEmail('okta')
    const created = await scimOk<ScimUser>(await scim('POST', '/Users', oktaUser(email)), 201)
    const user = await tenantUserByEmail(t, tenant, email)

    const put = await scimOk<ScimUser>(
      await scim('PUT', `/Users/${created.id}`, {
        ...oktaUser(email, { name: { givenName: 'Augusta', familyName: 'King' } }),
        id: created.id,
      }),
    )
    expect(put).toMatchObject({ id: created.id, userName: email, name: { givenName: 'Augusta', familyName: 'King' } })
    expect(Date.parse(put.meta.lastModified)).toBeGreaterThanOrEqual(Date.parse(created.meta.lastModified))
    expect(await ok(await t.request('GET', `/v1/users/${user.id}`, { token: tenant.secret_key }))).toMatchObject({
      first_name: 'Augusta',
      last_name: 'King',
    })

    const off = await scimOk<ScimUser>(
      await scim('PUT', `/Users/${created.id}`, { ...oktaUser(email), id: created.id, active: false }),
    )
    expect(off.active).toBe(false)
    expect(await membershipOf(t, tenant, org.id, user.id)).toMatchObject({ status: 'suspended' })
    expect((await tenantUserByEmail(t, tenant, email)).banned).toBe(true)

    const on = await scimOk<ScimUser>(
      await scim('PUT', `/Users/${created.id}`, { ...oktaUser(email), id: created.id, active: true }),
    )
    expect(on.active).toBe(true)
    expect(await membershipOf(t, tenant, org.id, user.id)).toMatchObject({ status: 'active' })
    expect((await tenantUserByEmail(t, tenant, email)).banned).toBe(false)
  })

  it('deactivates with PATCH {active:false}: membership suspended, sessions revoked, user banned; then restores', async () => {
    const { tenant, org, scim } = await scimOrg(t)
    const email = uniqueEmail('okta')
    const created = await scimOk<ScimUser>(await scim('POST', '/Users', oktaUser(email)), 201)
    const user = await tenantUserByEmail(t, tenant, email)
    const password = 'correct horse battery staple'
    await ok(await t.request('PATCH', `/v1/users/${user.id}`, { token: tenant.secret_key, json: { password } }))
    const signed = await signInNative(t, tenant, { email, password })
    expect((await introspect(t, tenant, signed.session_token)).active).toBe(true)

    const off = await scimOk<ScimUser>(
      await scim('PATCH', `/Users/${created.id}`, patchOp({ op: 'replace', value: { active: false } })),
    )
    expect(off).toMatchObject({ id: created.id, active: false, userName: email })
    expect(await membershipOf(t, tenant, org.id, user.id)).toMatchObject({ status: 'suspended' })
    expect((await introspect(t, tenant, signed.session_token)).active).toBe(false)
    expect((await tenantUserByEmail(t, tenant, email)).banned).toBe(true)
    expect((await scimOk<ScimUser>(await scim('GET', `/Users/${created.id}`))).active).toBe(false)
    // a suspended member still shows in the list, as inactive (Okta reconciles on it)
    const listed = await scimOk<ListResponse<ScimUser>>(await scim('GET', `/Users?${filterQuery('active eq false')}`))
    expect(listed.Resources?.map((u) => u.id)).toEqual([created.id])

    const on = await scimOk<ScimUser>(
      await scim('PATCH', `/Users/${created.id}`, patchOp({ op: 'replace', value: { active: true } })),
    )
    expect(on.active).toBe(true)
    expect(await membershipOf(t, tenant, org.id, user.id)).toMatchObject({ status: 'active' })
    expect((await tenantUserByEmail(t, tenant, email)).banned).toBe(false)
    expect((await signInNative(t, tenant, { email, password })).session_token).toBeTruthy()
  })
})

describe('Okta: Groups push and group → role mapping', () => {
  it('pushes a group, renames it, adds and removes members; the mapped role follows', async () => {
    const { tenant, org, scim, api } = await scimOrg(t)
    const mappings = await ok<{ group_roles: unknown[]; is_default: boolean }>(
      await api('PUT', `/organizations/${org.id}/scim/attribute-mappings`, {
        group_roles: [
          { group: 'Admins', role: 'org:admin' },
          { group: 'Managers', role: 'org:manager' },
        ],
      }),
    )
    expect(mappings.is_default).toBe(false)
    expect(mappings.group_roles).toEqual([
      { group: 'Admins', role: 'org:admin' },
      { group: 'Managers', role: 'org:manager' },
    ])
    const email = uniqueEmail('okta')
    const u = await scimOk<ScimUser>(await scim('POST', '/Users', oktaUser(email)), 201)
    const userId = (await tenantUserByEmail(t, tenant, email)).id
    const role = async () => (await membershipOf(t, tenant, org.id, userId))?.role

    const probe = await scimOk<ListResponse<ScimGroup>>(
      await scim('GET', `/Groups?${filterQuery('displayName eq "Admins"')}&startIndex=1&count=100`),
    )
    expect(probe.totalResults).toBe(0)
    const admins = await scimOk<ScimGroup>(
      await scim('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Admins',
        members: [{ value: u.id, display: email }],
      }),
      201,
    )
    expect(admins).toMatchObject({ displayName: 'Admins', meta: { resourceType: 'Group' } })
    expect(admins.members?.map((m) => m.value)).toEqual([u.id])
    expect(admins.meta.location).toBe(`http://localhost/t/${tenant.slug}/scim/v2/Groups/${admins.id}`)
    expect(await role()).toBe('org:admin')

    const managers = await scimOk<ScimGroup>(
      await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Managers', members: [] }),
      201,
    )
    const added = await scim(
      'PATCH',
      `/Groups/${managers.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: u.id, display: email }] }),
    )
    expect([200, 204]).toContain(added.status)
    expect(await role()).toBe('org:admin') // the highest-level mapped role wins

    const removed = await scim(
      'PATCH',
      `/Groups/${admins.id}`,
      patchOp({ op: 'remove', path: `members[value eq "${u.id}"]` }),
    )
    expect([200, 204]).toContain(removed.status)
    expect((await scimOk<ScimGroup>(await scim('GET', `/Groups/${admins.id}`))).members ?? []).toEqual([])
    expect(await role()).toBe('org:manager')

    // Okta renames with a path-less replace carrying id and displayName
    const renamed = await scim(
      'PATCH',
      `/Groups/${managers.id}`,
      patchOp({ op: 'replace', value: { id: managers.id, displayName: 'Ops' } }),
    )
    expect([200, 204]).toContain(renamed.status)
    const ops = await scimOk<ScimGroup>(await scim('GET', `/Groups/${managers.id}`))
    expect(ops.displayName).toBe('Ops')
    expect(ops.members?.map((m) => m.value)).toEqual([u.id])
    expect(await role()).toBe('org:member') // "Ops" maps to nothing: back to default_role

    const put = await scimOk<ScimGroup>(
      await scim('PUT', `/Groups/${admins.id}`, {
        schemas: [GROUP_SCHEMA],
        id: admins.id,
        displayName: 'Admins',
        members: [{ value: u.id }],
      }),
    )
    expect(put.members?.map((m) => m.value)).toEqual([u.id])
    expect(await role()).toBe('org:admin')

    expect((await scim('DELETE', `/Groups/${admins.id}`)).status).toBe(204)
    await expectScimError(await scim('GET', `/Groups/${admins.id}`), 404)
    expect(await role()).toBe('org:member')
    const endpoint = await ok<{ users_count: number; groups_count: number }>(
      await api('GET', `/organizations/${org.id}/scim/endpoint`),
    )
    expect(endpoint).toMatchObject({ users_count: 1, groups_count: 1 })
  })

  it('gives default_role when no mapped group matches, and refuses mapping active with 422', async () => {
    const { tenant, org, scim, api } = await scimOrg(t)
    const path = `/organizations/${org.id}/scim/attribute-mappings`
    await ok(
      await api('PUT', path, { default_role: 'org:manager', group_roles: [{ group: 'Admins', role: 'org:admin' }] }),
    )
    const email = uniqueEmail('okta')
    const u = await scimOk<ScimUser>(await scim('POST', '/Users', oktaUser(email)), 201)
    const userId = (await tenantUserByEmail(t, tenant, email)).id
    expect((await membershipOf(t, tenant, org.id, userId))?.role).toBe('org:manager')
    await scimOk(
      await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Staff', members: [{ value: u.id }] }),
      201,
    )
    expect((await membershipOf(t, tenant, org.id, userId))?.role).toBe('org:manager')

    const current = await ok<{ user: Record<string, string | null> }>(await api('GET', path))
    await expectError(
      await api('PUT', path, { user: { ...current.user, active: 'public_metadata.active' } }),
      422,
      'form_param_format_invalid',
    )
    const reset = await ok<{ is_default: boolean; default_role: string; group_roles: unknown[] }>(
      await api('PUT', path, {}),
    )
    expect(reset).toMatchObject({ is_default: true, default_role: 'org:member', group_roles: [] })
  })
})
