import { sql } from 'drizzle-orm'
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Db, Tx } from './client'

/** The role that tenant-scoped transactions run as; row-level security applies to it. */
export const APP_ROLE = 'tessera_app'

let active = 0
/** Transactions open in this process, for /metrics. */
export const activeTransactions = () => active

/**
 * Marks code running inside a transaction. Opening a second, independent transaction from there
 * is a bug: on PostgreSQL it needs a second connection and sees uncommitted state differently,
 * and on embedded PGlite (one connection) it waits forever for the first. Refuse it loudly.
 * The store also holds what is to run once the transaction has committed (afterCommit).
 */
interface Scope {
  committed: (() => void)[]
}
const inside = new AsyncLocalStorage<Scope>()

export async function withTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (inside.getStore()) throw new Error('withTx called inside a transaction: pass the open transaction down instead')
  const scope: Scope = { committed: [] }
  active++
  let result: T
  try {
    result = await inside.run(scope, () => db.transaction(fn))
  } finally {
    active--
  }
  for (const run of scope.committed) run()
  return result
}

/**
 * Runs `fn` once the enclosing transaction has committed, never if it rolls back (at once when
 * called outside a transaction). The same function registered twice runs once. `fn` must not
 * throw: the commit has happened, and its caller gets its answer regardless.
 */
export function afterCommit(fn: () => void): void {
  const scope = inside.getStore()
  if (!scope) return fn()
  if (!scope.committed.includes(fn)) scope.committed.push(fn)
}

/**
 * A transaction scoped to one tenant: `app.tenant_id` is set and the role switched to
 * APP_ROLE, so row-level security hides other tenants' rows even from a query that
 * forgets its tenant filter (the filters stay: RLS is the second wall, not the first).
 * One round trip: both settings are transaction-local (`set_config(..., true)`).
 */
export function withTenant<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTx(db, async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('role', ${APP_ROLE}, true)`)
    return fn(tx)
  })
}
