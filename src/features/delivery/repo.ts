import { and, desc, eq, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import type { DevMessageRow } from './model'
import { devMessages } from './schema'

/**
 * Stores a dev-mailbox message unless one with the same source (outbox id) exists; returns
 * whether it stored it. At-least-once delivery may hand us a message twice.
 */
export async function insertOnce(db: Db, tenantId: string, row: Omit<typeof devMessages.$inferInsert, 'tenantId'>): Promise<boolean> {
  const inserted = await db.insert(devMessages).values({ ...row, tenantId })
    .onConflictDoNothing({ target: devMessages.sourceId })
    .returning({ id: devMessages.id })
  return inserted.length === 1
}

/**
 * Newest first, across tenants unless `tenantId` is given. `to` is matched case-insensitively
 * (callers pass it trimmed): addresses differ in case between what users type and what we store.
 */
export async function list(db: Db, filter: { tenantId: string | null; to: string | null; limit: number }): Promise<DevMessageRow[]> {
  const conditions: SQL[] = []
  if (filter.tenantId !== null) conditions.push(eq(devMessages.tenantId, filter.tenantId))
  if (filter.to !== null) conditions.push(sql`lower(trim(${devMessages.to})) = lower(${filter.to})`)
  return db.select().from(devMessages)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(devMessages.createdAt), desc(devMessages.id))
    .limit(filter.limit)
}
