import { and, asc, desc, eq, gt, gte, lt, or } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { auditEvents } from '../../platform/db/schema'

/** Reads only: the audit trail has no update or delete path (DESIGN.md §3). */
export type AuditRow = typeof auditEvents.$inferSelect

export interface AuditFilter {
  action?: string
  actorId?: string
  targetId?: string
  since?: Date
  until?: Date
}

/** One chain's events, newest first; `beforeSeq` is the last row of the previous page. */
export function list(
  db: Db,
  chain: string,
  filter: AuditFilter,
  limit: number,
  beforeSeq: number | null,
): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.tenantId, chain),
        filter.action !== undefined ? eq(auditEvents.action, filter.action) : undefined,
        filter.actorId !== undefined ? eq(auditEvents.actorId, filter.actorId) : undefined,
        filter.targetId !== undefined ? eq(auditEvents.targetId, filter.targetId) : undefined,
        filter.since ? gte(auditEvents.createdAt, filter.since) : undefined,
        filter.until ? lt(auditEvents.createdAt, filter.until) : undefined,
        beforeSeq !== null ? lt(auditEvents.seq, beforeSeq) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.seq))
    .limit(limit)
}

/** Every event of a chain whose actor or target is `id`, in append order. */
export function listConcerning(db: Db, chain: string, id: string): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, chain), or(eq(auditEvents.actorId, id), eq(auditEvents.targetId, id))))
    .orderBy(asc(auditEvents.seq))
}

/** The next `size` rows of a chain in append order, after `afterSeq` (0 = from the start). */
export function batch(db: Db, chain: string, afterSeq: number, size: number): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, chain), gt(auditEvents.seq, afterSeq)))
    .orderBy(asc(auditEvents.seq))
    .limit(size)
}

/**
 * Whether a chain has entries: a tenant's creation is the first entry of its chain, written with
 * it, and entries outlive the tenant — so this is whether the tenant ever existed, read from
 * audit's own table (tenants sits above audit).
 */
export async function chainExists(db: Db, chain: string): Promise<boolean> {
  const found = await db
    .select({ seq: auditEvents.seq })
    .from(auditEvents)
    .where(eq(auditEvents.tenantId, chain))
    .limit(1)
  return found.length > 0
}
