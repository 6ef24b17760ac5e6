import type { Factor, Strategy } from '../../../machines/shared/types'
import type { Tx } from '../../platform/db/client'
import type { TenantRow } from '../tenants/service'
import { strategyOf } from './registry'

export interface SecondFactorPlan {
  /** A second factor must be proven before the sign-in completes. */
  needed: boolean
  /** Nothing is enrolled but the policy requires a second factor: enrol one inside the attempt. */
  enroll: boolean
  /** The factors to offer (to prove, or with `enroll`, to enrol). */
  factors: Factor[]
}

const NONE: SecondFactorPlan = { needed: false, enroll: false, factors: [] }

/**
 * After a first factor (API.md §4, §11): a second one is needed when the user has enrolled at
 * least one second factor the tenant allows (each strategy says what it has), or the policy is
 * `required` (then, with none enrolled, TOTP is enrolled inside the attempt). A first factor that
 * proves both (a passkey) never asks for another. Policy `off` turns second factors off.
 */
export async function secondFactorPlanInTx(
  tx: Tx,
  tenant: TenantRow,
  userId: string,
  firstFactor: Strategy,
): Promise<SecondFactorPlan> {
  const { policy, second_factors: allowed } = tenant.settings.mfa
  if (policy === 'off' || strategyOf(firstFactor).provesBothFactors) return NONE
  const factors: Factor[] = []
  // One after the other: a transaction is one connection.
  for (const id of allowed) factors.push(...((await strategyOf(id).enrolledInTx?.(tx, tenant, userId)) ?? []))
  if (factors.length) return { needed: true, enroll: false, factors }
  // TOTP is what an attempt can enrol (API.md §11), whatever the list of offered factors says.
  return policy === 'required' ? { needed: true, enroll: true, factors: [{ strategy: 'totp' }] } : NONE
}
