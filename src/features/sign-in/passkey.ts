import type { Factor } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import * as ChallengesService from '../challenges/service'
import * as PasskeysService from '../passkeys/service'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import { identifierKey } from './context'
import { contextOf, statusOf } from './model'
import type { SignInRow } from './repo'

/**
 * The passkey strategy of a sign-in (API.md §4, §11): a challenge carrying WebAuthn request
 * options, answered with startAuthentication()'s JSON. With an identifier the options allow that
 * user's credentials (an unknown identifier, like a user without passkeys, gets a decoy derived
 * from the identifier, API.md §12); without one (usernameless, conditional UI) the list is empty
 * and the credential names the user.
 */
export const usernamelessFactors = (tenant: TenantRow): Factor[] =>
  tenant.settings.sign_in.first_factors.includes('passkey') ? [{ strategy: 'passkey' }] : []

/** The passkey challenge of the attempt's current step, created in the caller's transaction. */
export async function createChallengeInTx(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  row: SignInRow,
  challengeId: string,
): Promise<ChallengesService.ChallengeRow> {
  const step = statusOf(row, deps.clock.now()) === 'needs_second_factor' ? 'second_factor' : 'first_factor'
  const { identifier, userId } = contextOf(row)
  const hidden = !tenant.settings.sign_in.allow_enumeration && step === 'first_factor' && identifier !== null
  const decoy = hidden ? await PasskeysService.decoyCredential(deps, tenant, identifierKey(identifier)) : null
  const options = await PasskeysService.assertionOptions(deps, tx, tenant, userId, step, decoy)
  return ChallengesService.createPasskeyInTx(deps, tx, tenant, {
    id: challengeId,
    purpose: 'sign_in',
    ownerId: row.id,
    options,
  })
}

/** A parsed passkey answer, ready for the challenge machine's check and the attempt's transaction. */
export interface PasskeyAnswer {
  /** Whose passkey answered: the attempt's user, or (usernameless) the credential's owner; null if none. */
  userId: string | null
  /** Usernameless only: the user to bind the attempt to (factor.verified's discoveredUserId). */
  discoveredUserId?: string
  check(): Promise<boolean>
  /** Saves the credential's new counter and last use with the sign-in. */
  recordInTx(tx: Tx): Promise<void>
}

async function isLive(deps: Deps, tenantId: string, userId: string): Promise<boolean> {
  const loaded = await withTenant(deps.db, tenantId, (tx) => UsersService.loadUser(tx, tenantId, userId))
  return !!loaded && !loaded.user.banned && !loaded.user.deletedAt
}

/**
 * Decodes the credential (422 form_param_format_invalid before anything is spent) and finds its
 * passkey. A credential of another user than the attempt's, an unknown one, or one of a banned
 * or deleted user never verifies: the single try is spent like any failed assertion.
 */
export async function prepareAnswer(
  deps: Deps,
  tenant: TenantRow,
  row: SignInRow,
  challenge: ChallengesService.ChallengeRow,
  credential: unknown,
): Promise<PasskeyAnswer> {
  const parsed = PasskeysService.parseAssertion(credential)
  const context = contextOf(row)
  const usernameless = context.userId === null && statusOf(row, deps.clock.now()) === 'needs_identifier'
  const passkey = await withTenant(deps.db, tenant.id, (tx) =>
    PasskeysService.findByCredentialId(tx, tenant.id, parsed.credentialId),
  )
  const owned =
    passkey && (usernameless || passkey.userId === context.userId) && (await isLive(deps, tenant.id, passkey.userId))
      ? passkey
      : null
  const options = challenge.publicKeyOptions as PasskeysService.AssertionOptions | null
  let use: PasskeysService.PasskeyUse | null = null
  return {
    userId: usernameless ? (owned?.userId ?? null) : context.userId,
    ...(usernameless && owned ? { discoveredUserId: owned.userId } : {}),
    async check() {
      use =
        owned && options
          ? await PasskeysService.verifyAssertion(deps, tenant, options, parsed, owned, {
              userHandleRequired: usernameless,
            })
          : null
      return use !== null
    },
    async recordInTx(tx) {
      if (use) await PasskeysService.recordUseInTx(deps, tx, use)
    },
  }
}
