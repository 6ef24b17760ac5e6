import { and, gt, lt, sql } from 'drizzle-orm'
import type { Bus } from './bus/bus'
import type { Db, Tx } from './db/client'
import { changeFeed } from './db/schema'
import type { Log } from './log'

/**
 * Cache invalidation that reaches every node within ~1 s. A change is recorded in the
 * transaction that makes it, announced on the bus after commit (fast path), and every node
 * also polls the feed once a second (the path that survives a lost broadcast or a bus outage).
 * Handlers must be idempotent: a change may arrive by both paths.
 */
export interface Change {
  seq: number
  tenantId: string
  topic: string
  subject: string | null
}

const SIGNAL = 'tessera.changes'
const POLL_MS = 500
/** Rows are re-read for this long, so a transaction that commits late is still seen. */
const WINDOW_S = 10
const RETAIN_S = 3600

export class ChangeFeed {
  private handlers = new Map<string, ((c: Change) => void)[]>()
  private seen = new Map<number, number>()
  private timer: ReturnType<typeof setInterval> | null = null
  private unlisten: (() => void) | null = null
  private polls = 0

  constructor(
    private db: Db,
    private bus: Bus,
    private log: Log,
  ) {}

  /** Inside the transaction of the change. Returns the change to `announce` after commit. */
  async record(tx: Tx, tenantId: string, topic: string, subject: string | null = null): Promise<Change> {
    const [row] = await tx.insert(changeFeed).values({ tenantId, topic, subject }).returning({ seq: changeFeed.seq })
    return { seq: row!.seq, tenantId, topic, subject }
  }

  /** After commit: applies the change here and tells the other nodes. */
  announce(change: Change): void {
    this.dispatch(change)
    this.bus.broadcast(SIGNAL, change)
  }

  on(topic: string, handler: (c: Change) => void): void {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler])
  }

  start(): void {
    if (this.timer) return
    this.unlisten = this.bus.listen(SIGNAL, (data) => this.dispatch(data as Change))
    this.timer = setInterval(() => void this.poll(), POLL_MS)
    this.timer.unref?.()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.unlisten?.()
    this.unlisten = null
  }

  async poll(): Promise<void> {
    try {
      const rows = await this.db
        .select()
        .from(changeFeed)
        .where(gt(changeFeed.createdAt, sql`now() - make_interval(secs => ${WINDOW_S})`))
        .orderBy(changeFeed.seq)
      for (const r of rows) this.dispatch({ seq: r.seq, tenantId: r.tenantId, topic: r.topic, subject: r.subject })
      const cutoff = Date.now() - 2 * WINDOW_S * 1000
      for (const [seq, at] of this.seen) if (at < cutoff) this.seen.delete(seq)
      if (++this.polls % 600 === 0)
        await this.db
          .delete(changeFeed)
          .where(and(lt(changeFeed.createdAt, sql`now() - make_interval(secs => ${RETAIN_S})`)))
    } catch (err) {
      this.log.warn('change feed poll failed', { err })
    }
  }

  private dispatch(change: Change): void {
    if (this.seen.has(change.seq)) return
    this.seen.set(change.seq, Date.now())
    for (const handler of this.handlers.get(change.topic) ?? []) handler(change)
  }
}
