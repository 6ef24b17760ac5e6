import { sql } from 'drizzle-orm'
import type { Tx } from '../../platform/db/client'

/**
 * Serialises changes to operators' roles on every node (a transaction-scoped advisory lock): the last-super-admin
 * rule is checked and the change made under it, so two concurrent demotions cannot both see the other one left.
 */
export async function lockOperators(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('tessera:operators'))`)
}
