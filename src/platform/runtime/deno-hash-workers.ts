import { availableParallelism } from 'node:os'
import type { HashAnswer, HashJob, HashMessage, HashReply } from './deno-hash-job'

/** Workers left without work this long are stopped, so that an idle process (a test run) can exit. */
const IDLE_MS = 10_000

interface Slot {
  worker: Worker
  pending: Map<number, { resolve(value: string | boolean): void; reject(err: Error): void }>
}

/**
 * A pool of module workers, one per core, each running hash-wasm: the platform's HashQueue already bounds how
 * many jobs run at once (one per core), so a job goes to the least busy worker and never waits long there.
 */
export class HashWorkers {
  private slots: Slot[] = []
  private nextId = 0
  private idleTimer: ReturnType<typeof setTimeout> | null = null

  run<J extends HashJob>(job: J): Promise<HashAnswer<J>> {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
    if (this.slots.length === 0) this.slots = Array.from({ length: Math.max(1, availableParallelism()) }, start)
    const slot = this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (value: string | boolean) => void, reject })
      slot.worker.postMessage({ id, job } satisfies HashMessage)
    }).finally(() => this.stopWhenIdle()) as Promise<HashAnswer<J>>
  }

  private stopWhenIdle() {
    if (this.slots.some((s) => s.pending.size > 0)) return
    this.idleTimer = setTimeout(() => {
      for (const slot of this.slots) slot.worker.terminate()
      this.slots = []
    }, IDLE_MS)
    unrefTimer(this.idleTimer)
  }
}

function start(): Slot {
  const slot: Slot = { worker: null as unknown as Worker, pending: new Map() }
  const spawn = () => {
    const worker = new Worker(new URL('./deno-hash-worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = ({ data }: MessageEvent<HashReply>) => {
      const waiter = slot.pending.get(data.id)
      slot.pending.delete(data.id)
      if ('error' in data) waiter?.reject(new Error(`password hashing failed: ${data.error}`))
      else waiter?.resolve(data.value)
    }
    // A worker that died (out of memory, say) fails what it held and is replaced; the pool keeps its size.
    worker.onerror = (event) => {
      event.preventDefault()
      for (const waiter of slot.pending.values()) waiter.reject(new Error('password hashing worker failed'))
      slot.pending.clear()
      worker.terminate()
      slot.worker = spawn()
    }
    return worker
  }
  slot.worker = spawn()
  return slot
}

/** A timer that does not keep the process alive (Deno's timers are numbers; Node's and Bun's have unref). */
function unrefTimer(timer: ReturnType<typeof setTimeout>) {
  const deno = (globalThis as { Deno?: { unrefTimer(id: number): void } }).Deno
  if (typeof timer === 'number') deno?.unrefTimer(timer)
  else timer.unref?.()
}
