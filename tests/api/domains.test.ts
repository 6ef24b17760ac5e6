import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { organizationDomains } from '../../src/features/organizations/schema'
import { withTenant } from '../../src/platform/db/tx'
import { testApp, type CreatedTenant, type TestApp } from '../support/app'
import { localDns } from '../support/dns'
import { codeIn, lastMessage, nativeClient, signInNative } from '../support/flows'
import { addMember, auditOf, bapi, expectError, member, newOrg, ok, orgTenant, outboxOf } from '../support/orgs'

let t: TestApp
let dns: Awaited<ReturnType<typeof localDns>>
beforeAll(async () => {
  dns = await localDns()
  t = await testApp({ dnsResolver: dns.address })
})
afterAll(async () => {
  await t.close()
  await dns.close()
})

interface Domain {
  object: string
  id: string
  organization_id: string
  name: string
  enrollment_mode: string
  verification: {
    status: string
    strategy: string | null
    verified_at: number | null
    dns_record: { type: string; name: string; value: string }
  }
  affiliation_email_address: string | null
  created_at: number
  updated_at: number
}
interface Suggestion {
  object: string
  id: string
  organization: { id: string; name: string; slug: string; image_url: string | null }
  status: string
}
interface Request {
  object: string
  id: string
  organization_id: string
  public_user_data: { user_id: string; identifier: string | null }
  status: string
}
type Page<T> = { data: T[]; meta: { next_cursor: string | null } }

/** A tenant, an organization owned by a signed-in owner, and the backend's caller. */
async function ownedOrg() {
  const tenant = await orgTenant(t)
  const owner = await member(t, tenant)
  const org = await newOrg(t, tenant, { created_by: owner.id })
  return { tenant, owner, org, api: bapi(t, tenant) }
}

const domainsPath = (orgId: string, rest = '') => `/organizations/${orgId}/domains${rest}`
const newDomain = async (tenant: CreatedTenant, orgId: string, body: Record<string, unknown>) =>
  ok<Domain>(await bapi(t, tenant)('POST', domainsPath(orgId), body), 201)
const randomLocal = () => `u${crypto.randomUUID().slice(0, 8)}`

describe('/v1/organizations/:id/domains', () => {
  it('creates, lists, reads, updates and deletes a domain, with events and audit entries', async () => {
    const { tenant, org, api } = await ownedOrg()
    const created = await ok<Domain>(await api('POST', domainsPath(org.id), { name: ' Acme.Example. ' }), 201)
    expect(created).toMatchObject({
      object: 'organization_domain',
      organization_id: org.id,
      name: 'acme.example',
      enrollment_mode: 'manual_invitation',
      verification: {
        status: 'unverified',
        strategy: null,
        verified_at: null,
        dns_record: { type: 'TXT', name: '_tessera-verification.acme.example' },
      },
      affiliation_email_address: null,
    })
    expect(created.id).toStartWith('orgdom_')
    expect(created.verification.dns_record.value).toMatch(/^tessera-verification=[A-Za-z0-9_-]{20,}$/)

    const page = await ok<Page<Domain>>(await api('GET', domainsPath(org.id)))
    expect(page.data.map((d) => d.id)).toEqual([created.id])
    expect(await ok<Domain>(await api('GET', domainsPath(org.id, `/${created.id}`)))).toEqual(created)

    const patched = await ok<Domain>(
      await api('PATCH', domainsPath(org.id, `/${created.id}`), { enrollment_mode: 'automatic_suggestion' }),
    )
    expect(patched.enrollment_mode).toBe('automatic_suggestion')
    expect(patched.verification.dns_record).toEqual(created.verification.dns_record)

    expect(await ok(await api('DELETE', domainsPath(org.id, `/${created.id}`)))).toEqual({
      object: 'organization_domain',
      id: created.id,
      deleted: true,
    })
    await expectError(await api('GET', domainsPath(org.id, `/${created.id}`)), 404, 'resource_not_found')

    const events = (await outboxOf(t, tenant)).map((m) => m.type)
    for (const type of ['organizationDomain.created', 'organizationDomain.updated', 'organizationDomain.deleted'])
      expect(events).toContain(type)
    const actions = (await auditOf(t, tenant)).map((a) => a.action)
    expect(actions).toContain('organizationDomain.deleted')
  })

  it('refuses names that are not DNS names, public mail domains and unknown fields with 422', async () => {
    const { org, api } = await ownedOrg()
    for (const name of ['localhost', 'a..example', '-acme.example', 'acme.example/x', 'acme example.com'])
      await expectError(await api('POST', domainsPath(org.id), { name }), 422, 'form_param_format_invalid', {
        param_name: 'name',
      })
    for (const name of ['gmail.com', 'Outlook.com', 'proton.me'])
      await expectError(await api('POST', domainsPath(org.id), { name }), 422, 'form_param_format_invalid', {
        param_name: 'name',
        reason: 'public_email_domain',
      })
    await expectError(
      await api('POST', domainsPath(org.id), { name: 'acme.example', enrollment_mode: 'auto' }),
      422,
      'form_param_format_invalid',
    )
    await expectError(
      await api('POST', domainsPath(org.id), { name: 'acme.example', color: 'red' }),
      422,
      'form_param_format_invalid',
    )
  })

  it('keeps a verified name to one organization of the tenant (409); unverified claims may coexist', async () => {
    const { tenant, org, api } = await ownedOrg()
    const other = await newOrg(t, tenant, { name: 'Other' })
    const verified = await newDomain(tenant, org.id, { name: 'acme.example', verified: true })
    expect(verified.verification).toMatchObject({ status: 'verified', strategy: 'admin' })
    expect(verified.verification.verified_at).toBe(t.clock.now())

    await expectError(await api('POST', domainsPath(org.id), { name: 'acme.example' }), 409, 'duplicate_record', {
      param_name: 'name',
    })
    await expectError(
      await api('POST', domainsPath(other.id), { name: 'acme.example', verified: true }),
      409,
      'duplicate_record',
      { param_name: 'name' },
    )
    const claim = await newDomain(tenant, other.id, { name: 'acme.example' })
    await expectError(
      await api('PATCH', domainsPath(other.id, `/${claim.id}`), { verified: true }),
      409,
      'duplicate_record',
    )

    // Another tenant may verify the same name.
    const elsewhere = await orgTenant(t)
    const theirs = await newOrg(t, elsewhere)
    await newDomain(elsewhere, theirs.id, { name: 'acme.example', verified: true })
  })

  it('answers 404 for another organization’s or tenant’s domain', async () => {
    const { tenant, org, api } = await ownedOrg()
    const other = await newOrg(t, tenant, { name: 'Other' })
    const domain = await newDomain(tenant, org.id, { name: 'acme.example' })
    await expectError(await api('GET', domainsPath(other.id, `/${domain.id}`)), 404, 'resource_not_found')
    await expectError(await api('DELETE', domainsPath(other.id, `/${domain.id}`)), 404, 'resource_not_found')
    const stranger = await orgTenant(t)
    await expectError(await bapi(t, stranger)('GET', domainsPath(org.id, `/${domain.id}`)), 404, 'resource_not_found')
    await expectError(await bapi(t, stranger)('GET', domainsPath(org.id)), 404, 'resource_not_found')
  })

  it('goes with its organization', async () => {
    const { tenant, org, api } = await ownedOrg()
    const domain = await newDomain(tenant, org.id, { name: 'acme.example', verified: true })
    await ok(await api('DELETE', `/organizations/${org.id}`))
    const rows = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(organizationDomains).where(eq(organizationDomains.id, domain.id)),
    )
    expect(rows).toHaveLength(0)
    // The name is free again in the tenant.
    await newDomain(tenant, (await newOrg(t, tenant, { name: 'Next' })).id, { name: 'acme.example', verified: true })
  })
})

describe('POST /v1/organizations/:id/domains/:did/verify', () => {
  it('fails with 422 dns_record_not_found until the TXT record holds the token, then verifies', async () => {
    const { tenant, org, api } = await ownedOrg()
    const domain = await newDomain(tenant, org.id, { name: 'dns-check.example' })
    const verify = () => api('POST', domainsPath(org.id, `/${domain.id}/verify`), { strategy: 'dns_txt' })
    const record = domain.verification.dns_record

    await expectError(await verify(), 422, 'verification_failed', { reason: 'dns_record_not_found' })
    dns.txt.set(record.name, ['v=spf1 -all', 'tessera-verification=someone-else'])
    await expectError(await verify(), 422, 'verification_failed', { reason: 'dns_record_not_found' })

    dns.txt.set(record.name, ['v=spf1 -all', record.value])
    const verified = await ok<Domain>(await verify())
    expect(verified.verification).toMatchObject({ status: 'verified', strategy: 'dns_txt' })
    await expectError(await verify(), 422, 'verification_failed', { reason: 'already_verified' })
    await expectError(
      await api('POST', domainsPath(org.id, `/${domain.id}/verify`), { strategy: 'email_code' }),
      422,
      'form_param_format_invalid',
    )
  })
})

describe('POST /v1/organizations/:id/domains/:did/challenges', () => {
  it('verifies by a code sent to an address at the domain; a wrong code costs a try', async () => {
    const { tenant, org, api } = await ownedOrg()
    const domain = await newDomain(tenant, org.id, { name: 'mail-check.example' })
    const path = domainsPath(org.id, `/${domain.id}/challenges`)
    await expectError(
      await api('POST', path, { strategy: 'email_code', email_address: 'it@elsewhere.example' }),
      422,
      'form_param_format_invalid',
      { param_name: 'email_address' },
    )
    await expectError(
      await api('POST', path, { strategy: 'email_code', email_address: 'it@sub.mail-check.example' }),
      422,
      'form_param_format_invalid',
    )

    const address = `${randomLocal()}@Mail-Check.example`
    const challenge = await ok<{ object: string; id: string; strategy: string; status: string }>(
      await api('POST', path, { strategy: 'email_code', email_address: address }),
      201,
    )
    expect(challenge).toMatchObject({ object: 'challenge', strategy: 'email_code', status: 'pending' })
    const code = codeIn((await lastMessage(t, address)).text)!
    const answer = (c: string) => api('POST', `${path}/${challenge.id}/answer`, { code: c })

    const wrong = code === '000000' ? '111111' : '000000'
    await expectError(await answer(wrong), 422, 'form_code_incorrect', { attempts_remaining: 4 })
    const verified = await ok<Domain>(await answer(code))
    expect(verified.verification).toMatchObject({ status: 'verified', strategy: 'email_code' })
    expect(verified.affiliation_email_address).toBe(address)

    // Another domain's challenge is not this one's.
    const other = await newDomain(tenant, org.id, { name: 'other-check.example' })
    await expectError(
      await api('POST', domainsPath(org.id, `/${other.id}/challenges/${challenge.id}/answer`), { code }),
      404,
      'resource_not_found',
    )
  })
})

describe('enrollment by verified domain', () => {
  /** A signed-in user whose one (verified) address is at `domain`. */
  async function verifiedUser(tenant: CreatedTenant, domain: string) {
    const email = `${randomLocal()}@${domain}`
    const password = 'correct horse battery staple'
    const { id } = await ok<{ id: string }>(
      await bapi(t, tenant)('POST', '/users', { email_address: [email], password }),
      201,
    )
    const { session_token } = await signInNative(t, tenant, { email, password })
    const fapi = (method: string, path: string) =>
      t.request(method, `/t/${tenant.slug}/v1${path}`, { token: session_token })
    return { id, email, fapi }
  }

  it('offers nothing in manual_invitation mode', async () => {
    const { tenant, org } = await ownedOrg()
    const user = await verifiedUser(tenant, 'manual.example')
    await newDomain(tenant, org.id, { name: 'manual.example', verified: true })
    const page = await ok<Page<Suggestion>>(await user.fapi('GET', '/me/organization-suggestions'))
    expect(page.data).toEqual([])
  })

  it('invites with the default role in automatic_invitation mode, mailing no one; the user accepts at /me', async () => {
    const { tenant, org } = await ownedOrg()
    const user = await verifiedUser(tenant, 'invites.example')
    const since = t.clock.now()
    await newDomain(tenant, org.id, {
      name: 'invites.example',
      verified: true,
      enrollment_mode: 'automatic_invitation',
    })
    const page = await ok<Page<{ id: string; organization_id: string; role: string; status: string }>>(
      await user.fapi('GET', '/me/organization-invitations'),
    )
    expect(page.data).toEqual([
      expect.objectContaining({ organization_id: org.id, role: 'org:member', status: 'pending' }),
    ])
    await t.deps.relay.kick()
    const mailbox = await t.request('GET', `/platform/v1/dev/messages?to=${encodeURIComponent(user.email)}`, {
      token: t.platformKey,
    })
    const sent = ((await mailbox.json()) as { data: { created_at: number }[] }).data
    expect(sent.filter((m) => m.created_at >= since)).toEqual([])
    const membership = await ok<{ role: string; organization: { id: string } }>(
      await user.fapi('POST', `/me/organization-invitations/${page.data[0]!.id}/accept`),
    )
    expect(membership).toMatchObject({ role: 'org:member', organization: { id: org.id } })
  })

  it('suggests the organization; an accepted suggestion is a request that an admin accepts', async () => {
    const { tenant, org, api, owner } = await ownedOrg()
    const before = await verifiedUser(tenant, 'acme.example')
    await newDomain(tenant, org.id, { name: 'acme.example', enrollment_mode: 'automatic_suggestion', verified: true })
    const after = await verifiedUser(tenant, 'acme.example')
    const outsider = await verifiedUser(tenant, 'other.example')
    // The owner, a member already, is offered nothing.
    expect((await ok<Page<Suggestion>>(await owner.fapi('GET', '/me/organization-suggestions'))).data).toEqual([])
    expect((await ok<Page<Suggestion>>(await outsider.fapi('GET', '/me/organization-suggestions'))).data).toEqual([])

    for (const user of [before, after]) {
      const [suggestion] = (await ok<Page<Suggestion>>(await user.fapi('GET', '/me/organization-suggestions'))).data
      expect(suggestion).toMatchObject({
        object: 'organization_suggestion',
        organization: { id: org.id, name: 'Acme', slug: org.slug, image_url: null },
        status: 'pending',
      })
      expect(suggestion!.id).toStartWith('orgsug_')
    }

    const [suggestion] = (await ok<Page<Suggestion>>(await before.fapi('GET', '/me/organization-suggestions'))).data
    const accepted = await ok<Suggestion>(
      await before.fapi('POST', `/me/organization-suggestions/${suggestion!.id}/accept`),
    )
    expect(accepted.status).toBe('accepted')
    await expectError(
      await before.fapi('POST', `/me/organization-suggestions/${suggestion!.id}/accept`),
      422,
      'form_param_format_invalid',
      { reason: 'not_pending' },
    )
    await expectError(
      await after.fapi('POST', `/me/organization-suggestions/${suggestion!.id}/accept`),
      404,
      'resource_not_found',
    )

    const requests = await ok<Page<Request>>(await api('GET', `/organizations/${org.id}/membership-requests`))
    expect(requests.data).toHaveLength(1)
    const request = requests.data[0]!
    expect(request).toMatchObject({
      object: 'organization_membership_request',
      organization_id: org.id,
      public_user_data: { user_id: before.id, identifier: before.email },
      status: 'pending',
    })
    expect(request.id).toStartWith('orgreq_')

    const settled = await ok<Request>(
      await api('POST', `/organizations/${org.id}/membership-requests/${request.id}/accept`),
    )
    expect(settled.status).toBe('accepted')
    const memberships = await ok<Page<{ public_user_data: { user_id: string }; role: string }>>(
      await api('GET', `/organizations/${org.id}/memberships`),
    )
    expect(memberships.data.find((m) => m.public_user_data.user_id === before.id)?.role).toBe('org:member')
    await expectError(
      await api('POST', `/organizations/${org.id}/membership-requests/${request.id}/reject`),
      422,
      'form_param_format_invalid',
      { reason: 'not_pending' },
    )

    const events = (await outboxOf(t, tenant)).map((m) => m.type)
    for (const type of [
      'organizationSuggestion.created',
      'organizationSuggestion.updated',
      'organizationMembershipRequest.created',
      'organizationMembershipRequest.updated',
    ])
      expect(events).toContain(type)
  })

  it('suggests on a later verification, lets an admin reject from the frontend, and keeps the quota', async () => {
    const { tenant, org, owner, api } = await ownedOrg()
    const user = await verifiedUser(tenant, 'late.example')
    const domain = await newDomain(tenant, org.id, { name: 'late.example', enrollment_mode: 'automatic_suggestion' })
    expect((await ok<Page<Suggestion>>(await user.fapi('GET', '/me/organization-suggestions'))).data).toEqual([])
    await ok(await api('PATCH', domainsPath(org.id, `/${domain.id}`), { verified: true }))
    const [suggestion] = (await ok<Page<Suggestion>>(await user.fapi('GET', '/me/organization-suggestions'))).data
    await ok(await user.fapi('POST', `/me/organization-suggestions/${suggestion!.id}/accept`))

    const [request] = (
      await ok<Page<Request>>(await owner.fapi('GET', `/organizations/${org.id}/membership-requests?status=pending`))
    ).data
    const plain = await member(t, tenant)
    await addMember(t, tenant, org.id, plain.id, 'org:member')
    await expectError(
      await plain.fapi('POST', `/organizations/${org.id}/membership-requests/${request!.id}/reject`),
      403,
      'permission_denied',
      { required_permission: 'org:sys_memberships:manage' },
    )
    // Full: accepting would exceed the quota.
    await ok(await api('PATCH', `/organizations/${org.id}`, { max_memberships: 2 }))
    await expectError(
      await api('POST', `/organizations/${org.id}/membership-requests/${request!.id}/accept`),
      403,
      'organization_membership_quota_exceeded',
    )
    const rejected = await ok<Request>(
      await owner.fapi('POST', `/organizations/${org.id}/membership-requests/${request!.id}/reject`),
    )
    expect(rejected.status).toBe('rejected')
    expect(
      (await ok<Page<Request>>(await api('GET', `/organizations/${org.id}/membership-requests?status=pending`))).data,
    ).toEqual([])
  })

  it('suggests when a user verifies an address at the domain from /me', async () => {
    const { tenant, org } = await ownedOrg()
    await newDomain(tenant, org.id, { name: 'me.example', enrollment_mode: 'automatic_suggestion', verified: true })
    const user = await member(t, tenant)
    const address = `${randomLocal()}@me.example`
    const added = await ok<{ id: string }>(
      await user.fapi('POST', '/me/email-addresses', { email_address: address }),
      201,
    )
    const challenge = await ok<{ id: string }>(
      await user.fapi('POST', `/me/email-addresses/${added.id}/challenges`, { strategy: 'email_code' }),
      201,
    )
    const code = codeIn((await lastMessage(t, address)).text)!
    await ok(await user.fapi('POST', `/me/email-addresses/${added.id}/challenges/${challenge.id}/answer`, { code }))
    const page = await ok<Page<Suggestion>>(await user.fapi('GET', '/me/organization-suggestions'))
    expect(page.data.map((s) => s.organization.id)).toEqual([org.id])
  })
  it('suggests when a user signs up with an address at the domain', async () => {
    const { tenant, org } = await ownedOrg()
    await newDomain(tenant, org.id, { name: 'signup.example', enrollment_mode: 'automatic_suggestion', verified: true })
    const client = nativeClient(t, tenant)
    const address = `${randomLocal()}@signup.example`
    const attempt = await ok<{ id: string }>(
      await client.request('POST', '/client/sign-ups', {
        email_address: address,
        password: 'correct horse battery staple',
      }),
    )
    const challenge = await ok<{ id: string }>(
      await client.request('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy: 'email_code' }),
      201,
    )
    const code = codeIn((await lastMessage(t, address)).text)!
    const done = await ok<{ status: string; session_token: string }>(
      await client.request('POST', `/client/sign-ups/${attempt.id}/challenges/${challenge.id}/answer`, { code }),
    )
    expect(done.status).toBe('complete')
    const page = await ok<Page<Suggestion>>(
      await t.request('GET', `/t/${tenant.slug}/v1/me/organization-suggestions`, { token: done.session_token }),
    )
    expect(page.data.map((s) => s.organization.id)).toEqual([org.id])
  })
})

describe('{issuer}/v1/organizations/:org_id/domains', () => {
  it('needs org:sys_domains:read to read and :manage to write; non-members get 404', async () => {
    const { tenant, org, owner } = await ownedOrg()
    const domain = await newDomain(tenant, org.id, { name: 'acme.example' })
    const manager = await member(t, tenant)
    await addMember(t, tenant, org.id, manager.id, 'org:manager')
    const plain = await member(t, tenant)
    await addMember(t, tenant, org.id, plain.id, 'org:member')
    const stranger = await member(t, tenant)

    await expectError(await plain.fapi('GET', domainsPath(org.id)), 403, 'permission_denied', {
      required_permission: 'org:sys_domains:read',
    })
    const listed = await ok<Page<Domain>>(await manager.fapi('GET', domainsPath(org.id)))
    expect(listed.data.map((d) => d.id)).toEqual([domain.id])
    expect((await ok<Domain>(await manager.fapi('GET', domainsPath(org.id, `/${domain.id}`)))).id).toBe(domain.id)
    await expectError(
      await manager.fapi('POST', domainsPath(org.id), { name: 'b.example' }),
      403,
      'permission_denied',
      {
        required_permission: 'org:sys_domains:manage',
      },
    )
    await expectError(
      await manager.fapi('POST', domainsPath(org.id, `/${domain.id}/verify`), { strategy: 'dns_txt' }),
      403,
      'permission_denied',
    )
    await expectError(await stranger.fapi('GET', domainsPath(org.id)), 404, 'resource_not_found')

    // Only the backend declares a domain verified.
    await expectError(
      await owner.fapi('POST', domainsPath(org.id), { name: 'b.example', verified: true }),
      422,
      'form_param_format_invalid',
    )
    const created = await ok<Domain>(await owner.fapi('POST', domainsPath(org.id), { name: 'b.example' }), 201)
    expect(created.verification.status).toBe('unverified')
    await ok(
      await owner.fapi('PATCH', domainsPath(org.id, `/${created.id}`), { enrollment_mode: 'automatic_invitation' }),
    )
    await ok(await owner.fapi('DELETE', domainsPath(org.id, `/${created.id}`)))
  })

  it('verifies from the frontend by email code', async () => {
    const { tenant, org, owner } = await ownedOrg()
    const domain = await newDomain(tenant, org.id, { name: 'front.example' })
    const address = `${randomLocal()}@front.example`
    const path = domainsPath(org.id, `/${domain.id}/challenges`)
    const challenge = await ok<{ id: string }>(
      await owner.fapi('POST', path, { strategy: 'email_code', email_address: address }),
      201,
    )
    const code = codeIn((await lastMessage(t, address)).text)!
    const verified = await ok<Domain>(await owner.fapi('POST', `${path}/${challenge.id}/answer`, { code }))
    expect(verified.verification.strategy).toBe('email_code')
  })
})
