import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { afterCommit, withTenant } from '../../platform/db/tx'
import * as BillingService from '../billing/service'
import * as RolesService from '../roles/service'
import * as OrgRepo from './repo'

/**
 * What a member's token says about their organization: the session token's `org_*` claims and
 * introspection (API.md §13a), the `{{org.*}}` shortcodes of JWT templates (§14).
 */
export interface MemberClaims {
  id: string
  slug: string
  name: string
  role: string
  /** The role's permission keys, sorted. */
  permissions: string[]
  public_metadata: Record<string, unknown>
  /** The organization's plan while its subscription entitles it (API.md §18), else null. */
  plan: { key: string; status: string } | null
}

/** The organization claims of a token (API.md §5, §13a, §18): `org_*`, and `plan`, `plan_status` while entitled. */
export const tokenClaimsOf = (org: MemberClaims) => ({
  org_id: org.id,
  org_slug: org.slug,
  org_role: org.role,
  org_permissions: org.permissions,
  ...(org.plan ? { plan: org.plan.key, plan_status: org.plan.status } : {}),
})

/** Change-feed topics that drop cached claims: one membership (subject memberKey), one organization (its id). */
export const MEMBERSHIP_TOPIC = 'organization_membership'
export const ORGANIZATION_TOPIC = 'organization'

const memberKey = (organizationId: string, userId: string) => `${organizationId}:${userId}`

const MAX_ENTRIES = 200_000

/**
 * Per-node claims of active members, so that refreshing a session token and introspecting one
 * read no membership in the common case. Only members are cached: a non-member's lookup reads
 * the database every time, so a new membership needs no invalidation. The change feed drops
 * entries on every node within a second: a membership's role change or removal, an organization's
 * update or deletion, and any change to the tenant's roles or permissions.
 */
export class MembershipCache {
  private entries = new Map<string, MemberClaims>()
  /** Bumped by every invalidation: a load that began before one must not store what it read. */
  epoch = 0

  get(tenantId: string, organizationId: string, userId: string): MemberClaims | undefined {
    return this.entries.get(`${tenantId}:${memberKey(organizationId, userId)}`)
  }

  set(tenantId: string, organizationId: string, userId: string, claims: MemberClaims, loadedAtEpoch: number): void {
    if (loadedAtEpoch !== this.epoch) return
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear()
    this.entries.set(`${tenantId}:${memberKey(organizationId, userId)}`, claims)
  }

  /** `key`: a memberKey. */
  dropMember(tenantId: string, key: string): void {
    this.epoch++
    this.entries.delete(`${tenantId}:${key}`)
  }

  dropOrganization(tenantId: string, organizationId: string): void {
    this.dropPrefix(`${tenantId}:${organizationId}:`)
  }

  /** A role or permission changed: any member's claims may have. */
  dropTenant(tenantId: string): void {
    this.dropPrefix(`${tenantId}:`)
  }

  private dropPrefix(prefix: string): void {
    this.epoch++
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key)
  }
}

/**
 * The claims of the user in the organization while an active member, else null: from the node's
 * cache, or read (inside `tx` when given, for a token minted in an open transaction).
 */
export async function memberClaims(
  deps: Deps,
  tenantId: string,
  organizationId: string,
  userId: string,
  tx?: Tx,
): Promise<MemberClaims | null> {
  const cached = deps.memberships.get(tenantId, organizationId, userId)
  if (cached) return cached
  const epoch = deps.memberships.epoch
  const load = async (db: Tx): Promise<MemberClaims | null> => {
    const found = await OrgRepo.findActiveMembership(db, tenantId, organizationId, userId)
    const role = found && (await RolesService.orgRole(db, tenantId, found.roleId))
    if (!found || !role) return null
    const { organization } = found
    return {
      id: organization.id,
      slug: organization.slug,
      name: organization.name,
      role: role.key,
      permissions: role.permissions,
      public_metadata: organization.publicMetadata,
      plan: await BillingService.planClaimInTx(db, tenantId, organizationId),
    }
  }
  const claims = await (tx ? load(tx) : withTenant(deps.db, tenantId, load))
  if (claims) deps.memberships.set(tenantId, organizationId, userId, claims, epoch)
  return claims
}

/** In the transaction of the change; every node (this one first) drops the claims once it commits. */
async function announce(deps: Deps, tx: Tx, tenantId: string, topic: string, subject: string): Promise<void> {
  const change = await deps.changes.record(tx, tenantId, topic, subject)
  afterCommit(() => deps.changes.announce(change))
}

export const membershipChanged = (deps: Deps, tx: Tx, tenantId: string, organizationId: string, userId: string) =>
  announce(deps, tx, tenantId, MEMBERSHIP_TOPIC, memberKey(organizationId, userId))

export const organizationChanged = (deps: Deps, tx: Tx, tenantId: string, organizationId: string) =>
  announce(deps, tx, tenantId, ORGANIZATION_TOPIC, organizationId)
