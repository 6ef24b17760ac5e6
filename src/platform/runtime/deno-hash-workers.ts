import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { HashAnswer, HashJob, HashMessage, HashReply } from './deno-hash-job'

interface Waiter {
  resolve(value: string | boolean): void
  reject(err: Error): void
}

/** One worker thread of the pool and the jobs it holds; a worker that died is replaced by the slot's next job. */
class Slot {
  readonly pending = new Map<number, Waiter>()
  private worker: Worker | null = null

  post(id: number, job: HashJob, waiter: Waiter) {
    this.pending.set(id, waiter)
    const worker = (this.worker ??= this.spawn())
    // Referenced only while it holds work: an idle pool never keeps the process alive, a busy one does.
    if (this.pending.size === 1) worker.ref()
    worker.postMessage({ id, job } satisfies HashMessage)
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./deno-hash-worker.ts', import.meta.url))
    worker.on('message', (reply: HashReply) => {
      const waiter = this.pending.get(reply.id)
      this.pending.delete(reply.id)
      if (this.pending.size === 0) worker.unref()
      if ('error' in reply) waiter?.reject(new Error(`password hashing failed: ${reply.error}`))
      else waiter?.resolve(reply.value)
    })
    // Dead (out of memory, or it could not start): what it held fails, and the slot's next job starts another.
    const died = (cause: string) => {
      if (this.worker !== worker) return
      this.worker = null
      for (const waiter of this.pending.values()) waiter.reject(new Error(`password hashing worker ${cause}`))
      this.pending.clear()
      void worker.terminate()
    }
    worker.on('error', (err: Error) => died(`failed: ${err.message}`))
    worker.on('exit', (code: number) => died(`exited with ${code}`))
    return worker
  }
}

/**
 * A pool of worker threads, one per core, each running hash-wasm: the platform's HashQueue already bounds how many
 * jobs run at once (one per core), so a job goes to the least busy worker and never waits long there. A worker
 * starts with its first job and then stays (starting one and compiling its WASM costs about 100 ms).
 */
export class HashWorkers {
  private readonly slots = Array.from({ length: Math.max(1, availableParallelism()) }, () => new Slot())
  private nextId = 0

  run<J extends HashJob>(job: J): Promise<HashAnswer<J>> {
    const slot = this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a))
    const id = this.nextId++
    return new Promise((resolve, reject) =>
      slot.post(id, job, { resolve: resolve as (value: string | boolean) => void, reject }),
    )
  }
}
