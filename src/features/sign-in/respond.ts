import type { Deps } from '../../deps'
import type { FapiContext } from '../sessions/fapi-guard'
import { sessionCookies } from '../sessions/session-cookies'
import * as SessionsService from '../sessions/service'
import { claim, type Completion } from './answer'
import type { FlowContext } from './context'
import { contextOf, statusOf, type SignInResponse } from './model'
import { present } from './service'

/**
 * The attempt plus, once complete, its session (API.md §5): tokens in the body for native
 * clients and the backend API, in cookies for browsers. The owner's first read after a
 * completion elsewhere (email link) claims the tokens.
 */
export async function respond(deps: Deps, ctx: FlowContext, completion: Completion, fapi: FapiContext | null): Promise<SignInResponse> {
  const body: SignInResponse = await present(deps, completion.row)
  const sessionId = contextOf(completion.row).createdSessionId
  if (!sessionId || statusOf(completion.row, deps.clock.now()) !== 'complete') return body
  const issued = completion.issued ?? (await claim(deps, ctx, completion.row))
  if (!issued) return { ...body, session: await SessionsService.get(deps, ctx.tenant, sessionId) }
  if (fapi && !fapi.native) {
    fapi.cookies.push(...sessionCookies(deps, ctx.tenant, issued))
    return { ...body, session: issued.session }
  }
  return { ...body, ...issued }
}
