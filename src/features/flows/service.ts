import type { Strategy } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { AppError } from '../../platform/errors'
import * as ChallengesService from '../challenges/service'
import type { TenantRow } from '../tenants/service'
import type { UserRow } from '../users/service'
import { strategiesFor, strategyOf } from './registry'
import type { AnswerBody, FactorStrategy, PlanInput, Proof } from './strategy'

/**
 * What every flow shares (sign-in, sign-up, reverification): who drives it and its limits
 * (context.ts), and the factor strategies behind one interface (strategy.ts, strategies/).
 */
export { BAPI_OWNER, identifierKey, limitAttempts, type FlowContext } from './context'
export { startSessionInTx } from './session'
export { callbackUrl, verifierContext } from './strategies/external'
export { strategiesFor, strategyOf }
export { secondFactorPlanInTx, type SecondFactorPlan } from './second-factor'
export type { AnswerBody, CheckInput, FactorStrategy, PlanInput, Proof } from './strategy'

/**
 * The strategy of a challenge, with the answer it takes present: 422 `form_param_missing` naming
 * the field otherwise; an email link is opened, never posted (`strategy_not_allowed`).
 */
export function answering(strategy: string, body: AnswerBody): FactorStrategy {
  const chosen = strategyOf(strategy as Strategy)
  if (chosen.answerField === 'token') throw new AppError('strategy_not_allowed', { reason: 'open_the_link' })
  if (body[chosen.answerField] === undefined)
    throw new AppError('form_param_missing', { param_name: chosen.answerField })
  return chosen
}

/** Only guessable (code) strategies spend a code budget. */
const budgetIf = (strategy: FactorStrategy, budget: ChallengesService.BudgetSubject | undefined) =>
  strategy.guessable ? budget : undefined

/**
 * A challenge as its strategy plans it, in the caller's transaction. `planning` says whose factor
 * it proves, at which step, and whether the account must not show; by default none is named (the
 * address to prove is the flow's own: a sign-up's, an identification's).
 */
export async function createChallengeInTx(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  spec: Omit<ChallengesService.ChallengeSpec, 'plan'>,
  planning: Partial<
    Pick<PlanInput, 'userId' | 'step' | 'hiddenIdentifier' | 'identifier' | 'returnTo' | 'idpInitiated'>
  > = {},
): Promise<ChallengesService.ChallengeRow> {
  const strategy = strategyOf(spec.strategy)
  const plan = await strategy.plan({
    deps,
    tx,
    tenant,
    userId: planning.userId ?? null,
    step: planning.step ?? 'first_factor',
    hiddenIdentifier: planning.hiddenIdentifier ?? null,
    identifier: planning.identifier ?? null,
    returnTo: planning.returnTo ?? null,
    idpInitiated: planning.idpInitiated ?? null,
  })
  return ChallengesService.createInTx(deps, tx, tenant, { ...spec, plan, budget: budgetIf(strategy, spec.budget) })
}

/**
 * Answers a challenge with its strategy's check, in memory: the settled challenge (to save with
 * the outcome) and, when right, the proof to spend in that transaction. `user`: the account the
 * answer must prove; `discover`: none is named yet and the answer may name it (usernameless).
 */
export async function answerChallenge(
  deps: Deps,
  tenant: TenantRow,
  challenge: ChallengesService.ChallengeRow,
  body: AnswerBody,
  opts: { user: UserRow | null; discover?: boolean; budget?: ChallengesService.BudgetSubject },
): Promise<{ settled: Awaited<ReturnType<typeof ChallengesService.answerStep>>; proof: Proof | null }> {
  const strategy = strategyOf(challenge.strategy as Strategy)
  let proof: Proof | null = null
  const settled = await ChallengesService.answerStep(
    deps,
    challenge,
    { code: body.code, password: body.password, token: body.token },
    async () => {
      const input = { deps, tenant, challenge, user: opts.user, answer: body, discover: opts.discover ?? false }
      proof = await strategy.check(input)
      return proof !== null
    },
    budgetIf(strategy, opts.budget),
  )
  // The machine, not the checker, decides: an answer past the challenge's expiry is not checked.
  return { settled, proof: settled.effects.some((e) => e.type === 'effect.verified') ? proof : null }
}
