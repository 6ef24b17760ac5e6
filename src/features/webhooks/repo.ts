import { and, asc, count, desc, eq, gte, inArray, isNull, lte, or, sql, type AnyColumn } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import type { CursorPosition } from '../../platform/http/pagination'
import { webhookAttempts, webhookEndpoints, webhookMessages } from './schema'

export type EndpointRow = typeof webhookEndpoints.$inferSelect
export type MessageRow = typeof webhookMessages.$inferSelect
export type AttemptRow = typeof webhookAttempts.$inferSelect
export type MessageStatus = MessageRow['status']
export type EndpointPatch = Partial<
  Pick<
    EndpointRow,
    | 'url'
    | 'description'
    | 'filterTypes'
    | 'disabled'
    | 'secretSealed'
    | 'previousSecretSealed'
    | 'previousSecretExpiresAt'
    | 'consecutiveFailures'
    | 'deletedAt'
  >
> & { updatedAt: Date }
export type MessagePatch = Partial<Pick<MessageRow, 'status' | 'attemptsCount' | 'nextAttemptAt'>> & { updatedAt: Date }

const ofEndpoint = (tenantId: string, id: string) =>
  and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id), isNull(webhookEndpoints.deletedAt))
const before = (createdAt: AnyColumn, id: AnyColumn, after: CursorPosition | null) =>
  after ? sql`(${createdAt}, ${id}) < (${new Date(after.t).toISOString()}::timestamptz, ${after.id})` : undefined

export async function insertEndpoint(db: Db, row: typeof webhookEndpoints.$inferInsert): Promise<EndpointRow> {
  const [created] = await db.insert(webhookEndpoints).values(row).returning()
  return created!
}

/** A live endpoint; `forUpdate` serialises rotations and counters on one endpoint. */
export async function findEndpoint(
  db: Db,
  tenantId: string,
  id: string,
  opts: { forUpdate?: boolean; withDeleted?: boolean } = {},
): Promise<EndpointRow | null> {
  const where = opts.withDeleted
    ? and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id))
    : ofEndpoint(tenantId, id)
  const query = db.select().from(webhookEndpoints).where(where).limit(1)
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ?? null
}

export async function listEndpoints(
  db: Db,
  tenantId: string,
  limit: number,
  after: CursorPosition | null,
): Promise<EndpointRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.tenantId, tenantId),
        isNull(webhookEndpoints.deletedAt),
        before(webhookEndpoints.createdAt, webhookEndpoints.id, after),
      ),
    )
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id))
    .limit(limit)
}

export async function updateEndpoint(
  db: Db,
  tenantId: string,
  id: string,
  patch: EndpointPatch,
): Promise<EndpointRow | null> {
  const [row] = await db.update(webhookEndpoints).set(patch).where(ofEndpoint(tenantId, id)).returning()
  return row ?? null
}

/** Enabled live endpoints that want this event type (no filter, an empty one, or one naming it). */
export async function subscribedEndpoints(db: Db, tenantId: string, type: string): Promise<EndpointRow[]> {
  const f = webhookEndpoints.filterTypes
  return db
    .select()
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.tenantId, tenantId),
        isNull(webhookEndpoints.deletedAt),
        eq(webhookEndpoints.disabled, false),
        or(isNull(f), sql`jsonb_array_length(${f}) = 0`, sql`${f} @> ${JSON.stringify([type])}::jsonb`),
      ),
    )
}

/** Failure counter only: not a change the customer made, so updated_at stays. */
export async function setFailures(db: Db, tenantId: string, id: string, consecutiveFailures: number): Promise<void> {
  await db
    .update(webhookEndpoints)
    .set({ consecutiveFailures })
    .where(
      and(
        eq(webhookEndpoints.tenantId, tenantId),
        eq(webhookEndpoints.id, id),
        sql`${webhookEndpoints.consecutiveFailures} <> ${consecutiveFailures}`,
      ),
    )
}

/** Inserts what is new; a message already there for (endpoint, event) is left alone (redelivery). */
export async function insertMessages(db: Db, rows: (typeof webhookMessages.$inferInsert)[]): Promise<MessageRow[]> {
  if (rows.length === 0) return []
  return db
    .insert(webhookMessages)
    .values(rows)
    .onConflictDoNothing({ target: [webhookMessages.endpointId, webhookMessages.eventId] })
    .returning()
}

export async function findMessage(
  db: Db,
  tenantId: string,
  id: string,
  opts: { endpointId?: string; forUpdate?: boolean } = {},
): Promise<MessageRow | null> {
  const query = db
    .select()
    .from(webhookMessages)
    .where(
      and(
        eq(webhookMessages.tenantId, tenantId),
        eq(webhookMessages.id, id),
        opts.endpointId === undefined ? undefined : eq(webhookMessages.endpointId, opts.endpointId),
      ),
    )
    .limit(1)
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ?? null
}

export async function listMessages(
  db: Db,
  tenantId: string,
  endpointId: string,
  status: MessageStatus | undefined,
  limit: number,
  after: CursorPosition | null,
): Promise<MessageRow[]> {
  return db
    .select()
    .from(webhookMessages)
    .where(
      and(
        eq(webhookMessages.tenantId, tenantId),
        eq(webhookMessages.endpointId, endpointId),
        status === undefined ? undefined : eq(webhookMessages.status, status),
        before(webhookMessages.createdAt, webhookMessages.id, after),
      ),
    )
    .orderBy(desc(webhookMessages.createdAt), desc(webhookMessages.id))
    .limit(limit)
}

export async function updateMessage(
  db: Db,
  tenantId: string,
  id: string,
  patch: MessagePatch,
): Promise<MessageRow | null> {
  const [row] = await db
    .update(webhookMessages)
    .set(patch)
    .where(and(eq(webhookMessages.tenantId, tenantId), eq(webhookMessages.id, id)))
    .returning()
  return row ?? null
}

/** A deleted endpoint gets nothing more: its pending messages end as failed. */
export async function failPending(db: Db, tenantId: string, endpointId: string, now: Date): Promise<void> {
  await db
    .update(webhookMessages)
    .set({ status: 'failed', nextAttemptAt: null, updatedAt: now })
    .where(
      and(
        eq(webhookMessages.tenantId, tenantId),
        eq(webhookMessages.endpointId, endpointId),
        eq(webhookMessages.status, 'pending'),
      ),
    )
}

/**
 * Across tenants (service role): takes up to `limit` pending messages that are due, for enabled
 * live endpoints, and moves their next_attempt_at to `leaseUntil` in the caller's transaction. SKIP
 * LOCKED lets several workers claim disjoint sets; the lease hands a message whose worker died
 * mid-attempt to another one once it runs out.
 */
export async function claimDue(
  tx: Db,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<{ id: string; tenantId: string; status: MessageStatus }[]> {
  const due = await tx
    .select({ id: webhookMessages.id })
    .from(webhookMessages)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookMessages.endpointId))
    .where(
      and(
        eq(webhookMessages.status, 'pending'),
        lte(webhookMessages.nextAttemptAt, now),
        eq(webhookEndpoints.disabled, false),
        isNull(webhookEndpoints.deletedAt),
      ),
    )
    .orderBy(asc(webhookMessages.nextAttemptAt))
    .limit(limit)
    .for('update', { of: webhookMessages, skipLocked: true })
  if (due.length === 0) return []
  return tx
    .update(webhookMessages)
    .set({ nextAttemptAt: leaseUntil, updatedAt: now })
    .where(
      inArray(
        webhookMessages.id,
        due.map((d) => d.id),
      ),
    )
    .returning({ id: webhookMessages.id, tenantId: webhookMessages.tenantId, status: webhookMessages.status })
}

export async function insertAttempt(db: Db, row: typeof webhookAttempts.$inferInsert): Promise<void> {
  await db.insert(webhookAttempts).values(row)
}

export async function listAttempts(
  db: Db,
  tenantId: string,
  messageId: string,
  limit: number,
  after: CursorPosition | null,
): Promise<AttemptRow[]> {
  return db
    .select()
    .from(webhookAttempts)
    .where(
      and(
        eq(webhookAttempts.tenantId, tenantId),
        eq(webhookAttempts.messageId, messageId),
        before(webhookAttempts.createdAt, webhookAttempts.id, after),
      ),
    )
    .orderBy(desc(webhookAttempts.createdAt), desc(webhookAttempts.id))
    .limit(limit)
}

/** A tenant's webhook messages since `since`, counted by status (the console's health table). */
export async function countMessagesSince(db: Db, tenantId: string, since: Date) {
  return db
    .select({ status: webhookMessages.status, count: count() })
    .from(webhookMessages)
    .where(and(eq(webhookMessages.tenantId, tenantId), gte(webhookMessages.createdAt, since)))
    .groupBy(webhookMessages.status)
}
