/**
 * The measurement window shared by the load client and the micro references: a warm-up, then a
 * fixed span in which finished operations are recorded, summarised as one LoadResult.
 */
export interface LoadResult {
  requests: number
  errors: number
  rps: number
  p50_ms: number
  p99_ms: number
  first_error?: string
}

export function positive(name: string, raw: string, zeroOk = false): number {
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroOk)) throw new Error(`bad --${name} ${raw}`)
  return n
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i] ?? 0
}

const round = (n: number, places: number): number => Number(n.toFixed(places))

export class MeasureWindow {
  readonly measureFrom: number
  readonly stopAt: number
  private latencies: number[] = []
  private errors = 0
  private firstError: string | undefined

  constructor(
    warmupMs: number,
    private readonly durationMs: number,
  ) {
    this.measureFrom = performance.now() + warmupMs
    this.stopAt = this.measureFrom + durationMs
  }

  /**
   * Counted by completion inside the window, as wrk does: with slow operations (an argon2
   * sign-in under 64-way concurrency takes seconds) counting by start time would drop nearly
   * every operation that was in flight when the window opened.
   */
  record(t0: number, t1: number, problem: string | undefined): void {
    if (t1 < this.measureFrom || t1 > this.stopAt) return
    this.latencies.push(t1 - t0)
    if (problem !== undefined) {
      this.errors++
      this.firstError ??= problem
    }
  }

  result(): LoadResult {
    const sorted = Float64Array.from(this.latencies).sort()
    return {
      requests: this.latencies.length,
      errors: this.errors,
      rps: round(this.latencies.length / (this.durationMs / 1000), 0),
      p50_ms: round(percentile(sorted, 0.5), 3),
      p99_ms: round(percentile(sorted, 0.99), 3),
      ...(this.firstError === undefined ? {} : { first_error: this.firstError }),
    }
  }
}
