import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import * as ChallengesService from '../challenges/service'
import type { FlowContext } from '../flows/service'
import type { FapiContext } from '../sessions/fapi-guard'
import * as SignInService from '../sign-in/service'
import * as SignUpService from '../sign-up/service'
import type { TenantRow } from '../tenants/service'
import { audit, conclude } from './callback'
import { CONTEXT, type HandOff } from './native'

/** `POST /client/sign-ins/{id}/external { token }`: the app's half of a native external sign-in (native.ts). */
async function opened(deps: Deps, token: string): Promise<HandOff> {
  const dot = token.indexOf('.')
  const id = token.slice(0, dot)
  try {
    const sealed = JSON.parse(await deps.box.open(token.slice(dot + 1), `${CONTEXT}:${id}`)) as HandOff
    if (sealed.challenge_id === id && deps.clock.now() <= sealed.expires_at) return sealed
  } catch {}
  throw new AppError('verification_failed', { reason: 'external_token_invalid' })
}

/** The attempt (or the sign-up it became) completed for the client that started it, with its tokens. */
export async function completeForClient(deps: Deps, fapi: FapiContext, attemptId: string, token: string) {
  try {
    return await complete(deps, fapi, attemptId, token)
  } catch (err) {
    // Every refusal is audited, like the callback's (API.md §16).
    const reason = err instanceof AppError ? String(err.meta.reason ?? err.code) : 'internal_error'
    await audit(deps, fapi.tenant, 'sso.failed', { strategy: 'handed_off', reason, sign_in_id: attemptId })
    throw err
  }
}

async function complete(deps: Deps, fapi: FapiContext, attemptId: string, token: string) {
  const tenant: TenantRow = fapi.tenant
  const handed = await opened(deps, token)
  const challenge = await withTenant(deps.db, tenant.id, (tx) =>
    ChallengesService.find(tx, tenant.id, handed.challenge_id),
  )
  if (!challenge || challenge.ownerId !== attemptId || challenge.requestedBy?.clientId !== fapi.client.id)
    throw new AppError('resource_not_found')
  if (ChallengesService.statusOf(challenge, deps.clock.now()) !== 'pending')
    throw new AppError('verification_failed', { reason: 'already_used' })
  const outcome = await conclude(deps, tenant, challenge, handed.answered, {
    state: handed.state,
    asker: fapi.client.id,
    caller: fapi.caller,
    redirect: null,
  })
  const flow: FlowContext = { tenant, owner: fapi.client.id, clientId: fapi.client.id, caller: fapi.caller }
  if (outcome.signUpId) {
    const row = await SignUpService.load(deps, flow, outcome.signUpId)
    return SignUpService.respond(deps, flow, { row, issued: null }, fapi)
  }
  return SignInService.respond(deps, flow, { row: await SignInService.load(deps, flow, attemptId), issued: null }, fapi)
}
