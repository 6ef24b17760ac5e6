import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { contextOf } from './model'
import * as SignInRepo from './repo'

/**
 * Sign-in attempts (API.md §4), for the Frontend API (owned by a client) and the Backend API
 * (owned by the secret key): one persisted signInMachine per attempt, one event per request,
 * each use case in its own module. Routes and other features call this facade only.
 */
export type { SignInRow } from './repo'
export { getChallenge, inProgress, latest, load, present, ssoDomainInTx, ssoUserInTx } from './attempt'
export { identify, startChallenge } from './start'
export { answer, createAndStart, verifyLink, verifyOpened } from './answer'
export type { Completion } from './outcome'
export { startIdpInitiated } from './idp-initiated'
export { resetPassword } from './reset-password'
export { beginTotp, verifyTotp } from './enrollment'
export { respond } from './respond'
export { sweep as sweepIdentifierLockouts } from './decoy-lockout'

/** Attempts a day past their expiry (the sweeper). */
export const sweep = (deps: Deps, before: Date) => SignInRepo.deleteExpiredBefore(deps.db, before)

/** Where the attempt a challenge belongs to sends the browser when done (its checked redirect_url). */
export async function redirectUrlOf(deps: Deps, tenantId: string, attemptId: string): Promise<string | null> {
  const row = await withTenant(deps.db, tenantId, (tx) => SignInRepo.find(tx, tenantId, attemptId))
  return row?.redirectUrl ?? null
}

/** The account an attempt was identified as (null: none yet, or an identifier unknown here). */
export async function identifiedUserOf(deps: Deps, tenantId: string, attemptId: string): Promise<string | null> {
  const row = await withTenant(deps.db, tenantId, (tx) => SignInRepo.find(tx, tenantId, attemptId))
  return row ? contextOf(row).userId : null
}
