import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import type { EnterpriseConnectionConfig, EnterpriseProfile } from '../enterprise-connections/service'
import * as ExternalAccountsService from '../external-accounts/service'
import type { ExternalIdentity } from '../external-accounts/service'
import * as OrganizationsService from '../organizations/service'
import * as RolesService from '../roles/service'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import { Refused } from './refused'

/**
 * Who an enterprise IdP's answer signs in (API.md §16). The connection is trusted for its domains:
 * an address there counts as verified, so it links the user who holds it, or is given to the user
 * provisioned just in time (`jit_provisioning`; off → `sso_user_not_provisioned`). An address at
 * another domain is taken as unverified and links nobody. Every sign-in re-evaluates the membership
 * of the connection's organization: the highest role mapped from the IdP's groups, else the
 * connection's default, else the tenant's; the level rule does not apply, the last owner stays.
 */
const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1)

function identityOf(conn: EnterpriseConnectionConfig, profile: EnterpriseProfile): ExternalIdentity {
  const email = profile.emailAddress === null ? null : UsersService.normalizeEmail(profile.emailAddress)
  return {
    provider: conn.protocol,
    strategy: 'enterprise_sso',
    connectionId: conn.id,
    providerUserId: profile.providerUserId,
    emailAddress: email === null ? null : profile.emailAddress,
    emailVerified: email !== null && conn.domains.includes(domainOf(email)),
    firstName: profile.firstName,
    lastName: profile.lastName,
    username: null,
    imageUrl: null,
  }
}

async function roleOf(
  deps: Deps,
  tx: Parameters<typeof RolesService.orgRoles>[1],
  tenant: TenantRow,
  conn: EnterpriseConnectionConfig,
  groups: string[],
) {
  const roles = await RolesService.orgRoles(deps, tx, tenant.id)
  const held = new Set(groups.map((g) => g.toLowerCase()))
  let best: string | null = null
  for (const { group, role } of conn.roleMapping) {
    if (!held.has(group.toLowerCase())) continue
    if (best === null || (roles.get(role)?.level ?? -1) > (roles.get(best)?.level ?? -1)) best = role
  }
  return best ?? conn.defaultRole ?? tenant.settings.organizations.default_role
}

/**
 * `expected`: the account the attempt was identified as, if any. The IdP must name that very account,
 * and a mismatch is refused before anything is provisioned or any role changes.
 */
export async function enterpriseAccount(
  deps: Deps,
  tenant: TenantRow,
  conn: EnterpriseConnectionConfig,
  profile: EnterpriseProfile,
  expected: string | null,
): Promise<{ identity: ExternalIdentity; userId: string }> {
  const identity = identityOf(conn, profile)
  const userId = await withTenant(deps.db, tenant.id, async (tx) => {
    let userId = await ExternalAccountsService.linkedUserInTx(tx, tenant.id, identity)
    if (userId === null && identity.emailVerified)
      userId = (await UsersService.findSignInCandidate(tx, tenant.id, identity.emailAddress!))?.user.id ?? null
    if (expected !== null && userId !== expected) throw new Refused('oauth_callback_invalid', 'other_user')
    if (userId === null) {
      if (!conn.jitProvisioning) throw new Refused('sso_user_not_provisioned', 'not_provisioned')
      const created = await UsersService.createUser(deps, tx, tenant.id, {
        emailAddresses:
          identity.emailAddress === null ? [] : [{ value: identity.emailAddress, verified: identity.emailVerified }],
        phoneNumbers: [],
        firstName: identity.firstName,
        lastName: identity.lastName,
      })
      userId = created.id
    }
    const user = await UsersService.loadUser(tx, tenant.id, userId)
    if (!user || user.user.banned || user.user.deletedAt) throw new Refused('oauth_access_denied', 'user_refused')
    const org = await OrganizationsService.lockedOrg(tx, tenant.id, conn.organizationId)
    await OrganizationsService.applyProvisioned(
      deps,
      tx,
      tenant.id,
      org,
      userId,
      { role: await roleOf(deps, tx, tenant, conn, profile.groups) },
      { by: { actor: { type: 'system', id: null } }, audience: 'backend' },
      tenant.settings.organizations.default_role,
    )
    return userId
  })
  return { identity, userId }
}
