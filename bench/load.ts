/**
 * Load client, run as its own process so its CPU use is not charged to the measured server.
 *   bun bench/load.ts --url URL [--url URL]... [--method GET] [--header 'k: v']... [--body STR]
 *                     [--connections 64] [--duration 5] [--warmup 1]
 *                     [--chain-field F --chain-initial-file A.json [--chain-out-file B.json]]
 * Prints one JSON line: { requests, errors, rps, p50_ms, p99_ms, first_error? }.
 * Chain mode (rotating tokens): connection i starts with initial[i % n] as body[F] and after
 * each 2xx answer sends the answer's F next; the last value of every chain goes to B.json.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { MeasureWindow, positive } from './window.ts'

// A request stuck longer than this is counted as an error so the run stays bounded.
const REQUEST_TIMEOUT_MS = 10_000

function parseHeaders(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of lines) {
    const at = line.indexOf(':')
    if (at <= 0) throw new Error(`bad --header ${JSON.stringify(line)}, want 'name: value'`)
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim()
  }
  return out
}

interface Chain {
  field: string
  template: Record<string, unknown>
  /** Current value per chain slot; connection i uses slot i % length. */
  values: string[]
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function loadChain(field: string | undefined, file: string | undefined, body: string | undefined): Chain | undefined {
  if (field === undefined && file === undefined) return undefined
  if (field === undefined || file === undefined) throw new Error('--chain-field and --chain-initial-file go together')
  const initial: unknown = JSON.parse(readFileSync(file, 'utf8'))
  if (!Array.isArray(initial) || initial.length === 0 || !initial.every((v) => typeof v === 'string')) {
    throw new Error(`${file}: want a non-empty JSON array of strings`)
  }
  const template: unknown = JSON.parse(body ?? '{}')
  if (!isRecord(template)) throw new Error('chain mode needs a JSON object --body')
  return { field, template, values: initial as string[] }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      // Several: the same request at several nodes, connection i to url i mod n.
      url: { type: 'string', multiple: true, default: [] },
      method: { type: 'string', default: 'GET' },
      header: { type: 'string', multiple: true, default: [] },
      body: { type: 'string' },
      connections: { type: 'string', default: '64' },
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      'chain-field': { type: 'string' },
      'chain-initial-file': { type: 'string' },
      'chain-out-file': { type: 'string' },
    },
  })
  const urls = values.url
  if (urls.length === 0) throw new Error('--url is required')
  const method = values.method
  const headers = parseHeaders(values.header)
  const body = values.body
  const connections = Math.max(1, Math.floor(positive('connections', values.connections)))
  const durationMs = positive('duration', values.duration) * 1000
  const warmupMs = positive('warmup', values.warmup, true) * 1000
  const chain = loadChain(values['chain-field'], values['chain-initial-file'], body)

  // Last-resort bound in case something hangs outside the per-request timeouts.
  setTimeout(
    () => {
      console.error('load: hard time limit reached')
      process.exit(2)
    },
    warmupMs + durationMs + REQUEST_TIMEOUT_MS + 5_000,
  ).unref()

  const window = new MeasureWindow(warmupMs, durationMs)
  const { stopAt } = window

  const worker = async (_: unknown, conn: number): Promise<void> => {
    const slot = chain === undefined ? 0 : conn % chain.values.length
    const url = urls[conn % urls.length]!
    for (;;) {
      const t0 = performance.now()
      if (t0 >= stopAt) return
      let problem: string | undefined
      try {
        const sent =
          chain === undefined ? body : JSON.stringify({ ...chain.template, [chain.field]: chain.values[slot] })
        const res = await fetch(url, { method, headers, body: sent, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
        if (chain !== undefined && res.ok) {
          const answer: unknown = await res.json()
          const next = isRecord(answer) ? answer[chain.field] : undefined
          if (typeof next === 'string') chain.values[slot] = next
          else problem = `chain: answer has no string ${chain.field}`
        } else {
          // Drain the body: the connection is only reused for keep-alive once it is consumed.
          await res.arrayBuffer()
          if (!res.ok) problem = `HTTP ${res.status}`
        }
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err)
      }
      window.record(t0, performance.now(), problem)
    }
  }

  await Promise.all(Array.from({ length: connections }, worker))
  const result = window.result()
  const out = values['chain-out-file']
  if (chain !== undefined && out !== undefined) writeFileSync(out, JSON.stringify(chain.values))
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
