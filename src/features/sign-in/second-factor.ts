import type { Factor, Strategy } from '../../../machines/shared/types'
import { secondFactorPlanInTx } from '../flows/service'
import type { Tx } from '../../platform/db/client'
import type { TenantRow } from '../tenants/service'
import type { IdentificationRow } from '../users/service'
import { contextOf } from './model'
import type { SignInRow } from './repo'

/**
 * The sign-in's second step (API.md §4, §11). After a first factor the MFA feature decides
 * whether a second one is needed and which to offer — only then, so an attempt never shows an
 * account's factors before its first factor is proven.
 */
/**
 * The `factor.verified` fields that depend on the step: what comes after a first factor (read in the
 * caller's transaction).
 */
export async function afterFactor(
  tx: Tx,
  tenant: TenantRow,
  row: SignInRow,
  userId: string | null,
  strategy: string,
): Promise<{ needsSecondFactor: boolean; secondFactors?: Factor[]; enroll?: boolean }> {
  if (contextOf(row).firstFactorVerifiedAt !== null || !userId) return { needsSecondFactor: false }
  const plan = await secondFactorPlanInTx(tx, tenant, userId, strategy as Strategy)
  return { needsSecondFactor: plan.needed, secondFactors: plan.factors, ...(plan.enroll ? { enroll: true } : {}) }
}

/**
 * Where a second-factor code goes: the reserved phone its factor names (never the phone signed
 * in with, unless that is the reserved one); TOTP and backup codes send nothing.
 */
export function secondFactorDestination(
  identifications: IdentificationRow[],
  offered: Factor[],
  strategy: string,
): IdentificationRow | null {
  if (strategy !== 'phone_code') return null
  const factor = offered.find((f) => f.strategy === 'phone_code')
  return (
    identifications.find((i) => i.id === factor?.phone_number_id && i.verified && i.reservedForSecondFactor) ?? null
  )
}
