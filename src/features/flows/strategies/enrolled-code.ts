import * as MfaService from '../../mfa/service'
import type { FactorStrategy } from '../strategy'

/**
 * A second factor proven by a code checked against what the account enrolled (a TOTP step, an
 * unused backup code): the challenge sends and stores nothing, and the proof is spent with the
 * outcome, so a code verified twice concurrently completes one sign-in only.
 */
export function enrolledCode(id: MfaService.SecondFactor): FactorStrategy {
  return {
    id,
    steps: ['second'],
    answerField: 'code',
    channel: null,
    guessable: true,
    countsTowardLockout: false,
    passesPasswordLockout: false,
    provesBothFactors: false,
    async enrolledInTx(tx, tenant, userId) {
      const summary = await MfaService.summaryOf(tx, tenant.id, userId)
      return (id === 'totp' ? summary.totp : summary.backupCodes > 0) ? [{ strategy: id }] : []
    },
    async plan({ tenant: { settings } }) {
      const { code_lifetime_s: lifetimeS, code_tries: maxAttempts } = settings.flows
      return { holds: 'nothing', lifetimeS, maxAttempts, wrongAnswer: 'form_code_incorrect' }
    },
    async check({ deps, tenant, user, answer }) {
      if (!user || answer.code === undefined) return null
      const proof = await MfaService.checkCode(deps, tenant.id, user.id, id, answer.code)
      return proof && { userId: user.id, spendInTx: (tx) => MfaService.consumeInTx(deps, tx, tenant.id, proof) }
    },
  }
}
