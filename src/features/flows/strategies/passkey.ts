import { withTenant } from '../../../platform/db/tx'
import * as ChallengesService from '../../challenges/service'
import * as PasskeysService from '../../passkeys/service'
import * as UsersService from '../../users/service'
import type { FactorStrategy } from '../strategy'

/**
 * A passkey (API.md §4, §11): the challenge holds WebAuthn request options, answered with
 * startAuthentication()'s JSON. Asserted with user verification it proves possession and a PIN or
 * biometric, so it serves as either factor. The options allow the account's credentials; for an
 * account that must not show they allow a decoy derived from the identifier (API.md §12), and
 * with no account named (usernameless, conditional UI) none, so that the credential names it.
 * A credential of another account, an unknown one, or one of a banned or deleted user never
 * verifies; a response that does not decode is 422 before anything is spent.
 */
export const passkey: FactorStrategy = {
  id: 'passkey',
  steps: ['first', 'second'],
  answerField: 'credential',
  channel: null,
  guessable: false,
  countsTowardLockout: false,
  passesPasswordLockout: true,
  provesBothFactors: true,
  async enrolledInTx(tx, tenant, userId) {
    return (await PasskeysService.hasPasskeys(tx, tenant.id, userId)) ? [{ strategy: 'passkey' }] : []
  },
  async plan({ deps, tx, tenant, userId, step, hiddenIdentifier }) {
    const decoy = hiddenIdentifier ? await PasskeysService.decoyCredential(deps, tenant, hiddenIdentifier) : null
    const options = await PasskeysService.assertionOptions(deps, tx, tenant, userId, step, decoy)
    return ChallengesService.webauthnPlan(tenant, options)
  },
  async check({ deps, tenant, challenge, user, answer, discover }) {
    const parsed = PasskeysService.parseAssertion(answer.credential)
    const options = challenge?.publicKeyOptions as PasskeysService.AssertionOptions | null | undefined
    const found = await withTenant(deps.db, tenant.id, async (tx) => {
      const passkey = await PasskeysService.findByCredentialId(tx, tenant.id, parsed.credentialId)
      const owner = passkey && (await UsersService.loadUser(tx, tenant.id, passkey.userId))
      return passkey && owner && !owner.user.banned && !owner.user.deletedAt ? passkey : null
    })
    if (!found || !options || (discover ? user !== null : found.userId !== user?.id)) return null
    const use = await PasskeysService.verifyAssertion(deps, tenant, options, parsed, found, {
      userHandleRequired: discover,
    })
    if (!use) return null
    return {
      userId: found.userId,
      async spendInTx(tx) {
        await PasskeysService.recordUseInTx(deps, tx, use)
        return true
      },
    }
  },
}
