import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import * as AccountsService from '../accounts/service'
import type { AuditBy } from '../audit/service'
import type { Tx } from '../../platform/db/client'
import * as DeliveryService from '../delivery/service'
import * as RolesService from '../roles/service'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import { ensurePlatformTenant, platformTenant } from './platform-tenant'
import { OPERATOR_ROLES, type OperatorRole } from './model'
import * as Repo from './repo'

/**
 * Operators (issue #21): users of the platform tenant holding one operator role. The Platform API (and the CLI
 * over it) makes the first; super admins make the others in the console. Adding one creates the user with the
 * address verified and mails them where to sign in (an email code, a passkey or a password they set later).
 */
export interface Operator {
  object: 'operator'
  id: string
  email_address: string | null
  role: OperatorRole
  created_at: number
  updated_at: number
}

type User = Awaited<ReturnType<typeof AccountsService.get>>

const operatorRoleOf = (user: User): OperatorRole | null =>
  OPERATOR_ROLES.find((role) => user.roles.includes(role)) ?? null

function toOperator(user: User): Operator {
  const primary = user.email_addresses.find((e) => e.id === user.primary_email_address_id)
  return {
    object: 'operator',
    id: user.id,
    email_address: primary?.email_address ?? user.email_addresses[0]?.email_address ?? null,
    role: operatorRoleOf(user)!,
    created_at: user.created_at,
    updated_at: user.updated_at,
  }
}

/** Every operator (a handful: read whole). */
async function all(deps: Deps, tenant: TenantRow): Promise<User[]> {
  const users: User[] = []
  let cursor: string | undefined
  do {
    const page = await AccountsService.list(deps, tenant, { limit: '100', ...(cursor ? { cursor } : {}) })
    users.push(...page.data.filter((u) => operatorRoleOf(u) !== null))
    cursor = page.meta.next_cursor ?? undefined
  } while (cursor)
  return users
}

async function found(deps: Deps, id: string): Promise<{ tenant: TenantRow; user: User }> {
  const tenant = await platformTenant(deps)
  if (!tenant) throw new AppError('resource_not_found')
  const user = await AccountsService.get(deps, tenant, id)
  if (!operatorRoleOf(user)) throw new AppError('resource_not_found')
  return { tenant, user }
}

/**
 * Runs `change` to `leaving` under the operators' lock, first refusing to leave the installation without a live
 * (not banned) super admin other than them, who alone may add operators in the console.
 */
async function keepingASuperAdmin<T>(
  deps: Deps,
  tenant: TenantRow,
  leaving: User,
  change: (tx: Tx) => Promise<T>,
): Promise<T> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    await Repo.lockOperators(tx)
    if (operatorRoleOf(leaving) === 'super_admin') {
      const others = (await RolesService.userIdsWithTenantRole(tx, tenant.id, 'super_admin')).filter(
        (id) => id !== leaving.id,
      )
      const live = await Promise.all(others.map((id) => UsersService.loadUser(tx, tenant.id, id)))
      if (!live.some((found) => found && !found.user.banned && !found.user.deletedAt))
        throw new AppError('permission_denied', { reason: 'last_super_admin' })
    }
    return change(tx)
  })
}

export { platformTenant } from './platform-tenant'
export { OPERATOR_ROLES, type OperatorRole } from './model'

export async function create(deps: Deps, input: { email_address: string; role: OperatorRole }, by: AuditBy) {
  const email = UsersService.normalizeEmail(input.email_address)
  if (!email) throw new AppError('form_param_format_invalid', { param_name: 'email_address' })
  const tenant = await ensurePlatformTenant(deps)
  const [existing] = (await AccountsService.list(deps, tenant, { email_address: email })).data
  if (existing && operatorRoleOf(existing)) throw new AppError('duplicate_record', { param_name: 'email_address' })
  // An account of the platform tenant is given the role only if the address is verified on it: one that merely
  // lists it (added, never proven) is not the person being invited.
  if (existing && !existing.email_addresses.some((e) => e.verified && e.email_address.toLowerCase() === email))
    throw new AppError('duplicate_record', { param_name: 'email_address', reason: 'unverified_on_another_account' })
  const user = existing ?? (await AccountsService.create(deps, tenant, { email_address: [email] }, by.actor))
  const operator = toOperator(await AccountsService.setRoles(deps, tenant, user.id, [input.role], by.actor))
  await withTenant(deps.db, tenant.id, (tx) =>
    DeliveryService.requestDelivery(deps, tx, tenant.id, {
      channel: 'email',
      to: email,
      template: 'invitation',
      variables: {
        link: `${deps.config.publicUrl}/console`,
        app_name: TenantsService.displayNameOf(tenant),
        organization_name: 'the Tessera console',
        // Every invitation carries one; the platform tenant's own template (platform-tenant.ts) names no deadline.
        expires_in_minutes: 7 * 24 * 60,
      },
    }),
  )
  return operator
}

export async function list(deps: Deps) {
  const tenant = await platformTenant(deps)
  const data = tenant ? (await all(deps, tenant)).map(toOperator) : []
  return { data, meta: { next_cursor: null, total_count: data.length } }
}

export const get = async (deps: Deps, id: string) => toOperator((await found(deps, id)).user)

export async function update(deps: Deps, id: string, role: OperatorRole, by: AuditBy) {
  const { tenant, user } = await found(deps, id)
  const set = (tx: Tx) => AccountsService.setRolesInTx(deps, tx, tenant.id, id, [role], by.actor)
  // Staying a super admin needs no check; anything else is leaving the role.
  return toOperator(
    role === 'super_admin'
      ? await withTenant(deps.db, tenant.id, set)
      : await keepingASuperAdmin(deps, tenant, user, set),
  )
}

/** The operator's account goes (sessions with it): an operator is nobody's user but the console's. */
export async function remove(deps: Deps, id: string, by: AuditBy) {
  const { tenant, user } = await found(deps, id)
  await keepingASuperAdmin(deps, tenant, user, (tx) => AccountsService.removeInTx(deps, tx, tenant.id, id, by))
  return { object: 'operator' as const, id, deleted: true as const }
}
