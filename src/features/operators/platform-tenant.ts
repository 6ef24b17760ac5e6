import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import { BY_PLATFORM } from '../audit/service'
import * as RolesService from '../roles/service'
import * as TemplatesService from '../templates/service'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import { OPERATOR_ROLES, type OperatorRole } from './model'

/**
 * The platform tenant (issue #21): its users are the installation's operators, who sign in to the console at
 * `{PUBLIC_URL}/console` through its hosted pages like anyone else. It is made with the first operator, with
 * sign-up off (operators are added, never sign up) and the tenant roles that say what an operator may do.
 */

const ROLE_NAMES: Record<OperatorRole, string> = {
  super_admin: 'Super admin (everything, operators too)',
  admin: 'Admin (every tenant)',
  viewer: 'Viewer (read only)',
}

/** No passwords for operators by default: a code to their address, then a passkey (PATCH the tenant to change). */
const SETTINGS: TenantsService.TenantSettingsPatch = {
  sign_up: { enabled: false },
  sign_in: { first_factors: ['email_code', 'passkey'] },
}

/**
 * The platform tenant's invitation mail (set once, at its making; operators may edit it like any template): an
 * operator is invited to the console, whose link never expires, so it promises no deadline.
 */
const OPERATOR_INVITATION = {
  subject: 'You are now an operator of {{app_name}}',
  text:
    'You have been made an operator of this Tessera installation.\n\n' +
    'Sign in at {{link}} with the code we send to this address when you ask for one.\n\n' +
    'If you were not expecting this, tell the person who runs it.',
  html:
    '<p>You have been made an operator of this Tessera installation.</p>' +
    '<p>Sign in at <a href="{{link}}">{{link}}</a> with the code we send to this address when you ask for one.</p>' +
    '<p>If you were not expecting this, tell the person who runs it.</p>',
}

/** The platform tenant, or null before the first operator. */
export async function platformTenant(deps: Deps): Promise<TenantRow | null> {
  const row = await TenantsService.findPlatform(deps.db)
  // Its settings change through the cached directory like every tenant's: read it there.
  return row && (await deps.tenants.bySlugOrNull(row.slug))
}

/** The platform tenant, made (once, whatever runs at the same time) with its operator roles. */
export async function ensurePlatformTenant(deps: Deps): Promise<TenantRow> {
  let row = await platformTenant(deps)
  if (!row) {
    let made = false
    try {
      await TenantsService.create(deps, { name: 'Tessera operators', settings: SETTINGS, kind: 'platform' })
      made = true
    } catch (err) {
      // Another request made it first: the one platform tenant is a unique index.
      if (!(await platformTenant(deps))) throw err
    }
    row = await platformTenant(deps)
    if (!row) throw new AppError('internal_error')
    if (made) await TemplatesService.put(deps, row, 'email', 'invitation', OPERATOR_INVITATION, BY_PLATFORM.actor)
  }
  await ensureRoles(deps, row)
  return row
}

async function ensureRoles(deps: Deps, tenant: TenantRow): Promise<void> {
  const existing = await RolesService.listRoles(deps, tenant, { scope: 'tenant', limit: '100' })
  for (const key of OPERATOR_ROLES) {
    if (existing.data.some((r) => r.key === key)) continue
    try {
      await RolesService.createRole(deps, tenant, { key, name: ROLE_NAMES[key], scope: 'tenant' }, BY_PLATFORM.actor)
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'duplicate_record')) throw err
    }
  }
}
