import type { Deps } from '../../deps'
import { randomToken } from '../../platform/crypto/tokens'
import { withTenant } from '../../platform/db/tx'
import type * as ChallengesService from '../challenges/service'
import type { FlowContext } from '../flows/service'
import { admit, insertStartedInTx, newAttempt, NO_EXTERNAL_OFFER } from './attempt'

/**
 * An IdP-initiated SAML sign-in (API.md §16, `allow_idp_initiated`): no attempt asked for the
 * response, so one is made on the browser's client with an enterprise SSO challenge on the
 * response's connection. The caller answers it at once with the returned state; from there it is a
 * sign-in like any other (the machine asks for a second factor when the account has one).
 */
export async function startIdpInitiated(
  deps: Deps,
  ctx: FlowContext,
  input: { connectionId: string; redirectUrl: string | null },
): Promise<{ challenge: ChallengesService.ChallengeRow; state: string }> {
  const redirectUrl = await admit(deps, ctx, {
    strategy: 'enterprise_sso',
    redirect_url: input.redirectUrl ?? undefined,
  })
  const state = randomToken(32)
  const { challenge } = await withTenant(deps.db, ctx.tenant.id, (tx) =>
    insertStartedInTx(
      deps,
      tx,
      ctx,
      newAttempt(deps, ctx, undefined, redirectUrl, null, NO_EXTERNAL_OFFER),
      'enterprise_sso',
      {
        idpInitiated: { connectionId: input.connectionId, state },
      },
    ),
  )
  return { challenge, state }
}
