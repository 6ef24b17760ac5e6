import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import * as SignUpRepo from './repo'

/**
 * Sign-up attempts (API.md §4), for the Frontend API (owned by a client) and the Backend API
 * (owned by the secret key): one persisted signUpMachine per attempt, one event per request,
 * each use case in its own module. Routes and other features call this facade only.
 */
export type { SignUpRow } from './repo'
export type { Completion } from './complete'
export { inProgress, load, present } from './attempt'
export { create, createFromExternal, proveExternal, startChallenge, update } from './collect'
export { answer, verifyLink } from './answer'
export { respond } from './respond'

/** Attempts a day past their expiry (the sweeper). */
export const sweep = (deps: Deps, before: Date) => SignUpRepo.deleteExpiredBefore(deps.db, before)

/** Where a sign-up sends the browser when a provider's callback answered it (its checked redirect_url). */
export async function redirectUrlOf(deps: Deps, tenantId: string, attemptId: string): Promise<string | null> {
  const row = await withTenant(deps.db, tenantId, (tx) => SignUpRepo.find(tx, tenantId, attemptId))
  return row?.redirectUrl ?? null
}
