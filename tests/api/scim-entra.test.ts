import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { testApp, type TestApp } from '../support/app'
import { introspect, signInNative } from '../support/flows'
import { ok } from '../support/orgs'
import {
  ENTERPRISE,
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
  tenantUsersByEmail,
  uniqueEmail,
  USER_SCHEMA,
  type ListResponse,
  type ScimGroup,
  type ScimUser,
  type TenantUser,
} from '../support/scim'

/** Microsoft Entra ID's provisioning sequence (its SCIM validator and documented requests), against API.md §17. */

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const MANAGER = '26118915-6090-4610-87e4-49d8ca9f808d'

/** Entra's create: userName is not an email, the primary work email is, and the enterprise extension rides along. */
const entraUser = (userName: string, email: string) => ({
  schemas: [USER_SCHEMA, ENTERPRISE],
  externalId: crypto.randomUUID(),
  userName,
  active: true,
  emails: [{ primary: true, type: 'work', value: email }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
  [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: MANAGER } },
})

const getUser = (tenant: { secret_key: string }, id: string) =>
  t.request('GET', `/v1/users/${id}`, { token: tenant.secret_key }).then((r) => ok<TenantUser>(r))

describe('Entra: discovery', () => {
  it('serves ServiceProviderConfig, ResourceTypes and Schemas with the enterprise extension', async () => {
    const { scim } = await scimOrg(t)
    const config = await scimOk<{
      schemas: string[]
      patch: { supported: boolean }
      filter: { supported: boolean; maxResults: number }
      authenticationSchemes: { type: string }[]
      [feature: string]: unknown
    }>(await scim('GET', '/ServiceProviderConfig'))
    expect(config.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'])
    expect(config.patch.supported).toBe(true)
    expect(config.filter.supported).toBe(true)
    expect(config.filter.maxResults).toBeGreaterThan(0)
    for (const feature of ['bulk', 'changePassword', 'sort', 'etag'])
      expect(typeof (config[feature] as { supported?: unknown } | undefined)?.supported).toBe('boolean')
    expect(config.authenticationSchemes.map((s) => s.type)).toContain('oauthbearertoken')

    const typesBody = await scimOk<unknown>(await scim('GET', '/ResourceTypes'))
    const types = (Array.isArray(typesBody) ? typesBody : (typesBody as ListResponse<unknown>).Resources) as {
      id?: string
      name: string
      endpoint: string
      schema: string
      schemaExtensions?: { schema: string; required: boolean }[]
    }[]
    const userType = types.find((r) => r.name === 'User')
    expect(userType).toMatchObject({ endpoint: '/Users', schema: USER_SCHEMA })
    expect(userType?.schemaExtensions?.map((e) => e.schema)).toContain(ENTERPRISE)
    expect(types.find((r) => r.name === 'Group')).toMatchObject({ endpoint: '/Groups', schema: GROUP_SCHEMA })
    expect(await scimOk(await scim('GET', '/ResourceTypes/User'))).toMatchObject({ name: 'User', endpoint: '/Users' })

    const schemasBody = await scimOk<unknown>(await scim('GET', '/Schemas'))
    const schemas = (Array.isArray(schemasBody) ? schemasBody : (schemasBody as ListResponse<unknown>).Resources) as {
      id: string
      attributes: { name: string; uniqueness?: string }[]
    }[]
    expect(schemas.map((s) => s.id)).toEqual(expect.arrayContaining([USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE]))
    const user = schemas.find((s) => s.id === USER_SCHEMA)!
    expect(user.attributes.find((a) => a.name === 'userName')?.uniqueness).toBe('server')
    const enterprise = await scimOk<{ id: string; attributes: { name: string }[] }>(
      await scim('GET', `/Schemas/${ENTERPRISE}`),
    )
    expect(enterprise.id).toBe(ENTERPRISE)
    expect(enterprise.attributes.map((a) => a.name)).toEqual(
      expect.arrayContaining(['employeeNumber', 'department', 'manager']),
    )
  })
})

describe('Entra: Users', () => {
  it('probes, creates with the enterprise extension, and maps attributes to the tenant user', async () => {
    const { tenant, org, scim } = await scimOrg(t)
    const userName = `Test_User_${crypto.randomUUID()}`
    const email = uniqueEmail('entra')
    const probe = await scimOk<ListResponse<ScimUser>>(
      await scim('GET', `/Users?${filterQuery(`userName eq "${userName}"`)}`),
    )
    expect(probe).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 0 })

    const body = entraUser(userName, email)
    const created = await scimOk<ScimUser>(await scim('POST', '/Users', body), 201)
    expect(created).toMatchObject({
      userName,
      externalId: body.externalId,
      active: true,
      meta: { resourceType: 'User' },
    })
    expect(created.schemas).toEqual(expect.arrayContaining([USER_SCHEMA, ENTERPRISE]))
    expect(created[ENTERPRISE]).toMatchObject(body[ENTERPRISE])

    // the primary email wins over a userName that is not an address
    const user = await tenantUserByEmail(t, tenant, email)
    expect(user).toMatchObject({ first_name: 'givenName', last_name: 'familyName', banned: false })
    expect(user.private_metadata).toMatchObject({ employee_number: '701984', manager_id: MANAGER })
    expect(user.public_metadata).toMatchObject({ department: 'Tour Operations' })
    expect(await membershipOf(t, tenant, org.id, user.id)).toMatchObject({ status: 'active', role: 'org:member' })

    const byName = await scimOk<ListResponse<ScimUser>>(
      await scim('GET', `/Users?${filterQuery(`userName eq "${userName}"`)}`),
    )
    expect(byName.Resources?.map((u) => u.id)).toEqual([created.id])
    const byExternal = await scimOk<ListResponse<ScimUser>>(
      await scim('GET', `/Users?${filterQuery(`externalId eq "${body.externalId}"`)}`),
    )
    expect(byExternal.Resources?.map((u) => u.id)).toEqual([created.id])
    expect((await scimOk<ScimUser>(await scim('GET', `/Users/${created.id}`))).userName).toBe(userName)
  })

  it('applies capitalised ops, path-less dotted keys and emails[type eq "work"].value replaces', async () => {
    const { tenant, scim } = await scimOrg(t)
    const email = uniqueEmail('entra')
    const created = await scimOk<ScimUser>(
      await scim('POST', '/Users', entraUser(`Test_User_${crypto.randomUUID()}`, email)),
      201,
    )
    const userId = (await tenantUserByEmail(t, tenant, email)).id

    const newEmail = uniqueEmail('updated')
    const replaced = await scimOk<ScimUser>(
      await scim(
        'PATCH',
        `/Users/${created.id}`,
        patchOp(
          { op: 'Replace', path: 'emails[type eq "work"].value', value: newEmail },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        ),
      ),
    )
    expect(replaced.emails?.find((e) => e.type === 'work')?.value).toBe(newEmail)
    expect(replaced.name?.familyName).toBe('updatedFamilyName')
    const moved = await getUser(tenant, userId)
    expect(moved.email_addresses.map((e) => e.email_address)).toContain(newEmail)
    expect(moved.last_name).toBe('updatedFamilyName')
    expect((await tenantUsersByEmail(t, tenant, newEmail)).map((u) => u.id)).toEqual([userId])

    const dotted = await scimOk<ScimUser>(
      await scim(
        'PATCH',
        `/Users/${created.id}`,
        patchOp(
          { op: 'Add', value: { 'name.givenName': 'Grace', 'name.familyName': 'Hopper' } },
          { op: 'Replace', value: { [`${ENTERPRISE}:department`]: 'Navy', displayName: 'Grace Hopper' } },
        ),
      ),
    )
    expect(dotted.name).toMatchObject({ givenName: 'Grace', familyName: 'Hopper' })
    expect(dotted[ENTERPRISE]).toMatchObject({ department: 'Navy', employeeNumber: '701984' })
    const after = await getUser(tenant, userId)
    expect(after).toMatchObject({ first_name: 'Grace', last_name: 'Hopper', public_metadata: { department: 'Navy' } })

    const manager = await scimOk<ScimUser>(
      await scim(
        'PATCH',
        `/Users/${created.id}`,
        patchOp({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: { value: 'boss-2' } }),
      ),
    )
    expect(manager[ENTERPRISE]).toMatchObject({ manager: { value: 'boss-2' } })
    expect((await getUser(tenant, userId)).private_metadata).toMatchObject({ manager_id: 'boss-2' })

    await expectScimError(
      await scim('PATCH', `/Users/${created.id}`, patchOp({ op: 'Frobnicate', path: 'name.givenName', value: 'x' })),
      400,
    )
    await expectScimError(
      await scim('PATCH', `/Users/${created.id}`, patchOp({ op: 'Replace', path: 'emails[type eq', value: 'x' })),
      400,
      'invalidPath',
    )
    expect((await getUser(tenant, userId)).first_name).toBe('Grace')
  })

  it('disables with "False" strings, enables with "True", then DELETE removes membership and the SCIM-only user', async () => {
    const { tenant, org, scim } = await scimOrg(t)
    const email = uniqueEmail('entra')
    const created = await scimOk<ScimUser>(
      await scim('POST', '/Users', entraUser(`Test_User_${crypto.randomUUID()}`, email)),
      201,
    )
    const userId = (await tenantUserByEmail(t, tenant, email)).id
    const password = 'correct horse battery staple'
    await ok(await t.request('PATCH', `/v1/users/${userId}`, { token: tenant.secret_key, json: { password } }))
    const signed = await signInNative(t, tenant, { email, password })

    const off = await scim('PATCH', `/Users/${created.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }))
    expect([200, 204]).toContain(off.status)
    expect((await scimOk<ScimUser>(await scim('GET', `/Users/${created.id}`))).active).toBe(false)
    expect(await membershipOf(t, tenant, org.id, userId)).toMatchObject({ status: 'suspended' })
    expect((await introspect(t, tenant, signed.session_token)).active).toBe(false)
    expect((await getUser(tenant, userId)).banned).toBe(true)

    const on = await scim('PATCH', `/Users/${created.id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' }))
    expect([200, 204]).toContain(on.status)
    expect(await membershipOf(t, tenant, org.id, userId)).toMatchObject({ status: 'active' })
    expect((await getUser(tenant, userId)).banned).toBe(false)

    const deleted = await scim('DELETE', `/Users/${created.id}`)
    expect(deleted.status).toBe(204)
    expect(await deleted.text()).toBe('')
    await expectScimError(await scim('GET', `/Users/${created.id}`), 404)
    await expectScimError(await scim('DELETE', `/Users/${created.id}`), 404)
    expect(await membershipOf(t, tenant, org.id, userId)).toBeNull()
    expect((await t.request('GET', `/v1/users/${userId}`, { token: tenant.secret_key })).status).toBe(404)
    const types = (await scimEvents(t, tenant)).map((e) => e.type)
    expect(types[0]).toBe('scimUser.provisioned')
    expect(types.at(-1)).toBe('scimUser.deprovisioned')
  })
})

describe('Entra: Groups', () => {
  it('creates, reads without members, adds and removes members with path "members" and a value array', async () => {
    const { tenant, org, scim, api } = await scimOrg(t)
    await ok(
      await api('PUT', `/organizations/${org.id}/scim/attribute-mappings`, {
        group_roles: [{ group: 'grp-ext-admins', role: 'org:admin' }],
      }),
    )
    const users: { scimId: string; userId: string }[] = []
    for (let i = 0; i < 2; i++) {
      const email = uniqueEmail('entra')
      const u = await scimOk<ScimUser>(
        await scim('POST', '/Users', entraUser(`Test_User_${crypto.randomUUID()}`, email)),
        201,
      )
      users.push({ scimId: u.id, userId: (await tenantUserByEmail(t, tenant, email)).id })
    }
    const [a, b] = users as [(typeof users)[0], (typeof users)[0]]
    const displayName = `Group_${crypto.randomUUID()}`
    const probe = await scimOk<ListResponse<ScimGroup>>(
      await scim('GET', `/Groups?excludedAttributes=members&${filterQuery(`displayName eq "${displayName}"`)}`),
    )
    expect(probe.totalResults).toBe(0)

    // the mapping may name a group by its externalId as well as its displayName
    const group = await scimOk<ScimGroup>(
      await scim('POST', '/Groups', {
        externalId: 'grp-ext-admins',
        displayName,
        meta: { resourceType: 'Group' },
        members: [],
        schemas: [GROUP_SCHEMA],
      }),
      201,
    )
    expect(group).toMatchObject({ displayName, externalId: 'grp-ext-admins', meta: { resourceType: 'Group' } })
    const slim = await scimOk<ScimGroup>(await scim('GET', `/Groups/${group.id}?excludedAttributes=members`))
    expect(slim.displayName).toBe(displayName)
    expect('members' in slim).toBe(false)
    const listed = await scimOk<ListResponse<ScimGroup>>(
      await scim('GET', `/Groups?excludedAttributes=members&${filterQuery(`displayName eq "${displayName}"`)}`),
    )
    expect(listed.Resources?.map((g) => g.id)).toEqual([group.id])
    expect(listed.Resources?.some((g) => 'members' in g)).toBe(false)

    const add = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp({
        op: 'Add',
        path: 'members',
        value: [
          { $ref: null, value: a.scimId },
          { $ref: null, value: b.scimId },
        ],
      }),
    )
    expect([200, 204]).toContain(add.status)
    const full = await scimOk<ScimGroup>(await scim('GET', `/Groups/${group.id}`))
    expect(full.members?.map((m) => m.value).sort()).toEqual([a.scimId, b.scimId].sort())
    expect((await membershipOf(t, tenant, org.id, a.userId))?.role).toBe('org:admin')
    expect((await membershipOf(t, tenant, org.id, b.userId))?.role).toBe('org:admin')

    const remove = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp({ op: 'Remove', path: 'members', value: [{ $ref: null, value: a.scimId }] }),
    )
    expect([200, 204]).toContain(remove.status)
    const left = await scimOk<ScimGroup>(await scim('GET', `/Groups/${group.id}`))
    expect(left.members?.map((m) => m.value)).toEqual([b.scimId])
    expect((await membershipOf(t, tenant, org.id, a.userId))?.role).toBe('org:member')
    expect((await membershipOf(t, tenant, org.id, b.userId))?.role).toBe('org:admin')

    const renamed = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp({ op: 'Replace', path: 'displayName', value: `${displayName}updatedDisplayName` }),
    )
    expect([200, 204]).toContain(renamed.status)
    const after = await scimOk<ScimGroup>(await scim('GET', `/Groups/${group.id}`))
    expect(after).toMatchObject({ displayName: `${displayName}updatedDisplayName`, externalId: 'grp-ext-admins' })
    expect(after.members?.map((m) => m.value)).toEqual([b.scimId])
    expect((await membershipOf(t, tenant, org.id, b.userId))?.role).toBe('org:admin') // externalId still maps

    expect((await scim('DELETE', `/Groups/${group.id}`)).status).toBe(204)
    await expectScimError(await scim('GET', `/Groups/${group.id}`), 404)
    expect((await membershipOf(t, tenant, org.id, b.userId))?.role).toBe('org:member')
  })
})
