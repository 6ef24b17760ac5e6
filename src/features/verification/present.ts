import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { ChallengeRow } from '../challenges/service'
import { toEmailAddress, type EmailAddress } from '../me/model'
import type { FapiContext } from '../sessions/fapi-guard'
import * as SignInService from '../sign-in/service'
import type { FlowContext } from '../flows/service'
import * as SignUpService from '../sign-up/service'
import * as UsersService from '../users/service'

/**
 * What a native app's confirmed link answers (API.md §4): the object the link belongs to, as its
 * own endpoint shows it — a completed attempt with its session and, once, its tokens.
 */
export async function presentConfirmed(deps: Deps, fapi: FapiContext, challenge: ChallengeRow) {
  const ctx: FlowContext = { tenant: fapi.tenant, owner: fapi.client.id, clientId: fapi.client.id, caller: fapi.caller }
  if (challenge.purpose === 'sign_in')
    return SignInService.respond(
      deps,
      ctx,
      { row: await SignInService.load(deps, ctx, challenge.ownerId), issued: null },
      fapi,
    )
  if (challenge.purpose === 'sign_up')
    return SignUpService.respond(
      deps,
      ctx,
      { row: await SignUpService.load(deps, ctx, challenge.ownerId), issued: null },
      fapi,
    )
  return identificationOf(deps, fapi, challenge.ownerId)
}

async function identificationOf(deps: Deps, fapi: FapiContext, id: string): Promise<EmailAddress> {
  const row = await withTenant(deps.db, fapi.tenant.id, (tx) => UsersService.findIdentification(tx, fapi.tenant.id, id))
  if (!row) throw new AppError('resource_not_found')
  return toEmailAddress(row)
}
