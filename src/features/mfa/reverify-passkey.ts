import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import * as ChallengesService from '../challenges/service'
import * as PasskeysService from '../passkeys/service'
import type { TenantRow } from '../tenants/service'

/**
 * Reverification with a passkey (API.md §12: "a second factor (or a passkey with user
 * verification)"): a challenge whose options allow the user's own credentials and require user
 * verification, answered with startAuthentication()'s JSON. Without it, a user whose only second
 * factor is a passkey could step up only by signing in again.
 */
export const passkeysEnabled = (tenant: TenantRow) =>
  tenant.settings.sign_in.first_factors.includes('passkey') || tenant.settings.mfa.second_factors.includes('passkey')

/** The challenge of `POST …/reverify/challenges { strategy: "passkey" }`, in the caller's transaction. */
export async function createChallengeInTx(deps: Deps, tx: Tx, tenant: TenantRow, userId: string, sessionId: string) {
  if (!passkeysEnabled(tenant) || !(await PasskeysService.hasPasskeys(tx, tenant.id, userId)))
    throw new AppError('strategy_not_allowed', { param_name: 'strategy', strategy: 'passkey' })
  const options = await PasskeysService.assertionOptions(deps, tx, tenant, userId, 'first_factor')
  return ChallengesService.createPasskeyInTx(deps, tx, tenant, {
    purpose: 'reverification',
    ownerId: sessionId,
    options,
  })
}

/** A checked answer: the settled challenge and, when it verified, the passkey use to record. */
export interface PasskeyProof {
  challenge: ChallengesService.ChallengeRow
  settled: Awaited<ReturnType<typeof ChallengesService.answerStep>>
  recordInTx(tx: Tx): Promise<void>
}

/**
 * Checks `credential` against this session's passkey reverification challenge: 422 when it does
 * not decode or names no such challenge (nothing spent); a wrong assertion spends the challenge.
 */
export async function check(
  deps: Deps,
  tenant: TenantRow,
  userId: string,
  sessionId: string,
  credential: unknown,
): Promise<PasskeyProof> {
  const parsed = PasskeysService.parseAssertion(credential)
  const { challenge, passkey } = await withTenant(deps.db, tenant.id, async (tx) => ({
    challenge: await ChallengesService.findByWebauthnChallenge(tx, tenant.id, parsed.challenge),
    passkey: await PasskeysService.findByCredentialId(tx, tenant.id, parsed.credentialId),
  }))
  if (
    !challenge ||
    challenge.purpose !== 'reverification' ||
    challenge.ownerId !== sessionId ||
    !challenge.publicKeyOptions
  )
    throw new AppError('verification_failed', { reason: 'unknown_challenge' })
  const options = challenge.publicKeyOptions as unknown as PasskeysService.AssertionOptions
  let use: PasskeysService.PasskeyUse | null = null
  const settled = await ChallengesService.answerStep(deps, challenge, {}, async () => {
    use =
      passkey && passkey.userId === userId
        ? await PasskeysService.verifyAssertion(deps, tenant, options, parsed, passkey, { userHandleRequired: false })
        : null
    return use !== null
  })
  return {
    challenge,
    settled,
    async recordInTx(tx) {
      if (use) await PasskeysService.recordUseInTx(deps, tx, use)
    },
  }
}
