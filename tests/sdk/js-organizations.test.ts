import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test'
import { Tessera, TesseraError } from '../../src/sdk/js/src/index'
import { liveServer, type LiveServer } from '../support/live-server'
import { sdkTenant } from '../support/sdk-tenant'

/**
 * `tessera.organizations` in native mode against a listening server (API.md §13a, §14): an owner manages the
 * organization; the server's permission, level and membership checks reach the caller as TesseraErrors.
 */
let s: LiveServer
beforeAll(async () => {
  s = await liveServer()
})
afterAll(() => s.close())

const instances: Tessera[] = []
afterEach(() => {
  for (const instance of instances.splice(0)) instance.destroy()
})

async function setUp() {
  const t = await sdkTenant(s)
  const signedIn = async (user: { email: string; password: string }) => {
    const tessera = new Tessera({ issuer: t.tenant.issuer, mode: 'native' })
    instances.push(tessera)
    await tessera.signIn.create({ identifier: user.email, password: user.password })
    return tessera
  }
  const [owner, member] = await Promise.all([t.newUser(), t.newUser()])
  const org = await t.bapi<{ id: string }>('POST', '/v1/organizations', { name: 'Acme', created_by: owner.id }, 201)
  await t.bapi('POST', `/v1/organizations/${org.id}/memberships`, { user_id: member.id, role: 'org:member' }, 201)
  return { ...t, org, owner, member, signedIn }
}

const refusal = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('expected a TesseraError')
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(TesseraError)
      return err as TesseraError
    },
  )

describe('tessera.organizations', () => {
  it('an owner renames the organization, and the membership in state follows', async () => {
    const { org, owner, signedIn } = await setUp()
    const tessera = await signedIn(owner)
    await tessera.setActive({ organizationId: org.id })
    expect(await tessera.organizations.get(org.id)).toMatchObject({ id: org.id, name: 'Acme', members_count: 2 })

    const renamed = await tessera.organizations.update(org.id, { name: 'Acme Labs', slug: 'acme-labs' })
    expect(renamed).toMatchObject({ object: 'organization', name: 'Acme Labs', slug: 'acme-labs' })
    expect(tessera.state.membership!.organization).toMatchObject({ name: 'Acme Labs', slug: 'acme-labs' })
  })

  it('an owner invites (listed pending), revokes, changes a role, removes and adds a member', async () => {
    const { org, owner, member, signedIn } = await setUp()
    const tessera = await signedIn(owner)
    const { organizations } = tessera
    const roles = await organizations.roles(org.id)
    expect(roles.map((r) => r.key)).toEqual(['org:owner', 'org:admin', 'org:manager', 'org:member'])
    expect(roles[0]).toMatchObject({ object: 'role', scope: 'organization', level: 60 })

    const email = `invitee-${crypto.randomUUID().slice(0, 8)}@example.com`
    const invited = await organizations.invite(org.id, { email_address: email, role: 'org:member' })
    expect(invited).toMatchObject({ object: 'organization_invitation', email_address: email, status: 'pending' })
    const pending = await organizations.invitations(org.id, { status: 'pending' })
    expect(pending.data.map((i) => i.id)).toEqual([invited.id])
    expect(await organizations.revokeInvitation(org.id, invited.id)).toMatchObject({ status: 'revoked' })
    expect((await organizations.invitations(org.id, { status: 'pending' })).data).toEqual([])

    const members = await organizations.members(org.id)
    expect(members.data.map((m) => [m.public_user_data.user_id, m.role]).sort()).toEqual(
      [
        [owner.id, 'org:owner'],
        [member.id, 'org:member'],
      ].sort(),
    )
    const promoted = await organizations.updateMemberRole(org.id, member.id, 'org:admin')
    expect(promoted).toMatchObject({ role: 'org:admin', public_user_data: { user_id: member.id } })
    // An admin manages members, but not the owner above them.
    const admin = await signedIn(member)
    const above = await refusal(admin.organizations.updateMemberRole(org.id, owner.id, 'org:member'))
    expect([above.status, above.code, above.meta.reason]).toEqual([403, 'permission_denied', 'role_level'])

    await organizations.removeMember(org.id, member.id)
    expect((await organizations.members(org.id)).data.map((m) => m.public_user_data.user_id)).toEqual([owner.id])
    const back = await organizations.addMember(org.id, member.id, 'org:member')
    expect(back).toMatchObject({ object: 'organization_membership', role: 'org:member' })
    const lastOwner = await refusal(tessera.account.leaveOrganization(org.id))
    expect([lastOwner.status, lastOwner.code]).toEqual([409, 'last_owner'])
  })

  it('a plain member reads but may not rename (403 permission_denied); a non-member gets 404', async () => {
    const { org, member, signedIn, newUser } = await setUp()
    const plain = await signedIn(member)
    expect(await plain.organizations.get(org.id)).toMatchObject({ id: org.id })
    expect((await plain.organizations.members(org.id)).data).toHaveLength(2)
    const denied = await refusal(plain.organizations.update(org.id, { name: 'Mine now' }))
    expect([denied.status, denied.code]).toEqual([403, 'permission_denied'])
    expect(denied.meta).toMatchObject({ required_permission: 'org:sys_profile:manage' })
    const invite = plain.organizations.invite(org.id, { email_address: 'x@example.com', role: 'org:member' })
    expect((await refusal(invite)).code).toBe('permission_denied')

    const outsider = await signedIn(await newUser())
    const unknown = await refusal(outsider.organizations.get(org.id))
    expect([unknown.status, unknown.code]).toEqual([404, 'resource_not_found'])
  })
})
