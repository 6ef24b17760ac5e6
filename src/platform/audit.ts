import { desc, eq, sql } from 'drizzle-orm'
import type { Tx } from './db/client'
import { auditEvents } from './db/schema'
import { newId } from './ids'
import { sha256Hex } from './crypto/tokens'

/**
 * Appends to the tenant's hash-chained audit trail (API.md §11 audit event). Entries are
 * serialised per tenant by a transaction-scoped advisory lock so the chain never forks.
 * There is no update or delete path, and the application role has no grant for one.
 */
export interface AuditEntry {
  action: string
  actor: { type: 'user' | 'secret_key' | 'api_key' | 'platform' | 'scim' | 'system'; id: string | null }
  target?: { type: string; id: string } | null
  ip?: string | null
  userAgent?: string | null
  data?: Record<string, unknown>
}

export const GENESIS_HASH = '0'.repeat(64)

/**
 * `data` as jsonb gives it back: JSON values only (a Date becomes its ISO string) with object
 * keys sorted. jsonb reorders keys, so hashing the caller's key order could never be re-verified.
 */
function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalised)
  if (value === null || typeof value !== 'object') return value
  const object = value as Record<string, unknown>
  return Object.fromEntries(Object.keys(object).sort().map((k) => [k, normalised(object[k])]))
}

/** The canonical form hashed into the chain: fixed key order, ms timestamps. */
export function canonical(row: { id: string; tenantId: string; action: string; actorType: string; actorId: string | null; targetType: string | null; targetId: string | null; ip: string | null; userAgent: string | null; data: Record<string, unknown>; createdAt: Date }): string {
  const data = normalised(JSON.parse(JSON.stringify(row.data)))
  return JSON.stringify([row.id, row.tenantId, row.action, row.actorType, row.actorId, row.targetType, row.targetId, row.ip, row.userAgent, data, row.createdAt.getTime()])
}

/**
 * The chain's head per open transaction and tenant: once a transaction holds the tenant's lock,
 * its later entries follow its own last one, without locking and reading the head again.
 */
const heads = new WeakMap<Tx, Map<string, string>>()

async function chainHead(tx: Tx, tenantId: string): Promise<string> {
  const known = heads.get(tx)?.get(tenantId)
  if (known) return known
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'audit:' + tenantId}))`)
  const [last] = await tx.select({ hash: auditEvents.hash }).from(auditEvents)
    .where(eq(auditEvents.tenantId, tenantId)).orderBy(desc(auditEvents.seq)).limit(1)
  return last?.hash ?? GENESIS_HASH
}

export async function appendAudit(tx: Tx, tenantId: string, entry: AuditEntry, now: number): Promise<void> {
  const prevHash = await chainHead(tx, tenantId)
  const row = {
    id: newId('aud', now), tenantId, action: entry.action,
    actorType: entry.actor.type, actorId: entry.actor.id,
    targetType: entry.target?.type ?? null, targetId: entry.target?.id ?? null,
    ip: entry.ip ?? null, userAgent: entry.userAgent ?? null, data: entry.data ?? {}, createdAt: new Date(now),
  }
  const hash = await sha256Hex(prevHash + canonical(row))
  await tx.insert(auditEvents).values({ ...row, prevHash, hash })
  let perTenant = heads.get(tx)
  if (!perTenant) heads.set(tx, (perTenant = new Map()))
  perTenant.set(tenantId, hash)
}
