import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import { organizationChanged } from './claims'
import { addInTx, removeAllOfUser as leaveAll } from './memberships'
import * as OrgModel from './model'
import type { Audience, PublicOrganization } from './model'
import { record, type Acting } from './record'
import * as OrgRepo from './repo'
import type { OrganizationRow } from './repo'

export {
  acceptInTx as acceptInvitationInTx,
  findByTicket as findInvitationByTicket,
  invite as inviteMembers,
  list as listInvitations,
} from './invitations'
export { enrollVerifiedEmails, verifiedDomainsInTx } from './enrollment'
export {
  MEMBERSHIP_TOPIC,
  MembershipCache,
  memberClaims,
  ORGANIZATION_TOPIC,
  organizationChanged,
  tokenClaimsOf,
  type MemberClaims,
} from './claims'
export { BACKEND, type Acting } from './record'
export {
  list as listMemberships,
  lockedOrg,
  remove as removeMembership,
  update as updateMembership,
} from './memberships'
export {
  create as createDomain,
  list as listDomains,
  remove as removeDomain,
  verifyDns as verifyDomainByDns,
} from './domains'
export { PUBLIC_EMAIL_DOMAINS } from './public-email-domains'
export type { OrganizationRow } from './repo'

/** The organization by id or slug, unlocked, or null (readers of other features). */
export const findInTx = (tx: Tx, tenantId: string, idOrSlug: string) => OrgRepo.findOrganization(tx, tenantId, idOrSlug)
export {
  applyProvisioned,
  isMemberInTx,
  memberIdsInTx,
  organizationIdsOfUser,
  removeProvisioned,
  verifiedDomainsOf,
  type ProvisionedState,
} from './provisioned'

const SLUG_RE = new RegExp(OrgModel.SLUG_PATTERN)

/** A slug from a name: lower-case ASCII letters and digits, runs of anything else as one dash. */
export function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    // Accents come apart under NFKD: dropping the marks keeps `ü` as `u`.
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 64)
    .replace(/^-+|-+$/g, '')
  return SLUG_RE.test(base) ? base : 'org'
}

/**
 * The slug to store: the given one (taken → 409 duplicate_record), else one derived from the name,
 * suffixed at random when another organization has it already.
 */
async function slugFor(tx: Tx, tenantId: string, given: string | undefined, name: string): Promise<string> {
  if (given !== undefined) {
    if (await OrgRepo.slugTaken(tx, tenantId, given)) throw duplicateSlug()
    return given
  }
  const derived = slugify(name)
  if (!(await OrgRepo.slugTaken(tx, tenantId, derived))) return derived
  const suffix = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => (b % 36).toString(36)).join('')
  return `${derived.slice(0, 57).replace(/-+$/, '')}-${suffix}`
}

const duplicateSlug = () => new AppError('duplicate_record', { param_name: 'slug' })

/** The unique index is the backstop for two concurrent claims of one slug. */
async function slugGuard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (isUniqueViolation(err, 'organizations_tenant_id_slug_uq')) throw duplicateSlug()
    throw err
  }
}

async function present(tx: Tx, tenantId: string, rows: OrganizationRow[], audience: Audience) {
  const counts = await OrgRepo.memberCounts(
    tx,
    tenantId,
    rows.map((r) => r.id),
  )
  return rows.map((r) => OrgModel.toPublicOrganization(r, counts.get(r.id) ?? 0, audience))
}

const presentOne = async (tx: Tx, tenantId: string, row: OrganizationRow, audience: Audience) =>
  (await present(tx, tenantId, [row], audience))[0]!

async function findOrg(tx: Tx, tenantId: string, idOrSlug: string, forUpdate = false): Promise<OrganizationRow> {
  const row = await OrgRepo.findOrganization(tx, tenantId, idOrSlug, { forUpdate })
  if (!row) throw new AppError('resource_not_found')
  return row
}

/**
 * Creates an organization; `created_by` joins it as the tenant's `organizations.creator_role`
 * in the same transaction (unknown user → 404).
 */
export async function create(
  deps: Deps,
  tenant: TenantRow,
  body: Static<typeof OrgModel.createBody>,
  acting: Acting,
): Promise<PublicOrganization> {
  const metadata = UsersService.metadataPatch(body)
  const settings = tenant.settings.organizations
  return withTenant(deps.db, tenant.id, async (tx) => {
    if (body.created_by !== undefined && !(await UsersService.loadUser(tx, tenant.id, body.created_by)))
      throw new AppError('resource_not_found')
    const at = new Date(deps.clock.now())
    const row = await slugGuard(async () =>
      OrgRepo.insertOrganization(tx, {
        id: newId('org', at.getTime()),
        tenantId: tenant.id,
        name: body.name,
        slug: await slugFor(tx, tenant.id, body.slug, body.name),
        imageUrl: body.image_url ?? null,
        maxMemberships: body.max_memberships ?? settings.default_max_memberships,
        publicMetadata: metadata.publicMetadata ?? {},
        privateMetadata: metadata.privateMetadata ?? {},
        createdBy: body.created_by ?? null,
        createdAt: at,
        updatedAt: at,
      }),
    )
    if (body.created_by !== undefined)
      // The creator's role is the tenant's choice: no level check applies to it.
      await addInTx(
        deps,
        tx,
        tenant.id,
        row,
        { userId: body.created_by, role: settings.creator_role },
        {
          ...acting,
          actorRole: null,
        },
      )
    await record(deps, tx, tenant.id, acting, {
      action: 'organization.created',
      target: { type: 'organization', id: row.id },
      event: { ...(await presentOne(tx, tenant.id, row, 'backend')) },
    })
    return presentOne(tx, tenant.id, row, acting.audience)
  })
}

/** A signed-in user creates an organization and joins it as creator_role, unless the tenant forbids it. */
export async function createAsUser(
  deps: Deps,
  tenant: TenantRow,
  userId: string,
  body: Static<typeof OrgModel.frontendCreateBody>,
  acting: Acting,
): Promise<PublicOrganization> {
  if (!tenant.settings.organizations.allow_user_creation)
    throw new AppError('permission_denied', { reason: 'organization_creation_disabled' })
  return create(deps, tenant, { ...body, created_by: userId }, acting)
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  query: Static<typeof OrgModel.listOrganizationsQuery>,
): Promise<Page<PublicOrganization>> {
  const filter = { query: query.query?.trim() || undefined, userId: query.user_id }
  const scope = `organizations:${tenant.id}:${filter.query ?? ''}:${filter.userId ?? ''}`
  const limit = pageSize(query.limit)
  const after = await deps.cursors.decode(scope, query.cursor)
  const found = await withTenant(deps.db, tenant.id, async (tx) => {
    const rows = await OrgRepo.listOrganizations(tx, tenant.id, filter, limit + 1, after)
    const presented = await present(tx, tenant.id, rows, 'backend')
    return rows.map((r, i) => ({ id: r.id, createdAt: r.createdAt, organization: presented[i]! }))
  })
  return deps.cursors.page(scope, found, limit, (r) => r.organization)
}

/** By id or slug. */
export async function get(deps: Deps, tenant: TenantRow, idOrSlug: string, audience: Audience) {
  return withTenant(deps.db, tenant.id, async (tx) =>
    presentOne(tx, tenant.id, await findOrg(tx, tenant.id, idOrSlug), audience),
  )
}

/** Each metadata object given replaces the stored one; a slug another organization has → 409. */
export async function update(
  deps: Deps,
  tenant: TenantRow,
  idOrSlug: string,
  body: Static<typeof OrgModel.updateBody>,
  acting: Acting,
): Promise<PublicOrganization> {
  const metadata = UsersService.metadataPatch(body)
  return withTenant(deps.db, tenant.id, async (tx) => {
    const current = await findOrg(tx, tenant.id, idOrSlug, true)
    if (body.slug !== undefined && body.slug !== current.slug && (await OrgRepo.slugTaken(tx, tenant.id, body.slug)))
      throw duplicateSlug()
    const row = await slugGuard(() =>
      OrgRepo.updateOrganization(tx, tenant.id, current.id, {
        name: body.name,
        slug: body.slug,
        imageUrl: body.image_url,
        maxMemberships: body.max_memberships,
        ...metadata,
        updatedAt: new Date(deps.clock.now()),
      }),
    )
    const after = await presentOne(tx, tenant.id, row, 'backend')
    // Its slug, name and metadata are in members' claims.
    await organizationChanged(deps, tx, tenant.id, row.id)
    await record(deps, tx, tenant.id, acting, {
      action: 'organization.updated',
      target: { type: 'organization', id: row.id },
      data: { fields: Object.keys(body).sort() },
      event: { ...after },
    })
    return presentOne(tx, tenant.id, row, acting.audience)
  })
}

/**
 * Deletes an organization and, with it, its memberships, invitations, domains, suggestions and
 * membership requests; sessions that had it active lose it (the foreign key clears it), so their
 * next token and introspection carry no organization.
 */
export async function remove(
  deps: Deps,
  tenant: TenantRow,
  idOrSlug: string,
  acting: Acting,
): Promise<{ object: 'organization'; id: string; deleted: true }> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    const current = await findOrg(tx, tenant.id, idOrSlug, true)
    await OrgRepo.deleteOrganization(tx, tenant.id, current.id)
    await organizationChanged(deps, tx, tenant.id, current.id)
    const gone = { object: 'organization' as const, id: current.id, deleted: true as const }
    await record(deps, tx, tenant.id, acting, {
      action: 'organization.deleted',
      target: { type: 'organization', id: current.id },
      data: { name: current.name, slug: current.slug },
      event: gone,
    })
    return gone
  })
}

/**
 * A deleted user leaves every organization (even as the last owner: erasure is not blocked) and
 * loses their suggestions and membership requests.
 */
export async function removeAllOfUser(deps: Deps, tx: Tx, tenantId: string, userId: string, acting: Acting) {
  await leaveAll(deps, tx, tenantId, userId, acting)
  await OrgRepo.deleteEnrollmentsOfUser(tx, tenantId, userId)
}
