import type { Strategy } from '../../../../machines/shared/types'
import * as ChallengesService from '../../challenges/service'
import type { FactorStep, FactorStrategy } from '../strategy'

/**
 * A factor proven by a secret sent to an address on the account or attempt: a 6-digit code
 * (`flows.code_tries` tries for `flows.code_lifetime_s`; its tries also spend the account's code
 * budget, API.md §12) or a one-time link (`flows.link_lifetime_s`, opened rather than answered).
 * Nothing is sent without a destination, and such a challenge never verifies, so an unknown
 * identifier walks the same path as a known one.
 */
export function sentSecret(spec: {
  id: Strategy
  steps: readonly FactorStep[]
  channel: 'email' | 'sms'
  secret: 'code' | 'link'
  template: 'verification_code' | 'magic_link' | 'password_reset'
  /** A password reset proves an address, not a password: wrong passwords do not close it. */
  passesPasswordLockout?: boolean
  /** As a second factor: the account's addresses that take it. */
  enrolledInTx?: FactorStrategy['enrolledInTx']
}): FactorStrategy {
  const isLink = spec.secret === 'link'
  return {
    id: spec.id,
    steps: spec.steps,
    answerField: isLink ? 'token' : 'code',
    channel: spec.channel,
    guessable: !isLink,
    countsTowardLockout: false,
    passesPasswordLockout: spec.passesPasswordLockout ?? false,
    provesBothFactors: false,
    ...(spec.enrolledInTx ? { enrolledInTx: spec.enrolledInTx } : {}),
    async plan({ tenant: { settings } }) {
      return {
        holds: spec.secret,
        template: spec.template,
        lifetimeS: isLink ? settings.flows.link_lifetime_s : settings.flows.code_lifetime_s,
        maxAttempts: settings.flows.code_tries,
        wrongAnswer: 'form_code_incorrect',
      }
    },
    async check({ deps, challenge, user, answer }) {
      const ok = !challenge
        ? false
        : isLink
          ? await ChallengesService.linkMatches(challenge, answer.token)
          : await ChallengesService.codeMatches(deps, challenge, answer.code)
      // The challenge itself is the proof: saving it verified spends it.
      return ok ? { userId: user?.id ?? null, spendInTx: async () => true } : null
    },
  }
}
