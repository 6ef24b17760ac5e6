import { sql } from 'drizzle-orm'
import { headFromRows, headIntact, readHead, saveHead } from './audit-head'
import type { AuditHeadFields, AuditKey } from './audit-key'
import type { Tx } from './db/client'
import { auditEvents } from './db/schema'
import { newId } from './ids'

export { GENESIS_HASH } from './audit-head'

/**
 * Appends to the tenant's hash-chained audit trail (API.md §11 audit event). Entries are
 * serialised per tenant by a transaction-scoped advisory lock so the chain never forks.
 * There is no update or delete path, and the application role has no grant for one; the
 * chain is keyed and its head checkpointed (audit-head.ts) against a writer who has one.
 */
export interface AuditEntry {
  action: string
  actor: { type: 'user' | 'secret_key' | 'api_key' | 'platform' | 'scim' | 'system'; id: string | null }
  target?: { type: string; id: string } | null
  ip?: string | null
  userAgent?: string | null
  data?: Record<string, unknown>
}

/**
 * `data` as jsonb gives it back: JSON values only (a Date becomes its ISO string) with object
 * keys sorted. jsonb reorders keys, so hashing the caller's key order could never be re-verified.
 */
function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalised)
  if (value === null || typeof value !== 'object') return value
  const object = value as Record<string, unknown>
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((k) => [k, normalised(object[k])]),
  )
}

/** The canonical form hashed into the chain: fixed key order, ms timestamps. */
export function canonical(row: {
  id: string
  tenantId: string
  action: string
  actorType: string
  actorId: string | null
  targetType: string | null
  targetId: string | null
  ip: string | null
  userAgent: string | null
  data: Record<string, unknown>
  createdAt: Date
}): string {
  const data = normalised(JSON.parse(JSON.stringify(row.data)))
  return JSON.stringify([
    row.id,
    row.tenantId,
    row.action,
    row.actorType,
    row.actorId,
    row.targetType,
    row.targetId,
    row.ip,
    row.userAgent,
    data,
    row.createdAt.getTime(),
  ])
}

/**
 * The chain's head per open transaction and tenant: once a transaction holds the tenant's lock,
 * its later entries follow its own last one, without locking and reading the head again.
 */
type Head = AuditHeadFields & { intact: boolean }
const heads = new WeakMap<Tx, Map<string, Head>>()

/**
 * Lets a savepoint append after the head its transaction holds (bulk creation: one savepoint
 * per row), instead of locking and reading the head again for every row. A savepoint that rolls
 * back must `forgetHead`, since the head it moved is rolled back with it.
 */
export function shareHead(outer: Tx, savepoint: Tx): void {
  let perTenant = heads.get(outer)
  if (!perTenant) heads.set(outer, (perTenant = new Map()))
  heads.set(savepoint, perTenant)
}

export const forgetHead = (tx: Tx, tenantId: string): void => void heads.get(tx)?.delete(tenantId)

async function chainHead(key: AuditKey, tx: Tx, tenantId: string): Promise<Head> {
  const known = heads.get(tx)?.get(tenantId)
  if (known) return known
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'audit:' + tenantId}))`)
  const stored = await readHead(tx, tenantId)
  if (!stored) {
    // Rows without a head mean a deleted one: taking them as the chain would bless a rewrite.
    const fromRows = await headFromRows(tx, tenantId)
    return { ...fromRows, intact: fromRows.count === 0 }
  }
  const { mac: _, ...fields } = stored
  return { ...fields, intact: headIntact(key, stored) }
}

/**
 * Appends one entry, keyed (HMAC under the installation's audit key), and moves the chain's
 * checkpointed head in the same transaction.
 */
export async function appendAudit(
  key: AuditKey,
  tx: Tx,
  tenantId: string,
  entry: AuditEntry,
  now: number,
): Promise<void> {
  const head = await chainHead(key, tx, tenantId)
  const row = {
    id: newId('aud', now),
    tenantId,
    action: entry.action,
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    ip: entry.ip ?? null,
    userAgent: entry.userAgent ?? null,
    data: entry.data ?? {},
    createdAt: new Date(now),
  }
  const hash = key.rowHash(head.hash, canonical(row))
  await tx.insert(auditEvents).values({ ...row, prevHash: head.hash, hash })
  const next: Head = { ...head, lastId: row.id, hash, count: head.count + 1 }
  // A forged head stays unverifiable (re-MACing it would launder the forgery), and appends go on:
  // the audit trail must not take sign-ins down with it.
  await saveHead(key, tx, next, next.intact)
  let perTenant = heads.get(tx)
  if (!perTenant) heads.set(tx, (perTenant = new Map()))
  perTenant.set(tenantId, next)
}
