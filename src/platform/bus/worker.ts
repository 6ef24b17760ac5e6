import type { Static, TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { Bus, Consumer, Verdict } from './bus'
import type { Log } from '../log'

/**
 * A worker is a declaration: its durable consumer name, subject, message schema, backoff and
 * handler. The consume loop, ack/retry/dead-letter and logging live here, once.
 */
export interface WorkerDefinition<D, S extends TSchema = TSchema> {
  name: string
  subject: string
  message: S
  backoffMs: number[]
  concurrency?: number
  handle(deps: D, msg: Static<S>, meta: { msgId: string | null; deliveryCount: number }): Promise<Verdict>
  /** Work off the bus (e.g. a polling loop) that runs and stops with this worker's consumer. */
  alongside?(deps: D): { stop(): Promise<void> }
}

export const defineWorker = <D, S extends TSchema>(worker: WorkerDefinition<D, S>) => worker

export async function startWorker<D extends { bus: Bus; log: Log }>(
  deps: D,
  worker: WorkerDefinition<D>,
): Promise<Consumer> {
  const log = deps.log.child({ worker: worker.name })
  const consumer = await deps.bus.consume({
    name: worker.name,
    subject: worker.subject,
    backoffMs: worker.backoffMs,
    concurrency: worker.concurrency,
    async handle(msg) {
      // A message that fails its schema will fail every time: park it at once.
      if (!Value.Check(worker.message, msg.data)) {
        log.warn('message does not match its schema', { subject: msg.subject, msg_id: msg.msgId })
        return 'dead'
      }
      const verdict = await worker.handle(deps, msg.data, { msgId: msg.msgId, deliveryCount: msg.deliveryCount })
      if (verdict !== 'ack')
        log.warn('message not handled', {
          subject: msg.subject,
          msg_id: msg.msgId,
          verdict,
          delivery: msg.deliveryCount,
        })
      return verdict
    },
  })
  const companion = worker.alongside?.(deps)
  if (!companion) return consumer
  return {
    stop: async () => {
      await companion.stop()
      await consumer.stop()
    },
  }
}

/**
 * Creates every worker's durable consumer before anything is published (main.ts and
 * workers/run.ts, ahead of their relay): a consumer keeps only what is published after it exists,
 * so with WORKERS=none the work published before a worker process first starts would never reach it.
 */
export async function declareWorkers(
  bus: Bus,
  workers: Pick<WorkerDefinition<never>, 'name' | 'subject'>[],
): Promise<void> {
  await Promise.all(workers.map((w) => bus.declare({ name: w.name, subject: w.subject })))
}
