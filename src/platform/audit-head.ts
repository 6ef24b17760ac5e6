import { timingSafeEqual } from 'node:crypto'
import { desc, eq, isNull, sql } from 'drizzle-orm'
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
 * The head of a chain that has none yet: empty for a new chain; for rows written before the chain
 * was keyed, a head that counts them all as its plain-SHA-256 legacy prefix (from now on the
 * MACed head pins them: rewriting one changes the hash the head or the next keyed row names).
 */
export async function adoptedHead(tx: Db | Tx, tenantId: string): Promise<AuditHeadFields> {
  const [last] = await tx.select({ id: auditEvents.id, hash: auditEvents.hash }).from(auditEvents)
    .where(eq(auditEvents.tenantId, tenantId)).orderBy(desc(auditEvents.seq)).limit(1)
  const [counted] = await tx.select({ n: sql<number>`count(*)::int` }).from(auditEvents)
    .where(eq(auditEvents.tenantId, tenantId))
  const count = Number(counted?.n ?? 0)
  return { tenantId, lastId: last?.id ?? null, hash: last?.hash ?? GENESIS_HASH, count, legacyCount: count }
}

/** `intact` false: the head it follows failed its MAC; the new one is marked so, never MACed. */
export async function saveHead(key: AuditKey, tx: Db | Tx, head: AuditHeadFields, intact = true): Promise<void> {
  const { tenantId, lastId, hash, count, legacyCount } = head
  const fields: AuditHeadFields = { tenantId, lastId, hash, count, legacyCount }
  const row = { ...fields, mac: intact ? key.headMac(fields) : 'tampered' }
  await tx.insert(auditHeads).values(row).onConflictDoUpdate({
    target: auditHeads.tenantId,
    set: { lastId: row.lastId, hash: row.hash, count: row.count, legacyCount: row.legacyCount, mac: row.mac },
  })
}

/**
 * At boot, after migrations: gives every chain written before heads existed its head, so that a
 * chain without one is always a broken chain. Runs as the migrating role (no tenant scope);
 * several nodes starting together insert the same head once.
 */
export async function adoptLegacyChains(key: AuditKey, db: Db): Promise<number> {
  const rows = await db.selectDistinct({ tenant_id: auditEvents.tenantId }).from(auditEvents)
    .leftJoin(auditHeads, eq(auditHeads.tenantId, auditEvents.tenantId)).where(isNull(auditHeads.tenantId))
  for (const { tenant_id } of rows) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'audit:' + tenant_id}))`)
      if (await readHead(tx, tenant_id)) return
      const head = await adoptedHead(tx, tenant_id)
      await tx.insert(auditHeads).values({ ...head, mac: key.headMac(head) }).onConflictDoNothing()
    })
  }
  return rows.length
}
