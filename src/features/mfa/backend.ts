import type { Deps } from '../../deps'
import type { AuditEntry } from '../../platform/audit'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { TenantRow } from '../tenants/service'
import * as AccountsService from '../accounts/service'
import type { PublicUser } from '../users/model'
import * as UsersService from '../users/service'
import * as MfaService from './service'

/** Who acts through the Backend API: the secret key, or a service key (API.md §11). */
type Actor = AuditEntry['actor']

/** The tenant's backend acting on a user's second factors (API.md §7), with its secret key. */

/**
 * POST /v1/users/{id}/verify-totp { code }: a TOTP code (or a backup code, like Clerk's) of the
 * user. It is spent when it verifies (a TOTP step is not accepted again, a backup code is used
 * up), so a backend step-up check cannot be replayed. Like verify-password, a wrong code does
 * not count toward lockout: the backend decides what to do with the answer.
 */
export async function verifyTotp(
  deps: Deps,
  tenant: TenantRow,
  userId: string,
  code: string,
): Promise<{ verified: true; code_type: MfaService.SecondFactor }> {
  const loaded = await withTenant(deps.db, tenant.id, (tx) => UsersService.loadUser(tx, tenant.id, userId))
  if (!loaded) throw new AppError('resource_not_found')
  const proof = await MfaService.checkAnyCode(deps, tenant.id, userId, code)
  const spent =
    proof && (await withTenant(deps.db, tenant.id, (tx) => MfaService.consumeInTx(deps, tx, tenant.id, proof)))
  if (!proof || !spent) throw new AppError('form_code_incorrect', { param_name: 'code' })
  return { verified: true, code_type: proof.strategy }
}

/**
 * DELETE /v1/users/{id}/mfa: removes the TOTP secret, the backup codes and the second-factor
 * reservation of the user's phones (the numbers stay, as identifiers). Passkeys stay: they are
 * also a first factor and are managed on their own. Returns the user.
 */
export async function removeAll(deps: Deps, tenant: TenantRow, userId: string, actor: Actor): Promise<PublicUser> {
  const change = await withTenant(deps.db, tenant.id, async (tx) => {
    const current = await UsersService.lockUser(tx, tenant.id, userId)
    if (!current) throw new AppError('resource_not_found')
    const factors = await MfaService.removeFactorsInTx(tx, tenant.id, userId, { totp: true, backupCodes: true })
    const phones = current.identifications.filter((i) => i.reservedForSecondFactor)
    for (const phone of phones) await UsersService.reserveForSecondFactor(deps, tx, tenant.id, userId, phone.id, false)
    const removed = {
      totp: factors.totp !== null,
      backup_codes: factors.backupCodes,
      second_factor_phones: phones.map((p) => p.id),
    }
    return MfaService.announceInTx(deps, tx, tenant.id, userId, {
      action: 'mfa.removed',
      actor,
      target: { type: 'user', id: userId },
      data: removed,
    })
  })
  deps.changes.announce(change)
  return AccountsService.get(deps, tenant, userId)
}
