import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import { randomToken } from '../../platform/crypto/tokens'
import type { Tx } from '../../platform/db/client'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import { txtRecords } from '../../platform/net/dns'
import * as ChallengesService from '../challenges/service'
import { answerChallenge, answering, createChallengeInTx } from '../flows/service'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import { enrollDomain } from './enrollment'
import * as OrgModel from './model'
import type { PublicDomain } from './model'
import { record, type Acting } from './record'
import * as OrgRepo from './repo'
import type { DomainPatch, DomainRow } from './repo'
import type { DomainVerificationStrategy } from './schema'
import { PUBLIC_EMAIL_DOMAINS } from './public-email-domains'

/**
 * Organization domains (API.md §13a): claimed unverified by any organization of the tenant, then
 * proven by a DNS TXT record, by a code sent to an address at the domain, or declared verified by
 * the backend. A verified name belongs to one organization of the tenant (409 elsewhere); other
 * organizations may keep unverified claims of it, which can never be verified while it holds.
 */
type CreateBody = Static<typeof OrgModel.createDomainBody>

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/
// A resolver that does not answer within this fails the verification rather than holding the request.
const DNS_TIMEOUT_MS = 5_000

/** Lower-case, without the root's trailing dot; a public mail provider's domain proves nothing (422). */
function domainName(raw: string): string {
  const name = raw.trim().toLowerCase().replace(/\.$/, '')
  if (!DNS_NAME.test(name)) throw new AppError('form_param_format_invalid', { param_name: 'name' })
  if (PUBLIC_EMAIL_DOMAINS.has(name))
    throw new AppError('form_param_format_invalid', { param_name: 'name', reason: 'public_email_domain' })
  return name
}

const duplicateName = () => new AppError('duplicate_record', { param_name: 'name' })

/** Another organization of the tenant holds this name verified. */
async function verifiedElsewhere(tx: Tx, tenantId: string, name: string, organizationId: string) {
  const holder = await OrgRepo.findVerifiedDomain(tx, tenantId, name)
  return holder !== null && holder.organizationId !== organizationId
}

/** The unique indexes are the backstop for concurrent claims and verifications of one name. */
async function nameGuard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName()
    throw err
  }
}

const verification = (strategy: DomainVerificationStrategy | null, at: Date | null) => ({
  verificationStrategy: strategy,
  verifiedAt: at,
})

async function orgOf(tx: Tx, tenantId: string, orgId: string) {
  const org = await OrgRepo.findOrganization(tx, tenantId, orgId)
  if (!org) throw new AppError('resource_not_found')
  return org
}

async function domainOf(tx: Tx, tenantId: string, orgId: string, domainId: string): Promise<DomainRow> {
  const domain = await OrgRepo.findDomain(tx, tenantId, (await orgOf(tx, tenantId, orgId)).id, domainId)
  if (!domain) throw new AppError('resource_not_found')
  return domain
}

/** Writes the domain; a name it now holds verified must not be verified by another organization (409). */
async function saveVerified(tx: Tx, tenantId: string, domain: DomainRow, patch: DomainPatch): Promise<DomainRow> {
  const name = patch.name ?? domain.name
  const verified = patch.verifiedAt !== undefined ? patch.verifiedAt !== null : domain.verifiedAt !== null
  if (verified && (await verifiedElsewhere(tx, tenantId, name, domain.organizationId))) throw duplicateName()
  return nameGuard(() => OrgRepo.updateDomain(tx, tenantId, domain.id, patch))
}

/** Creates a domain; `verified: true` (backend only) declares it verified with strategy `admin`. */
export async function create(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  body: CreateBody,
  acting: Acting,
): Promise<PublicDomain> {
  const name = domainName(body.name)
  return withTenant(deps.db, tenant.id, async (tx) => {
    const org = await orgOf(tx, tenant.id, orgId)
    if (body.verified && (await verifiedElsewhere(tx, tenant.id, name, org.id))) throw duplicateName()
    const at = new Date(deps.clock.now())
    const row = await nameGuard(() =>
      OrgRepo.insertDomain(tx, {
        id: newId('orgdom', at.getTime()),
        tenantId: tenant.id,
        organizationId: org.id,
        name,
        enrollmentMode: body.enrollment_mode ?? 'manual_invitation',
        verificationToken: randomToken(24),
        ...(body.verified ? verification('admin', at) : verification(null, null)),
        affiliationEmailAddress: null,
        createdAt: at,
        updatedAt: at,
      }),
    )
    await record(deps, tx, tenant.id, acting, {
      action: 'organizationDomain.created',
      target: { type: 'organization_domain', id: row.id },
      data: { organization_id: org.id, name },
      event: { ...OrgModel.toPublicDomain(row) },
    })
    await enrollDomain(deps, tx, tenant, row)
    return OrgModel.toPublicDomain(row)
  })
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicDomain>> {
  const limit = pageSize(query.limit)
  const scope = `organization_domains:${tenant.id}:${orgId}`
  const after = await deps.cursors.decode(scope, query.cursor)
  const rows = await withTenant(deps.db, tenant.id, async (tx) =>
    OrgRepo.listDomains(tx, tenant.id, (await orgOf(tx, tenant.id, orgId)).id, limit + 1, after),
  )
  return deps.cursors.page(scope, rows, limit, OrgModel.toPublicDomain)
}

export async function get(deps: Deps, tenant: TenantRow, orgId: string, domainId: string): Promise<PublicDomain> {
  return OrgModel.toPublicDomain(await withTenant(deps.db, tenant.id, (tx) => domainOf(tx, tenant.id, orgId, domainId)))
}

/**
 * A new name starts unverified with a new token (the old proof was for another name); `verified`
 * (backend only) sets or clears the verification. A domain verified with a new mode enrolls again.
 */
export async function update(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  domainId: string,
  body: Partial<CreateBody>,
  acting: Acting,
): Promise<PublicDomain> {
  const name = body.name === undefined ? undefined : domainName(body.name)
  return withTenant(deps.db, tenant.id, async (tx) => {
    const current = await domainOf(tx, tenant.id, orgId, domainId)
    const at = new Date(deps.clock.now())
    const renamed = name !== undefined && name !== current.name
    const wasVerified = current.verifiedAt !== null
    const verifiedNow = body.verified ?? (renamed ? false : wasVerified)
    const patch: DomainPatch = {
      name,
      enrollmentMode: body.enrollment_mode,
      ...(renamed && { verificationToken: randomToken(24), affiliationEmailAddress: null }),
      ...((renamed || verifiedNow !== wasVerified) &&
        (verifiedNow ? verification('admin', at) : verification(null, null))),
      updatedAt: at,
    }
    const row = await saveVerified(tx, tenant.id, current, patch)
    await record(deps, tx, tenant.id, acting, {
      action: 'organizationDomain.updated',
      target: { type: 'organization_domain', id: row.id },
      data: { organization_id: row.organizationId, fields: Object.keys(body).sort() },
      event: { ...OrgModel.toPublicDomain(row) },
    })
    await enrollDomain(deps, tx, tenant, row)
    return OrgModel.toPublicDomain(row)
  })
}

/** Deletes a domain and its suggestions; memberships it brought stay. */
export async function remove(deps: Deps, tenant: TenantRow, orgId: string, domainId: string, acting: Acting) {
  return withTenant(deps.db, tenant.id, async (tx) => {
    const current = await domainOf(tx, tenant.id, orgId, domainId)
    await OrgRepo.deleteDomain(tx, tenant.id, current.id)
    const gone = { object: 'organization_domain' as const, id: current.id, deleted: true as const }
    await record(deps, tx, tenant.id, acting, {
      action: 'organizationDomain.deleted',
      target: { type: 'organization_domain', id: current.id },
      data: { organization_id: current.organizationId, name: current.name },
      event: gone,
    })
    return gone
  })
}

/** Marks the domain verified by a strategy, in the caller's transaction, and enrolls its users. */
async function verifyInTx(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  domain: DomainRow,
  proof: { strategy: DomainVerificationStrategy; affiliationEmailAddress?: string },
  acting: Acting,
): Promise<PublicDomain> {
  const tenantId = tenant.id
  const row = await saveVerified(tx, tenantId, domain, {
    ...verification(proof.strategy, new Date(deps.clock.now())),
    ...(proof.affiliationEmailAddress && { affiliationEmailAddress: proof.affiliationEmailAddress }),
    updatedAt: new Date(deps.clock.now()),
  })
  await record(deps, tx, tenantId, acting, {
    action: 'organizationDomain.updated',
    target: { type: 'organization_domain', id: row.id },
    data: { organization_id: row.organizationId, verification: { strategy: proof.strategy } },
    event: { ...OrgModel.toPublicDomain(row) },
  })
  await enrollDomain(deps, tx, tenant, row)
  return OrgModel.toPublicDomain(row)
}

const alreadyVerified = () => new AppError('verification_failed', { reason: 'already_verified' })

/**
 * POST …/verify { strategy: "dns_txt" }: the TXT record `_tessera-verification.<name>` must hold
 * `tessera-verification=<token>` (422 verification_failed, `dns_record_not_found`, otherwise).
 * The lookup runs outside any transaction, and the token is checked again inside it, so a rename
 * in between cannot be verified with the old name's record.
 */
export async function verifyDns(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  domainId: string,
  acting: Acting,
): Promise<PublicDomain> {
  const domain = await withTenant(deps.db, tenant.id, (tx) => domainOf(tx, tenant.id, orgId, domainId))
  if (domain.verifiedAt) throw alreadyVerified()
  const expected = OrgModel.toPublicDomain(domain).verification.dns_record
  const found = await txtRecords({ server: deps.config.dnsResolver, timeoutMs: DNS_TIMEOUT_MS }, expected.name)
  if (!found.ok) throw new AppError('verification_failed', { reason: 'dns_lookup_failed' })
  if (!found.records.includes(expected.value))
    throw new AppError('verification_failed', { reason: 'dns_record_not_found' })
  return withTenant(deps.db, tenant.id, async (tx) => {
    const current = await domainOf(tx, tenant.id, orgId, domainId)
    if (current.verifiedAt) throw alreadyVerified()
    if (current.verificationToken !== domain.verificationToken || current.name !== domain.name)
      throw new AppError('verification_failed', { reason: 'dns_record_not_found' })
    return verifyInTx(deps, tx, tenant, current, { strategy: 'dns_txt' }, acting)
  })
}

/** Guesses at a domain's codes spend the budget of the address they were sent to (API.md §12). */
const budgetOf = (address: string) => ({ identifier: `domain:${address}` })

/** POST …/challenges { strategy: "email_code", email_address }: a code to an address at the domain (else 422). */
export async function startEmailChallenge(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  domainId: string,
  body: Static<typeof OrgModel.domainChallengeBody>,
): Promise<ChallengesService.Challenge> {
  const normalized = UsersService.normalizeEmail(body.email_address)
  return withTenant(deps.db, tenant.id, async (tx) => {
    const domain = await domainOf(tx, tenant.id, orgId, domainId)
    if (normalized?.split('@')[1] !== domain.name)
      throw new AppError('form_param_format_invalid', { param_name: 'email_address', reason: 'not_at_domain' })
    if (domain.verifiedAt) throw alreadyVerified()
    const challenge = await createChallengeInTx(deps, tx, tenant, {
      purpose: 'domain',
      ownerId: domain.id,
      strategy: 'email_code',
      destination: { channel: 'email', to: body.email_address.trim(), identificationId: null },
      budget: budgetOf(normalized),
    })
    return ChallengesService.toPublic(challenge, deps.clock.now())
  })
}

/**
 * POST …/challenges/{cid}/answer { code }: a wrong code is saved (a try spent) before its 422; a
 * right one verifies the domain in the transaction that spends the challenge, so two answers
 * cannot both win. The address the code went to becomes `affiliation_email_address`.
 */
export async function answerEmailChallenge(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  domainId: string,
  challengeId: string,
  code: string,
  acting: Acting,
): Promise<PublicDomain> {
  const { domain, challenge } = await withTenant(deps.db, tenant.id, async (tx) => {
    const domain = await domainOf(tx, tenant.id, orgId, domainId)
    const challenge = await ChallengesService.find(tx, tenant.id, challengeId)
    if (!challenge || challenge.purpose !== 'domain' || challenge.ownerId !== domain.id)
      throw new AppError('resource_not_found')
    return { domain, challenge }
  })
  answering(challenge.strategy, { code })
  if (domain.verifiedAt) throw alreadyVerified()
  const address = challenge.destination!
  const { settled } = await answerChallenge(
    deps,
    tenant,
    challenge,
    { code },
    {
      user: null,
      budget: budgetOf(UsersService.normalizeEmail(address)!),
    },
  )
  const rejection = ChallengesService.rejection(settled)
  if (rejection) {
    await withTenant(deps.db, tenant.id, (tx) => ChallengesService.save(deps, tx, challenge, settled))
    throw rejection
  }
  return withTenant(deps.db, tenant.id, async (tx) => {
    await ChallengesService.save(deps, tx, challenge, settled)
    const current = await domainOf(tx, tenant.id, orgId, domainId)
    return verifyInTx(deps, tx, tenant, current, { strategy: 'email_code', affiliationEmailAddress: address }, acting)
  })
}
