import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import * as ChallengesService from '../challenges/service'
import * as PasskeysService from '../passkeys/service'
import { answerChallenge, createChallengeInTx } from '../flows/service'
import type { UserRow } from '../users/service'
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
export async function challengeInTx(deps: Deps, tx: Tx, tenant: TenantRow, userId: string, sessionId: string) {
  if (!passkeysEnabled(tenant) || !(await PasskeysService.hasPasskeys(tx, tenant.id, userId)))
    throw new AppError('strategy_not_allowed', { param_name: 'strategy', strategy: 'passkey' })
  return createChallengeInTx(
    deps,
    tx,
    tenant,
    { purpose: 'reverification', ownerId: sessionId, strategy: 'passkey' },
    { userId, step: 'first_factor' },
  )
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
  user: UserRow,
  sessionId: string,
  credential: unknown,
): Promise<PasskeyProof> {
  const parsed = PasskeysService.parseAssertion(credential)
  const challenge = await withTenant(deps.db, tenant.id, (tx) =>
    ChallengesService.findByWebauthnChallenge(tx, tenant.id, parsed.challenge),
  )
  if (
    !challenge ||
    challenge.purpose !== 'reverification' ||
    challenge.ownerId !== sessionId ||
    !challenge.publicKeyOptions
  )
    throw new AppError('verification_failed', { reason: 'unknown_challenge' })
  const { settled, proof } = await answerChallenge(deps, tenant, challenge, { credential }, { user })
  return {
    challenge,
    settled,
    async recordInTx(tx) {
      if (proof && !(await proof.spendInTx(tx))) throw new AppError('conflict')
    },
  }
}
