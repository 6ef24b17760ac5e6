import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { testApp, type TestApp } from '../support/app'
import { introspect } from '../support/flows'
import { addMember, member, ok } from '../support/orgs'
import {
  expectScimError,
  GROUP_SCHEMA,
  membershipOf,
  patchOp,
  scimOk,
  scimOrg,
  tenantUserByEmail,
  uniqueEmail,
  USER_SCHEMA,
  type ListResponse,
  type ScimGroup,
  type ScimUser,
} from '../support/scim'

/** An organization's identity provider acting beyond what it owns (API.md §12, §13a, §17). */

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

describe('users who are no longer members', () => {
  it('a linked user who left is out of the IdP’s reach: no session revocation, no rejoining, no profile writes', async () => {
    const { tenant, org, scim, api } = await scimOrg(t)
    const victim = await member(t, tenant, { first_name: 'Val' })
    await addMember(t, tenant, org.id, victim.id, 'org:member')
    const linked = await scimOk<ScimUser>(await scim('POST', '/Users', scimUser(victim.email)), 201)
    const group = await scimOk<ScimGroup>(
      await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Staff', members: [{ value: linked.id }] }),
      201,
    )
    await ok(await api('DELETE', `/organizations/${org.id}/memberships/${victim.id}`))

    await expectScimError(
      await scim('PATCH', `/Users/${linked.id}`, patchOp({ op: 'replace', value: { active: false } })),
      404,
    )
    await expectScimError(
      await scim('PUT', `/Users/${linked.id}`, scimUser(victim.email, { name: { givenName: 'Owned' }, active: false })),
      404,
    )
    await expectScimError(await scim('GET', `/Users/${linked.id}`), 404)
    expect((await scimOk<ListResponse<ScimUser>>(await scim('GET', '/Users'))).totalResults).toBe(0)
    expect((await introspect(t, tenant, victim.token)).active).toBe(true)
    expect((await tenantUserByEmail(t, tenant, victim.email)).first_name).toBe('Val')

    // Recomputations (a renamed group, new mappings) do not bring the user back either.
    await scimOk(await scim('PATCH', `/Groups/${group.id}`, patchOp({ op: 'replace', value: { displayName: 'All' } })))
    await ok(
      await api('PUT', `/organizations/${org.id}/scim/attribute-mappings`, {
        group_roles: [{ group: 'All', role: 'org:admin' }],
      }),
    )
    expect(await membershipOf(t, tenant, org.id, victim.id)).toBeNull()
    expect((await introspect(t, tenant, victim.token)).active).toBe(true)
  })

  it('an erased user in a group gets no membership back when the group changes', async () => {
    const { tenant, org, scim, api } = await scimOrg(t)
    const email = uniqueEmail('erased')
    const created = await scimOk<ScimUser>(await scim('POST', '/Users', scimUser(email)), 201)
    const userId = (await tenantUserByEmail(t, tenant, email)).id
    const group = await scimOk<ScimGroup>(
      await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: created.id }] }),
      201,
    )
    await ok(await api('DELETE', `/users/${userId}`))
    await scimOk(
      await scim('PATCH', `/Groups/${group.id}`, patchOp({ op: 'replace', value: { displayName: 'Ops 2' } })),
    )
    expect(await membershipOf(t, tenant, org.id, userId)).toBeNull()
  })
})

describe('the last owner', () => {
  it('SCIM DELETE of a SCIM-created user who is the last owner answers 409 and keeps them', async () => {
    const { tenant, owner, org, scim, api } = await scimOrg(t)
    await ok(
      await api('PUT', `/organizations/${org.id}/scim/attribute-mappings`, {
        group_roles: [{ group: 'Owners', role: 'org:owner' }],
      }),
    )
    const email = uniqueEmail('owner')
    const created = await scimOk<ScimUser>(await scim('POST', '/Users', scimUser(email)), 201)
    const userId = (await tenantUserByEmail(t, tenant, email)).id
    await scimOk(
      await scim('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Owners',
        members: [{ value: created.id }],
      }),
      201,
    )
    expect(await membershipOf(t, tenant, org.id, userId)).toMatchObject({ role: 'org:owner' })
    await ok(await api('DELETE', `/organizations/${org.id}/memberships/${owner.id}`))

    await expectScimError(await scim('DELETE', `/Users/${created.id}`), 409)
    expect(await membershipOf(t, tenant, org.id, userId)).toMatchObject({ role: 'org:owner', status: 'active' })
    expect((await tenantUserByEmail(t, tenant, email)).id).toBe(userId)
    await scimOk(await scim('GET', `/Users/${created.id}`))
  })
})

describe('stored size', () => {
  it('refuses a User resource too large to store, on create, replace and PATCH', async () => {
    const { scim } = await scimOrg(t)
    const padding = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ value: `${i}-${'x'.repeat(1000)}@example.com`, type: 'other' }))
    const big = scimUser(uniqueEmail('big'), { emails: padding(100), phoneNumbers: padding(100) })
    await expectScimError(await scim('POST', '/Users', big), 400, 'invalidValue')

    const email = uniqueEmail('small')
    const small = await scimOk<ScimUser>(await scim('POST', '/Users', scimUser(email)), 201)
    await expectScimError(await scim('PUT', `/Users/${small.id}`, { ...big, userName: email }), 400, 'invalidValue')
    await expectScimError(
      await scim(
        'PATCH',
        `/Users/${small.id}`,
        patchOp({ op: 'add', path: 'addresses', value: padding(100).map((p) => ({ formatted: p.value })) }),
      ),
      400,
      'invalidValue',
    )
    expect((await scimOk<ScimUser>(await scim('GET', `/Users/${small.id}`))).emails).toHaveLength(1)
  })
})
