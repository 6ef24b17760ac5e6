import type { Deps } from '../../deps'
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
  const body = present(deps, completion.row)
  if (!body.created_session_id || body.status !== 'complete') return body
  return { ...body, ...(await sessionResponse(deps, ctx.tenant, body.created_session_id, completion.issued, fapi)) }
}
