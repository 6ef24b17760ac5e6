import { and, count, desc, eq, gte, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import type { DeliveryRow, DevMessageRow } from './model'
import { deliveries, deliveryProviders, devMessages } from './schema'

/**
 * Stores a dev-mailbox message unless one with the same source (outbox id) exists; returns
 * whether it stored it. At-least-once delivery may hand us a message twice.
 */
export async function insertOnce(
  db: Db,
  tenantId: string,
  row: Omit<typeof devMessages.$inferInsert, 'tenantId'>,
): Promise<boolean> {
  const inserted = await db
    .insert(devMessages)
    .values({ ...row, tenantId })
    .onConflictDoNothing({ target: devMessages.sourceId })
    .returning({ id: devMessages.id })
  return inserted.length === 1
}

/**
 * Newest first, across tenants unless `tenantId` is given. `to` is matched case-insensitively
 * (callers pass it trimmed): addresses differ in case between what users type and what we store.
 */
export async function list(
  db: Db,
  filter: { tenantId: string | null; to: string | null; limit: number },
): Promise<DevMessageRow[]> {
  const conditions: SQL[] = []
  if (filter.tenantId !== null) conditions.push(eq(devMessages.tenantId, filter.tenantId))
  if (filter.to !== null) conditions.push(sql`lower(trim(${devMessages.to})) = lower(${filter.to})`)
  return db
    .select()
    .from(devMessages)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(devMessages.createdAt), desc(devMessages.id))
    .limit(filter.limit)
}

/** The status row of a request, written with the request itself (so it is queryable at once). */
export async function insertPending(
  db: Db,
  row: Omit<typeof deliveries.$inferInsert, 'status' | 'attempts'>,
): Promise<void> {
  await db
    .insert(deliveries)
    .values({ ...row, status: 'pending', attempts: 0 })
    .onConflictDoNothing({ target: deliveries.id })
}

/**
 * Counts one more try of a pending request (creating its row on first sight) and returns the
 * row. A request already sent or failed is returned unchanged: the caller must not send again.
 */
export async function recordAttempt(
  db: Db,
  row: Omit<typeof deliveries.$inferInsert, 'status' | 'attempts'>,
): Promise<DeliveryRow> {
  const [counted] = await db
    .insert(deliveries)
    .values({ ...row, status: 'pending', attempts: 1 })
    .onConflictDoUpdate({
      target: deliveries.id,
      set: { attempts: sql`${deliveries.attempts} + 1`, updatedAt: row.updatedAt },
      setWhere: eq(deliveries.status, 'pending'),
    })
    .returning()
  return counted ?? (await find(db, row.tenantId, row.id))!
}

export async function settle(
  db: Db,
  tenantId: string,
  id: string,
  outcome: Pick<DeliveryRow, 'status' | 'lastError' | 'via' | 'updatedAt'>,
): Promise<void> {
  await db
    .update(deliveries)
    .set(outcome)
    .where(and(eq(deliveries.tenantId, tenantId), eq(deliveries.id, id)))
}

export async function find(db: Db, tenantId: string, id: string): Promise<DeliveryRow | null> {
  const [row] = await db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.tenantId, tenantId), eq(deliveries.id, id)))
    .limit(1)
  return row ?? null
}

export async function findProvider(db: Db, tenantId: string, channel: 'email' | 'sms') {
  const [row] = await db
    .select()
    .from(deliveryProviders)
    .where(and(eq(deliveryProviders.tenantId, tenantId), eq(deliveryProviders.channel, channel)))
    .limit(1)
  return row ?? null
}

export async function saveProvider(db: Db, row: typeof deliveryProviders.$inferInsert): Promise<void> {
  await db
    .insert(deliveryProviders)
    .values(row)
    .onConflictDoUpdate({
      target: [deliveryProviders.tenantId, deliveryProviders.channel],
      set: { settingsSealed: row.settingsSealed, updatedAt: row.updatedAt },
    })
}

export async function removeProvider(db: Db, tenantId: string, channel: 'email' | 'sms'): Promise<void> {
  await db
    .delete(deliveryProviders)
    .where(and(eq(deliveryProviders.tenantId, tenantId), eq(deliveryProviders.channel, channel)))
}

/** A tenant's deliveries since `since`, counted by channel and status (the console's health table). */
export async function countSince(db: Db, tenantId: string, since: Date) {
  return db
    .select({ channel: deliveries.channel, status: deliveries.status, count: count() })
    .from(deliveries)
    .where(and(eq(deliveries.tenantId, tenantId), gte(deliveries.createdAt, since)))
    .groupBy(deliveries.channel, deliveries.status)
}
