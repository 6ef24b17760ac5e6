import { signInMachine } from '../../../machines/sign-in.machine'
import type { Strategy } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import { advance } from '../../platform/flow-runner'
import type * as ChallengesService from '../challenges/service'
import { limitAttempts, type FlowContext } from '../flows/service'
import {
  candidateFor,
  challengeInTx,
  identifyEvent,
  loadOpen,
  planChallenge,
  refuseUnstarted,
  externalOffer,
} from './attempt'
import * as SignInRepo from './repo'
import type { SignInRow } from './repo'

/** PATCH sign-ins/{id}: (re)identify. */
export async function identify(deps: Deps, ctx: FlowContext, id: string, identifier: string): Promise<SignInRow> {
  const row = await loadOpen(deps, ctx, id)
  await limitAttempts(deps, ctx, identifier)
  const candidate = await candidateFor(deps, ctx.tenant.id, identifier)
  const event = identifyEvent(deps, ctx, identifier, candidate, await externalOffer(deps, ctx.tenant, identifier))
  const { saved } = await advance(deps.db, {
    table: SignInRepo,
    machine: signInMachine,
    row,
    event,
    at: new Date(deps.clock.now()),
    // Past the first factor the machine keeps the identity it has; a silent no-op would mislead.
    async commit(_tx, settled) {
      if (settled.snapshot.context.identifier !== event.identifier)
        throw new AppError('strategy_not_allowed', { reason: 'not_identifying' })
    },
  })
  return saved
}

/**
 * POST sign-ins/{id}/challenges: starts a challenge for the current step, saved with the attempt
 * in one transaction. With no strategy the first offered factor is used. A code or link goes to
 * the account's own address.
 */
export async function startChallenge(
  deps: Deps,
  ctx: FlowContext,
  id: string,
  strategy: Strategy | undefined,
): Promise<ChallengesService.ChallengeRow> {
  const row = await loadOpen(deps, ctx, id)
  const step = await planChallenge(deps, ctx, row, strategy)
  const { result } = await advance(deps.db, {
    table: SignInRepo,
    machine: signInMachine,
    row,
    event: step.event,
    at: new Date(deps.clock.now()),
    async commit(tx, settled) {
      refuseUnstarted(settled, step)
      return challengeInTx(deps, tx, ctx, row, step)
    },
  })
  return result!
}
