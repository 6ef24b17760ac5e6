/**
 * Load client, run as its own process so its CPU use is not charged to the measured server.
 *   bun bench/load.ts --url URL [--method GET] [--header 'k: v']... [--body STR]
 *                     [--connections 64] [--duration 5] [--warmup 1]
 * Prints one JSON line: { requests, errors, rps, p50_ms, p99_ms, first_error? }.
 */
import { parseArgs } from 'node:util'

export interface LoadResult {
  requests: number
  errors: number
  rps: number
  p50_ms: number
  p99_ms: number
  first_error?: string
}

// A request stuck longer than this is counted as an error so the run stays bounded.
const REQUEST_TIMEOUT_MS = 10_000

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i] ?? 0
}

function positive(name: string, raw: string, zeroOk = false): number {
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroOk)) throw new Error(`bad --${name} ${raw}`)
  return n
}

const round = (n: number, places: number): number => Number(n.toFixed(places))

function parseHeaders(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of lines) {
    const at = line.indexOf(':')
    if (at <= 0) throw new Error(`bad --header ${JSON.stringify(line)}, want 'name: value'`)
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim()
  }
  return out
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      method: { type: 'string', default: 'GET' },
      header: { type: 'string', multiple: true, default: [] },
      body: { type: 'string' },
      connections: { type: 'string', default: '64' },
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
    },
  })
  if (!values.url) throw new Error('--url is required')
  const url = values.url
  const method = values.method
  const headers = parseHeaders(values.header)
  const body = values.body
  const connections = Math.max(1, Math.floor(positive('connections', values.connections)))
  const durationMs = positive('duration', values.duration) * 1000
  const warmupMs = positive('warmup', values.warmup, true) * 1000

  // Last-resort bound in case something hangs outside the per-request timeouts.
  setTimeout(() => {
    console.error('load: hard time limit reached')
    process.exit(2)
  }, warmupMs + durationMs + REQUEST_TIMEOUT_MS + 5_000).unref()

  const latencies: number[] = []
  let errors = 0
  let firstError: string | undefined
  const start = performance.now()
  const measureFrom = start + warmupMs
  const stopAt = measureFrom + durationMs

  const worker = async (): Promise<void> => {
    for (;;) {
      const t0 = performance.now()
      if (t0 >= stopAt) return
      let problem: string | undefined
      try {
        const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
        // Drain the body: the connection is only reused for keep-alive once it is consumed.
        await res.arrayBuffer()
        if (!res.ok) problem = `HTTP ${res.status}`
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err)
      }
      const t1 = performance.now()
      if (t0 < measureFrom) continue
      latencies.push(t1 - t0)
      if (problem !== undefined) {
        errors++
        firstError ??= problem
      }
    }
  }

  await Promise.all(Array.from({ length: connections }, worker))
  // Requests started inside the window may finish after it; divide by the real span.
  const elapsedS = (Math.max(performance.now(), stopAt) - measureFrom) / 1000
  const sorted = Float64Array.from(latencies).sort()
  const result: LoadResult = {
    requests: latencies.length,
    errors,
    rps: round(latencies.length / elapsedS, 0),
    p50_ms: round(percentile(sorted, 0.5), 3),
    p99_ms: round(percentile(sorted, 0.99), 3),
    ...(firstError === undefined ? {} : { first_error: firstError }),
  }
  console.log(JSON.stringify(result))
}

if (import.meta.main) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`load: ${err instanceof Error ? err.message : String(err)}`)
      process.exit(1)
    },
  )
}
