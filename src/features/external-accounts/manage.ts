import type { ExternalStrategy } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { append, eventMessage } from '../../platform/outbox'
import * as ChallengesService from '../challenges/service'
import { createChallengeInTx } from '../flows/service'
import { changeSelf, keepsWayInTx, requireStepUp } from '../me/service'
import * as SessionsService from '../sessions/service'
import type { SessionAuth } from '../sessions/session-guard'
import * as SignInService from '../sign-in/service'
import * as TenantsService from '../tenants/service'
import * as UsersService from '../users/service'
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
  await changeSelf(deps, me, 'external_account.deleted', async (tx, current) => {
    const accounts = await ExternalAccountsRepo.listForUsers(tx, me.tenant.id, [me.userId])
    const account = accounts.find((a) => a.id === id)
    if (!account) throw new AppError('resource_not_found')
    await requireStepUp(deps, me, { tx })
    if (!(await keepsWayInTx(tx, me.tenant, current, { externalAccountId: id })))
      throw new AppError('form_param_format_invalid', { param_name: 'id', reason: 'last_sign_in_method' })
    await ExternalAccountsRepo.remove(tx, me.tenant.id, me.userId, id)
    const event = { object: 'external_account', id, deleted: true, user_id: me.userId }
    await append(tx, me.tenant.id, [eventMessage('externalAccount.deleted', event)], deps.clock.now())
    return {
      result: null,
      target: { type: 'external_account', id },
      data: { strategy: account.strategy, provider: account.provider },
    }
  })
}

/**
 * POST /me/external-accounts { strategy, redirect_url }: links an account at a social provider to
 * the signed-in user — a new way in, so it needs a recent factor (API.md §12). The challenge holds
 * the provider's URL like a sign-in's, bound to the session's client; the callback links the account
 * (`external_account_exists` when another user holds it) and returns the browser to `redirect_url`.
 */
export async function startLink(
  deps: Deps,
  me: SessionAuth,
  body: { strategy: string; redirect_url?: string },
): Promise<ChallengesService.Challenge> {
  if (!/^oauth_[a-z0-9_]{1,48}$/.test(body.strategy))
    throw new AppError('strategy_not_allowed', { param_name: 'strategy' })
  const returnTo = TenantsService.checkRedirectUrl(deps, me.tenant, body.redirect_url)
  const session = await SessionsService.get(deps, me.tenant, me.sessionId)
  const challenge = await withTenant(deps.db, me.tenant.id, async (tx) => {
    await requireStepUp(deps, me, { tx })
    // A user of an enterprise connection's domain signs in at its IdP only: no personal way around it.
    const own = await UsersService.loadUser(tx, me.tenant.id, me.userId)
    if (await SignInService.ssoUserInTx(deps, tx, me.tenant, own?.identifications ?? []))
      throw new AppError('strategy_not_allowed', { param_name: 'strategy', reason: 'sso_domain' })
    return createChallengeInTx(
      deps,
      tx,
      me.tenant,
      {
        purpose: 'identification',
        ownerId: me.userId,
        strategy: body.strategy as ExternalStrategy,
        requestedBy: ChallengesService.requestedByOf(session.client_id, me.caller, { sessionId: me.sessionId }),
      },
      { userId: me.userId, returnTo },
    )
  })
  return ChallengesService.toPublic(challenge, deps.clock.now())
}
