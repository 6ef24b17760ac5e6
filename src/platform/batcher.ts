/**
 * Group commit. Calls with the same key that arrive while that key's batches are all busy wait
 * and then go together in the next one, so N concurrent requests cost one transaction instead
 * of N (a transaction's fixed cost — BEGIN, tenant settings, COMMIT, a WAL flush — dominates a
 * small write). An idle key runs a call at once: no timer, no added latency without load.
 */
export interface BatcherOptions {
  /** Items per batch at most. */
  maxBatch: number
  /** Batches of one key running at once (e.g. a share of the connection pool). */
  maxInFlight: number
}

interface Waiting<I, O> {
  item: I
  resolve: (value: O) => void
  reject: (err: unknown) => void
}

interface Lane<I, O> {
  queue: Waiting<I, O>[]
  inFlight: number
}

export class Batcher<I, O> {
  private readonly lanes = new Map<string, Lane<I, O>>()

  /** `run` answers every item of a batch, in order; if it throws, each item of that batch fails with the error. */
  constructor(
    private readonly run: (key: string, items: I[]) => Promise<O[]>,
    private readonly options: BatcherOptions,
  ) {}

  submit(key: string, item: I): Promise<O> {
    let lane = this.lanes.get(key)
    if (!lane) this.lanes.set(key, (lane = { queue: [], inFlight: 0 }))
    const done = new Promise<O>((resolve, reject) => lane.queue.push({ item, resolve, reject }))
    if (lane.inFlight < this.options.maxInFlight) void this.drain(key, lane)
    return done
  }

  private async drain(key: string, lane: Lane<I, O>): Promise<void> {
    const batch = lane.queue.splice(0, this.options.maxBatch)
    lane.inFlight++
    try {
      const outputs = await this.run(
        key,
        batch.map((w) => w.item),
      )
      batch.forEach((w, i) => w.resolve(outputs[i]!))
    } catch (err) {
      for (const w of batch) w.reject(err)
    } finally {
      lane.inFlight--
      if (lane.queue.length) void this.drain(key, lane)
      else if (lane.inFlight === 0) this.lanes.delete(key)
    }
  }
}
