import { sql } from 'drizzle-orm'
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { ms } from './columns'

/**
 * Cache invalidations that every node must see (settings, keys, later sessions): written in
 * the transaction of the change, broadcast after commit, and polled as the fallback.
 */
export const changeFeed = pgTable(
  'change_feed',
  {
    seq: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text().notNull(),
    topic: text().notNull(),
    subject: text(),
    /** Database time, not the app clock: nodes compare it with now() when polling. */
    createdAt: ms().notNull().defaultNow(),
  },
  (t) => [index('change_feed_created_at_idx').on(t.createdAt)],
)

/**
 * Transactional outbox: written in the transaction of the change it announces, published to
 * the bus by the relay, marked published. Its id is the event id and the bus de-duplication key.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: text().primaryKey(),
    tenantId: text().notNull(),
    type: text().notNull(),
    subject: text().notNull(),
    payload: jsonb().$type<unknown>().notNull(),
    createdAt: ms().notNull().defaultNow(),
    /** A relay's claim: others skip the row until then, and take it over if that relay died. */
    claimedUntil: ms(),
    publishedAt: ms(),
  },
  (t) => [index('outbox_unpublished_idx').on(t.createdAt).where(sql`${t.publishedAt} is null`)],
)

/**
 * Append-only audit trail, hash-chained per tenant: hash = SHA-256(prev_hash || canonical row).
 * The application role may only insert and read it (see migrations).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    id: text().notNull().unique('audit_events_id_uq'),
    tenantId: text().notNull(),
    action: text().notNull(),
    actorType: text().notNull(),
    actorId: text(),
    targetType: text(),
    targetId: text(),
    ip: text(),
    userAgent: text(),
    data: jsonb().$type<Record<string, unknown>>().notNull(),
    prevHash: text().notNull(),
    hash: text().notNull(),
    createdAt: ms().notNull(),
  },
  (t) => [
    index('audit_events_tenant_id_seq_idx').on(t.tenantId, t.seq),
    // Each hash is followed at most once: an append that would fork the chain fails instead.
    uniqueIndex('audit_events_tenant_id_prev_hash_uq').on(t.tenantId, t.prevHash),
  ],
)

/**
 * The checkpointed head of each audit chain (API.md §12 "Audit chain"), written in the same
 * transaction as every append and MACed under the installation's audit key: deleting the newest
 * rows, or rewriting the chain and its head without the key, fails verification.
 */
export const auditHeads = pgTable('audit_heads', {
  tenantId: text().primaryKey(),
  lastId: text(),
  hash: text().notNull(),
  count: bigint({ mode: 'number' }).notNull(),
  mac: text().notNull(),
})

/** Fixed-window counters shared by every node (per tenant, key and minute). */
export const rateLimits = pgTable(
  'rate_limits',
  {
    tenantId: text().notNull(),
    key: text().notNull(),
    windowStart: ms().notNull(),
    count: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.key, t.windowStart] }),
    index('rate_limits_window_start_idx').on(t.windowStart),
  ],
)
