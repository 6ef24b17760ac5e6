import type { Deps } from '../../deps'
import { sessionResponse } from '../sessions/service'
import type { FapiContext } from '../sessions/fapi-guard'
import type { Completion } from './outcome'
import type { FlowContext } from '../flows/service'
import { contextOf, statusOf, type SignInResponse } from './model'
import { present } from './attempt'

/** The attempt plus, once complete, its session and tokens (see sessionResponse). */
export async function respond(
  deps: Deps,
  ctx: FlowContext,
  completion: Completion,
  fapi: FapiContext | null,
): Promise<SignInResponse> {
  const body: SignInResponse = await present(deps, completion.row)
  const sessionId = contextOf(completion.row).createdSessionId
  if (!sessionId || statusOf(completion.row, deps.clock.now()) !== 'complete') return body
  return { ...body, ...(await sessionResponse(deps, ctx.tenant, sessionId, completion.issued, fapi)) }
}
