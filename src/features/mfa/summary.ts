import type { Tx } from '../../platform/db/client'
import type { MfaSummary } from '../users/model'
import * as MfaRepo from './repo'

/**
 * The second factors behind the user object's flags (totp_enabled, backup_code_enabled,
 * backup_codes_remaining), read in the caller's transaction; the accounts feature's read model
 * takes them through service.ts.
 */
export async function summaries(tx: Tx, tenantId: string, userIds: string[]): Promise<Map<string, MfaSummary>> {
  // One after the other: a transaction is one connection.
  const withTotp = new Set(await MfaRepo.verifiedTotpUsers(tx, tenantId, userIds))
  const counts = await MfaRepo.unusedBackupCodeCounts(tx, tenantId, userIds)
  return new Map(userIds.map((id) => [id, { totp: withTotp.has(id), backupCodes: counts.get(id) ?? 0 }]))
}

export async function summaryOf(tx: Tx, tenantId: string, userId: string): Promise<MfaSummary> {
  return (await summaries(tx, tenantId, [userId])).get(userId)!
}
