import type { Bus, BusMessage, Consumer, ConsumerSpec, DeadLetter, Verdict } from './bus'
import { deadLetterSubject } from './bus'
import type { Clock } from '../clock'
import { systemClock } from '../clock'
import type { Log } from '../log'
import { subjectMatches } from './subject-match'
import { DEDUP_WINDOW_MS, assertConsumerName, assertWorkSubject, errorMessage, outcome, toJson } from './policy'

/**
 * In-process bus for embedded mode. Mirrors the NATS contract within one bus object's lifetime:
 * like a JetStream durable created with deliver policy "new", a consumer name only keeps messages
 * published after its first `consume`. Payloads travel as JSON so handlers see what NATS would give.
 * What it holds dies with the process: `unsettled()` names it, so a graceful stop can hand it back
 * to the outbox (main.ts) where NATS would have kept it in its stream.
 */

interface Entry {
  subject: string
  json: string
  msgId: string | null
  deliveries: number
}

interface Worker {
  spec: ConsumerSpec
  limit: number
  inFlight: Set<Promise<void>>
  stopped?: Promise<void>
}

interface Durable {
  filter: string
  ready: Entry[]
  workers: Worker[]
  /** Round-robin cursor so consumers sharing a name share the work. */
  turn: number
}

interface Listener {
  filter: string
  fn: (data: unknown) => void
}

export function createMemoryBus(opts: { log: Log; clock?: Clock }): Bus {
  const { log } = opts
  const clock = opts.clock ?? systemClock
  const durables = new Map<string, Durable>()
  const listeners = new Set<Listener>()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  /** msgId → expiry; entries are inserted in expiry order, so expired ones sit at the front. */
  const seen = new Map<string, number>()
  /** Entries not yet acked or dead-lettered, in any durable. */
  const live = new Set<Entry>()
  let closed = false

  function isDuplicate(msgId: string): boolean {
    const now = clock.now()
    for (const [id, expires] of seen) {
      if (expires > now) break
      seen.delete(id)
    }
    if (seen.has(msgId)) return true
    seen.set(msgId, now + DEDUP_WINDOW_MS)
    return false
  }

  function enqueue(subject: string, json: string, msgId: string | null): void {
    for (const durable of durables.values()) {
      if (!subjectMatches(durable.filter, subject)) continue
      const entry: Entry = { subject, json, msgId, deliveries: 0 }
      live.add(entry)
      durable.ready.push(entry)
      pump(durable)
    }
  }

  function pump(durable: Durable): void {
    while (durable.ready.length > 0) {
      const worker = nextFreeWorker(durable)
      const entry = worker && durable.ready.shift()
      if (!worker || !entry) return
      run(durable, worker, entry)
    }
  }

  function nextFreeWorker(durable: Durable): Worker | undefined {
    const count = durable.workers.length
    for (let i = 0; i < count; i++) {
      const index = (durable.turn + i) % count
      const worker = durable.workers[index]
      if (worker && worker.inFlight.size < worker.limit) {
        durable.turn = (index + 1) % count
        return worker
      }
    }
    return undefined
  }

  function run(durable: Durable, worker: Worker, entry: Entry): void {
    entry.deliveries++
    // The handler starts on a later microtask so it never runs inside publish() and the slot is
    // taken before any code it triggers can call pump() again.
    const task: Promise<void> = Promise.resolve()
      .then(() => deliver(durable, worker.spec, entry))
      .finally(() => {
        worker.inFlight.delete(task)
        pump(durable)
      })
    worker.inFlight.add(task)
  }

  async function deliver(durable: Durable, spec: ConsumerSpec, entry: Entry): Promise<void> {
    const msg: BusMessage = {
      subject: entry.subject,
      data: JSON.parse(entry.json),
      msgId: entry.msgId,
      deliveryCount: entry.deliveries,
    }
    let verdict: Verdict
    let failure: string | undefined
    try {
      verdict = await spec.handle(msg)
    } catch (err) {
      failure = errorMessage(err)
      log.error('bus handler failed', {
        consumer: spec.name,
        subject: entry.subject,
        deliveryCount: entry.deliveries,
        err: failure,
      })
      verdict = 'retry'
    }
    const next = outcome(verdict, entry.deliveries, spec.backoffMs, failure)
    if (next.kind !== 'retry') live.delete(entry)
    if (next.kind === 'retry') redeliverLater(durable, entry, next.delayMs)
    if (next.kind === 'dead') {
      const letter: DeadLetter = {
        subject: entry.subject,
        data: JSON.parse(entry.json),
        msgId: entry.msgId,
        consumer: spec.name,
        reason: next.reason,
        deliveries: entry.deliveries,
      }
      enqueue(deadLetterSubject(spec.name), toJson(letter), null)
    }
  }

  /** The entry goes back to the durable, not the worker, so a later consumer of the name gets it. */
  function redeliverLater(durable: Durable, entry: Entry, delayMs: number): void {
    if (closed) return
    const timer = setTimeout(() => {
      timers.delete(timer)
      durable.ready.push(entry)
      pump(durable)
    }, delayMs)
    timers.add(timer)
  }

  function stopWorker(durable: Durable, worker: Worker): Promise<void> {
    worker.stopped ??= (async () => {
      durable.workers = durable.workers.filter((w) => w !== worker)
      await Promise.all(worker.inFlight)
    })()
    return worker.stopped
  }

  function assertOpen(): void {
    if (closed) throw new Error('bus is closed')
  }

  return {
    kind: 'memory',

    async publish(subject, data, publishOpts) {
      assertOpen()
      assertWorkSubject(subject)
      const msgId = publishOpts?.msgId || null
      const json = toJson(data)
      if (msgId !== null && isDuplicate(msgId)) return
      enqueue(subject, json, msgId)
    },

    async declare(spec) {
      assertOpen()
      assertConsumerName(spec.name)
      assertWorkSubject(spec.subject)
      if (!durables.has(spec.name)) durables.set(spec.name, { filter: spec.subject, ready: [], workers: [], turn: 0 })
    },

    async consume(spec): Promise<Consumer> {
      assertOpen()
      assertConsumerName(spec.name)
      assertWorkSubject(spec.subject)
      const durable = durables.get(spec.name) ?? { filter: spec.subject, ready: [], workers: [], turn: 0 }
      durables.set(spec.name, durable)
      // Like a NATS consumer update: the latest filter wins for the whole name.
      durable.filter = spec.subject
      const worker: Worker = { spec, limit: Math.max(1, spec.concurrency ?? 1), inFlight: new Set() }
      durable.workers.push(worker)
      pump(durable)
      return { stop: () => stopWorker(durable, worker) }
    },

    broadcast(subject, data) {
      const json = toJson(data)
      for (const listener of listeners) {
        if (!subjectMatches(listener.filter, subject)) continue
        queueMicrotask(() => {
          if (!listeners.has(listener)) return
          try {
            listener.fn(JSON.parse(json))
          } catch (err) {
            log.error('bus listener failed', { subject, err: errorMessage(err) })
          }
        })
      }
    },

    listen(subject, fn) {
      const listener: Listener = { filter: subject, fn }
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },

    async ping() {
      assertOpen()
    },

    async quiesce(timeoutMs) {
      const deadline = performance.now() + timeoutMs
      // Busy: a handler running, or a queue that a consumer of its name will take.
      const busy = () =>
        [...durables.values()].some(
          (d) => d.workers.some((w) => w.inFlight.size > 0) || (d.workers.length > 0 && d.ready.length > 0),
        )
      while (busy() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
    },

    unsettled() {
      return [...new Set([...live].flatMap((e) => (e.msgId === null ? [] : [e.msgId])))]
    },

    async close() {
      if (closed) return
      closed = true
      await Promise.all([...durables.values()].flatMap((d) => d.workers.map((w) => stopWorker(d, w))))
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      listeners.clear()
      // Gone with the bus: whoever needed them asked unsettled() before closing.
      live.clear()
    },
  }
}
