import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { organizationInvitations } from '../../src/features/organizations/schema'
import { withTenant } from '../../src/platform/db/tx'
import { PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { lastMessage, nativeClient, signInNative } from '../support/flows'
import { addMember, auditOf, bapi, expectError, member, newOrg, ok, orgTenant, outboxOf } from '../support/orgs'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

interface Invitation {
  object: string
  id: string
  organization_id: string
  email_address: string
  role: string
  status: string
  inviter_user_id: string | null
  public_metadata: Record<string, unknown>
  expires_at: number
  accepted_at: number | null
  created_at: number
  updated_at: number
  url?: string
}
type Page = { data: Invitation[]; meta: { next_cursor: string | null } }
const DAY = 86_400_000
const PASSWORD = 'correct horse battery staple'

const invitationsPath = (orgId: string, rest = '') => `/organizations/${orgId}/invitations${rest}`
const address = () => `invitee-${crypto.randomUUID().slice(0, 8)}@example.com`
const ticketOf = (url: string) => new URL(url).searchParams.get('invitation_ticket')!

/** A tenant, an organization owned by a signed-in owner, and the backend's caller. */
async function ownedOrg(body: Record<string, unknown> = {}) {
  const tenant = await orgTenant(t)
  const owner = await member(t, tenant)
  const org = await newOrg(t, tenant, { created_by: owner.id, ...body })
  return { tenant, owner, org, api: bapi(t, tenant) }
}

async function invite(tenant: CreatedTenant, orgId: string, body: Record<string, unknown>) {
  return ok<Invitation>(
    await bapi(t, tenant)('POST', invitationsPath(orgId), { role: 'org:member', notify: false, ...body }),
    201,
  )
}

const invitationRows = (tenant: CreatedTenant) =>
  withTenant(t.deps.db, tenant.id, (tx) =>
    tx.select().from(organizationInvitations).where(eq(organizationInvitations.tenantId, tenant.id)),
  )

describe('POST /v1/organizations/:id/invitations', () => {
  it('invites with the ticket url once, mails it with the organization name, and records event and audit', async () => {
    const { tenant, owner, org, api } = await ownedOrg({ name: 'Umbrella Corp' })
    const email = address()
    const created = await ok<Invitation>(
      await api('POST', invitationsPath(org.id), {
        email_address: email,
        role: 'org:admin',
        inviter_user_id: owner.id,
        public_metadata: { team: 'red' },
      }),
      201,
    )
    expect(created).toMatchObject({
      object: 'organization_invitation',
      organization_id: org.id,
      email_address: email,
      role: 'org:admin',
      status: 'pending',
      inviter_user_id: owner.id,
      public_metadata: { team: 'red' },
      accepted_at: null,
    })
    expect(created.id).toMatch(/^orginv_/)
    expect(created.expires_at - created.created_at).toBe(7 * DAY)
    expect(created.url).toStartWith(`${PUBLIC_URL}/t/${tenant.slug}/sign-up?invitation_ticket=`)
    const ticket = ticketOf(created.url!)
    expect(ticket.length).toBeGreaterThan(30)

    const message = await lastMessage(t, email)
    expect(message.subject).toContain('Umbrella Corp')
    expect(message.text).toContain('Umbrella Corp')
    expect(message.text).toContain(created.url!)

    const read = await ok<Invitation>(await api('GET', invitationsPath(org.id, `/${created.id}`)))
    expect(read.url).toBeUndefined()
    expect(read).toEqual({ ...created, url: undefined } as Invitation)
    const list = await ok<Page>(await api('GET', invitationsPath(org.id)))
    expect(list.data.map((i) => i.id)).toEqual([created.id])
    expect(list.data[0]!.url).toBeUndefined()

    const [row] = await invitationRows(tenant)
    expect(row!.ticketHash).not.toContain(ticket)
    expect(JSON.stringify(await outboxOf(t, tenant))).not.toContain(ticket)
    const types = (await outboxOf(t, tenant)).map((o) => o.type)
    expect(types).toContain('organizationInvitation.created')
    expect((await auditOf(t, tenant)).map((a) => a.action)).toContain('organizationInvitation.created')
  })

  it('takes expires_in_days, a redirect_url the tenant allows, and notify:false (nothing mailed)', async () => {
    const { tenant, org, api } = await ownedOrg()
    const created = await invite(tenant, org.id, {
      email_address: address(),
      expires_in_days: 2,
      redirect_url: `${PUBLIC_URL}/accept?x=1`,
    })
    expect(created.expires_at - created.created_at).toBe(2 * DAY)
    expect(created.url).toStartWith(`${PUBLIC_URL}/accept?x=1&invitation_ticket=`)
    await t.deps.relay.kick()
    const mails = await t.request('GET', `/platform/v1/dev/messages?to=${encodeURIComponent(created.email_address)}`, {
      token: t.platformKey,
    })
    expect(((await mails.json()) as { data: unknown[] }).data).toEqual([])
    const bad = { email_address: address(), role: 'org:member' }
    await expectError(
      await api('POST', invitationsPath(org.id), { ...bad, redirect_url: 'https://evil.example/x' }),
      422,
      'form_param_format_invalid',
      { param_name: 'redirect_url' },
    )
    await expectError(
      await api('POST', invitationsPath(org.id), { ...bad, expires_in_days: 31 }),
      422,
      'form_param_format_invalid',
      { param_name: 'expires_in_days' },
    )
    await expectError(
      await api('POST', invitationsPath(org.id), { ...bad, email_address: 'nope' }),
      422,
      'form_param_format_invalid',
      { param_name: 'email_address' },
    )
    await expectError(
      await api('POST', invitationsPath(org.id), { ...bad, role: 'org:nope' }),
      422,
      'form_param_format_invalid',
      { param_name: 'role' },
    )
  })

  it('answers 409 duplicate_record for an address pending in the organization or already a member', async () => {
    const { tenant, owner, org, api } = await ownedOrg()
    const email = address()
    await invite(tenant, org.id, { email_address: email })
    await expectError(
      await api('POST', invitationsPath(org.id), { email_address: email.toUpperCase(), role: 'org:member' }),
      409,
      'duplicate_record',
      { param_name: 'email_address' },
    )
    await expectError(
      await api('POST', invitationsPath(org.id), { email_address: owner.email, role: 'org:member' }),
      409,
      'duplicate_record',
    )
    // Another organization may invite the same address.
    const other = await newOrg(t, tenant, { name: 'Other' })
    await invite(tenant, other.id, { email_address: email })
  })

  it('bulk: all or none, a refused row named by meta.index', async () => {
    const { tenant, org, api } = await ownedOrg()
    const [a, b] = [address(), address()]
    const path = invitationsPath(org.id, '/bulk')
    await expectError(
      await api('POST', path, [
        { email_address: a, role: 'org:member' },
        { email_address: b, role: 'org:nope' },
      ]),
      422,
      'form_param_format_invalid',
      { param_name: 'role', index: 1 },
    )
    await expectError(
      await api('POST', path, [
        { email_address: a, role: 'org:member' },
        { email_address: b, role: 'org:member' },
        { email_address: 42, role: 'org:member' },
      ]),
      422,
      'form_param_format_invalid',
      { param_name: 'email_address', index: 2 },
    )
    await expectError(
      await api('POST', path, [
        { email_address: a, role: 'org:member' },
        { email_address: a, role: 'org:admin' },
      ]),
      409,
      'duplicate_record',
      { index: 1 },
    )
    expect(await invitationRows(tenant)).toEqual([])
    await expectError(
      await api(
        'POST',
        path,
        Array.from({ length: 101 }, () => ({ email_address: address(), role: 'org:member' })),
      ),
      422,
      'form_param_format_invalid',
    )
    const created = await ok<{ data: Invitation[] }>(
      await api('POST', path, [
        { email_address: a, role: 'org:member', notify: false },
        { email_address: b, role: 'org:admin', notify: false },
      ]),
      201,
    )
    expect(created.data.map((i) => [i.email_address, i.role, i.status])).toEqual([
      [a, 'org:member', 'pending'],
      [b, 'org:admin', 'pending'],
    ])
    expect(created.data.every((i) => i.url?.includes('invitation_ticket='))).toBe(true)
  })

  it('counts pending invitations toward max_memberships: 403 on invite (single and bulk) and on accept', async () => {
    const { tenant, org, api } = await ownedOrg({ max_memberships: 3 })
    const invitee = await member(t, tenant)
    const mine = await invite(tenant, org.id, { email_address: invitee.email })
    await invite(tenant, org.id, { email_address: address() })
    await expectError(
      await api('POST', invitationsPath(org.id), { email_address: address(), role: 'org:member' }),
      403,
      'organization_membership_quota_exceeded',
    )
    const stranger = await member(t, tenant)
    await expectError(
      await api('POST', `/organizations/${org.id}/memberships`, { user_id: stranger.id, role: 'org:member' }),
      403,
      'organization_membership_quota_exceeded',
    )
    // Accepting turns a pending seat into a membership; a quota lowered since refuses it.
    await ok(await api('PATCH', `/organizations/${org.id}`, { max_memberships: 2 }))
    await expectError(
      await invitee.fapi('POST', `/me/organization-invitations/${mine.id}/accept`),
      403,
      'organization_membership_quota_exceeded',
    )
    await ok(await api('PATCH', `/organizations/${org.id}`, { max_memberships: 3 }))
    await ok(await invitee.fapi('POST', `/me/organization-invitations/${mine.id}/accept`))
    const bulk = await api('POST', invitationsPath(org.id, '/bulk'), [{ email_address: address(), role: 'org:member' }])
    await expectError(bulk, 403, 'organization_membership_quota_exceeded')
  })
})

describe('revoke and expiry', () => {
  it('revokes a pending invitation; revoked, accepted and expired ones answer 422 invitation_not_pending', async () => {
    const { tenant, org, api } = await ownedOrg()
    const invitee = await member(t, tenant)
    const first = await invite(tenant, org.id, { email_address: invitee.email })
    const revoked = await ok<Invitation>(await api('POST', invitationsPath(org.id, `/${first.id}/revoke`)))
    expect(revoked.status).toBe('revoked')
    await expectError(
      await api('POST', invitationsPath(org.id, `/${first.id}/revoke`)),
      422,
      'invitation_not_pending',
      { status: 'revoked' },
    )
    await expectError(
      await invitee.fapi('POST', `/me/organization-invitations/${first.id}/accept`),
      422,
      'invitation_not_pending',
      { status: 'revoked' },
    )
    expect((await outboxOf(t, tenant)).map((o) => o.type)).toContain('organizationInvitation.revoked')

    const second = await invite(tenant, org.id, { email_address: invitee.email, expires_in_days: 1 })
    t.clock.advance(DAY)
    // A day later the session token has expired: the invitee signs in again.
    const again = await signInNative(t, tenant, invitee)
    const fapi = (method: string, path: string) =>
      t.request(method, `/t/${tenant.slug}/v1${path}`, { token: again.session_token })
    const read = await ok<Invitation>(await api('GET', invitationsPath(org.id, `/${second.id}`)))
    expect(read.status).toBe('expired')
    const expired = await ok<Page>(await api('GET', invitationsPath(org.id, '?status=expired')))
    expect(expired.data.map((i) => i.id)).toEqual([second.id])
    expect((await ok<Page>(await api('GET', invitationsPath(org.id, '?status=pending')))).data).toEqual([])
    await expectError(
      await fapi('POST', `/me/organization-invitations/${second.id}/accept`),
      422,
      'invitation_not_pending',
      { status: 'expired' },
    )
    await expectError(
      await api('POST', invitationsPath(org.id, `/${second.id}/revoke`)),
      422,
      'invitation_not_pending',
      { status: 'expired' },
    )
    // An expired invitation no longer blocks a new one to the same address.
    const third = await invite(tenant, org.id, { email_address: invitee.email })
    await ok(await fapi('POST', `/me/organization-invitations/${third.id}/accept`))
    await expectError(
      await fapi('POST', `/me/organization-invitations/${third.id}/accept`),
      422,
      'invitation_not_pending',
      { status: 'accepted' },
    )
  })
})

describe('/me/organization-invitations', () => {
  it('lists invitations to the user’s verified addresses and accepts one into a membership with its role', async () => {
    const { tenant, org, api } = await ownedOrg()
    const invitee = await member(t, tenant)
    const invitation = await invite(tenant, org.id, { email_address: invitee.email.toUpperCase(), role: 'org:admin' })
    await invite(tenant, org.id, { email_address: address() })
    const mine = await ok<Page>(await invitee.fapi('GET', '/me/organization-invitations?status=pending'))
    expect(mine.data.map((i) => i.id)).toEqual([invitation.id])
    const membership = await ok<{ object: string; role: string; organization: { id: string } }>(
      await invitee.fapi('POST', `/me/organization-invitations/${invitation.id}/accept`),
    )
    expect(membership).toMatchObject({
      object: 'organization_membership',
      role: 'org:admin',
      organization: { id: org.id },
    })
    const read = await ok<Invitation>(await api('GET', invitationsPath(org.id, `/${invitation.id}`)))
    expect(read.status).toBe('accepted')
    expect(read.accepted_at).toBe(t.clock.now())
    const members = await ok<{ data: { role: string; public_user_data: { user_id: string } }[] }>(
      await api('GET', `/organizations/${org.id}/memberships?role=org:admin`),
    )
    expect(members.data.map((m) => m.public_user_data.user_id)).toEqual([invitee.id])
    expect(
      (await ok<Page>(await invitee.fapi('GET', '/me/organization-invitations?status=accepted'))).data,
    ).toHaveLength(1)
    const types = (await outboxOf(t, tenant)).map((o) => o.type)
    expect(types).toContain('organizationInvitation.accepted')
    expect(types).toContain('organizationMembership.created')
  })

  it('answers 404 for another user’s invitation, and for another tenant’s', async () => {
    const { tenant, org } = await ownedOrg()
    const invitee = await member(t, tenant)
    const someoneElse = await member(t, tenant)
    const invitation = await invite(tenant, org.id, { email_address: invitee.email })
    await expectError(
      await someoneElse.fapi('POST', `/me/organization-invitations/${invitation.id}/accept`),
      404,
      'resource_not_found',
    )
    expect((await ok<Page>(await someoneElse.fapi('GET', '/me/organization-invitations'))).data).toEqual([])
    const elsewhere = await orgTenant(t)
    const stranger = await member(t, elsewhere)
    await expectError(
      await stranger.fapi('POST', `/me/organization-invitations/${invitation.id}/accept`),
      404,
      'resource_not_found',
    )
  })
})

describe('sign-up with an invitation ticket', () => {
  const signUp = (tenant: CreatedTenant, body: Record<string, unknown>) =>
    nativeClient(t, tenant).request('POST', '/client/sign-ups', body)

  it('verifies the invited address (strategy ticket) and joins in the completing transaction', async () => {
    const { tenant, org, api } = await ownedOrg()
    const email = address()
    const invitation = await invite(tenant, org.id, { email_address: email, role: 'org:admin' })
    const ticket = ticketOf(invitation.url!)
    const done = await ok<{
      status: string
      email_address: string
      verifications: Record<string, { status: string; strategy: string }>
      created_user_id: string
      session_token: string
    }>(await signUp(tenant, { ticket, password: PASSWORD, first_name: 'Ivy' }))
    expect(done).toMatchObject({
      status: 'complete',
      email_address: email,
      verifications: { email_address: { status: 'verified', strategy: 'ticket' } },
    })
    expect(done.session_token).toBeString()
    const user = await ok<{ email_addresses: { email_address: string; verified: boolean }[] }>(
      await api('GET', `/users/${done.created_user_id}`),
    )
    expect(user.email_addresses[0]).toMatchObject({ email_address: email, verified: true })
    const members = await ok<{ data: { role: string; public_user_data: { user_id: string } }[] }>(
      await api('GET', `/organizations/${org.id}/memberships?role=org:admin`),
    )
    expect(members.data.map((m) => m.public_user_data.user_id)).toEqual([done.created_user_id])
    const read = await ok<Invitation>(await api('GET', invitationsPath(org.id, `/${invitation.id}`)))
    expect(read.status).toBe('accepted')

    // The ticket is spent: a second sign-up with it is refused, and nothing is created.
    await expectError(await signUp(tenant, { ticket, password: PASSWORD }), 422, 'invitation_not_pending', {
      status: 'accepted',
    })
  })

  it('keeps the invited address (another is 422); a later step completes and joins', async () => {
    const { tenant, org, api } = await ownedOrg()
    const email = address()
    const invitation = await invite(tenant, org.id, { email_address: email })
    const ticket = ticketOf(invitation.url!)
    await expectError(
      await signUp(tenant, { ticket, email_address: address(), password: PASSWORD }),
      422,
      'form_param_format_invalid',
      { param_name: 'email_address' },
    )
    const client = nativeClient(t, tenant)
    const started = await ok<{ id: string; status: string; missing_fields: string[] }>(
      await client.request('POST', '/client/sign-ups', { ticket, email_address: email.toUpperCase() }),
    )
    expect(started).toMatchObject({ status: 'missing_requirements', missing_fields: ['password'] })
    await expectError(
      await client.request('PATCH', `/client/sign-ups/${started.id}`, { email_address: address() }),
      422,
      'form_param_format_invalid',
      { param_name: 'email_address' },
    )
    const done = await ok<{ status: string; created_user_id: string }>(
      await client.request('PATCH', `/client/sign-ups/${started.id}`, { password: PASSWORD }),
    )
    expect(done.status).toBe('complete')
    const members = await ok<{ data: { public_user_data: { user_id: string } }[] }>(
      await api('GET', `/organizations/${org.id}/memberships?role=org:member`),
    )
    expect(members.data.map((m) => m.public_user_data.user_id)).toEqual([done.created_user_id])
  })

  it('refuses an unknown ticket, a taken address, a revoked invitation; a refused join rolls back', async () => {
    const { tenant, org, api } = await ownedOrg()
    await expectError(await signUp(tenant, { ticket: 'nope', password: PASSWORD }), 422, 'form_param_format_invalid', {
      param_name: 'ticket',
    })
    const existing = await member(t, tenant)
    const taken = await invite(tenant, org.id, { email_address: existing.email })
    await expectError(
      await signUp(tenant, { ticket: ticketOf(taken.url!), password: PASSWORD }),
      409,
      'form_identifier_exists',
      { param_name: 'email_address' },
    )
    const revoked = await invite(tenant, org.id, { email_address: address() })
    await ok(await api('POST', invitationsPath(org.id, `/${revoked.id}/revoke`)))
    await expectError(
      await signUp(tenant, { ticket: ticketOf(revoked.url!), password: PASSWORD }),
      422,
      'invitation_not_pending',
      { status: 'revoked' },
    )
    // Accepting needs a seat: with the quota lowered the completion fails whole — no user, invitation pending.
    const email = address()
    const pending = await invite(tenant, org.id, { email_address: email })
    await ok(await api('PATCH', `/organizations/${org.id}`, { max_memberships: 1 }))
    await expectError(
      await signUp(tenant, { ticket: ticketOf(pending.url!), password: PASSWORD }),
      403,
      'organization_membership_quota_exceeded',
    )
    const users = await ok<{ data: unknown[] }>(await api('GET', `/users?query=${encodeURIComponent(email)}`))
    expect(users.data).toEqual([])
    expect((await ok<Invitation>(await api('GET', invitationsPath(org.id, `/${pending.id}`)))).status).toBe('pending')
  })

  it('works through the backend twin POST /v1/sign-ups', async () => {
    const { tenant, org } = await ownedOrg()
    const invitation = await invite(tenant, org.id, { email_address: address() })
    const done = await ok<{ status: string; verifications: Record<string, { strategy: string }> }>(
      await bapi(t, tenant)('POST', '/sign-ups', { ticket: ticketOf(invitation.url!), password: PASSWORD }),
    )
    expect(done.status).toBe('complete')
    expect(done.verifications.email_address!.strategy).toBe('ticket')
  })
})

describe('{issuer}/v1/organizations/:org_id/invitations (members)', () => {
  it('needs org:sys_memberships:read to list and :manage to invite or revoke (403 required_permission)', async () => {
    const { tenant, org } = await ownedOrg()
    const plain = await member(t, tenant)
    await addMember(t, tenant, org.id, plain.id, 'org:member')
    expect((await ok<Page>(await plain.fapi('GET', invitationsPath(org.id)))).data).toEqual([])
    await expectError(
      await plain.fapi('POST', invitationsPath(org.id), { email_address: address(), role: 'org:member' }),
      403,
      'permission_denied',
      { required_permission: 'org:sys_memberships:manage' },
    )
    const invitation = await invite(tenant, org.id, { email_address: address() })
    await expectError(
      await plain.fapi('POST', invitationsPath(org.id, `/${invitation.id}/revoke`)),
      403,
      'permission_denied',
      { required_permission: 'org:sys_memberships:manage' },
    )
  })

  it('binds inviters by level (403 role_level), except that an owner may invite an owner', async () => {
    const { tenant, owner, org } = await ownedOrg()
    const manager = await member(t, tenant)
    await addMember(t, tenant, org.id, manager.id, 'org:manager')
    await expectError(
      await manager.fapi('POST', invitationsPath(org.id), { email_address: address(), role: 'org:admin' }),
      403,
      'permission_denied',
      { reason: 'role_level' },
    )
    await expectError(
      await manager.fapi('POST', invitationsPath(org.id), { email_address: address(), role: 'org:manager' }),
      403,
      'permission_denied',
      { reason: 'role_level' },
    )
    const created = await ok<Invitation>(
      await manager.fapi('POST', invitationsPath(org.id), { email_address: address(), role: 'org:member' }),
      201,
    )
    expect(created.inviter_user_id).toBe(manager.id)
    expect(created.url).toContain('invitation_ticket=')
    await expectError(
      await manager.fapi('POST', invitationsPath(org.id), {
        email_address: address(),
        role: 'org:member',
        public_metadata: {},
      }),
      422,
      'form_param_format_invalid',
      { param_name: 'public_metadata' },
    )
    const owners = await ok<Invitation>(
      await owner.fapi('POST', invitationsPath(org.id), { email_address: address(), role: 'org:owner' }),
      201,
    )
    expect(owners.role).toBe('org:owner')
    const page = await ok<Page>(await manager.fapi('GET', invitationsPath(org.id)))
    expect(page.data.map((i) => i.id)).toEqual([owners.id, created.id])
    const revoked = await ok<Invitation>(await manager.fapi('POST', invitationsPath(org.id, `/${created.id}/revoke`)))
    expect(revoked.status).toBe('revoked')
  })

  it('answers 404 for another organization’s or tenant’s ids, and for non-members', async () => {
    const { tenant, owner, org, api } = await ownedOrg()
    const other = await newOrg(t, tenant, { name: 'Other', created_by: owner.id })
    const invitation = await invite(tenant, org.id, { email_address: address() })
    await expectError(await api('GET', invitationsPath(other.id, `/${invitation.id}`)), 404, 'resource_not_found')
    await expectError(
      await api('POST', invitationsPath(other.id, `/${invitation.id}/revoke`)),
      404,
      'resource_not_found',
    )
    await expectError(
      await owner.fapi('GET', invitationsPath(other.id, `/${invitation.id}`)),
      404,
      'resource_not_found',
    )
    const elsewhere = await orgTenant(t)
    const foreign = bapi(t, elsewhere)
    await expectError(await foreign('GET', invitationsPath(org.id)), 404, 'resource_not_found')
    await expectError(
      await foreign('POST', invitationsPath(org.id), { email_address: address(), role: 'org:member' }),
      404,
      'resource_not_found',
    )
    const outsider = await member(t, tenant)
    await expectError(await outsider.fapi('GET', invitationsPath(org.id)), 404, 'resource_not_found')
  })

  it('deletes an organization’s invitations with it', async () => {
    const { tenant, org, api } = await ownedOrg()
    await invite(tenant, org.id, { email_address: address() })
    expect(await invitationRows(tenant)).toHaveLength(1)
    await ok(await api('DELETE', `/organizations/${org.id}`))
    expect(await invitationRows(tenant)).toEqual([])
  })
})
