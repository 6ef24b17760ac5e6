import { AckPolicy, DeliverPolicy, Events, NatsError, RetentionPolicy, StorageType, connect, nanos } from 'nats'
import type {
  ConsumerMessages,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
  NatsConnection,
  Consumer as PullConsumer,
} from 'nats'
import type { Bus, BusMessage, Consumer, ConsumerSpec, DeadLetter, Verdict } from './bus'
import { deadLetterSubject } from './bus'
import type { Log } from '../log'
import {
  DEDUP_WINDOW_MS,
  WORK_SUBJECTS,
  assertConsumerName,
  assertWorkSubject,
  errorMessage,
  outcome,
  toJson,
} from './policy'

/**
 * JetStream implementation. Work goes through one stream capturing `tessera.>`; each consumer
 * name is a durable pull consumer. Consumers are created with deliver policy "new": a name only
 * receives messages published after it first existed, so adding a consumer never replays history.
 * Nodes therefore declare every worker's consumer at start, before their relay publishes (see
 * declareWorkers), so a worker process started later still finds all work published meanwhile.
 * Retries are ours (nak with the next backoff step, max_deliver unlimited) so every message ends
 * either acked or dead-lettered exactly once, never silently dropped by the server.
 */

const DEFAULT_STREAM = 'TESSERA'
const PUBLISH_TIMEOUT_MS = 5_000

/** Signals are published under a prefix the stream does not capture, so they are never stored. */
const SIGNAL_PREFIX = '_sig.'
const STREAM_MAX_AGE_MS = 7 * 24 * 60 * 60_000
const ACK_WAIT_MS = 30_000
const WORKING_EVERY_MS = ACK_WAIT_MS / 3
/** How long an idle pull waits on the server; stop() cancels it at once, so this is only polling cadence. */
const PULL_EXPIRES_MS = 5_000
const PULL_RETRY_MS = 1_000
const PULL_RETRY_MAX_MS = 30_000
const PING_TIMEOUT_MS = 2_000
const DRAIN_TIMEOUT_MS = 2_000
const STREAM_NOT_FOUND = 10059
const CONSUMER_NOT_FOUND = 10014

interface Ctx {
  js: JetStreamClient
  jsm: JetStreamManager
  stream: string
  log: Log
}

export async function createNatsBus(opts: { url: string; log: Log; stream?: string }): Promise<Bus> {
  const { log } = opts
  const nc = await connect({ servers: opts.url, name: 'tessera', maxReconnectAttempts: -1 })
  watchConnection(nc, log)
  const ctx: Ctx = { js: nc.jetstream(), jsm: await nc.jetstreamManager(), stream: opts.stream ?? DEFAULT_STREAM, log }
  try {
    await ensureStream(ctx)
  } catch (err) {
    await nc.close()
    throw err
  }
  const running = new Set<Consumer>()
  let closing: Promise<void> | undefined

  return {
    kind: 'nats',

    async publish(subject, data, publishOpts) {
      assertWorkSubject(subject)
      const msgId = publishOpts?.msgId
      // Bounded: while NATS is away a publish fails after this instead of waiting for a reconnect.
      await ctx.js.publish(subject, toJson(data), { timeout: PUBLISH_TIMEOUT_MS, ...(msgId ? { msgID: msgId } : {}) })
    },

    async consume(spec) {
      assertConsumerName(spec.name)
      assertWorkSubject(spec.subject)
      const consumer = runConsumer(ctx, spec, await openConsumer(ctx, spec))
      const handle: Consumer = {
        stop: async () => {
          await consumer.stop()
          running.delete(handle)
        },
      }
      running.add(handle)
      return handle
    },

    async declare(spec) {
      assertConsumerName(spec.name)
      assertWorkSubject(spec.subject)
      await openConsumer(ctx, spec)
    },

    broadcast(subject, data) {
      try {
        nc.publish(SIGNAL_PREFIX + subject, toJson(data))
      } catch (err) {
        log.warn('bus signal not sent', { subject, err: errorMessage(err) })
      }
    },

    listen(subject, fn) {
      const sub = nc.subscribe(SIGNAL_PREFIX + subject, {
        callback: (err, msg) => {
          if (err) return log.warn('bus signal subscription failed', { subject, err: err.message })
          let data: unknown
          try {
            data = msg.json()
          } catch {
            return log.warn('bus signal is not JSON', { subject: msg.subject })
          }
          try {
            fn(data)
          } catch (listenerErr) {
            log.error('bus listener failed', { subject: msg.subject, err: errorMessage(listenerErr) })
          }
        },
      })
      return () => {
        if (!nc.isClosed() && !sub.isClosed()) sub.unsubscribe()
      }
    },

    async ping() {
      if (nc.isClosed()) throw new Error('nats connection is closed')
      await withTimeout(nc.rtt(), PING_TIMEOUT_MS, 'nats did not answer a ping')
    },

    quiesce: async () => {},
    unsettled: () => [],

    close() {
      closing ??= (async () => {
        await Promise.all([...running].map((c) => c.stop()))
        if (nc.isClosed()) return
        // drain() needs the server; when it is gone, give up on flushing and just close.
        await withTimeout(nc.drain(), DRAIN_TIMEOUT_MS, 'nats drain timed out').catch(() => nc.close())
      })()
      return closing
    },
  }
}

function watchConnection(nc: NatsConnection, log: Log): void {
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect) log.warn('nats disconnected', { server: status.data })
      else if (status.type === Events.Reconnect) log.info('nats reconnected', { server: status.data })
      else if (status.type === Events.LDM) log.warn('nats server entering lame duck mode', { server: status.data })
      else if (status.type === Events.Error) log.error('nats async error', { err: String(status.data) })
    }
  })().catch((err: unknown) => log.error('nats status watch failed', { err: errorMessage(err) }))
  void nc.closed().then((err) => {
    if (err) log.error('nats connection closed', { err: err.message })
  })
}

/**
 * The stream, replicated on three servers where the cluster has them and on one otherwise (issue #22). A lone
 * server refuses more than one replica (10074) and gets one at once; a cluster still gathering its peers at start
 * (10005, 10023) is asked again for a while before the stream settles for one. An existing stream is raised to
 * three only on a cluster (`cluster` in its info): a lone server accepts the update and then loses the stream at
 * its next restart. Consumers follow the stream's replicas.
 */
const REPLICAS = 3
const NOT_CLUSTERED = 10074
/** "no suitable peers for placement", "insufficient resources": too few servers of the cluster yet. */
const TOO_FEW_PEERS = new Set([10005, 10023])
const PEER_WAIT_TRIES = 15
const PEER_WAIT_MS = 1_000
const apiErrorOf = (err: unknown) => (err instanceof NatsError ? (err.api_error?.err_code ?? 0) : 0)

async function withReplicas(ctx: Ctx, apply: (replicas: number) => Promise<unknown>, fallback: number) {
  for (let tries = 1; ; tries++) {
    try {
      return await apply(REPLICAS)
    } catch (err) {
      const code = apiErrorOf(err)
      if (code === NOT_CLUSTERED || (TOO_FEW_PEERS.has(code) && tries >= PEER_WAIT_TRIES)) return apply(fallback)
      if (!TOO_FEW_PEERS.has(code)) throw err
      ctx.log.warn('nats cluster has too few servers for the stream yet; asking again', { tries })
      await new Promise((resolve) => setTimeout(resolve, PEER_WAIT_MS))
    }
  }
}

async function ensureStream(ctx: Ctx): Promise<void> {
  const wanted = {
    subjects: [WORK_SUBJECTS],
    max_age: nanos(STREAM_MAX_AGE_MS),
    duplicate_window: nanos(DEDUP_WINDOW_MS),
  }
  const current = await ctx.jsm.streams.info(ctx.stream).catch(nullIfMissing(STREAM_NOT_FOUND))
  if (!current) {
    const add = (num_replicas: number) =>
      ctx.jsm.streams.add({
        name: ctx.stream,
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        num_replicas,
        ...wanted,
      })
    await withReplicas(ctx, add, 1)
  } else {
    const update = (num_replicas: number) => ctx.jsm.streams.update(ctx.stream, { ...wanted, num_replicas })
    const replicas = current.config.num_replicas
    if (current.cluster && replicas < REPLICAS) await withReplicas(ctx, update, replicas)
    else if (differs(current.config, wanted)) await update(replicas)
  }
  const info = await ctx.jsm.streams.info(ctx.stream)
  ctx.log.info('nats stream ready', { stream: ctx.stream, replicas: info.config.num_replicas })
}

async function openConsumer(ctx: Ctx, spec: Pick<ConsumerSpec, 'name' | 'subject'>): Promise<PullConsumer> {
  const wanted = { filter_subject: spec.subject, ack_wait: nanos(ACK_WAIT_MS), max_deliver: -1 }
  const current = await ctx.jsm.consumers.info(ctx.stream, spec.name).catch(nullIfMissing(CONSUMER_NOT_FOUND))
  if (!current) {
    await ctx.jsm.consumers.add(ctx.stream, {
      durable_name: spec.name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      ...wanted,
    })
  } else if (differs(current.config, wanted)) {
    await ctx.jsm.consumers.update(ctx.stream, spec.name, wanted)
  }
  return ctx.js.consumers.get(ctx.stream, spec.name)
}

/**
 * Pulls exactly as many messages as there are free handler slots, so nothing sits in a local
 * buffer where another process sharing the name could have handled it.
 */
function runConsumer(ctx: Ctx, spec: ConsumerSpec, opened: PullConsumer): { stop(): Promise<void> } {
  const limit = Math.max(1, spec.concurrency ?? 1)
  const inFlight = new Set<Promise<void>>()
  let stopping = false
  let batch: ConsumerMessages | null = null
  let wake = () => {}
  const nap = (ms?: number) =>
    new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(resolve, ms)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })

  const loop = (async () => {
    let consumer: PullConsumer | null = opened
    let failures = 0
    while (!stopping) {
      if (inFlight.size >= limit) {
        await nap()
        continue
      }
      try {
        consumer ??= await openConsumer(ctx, spec)
        batch = await consumer.fetch({ max_messages: limit - inFlight.size, expires: PULL_EXPIRES_MS })
        if (stopping) batch.stop()
        for await (const msg of batch) {
          // Arrived after stop() was asked for: hand it back for immediate redelivery elsewhere.
          if (stopping) msg.nak()
          else track(handleMessage(ctx, spec, msg))
        }
        failures = 0
      } catch (err) {
        if (stopping) break
        failures++
        ctx.log.warn('bus pull failed', { consumer: spec.name, err: errorMessage(err) })
        // Re-open next time: the consumer may have been deleted under us.
        consumer = null
        await nap(Math.min(PULL_RETRY_MS * 2 ** (failures - 1), PULL_RETRY_MAX_MS))
      } finally {
        batch = null
      }
    }
  })()

  function track(task: Promise<void>): void {
    inFlight.add(task)
    void task.finally(() => {
      inFlight.delete(task)
      wake()
    })
  }

  let stopped: Promise<void> | undefined
  return {
    stop() {
      stopped ??= (async () => {
        stopping = true
        batch?.stop()
        wake()
        await loop
        await Promise.all(inFlight)
      })()
      return stopped
    },
  }
}

/** Never rejects: whatever goes wrong while settling, the server redelivers after ack_wait. */
async function handleMessage(ctx: Ctx, spec: ConsumerSpec, msg: JsMsg): Promise<void> {
  const deliveryCount = msg.info.deliveryCount
  const msgId = msg.headers?.get('Nats-Msg-Id') || null
  try {
    let data: unknown
    try {
      data = msg.json()
    } catch {
      return await deadLetter(ctx, spec.name, msg, {
        data: msg.string(),
        msgId,
        reason: 'payload is not JSON',
        deliveries: deliveryCount,
      })
    }
    // Only reachable when a delivery got no verdict (process died, ack_wait expired): this one is
    // past the limit, so it is parked without reaching the handler.
    if (deliveryCount > spec.backoffMs.length + 1) {
      const deliveries = deliveryCount - 1
      return await deadLetter(ctx, spec.name, msg, {
        data,
        msgId,
        reason: `gave up after ${deliveries} deliveries, the last unanswered`,
        deliveries,
      })
    }
    const { verdict, failure } = await runHandler(ctx, spec, msg, { subject: msg.subject, data, msgId, deliveryCount })
    const next = outcome(verdict, deliveryCount, spec.backoffMs, failure)
    if (next.kind === 'ack') msg.ack()
    else if (next.kind === 'retry') msg.nak(next.delayMs)
    else await deadLetter(ctx, spec.name, msg, { data, msgId, reason: next.reason, deliveries: deliveryCount })
  } catch (err) {
    ctx.log.error('bus settle failed', { consumer: spec.name, subject: msg.subject, err: errorMessage(err) })
  }
}

async function runHandler(
  ctx: Ctx,
  spec: ConsumerSpec,
  msg: JsMsg,
  busMsg: BusMessage,
): Promise<{ verdict: Verdict; failure?: string }> {
  const heartbeat = setInterval(() => {
    try {
      msg.working()
    } catch {
      // Connection closed: nothing to extend; the message is redelivered after ack_wait.
    }
  }, WORKING_EVERY_MS)
  try {
    return { verdict: await spec.handle(busMsg) }
  } catch (err) {
    const failure = errorMessage(err)
    ctx.log.error('bus handler failed', {
      consumer: spec.name,
      subject: msg.subject,
      deliveryCount: busMsg.deliveryCount,
      err: failure,
    })
    return { verdict: 'retry', failure }
  } finally {
    clearInterval(heartbeat)
  }
}

async function deadLetter(
  ctx: Ctx,
  consumer: string,
  msg: JsMsg,
  parked: Pick<DeadLetter, 'data' | 'msgId' | 'reason' | 'deliveries'>,
): Promise<void> {
  const letter: DeadLetter = { subject: msg.subject, consumer, ...parked }
  // Keyed by stream sequence: if term() is lost and the message comes back, the repeat is de-duplicated.
  await ctx.js.publish(deadLetterSubject(consumer), toJson(letter), { msgID: `dead-${consumer}-${msg.seq}` })
  msg.term()
}

function nullIfMissing(errCode: number) {
  return (err: unknown): null => {
    if (err instanceof NatsError && err.api_error?.err_code === errCode) return null
    throw err
  }
}

function differs<T extends object>(current: T, wanted: Partial<T>): boolean {
  return (Object.keys(wanted) as (keyof T)[]).some(
    (key) => JSON.stringify(current[key]) !== JSON.stringify(wanted[key]),
  )
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
