import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { canSignIn, changeSelf, requireStepUp } from '../me/service'
import * as PasskeysService from '../passkeys/service'
import type { SessionAuth } from '../sessions/session-guard'
import * as Model from './model'
import type { PublicExternalAccount } from './model'
import * as ExternalAccountsRepo from './repo'

/** `/me/external-accounts` (API.md §16): the signed-in user's accounts at other providers. */
export async function list(deps: Deps, me: SessionAuth): Promise<PublicExternalAccount[]> {
  const rows = await withTenant(deps.db, me.tenant.id, (tx) =>
    ExternalAccountsRepo.listForUsers(tx, me.tenant.id, [me.userId]),
  )
  return rows.map(Model.toPublic)
}

/**
 * DELETE /me/external-accounts/{id}: another user's is 404; removing a way in needs a recent factor
 * (API.md §12); the last way to sign in stays (422 `last_sign_in_method`). The user row lock of
 * changeSelf makes the count exact against concurrent removals.
 */
export async function remove(deps: Deps, me: SessionAuth, id: string): Promise<void> {
  await changeSelf(deps, me, 'external_account.deleted', async (tx, { user, identifications }) => {
    const accounts = await ExternalAccountsRepo.listForUsers(tx, me.tenant.id, [me.userId])
    const account = accounts.find((a) => a.id === id)
    if (!account) throw new AppError('resource_not_found')
    await requireStepUp(deps, me, { tx })
    const otherWayIn =
      accounts.length > 1 ||
      canSignIn(user, identifications) ||
      (await PasskeysService.hasPasskeys(tx, me.tenant.id, me.userId))
    if (!otherWayIn)
      throw new AppError('form_param_format_invalid', { param_name: 'id', reason: 'last_sign_in_method' })
    await ExternalAccountsRepo.remove(tx, me.tenant.id, me.userId, id)
    return {
      result: null,
      target: { type: 'external_account', id },
      data: { strategy: account.strategy, provider: account.provider },
    }
  })
}
