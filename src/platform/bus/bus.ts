/**
 * The message bus port. Two implementations keep the same contract (tests/contract/bus.test.ts):
 * NATS JetStream in production (nats.ts) and an in-process bus for embedded mode (memory.ts).
 *
 * Two kinds of traffic:
 * - work: `publish` + `consume`. Durable (survives a restart of a consumer), at-least-once,
 *   explicit ack; a handler answers 'ack', 'retry' (redelivered after the next backoff step)
 *   or 'dead' (parked at once). After the last backoff step the message is dead-lettered to
 *   `deadLetterSubject(consumerName)` with the reason. Messages carrying the same `msgId`
 *   within the de-duplication window are delivered once.
 * - signals: `broadcast` + `listen`. Fire-and-forget fan-out to every node (cache invalidation);
 *   not stored, may be lost while disconnected, so listeners must also have a fallback.
 */
export type Verdict = 'ack' | 'retry' | 'dead'

export interface BusMessage {
  subject: string
  data: unknown
  /** Stable id given at publish time (outbox id); also the de-duplication key. */
  msgId: string | null
  /** 1 on the first delivery. */
  deliveryCount: number
}

export interface ConsumerSpec {
  /** Durable consumer name; several processes with the same name share the work. */
  name: string
  /** Subject filter; NATS wildcards `*` and `>` are allowed. */
  subject: string
  /** Delay before each redelivery; its length + 1 is the maximum number of deliveries. */
  backoffMs: number[]
  /** Messages handled at once by this process (default 1). */
  concurrency?: number
  handle(msg: BusMessage): Promise<Verdict>
}

export interface Consumer {
  /** Stop taking new messages and wait for the ones in flight to finish. */
  stop(): Promise<void>
}

export interface DeadLetter {
  subject: string
  data: unknown
  msgId: string | null
  consumer: string
  reason: string
  deliveries: number
}

export interface Bus {
  readonly kind: 'memory' | 'nats'
  publish(subject: string, data: unknown, opts?: { msgId?: string }): Promise<void>
  consume(spec: ConsumerSpec): Promise<Consumer>
  /**
   * Creates a durable consumer, if missing, without consuming: a name keeps only what is
   * published after it first exists, so work published before its first `consume` (a worker
   * process started after the HTTP nodes) waits for it only if it was declared first.
   */
  declare(spec: Pick<ConsumerSpec, 'name' | 'subject'>): Promise<void>
  broadcast(subject: string, data: unknown): void
  /** Returns an unsubscribe function. */
  listen(subject: string, fn: (data: unknown) => void): () => void
  /** Throws when the bus cannot be reached (used by /ready). */
  ping(): Promise<void>
  /**
   * Resolves once every message published so far is settled or waiting for a retry, or after
   * `timeoutMs` (a graceful stop lets work finish). NATS at once: its stream keeps the work.
   */
  quiesce(timeoutMs: number): Promise<void>
  /**
   * The msgIds of work held here and not yet settled (queued, waiting for a retry, handled by
   * nobody): what closing this bus loses, to be published again. NATS: none, its stream keeps them.
   */
  unsettled(): string[]
  close(): Promise<void>
}

/** Subject on which a consumer's poison messages are parked (payload: DeadLetter). */
export const deadLetterSubject = (consumerName: string) => `tessera.dead.${consumerName}`
