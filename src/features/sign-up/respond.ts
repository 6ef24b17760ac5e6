import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import * as ChallengesService from '../challenges/service'
import { sessionResponse } from '../sessions/service'
import type { FapiContext } from '../sessions/fapi-guard'
import type { FlowContext } from '../flows/service'
import type { Completion } from './complete'
import type { SignUpResponse } from './model'
import { present } from './attempt'

/** The attempt plus, once complete, its session and (for the owner, once) its tokens. */
export async function respond(
  deps: Deps,
  ctx: FlowContext,
  completion: Completion,
  fapi: FapiContext | null,
): Promise<SignUpResponse> {
  const body = await withExternal(deps, ctx, present(deps, completion.row))
  if (!body.created_session_id || body.status !== 'complete') return body
  return { ...body, ...(await sessionResponse(deps, ctx.tenant, body.created_session_id, completion.issued, fapi)) }
}

/** A sign-up started with a provider shows that provider's challenge, as a sign-in does (API.md §16). */
async function withExternal(deps: Deps, ctx: FlowContext, body: SignUpResponse): Promise<SignUpResponse> {
  if (body.status !== 'missing_requirements') return body
  const challenge = await withTenant(deps.db, ctx.tenant.id, (tx) =>
    ChallengesService.latestExternalFor(tx, ctx.tenant.id, body.id),
  )
  return challenge ? { ...body, current_challenge: ChallengesService.toPublic(challenge, deps.clock.now()) } : body
}
