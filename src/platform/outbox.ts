import { and, asc, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm'
import type { Bus } from './bus/bus'
import type { Db, Tx } from './db/client'
import { outbox } from './db/schema'
import { afterCommit } from './db/tx'
import { newId } from './ids'
import type { Log } from './log'

/**
 * The transactional outbox (DESIGN.md §1): a change and the messages it causes commit together;
 * the relay publishes pending rows to the bus (row id = message id, so JetStream de-duplicates a
 * row published twice after a crash) and marks them published. Nothing is lost while the bus is
 * down: rows wait.
 */
export interface OutboxMessage {
  /** Event or work type, e.g. `user.created`, `delivery.requested`. */
  type: string
  subject: string
  payload: Record<string, unknown>
}

/** Relays started in this process: each is kicked when a transaction that appended rows commits. */
const started = new Set<OutboxRelay>()
const kickStarted = () => {
  for (const relay of started) void relay.kick()
}

/**
 * Appends messages inside the caller's transaction; returns their ids (`evt_...`). Once that
 * transaction commits, this process's relays publish at once (codes and webhooks leave within
 * milliseconds), instead of at their next poll.
 */
export async function append(tx: Tx, tenantId: string, messages: OutboxMessage[], now: number): Promise<string[]> {
  if (messages.length === 0) return []
  const rows = messages.map((m) => ({
    id: newId('evt', now),
    tenantId,
    type: m.type,
    subject: m.subject,
    payload: { ...m.payload, tenant_id: tenantId },
  }))
  await tx.insert(outbox).values(rows)
  afterCommit(kickStarted)
  return rows.map((r) => r.id)
}

/** `tessera.events.<type>`: the subject every customer-visible event is published on. */
export const eventSubject = (type: string) => `tessera.events.${type}`

/** A customer-visible event (API.md §9): its `data` is the public object, or `{ id, deleted: true }`. */
export const eventMessage = (type: string, data: Record<string, unknown>): OutboxMessage => ({
  type,
  subject: eventSubject(type),
  payload: { data },
})

const BATCH = 100
/** Longer than a batch takes to publish; a crashed relay's rows wait this long. */
const LEASE_S = 30
const POLL_MS = 250

/**
 * Publishes pending outbox rows. Several relays may run (one per node): each claims a batch
 * with FOR UPDATE SKIP LOCKED, so a row is normally published once. A started relay is kicked
 * after every commit of this process that appended rows (see append); the poll is the safety
 * net, for rows committed by other processes and for publishes that failed.
 */
export class OutboxRelay {
  private timer: ReturnType<typeof setInterval> | null = null
  private running: Promise<void> | null = null
  private again = false

  constructor(
    private db: Db,
    private bus: Bus,
    private log: Log,
  ) {}

  /** `pollMs`: the safety net's interval (tests lengthen it to see that commits kick the relay). */
  start(pollMs = POLL_MS): void {
    this.timer ??= setInterval(() => this.kick(), pollMs)
    this.timer.unref?.()
    started.add(this)
  }

  /** Returns once no drain runs: none starts again unless kicked by hand. */
  async stop(): Promise<void> {
    started.delete(this)
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.again = false
    while (this.running) await this.running
  }

  /**
   * Makes published rows pending again, to be published anew (consumers drop what they already
   * handled, by outbox id): what an in-process bus held unfinished when its process stopped.
   */
  async handBack(ids: string[]): Promise<void> {
    if (ids.length === 0) return
    await this.db.update(outbox).set({ publishedAt: null, claimedUntil: null }).where(inArray(outbox.id, ids))
  }

  /** Runs a drain now, or once more after the one in progress. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.drain().finally(() => {
      this.running = null
      if (this.again) {
        this.again = false
        void this.kick()
      }
    })
    return this.running
  }

  /** Publishes until nothing is pending; returns how many rows it published. */
  async drain(): Promise<void> {
    try {
      while ((await this.publishBatch()) === BATCH);
    } catch (err) {
      this.log.warn('outbox relay: publish failed; rows stay pending', { err })
    }
  }

  /**
   * Claims a batch in a short transaction (SKIP LOCKED + a lease, so relays on other nodes take
   * other rows), publishes outside any transaction — a slow or absent bus must not hold a
   * database connection, and embedded PGlite has only one — then marks what was published.
   * A relay that dies mid-batch leaves its rows to whoever finds the lease expired.
   */
  private async publishBatch(): Promise<number> {
    const claimed = await this.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(outbox)
        .where(and(isNull(outbox.publishedAt), or(isNull(outbox.claimedUntil), lt(outbox.claimedUntil, sql`now()`))))
        .orderBy(asc(outbox.createdAt))
        .limit(BATCH)
        .for('update', { skipLocked: true })
      if (rows.length)
        await tx
          .update(outbox)
          .set({ claimedUntil: sql`now() + make_interval(secs => ${LEASE_S})` })
          .where(
            inArray(
              outbox.id,
              rows.map((r) => r.id),
            ),
          )
      return rows
    })
    const published: string[] = []
    try {
      for (const row of claimed) {
        await this.bus.publish(
          row.subject,
          { id: row.id, type: row.type, ...(row.payload as object) },
          { msgId: row.id },
        )
        published.push(row.id)
      }
    } finally {
      if (published.length)
        await this.db.update(outbox).set({ publishedAt: sql`now()` }).where(inArray(outbox.id, published))
      const unpublished = claimed.filter((r) => !published.includes(r.id)).map((r) => r.id)
      if (unpublished.length)
        await this.db.update(outbox).set({ claimedUntil: null }).where(inArray(outbox.id, unpublished))
    }
    return claimed.length
  }

  /** Rows waiting and the age of the oldest, for /metrics. */
  async depth(): Promise<{ pending: number; oldestAgeS: number }> {
    const [row] = await this.db
      .select({
        pending: sql<number>`count(*)::int`,
        oldest: sql<number>`coalesce(extract(epoch from now() - min(${outbox.createdAt})), 0)::float`,
      })
      .from(outbox)
      .where(isNull(outbox.publishedAt))
    return { pending: Number(row?.pending ?? 0), oldestAgeS: Number(row?.oldest ?? 0) }
  }
}

/** Published rows older than `before` have done their job (consumers de-duplicate by id within minutes). */
export async function prunePublished(db: Db, before: Date): Promise<number> {
  const deleted = await db
    .delete(outbox)
    .where(and(isNotNull(outbox.publishedAt), lt(outbox.publishedAt, before)))
    .returning({ id: outbox.id })
  return deleted.length
}
