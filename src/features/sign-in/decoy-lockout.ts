import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { TenantRow } from '../tenants/service'
import { identifierKey, type FactorStrategy } from '../flows/service'
import * as SignInRepo from './repo'

/**
 * The password lockout of identifiers that name no account (API.md §12 Enumeration): with
 * `allow_enumeration` off, wrong passwords for an unknown identifier lock it after as many tries
 * and for as long as a user's, so a 423 after the tenth guess tells nothing about whether the
 * account exists. With enumeration allowed it is not kept: there, existence is no secret.
 */
const applies = (tenant: TenantRow, identifier: string | null, strategy: FactorStrategy): identifier is string =>
  identifier !== null && !tenant.settings.sign_in.allow_enumeration && !strategy.passesPasswordLockout

/** 423 while the unknown identifier is locked, before any hashing, for what a locked account refuses too. */
export async function refuseIfLocked(
  deps: Deps,
  tenant: TenantRow,
  identifier: string | null,
  strategy: FactorStrategy,
): Promise<void> {
  if (!applies(tenant, identifier, strategy)) return
  const until = await withTenant(deps.db, tenant.id, (tx) =>
    SignInRepo.identifierLockedUntil(tx, tenant.id, identifierKey(identifier)),
  )
  if (until && until.getTime() > deps.clock.now()) throw new AppError('user_locked', { unlock_at: until.getTime() })
}

/** Counts a wrong password for an unknown identifier; the lock's end when this one set it. */
export async function countFailureInTx(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  identifier: string | null,
  strategy: FactorStrategy,
): Promise<number | null> {
  if (!applies(tenant, identifier, strategy) || !strategy.countsTowardLockout) return null
  const { max_failed_attempts: max, duration_s: durationS } = tenant.settings.lockout
  const now = deps.clock.now()
  const until = await SignInRepo.countIdentifierFailure(
    tx,
    tenant.id,
    identifierKey(identifier),
    max,
    new Date(now + durationS * 1000),
    new Date(now),
  )
  return until?.getTime() ?? null
}

/** The sweeper: counters idle for a day whose lock has ended. */
export const sweep = (deps: Deps, before: Date) =>
  SignInRepo.sweepIdentifierLockouts(deps.db, before, new Date(deps.clock.now()))
