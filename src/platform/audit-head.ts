import { timingSafeEqual } from 'node:crypto'
import { desc, eq, sql } from 'drizzle-orm'
import type { AuditHeadFields, AuditKey } from './audit-key'
import type { Db, Tx } from './db/client'
import { auditEvents, auditHeads } from './db/schema'

/**
 * The checkpointed head of a tenant's audit chain: the last row's id and hash and the number of
 * rows, MACed. Verification ends where the head says the chain ends, so deleting the newest rows
 * is caught, and appends continue from the head, never from whatever row happens to be last.
 */
export const GENESIS_HASH = '0'.repeat(64)

export type AuditHead = AuditHeadFields & { mac: string }

export async function readHead(db: Db | Tx, tenantId: string): Promise<AuditHead | null> {
  const [row] = await db.select().from(auditHeads).where(eq(auditHeads.tenantId, tenantId)).limit(1)
  return row ?? null
}

export function headIntact(key: AuditKey, head: AuditHead): boolean {
  const expected = Buffer.from(key.headMac(head))
  const given = Buffer.from(head.mac)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * Where a chain without a head ends: nowhere for a new chain. Rows without a head mean a deleted
 * head (every append writes one, and the migration that keyed the chain removed older rows); the
 * chain goes on from its last row so appends still work, and stays unverifiable.
 */
export async function headFromRows(tx: Db | Tx, tenantId: string): Promise<AuditHeadFields> {
  const [last] = await tx
    .select({ id: auditEvents.id, hash: auditEvents.hash })
    .from(auditEvents)
    .where(eq(auditEvents.tenantId, tenantId))
    .orderBy(desc(auditEvents.seq))
    .limit(1)
  const [counted] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(eq(auditEvents.tenantId, tenantId))
  return { tenantId, lastId: last?.id ?? null, hash: last?.hash ?? GENESIS_HASH, count: Number(counted?.n ?? 0) }
}

/** `intact` false: the head it follows failed its MAC; the new one is marked so, never MACed. */
export async function saveHead(key: AuditKey, tx: Db | Tx, head: AuditHeadFields, intact = true): Promise<void> {
  const { tenantId, lastId, hash, count } = head
  const fields: AuditHeadFields = { tenantId, lastId, hash, count }
  const row = { ...fields, mac: intact ? key.headMac(fields) : 'tampered' }
  await tx
    .insert(auditHeads)
    .values(row)
    .onConflictDoUpdate({
      target: auditHeads.tenantId,
      set: { lastId: row.lastId, hash: row.hash, count: row.count, mac: row.mac },
    })
}
