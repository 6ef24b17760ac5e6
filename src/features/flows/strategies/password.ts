import { hashPassword, needsRehash, verifyDummy, verifyPassword } from '../../../platform/crypto/password'
import * as UsersService from '../../users/service'
import type { FactorStrategy } from '../strategy'

/**
 * The account's password. The check costs the same whether or not the account exists or has a
 * password (a dummy hash is verified), and one longer than the policy allows is wrong without
 * being hashed (API.md §12). Wrong passwords count toward the account's lockout, so the
 * challenge allows as many tries as the lockout does. A right one stored under weaker argon2
 * parameters than the tenant's, or imported from another system (issue #16), is rehashed with
 * the outcome.
 */
export const password: FactorStrategy = {
  id: 'password',
  steps: ['first'],
  answerField: 'password',
  channel: null,
  guessable: false,
  countsTowardLockout: true,
  passesPasswordLockout: false,
  provesBothFactors: false,
  async plan({ tenant }) {
    return {
      holds: 'nothing',
      lifetimeS: tenant.settings.flows.code_lifetime_s,
      maxAttempts: tenant.settings.lockout.max_failed_attempts || tenant.settings.flows.code_tries,
      wrongAnswer: 'form_password_incorrect',
    }
  },
  async check({ deps, tenant, user, answer }) {
    const given = answer.password ?? ''
    const { max_length: maxLength, argon2 } = tenant.settings.password
    if (given.length > maxLength) return null
    if (!user?.passwordHash) {
      await verifyDummy(deps.hashing, given, argon2)
      return null
    }
    const verified = user.passwordHash
    const matches = await verifyPassword(deps.hashing, given, verified)
    // An imported hash (bcrypt, PBKDF2…) may cost far less than the tenant's argon2id: the dummy's
    // cost is added, so a fast answer does not tell that the account exists and awaits its rehash.
    if (!verified.startsWith('$argon2id$')) await verifyDummy(deps.hashing, given, argon2)
    if (!matches) return null
    const rehash = needsRehash(verified, argon2) ? await hashPassword(deps.hashing, given, argon2) : null
    return {
      userId: user.id,
      async spendInTx(tx) {
        if (rehash) await UsersService.rehashPasswordInTx(tx, tenant.id, user.id, { from: verified, to: rehash })
        return true
      },
    }
  },
}
