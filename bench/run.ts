/**
 * Benchmark harness: `bun bench/run.ts [--duration 5] [--connections 64] [--warmup 1]
 * [--rounds 1] [--scenario NAME[,NAME]]... [--concurrency N | --nodes N] [--runtime bun|deno] [--self-test] [--keep]`.
 * Starts the real server (on Bun, or on Deno as `npm run start:deno` runs it) and the references,
 * runs each scenario's load against both, prints one line per scenario and, last, one JSON
 * line (also written to bench/results/latest.json). Missing a target is reported, not fatal.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { entryCommand } from '../tests/support/entry.ts'
import { freePort, installExitHandlers, logTail, start, stopAll, waitHealthy } from './procs.ts'
import type { Child } from './procs.ts'
import { reference, startBaseline } from './references.ts'
import { killActiveLoad, runLoad } from './runload.ts'
import { measureCodeLatency } from './code-latency.ts'
import { scenarios } from './scenarios.ts'
import type { LoadOptions, LoadResult, Scenario, ServerInfo } from './types.ts'

const ROOT = resolve(import.meta.dir, '..')
/** `--scenario code_email`: the commit-to-delivery latency of a code email (run with every full bench). */
const CODE_EMAIL = 'code_email'

interface ScenarioResult {
  name: string
  against: string
  target: Scenario['target']
  server?: LoadResult
  reference?: LoadResult
  ratio?: number
  pass: boolean
  error?: string
  /** Seconds per load run, present only when the scenario's minDuration raised it. */
  duration?: number
  /** With --concurrency or --nodes: the same scenario over N processes or nodes, and its rps over one's. */
  scaling?: { over: string; server: LoadResult; factor: number }
}

function num(name: string, raw: string): number {
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) throw new Error(`bad --${name} ${raw}`)
  return n
}

let serversStarted = 0
/** The runtime Tessera's server runs on (--runtime). */
let runtime: 'bun' | 'deno' = 'bun'

/** `publicUrl`: another node's, so that every node of one installation names the same issuer. */
async function startServer(
  tmp: string,
  processes = 1,
  publicUrl?: string,
): Promise<{ info: ServerInfo; child: Child }> {
  const n = ++serversStarted
  const port = await freePort()
  const platformKey = randomBytes(24).toString('base64url')
  const dataDir = join(tmp, `data-${n}`)
  mkdirSync(dataDir)
  // process.env passes DATABASE_URL / NATS_URL through only when the caller set them;
  // otherwise the server falls back to its embedded stores.
  const env = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    PLATFORM_API_KEY: platformKey,
    LOG_LEVEL: 'warn',
    WEB_CONCURRENCY: String(processes),
    ...(publicUrl ? { PUBLIC_URL: publicUrl } : {}),
  }
  const name = n === 1 ? 'server' : `server-${n}`
  const child = start(name, entryCommand('src/main.ts', runtime), { cwd: ROOT, env, log: join(tmp, `${name}.log`) })
  const baseUrl = `http://127.0.0.1:${port}`
  await waitHealthy(child, `${baseUrl}/health`, 60_000)
  return { info: { baseUrl, port, platformKey }, child }
}

/** Median round by rps, but errors from every round, so one bad round is never hidden. */
function medianByRps(runs: LoadResult[]): LoadResult {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps)
  const mid = sorted[Math.floor(sorted.length / 2)]
  if (mid === undefined) throw new Error('no load runs')
  const errors = runs.reduce((n, r) => n + r.errors, 0)
  const first = runs.find((r) => r.first_error !== undefined)?.first_error
  return { ...mid, errors, ...(first === undefined ? {} : { first_error: first }) }
}

const ms = (n: number): string => `${n < 10 ? n.toFixed(1) : n.toFixed(0)}ms`

function describe(r: ScenarioResult): string {
  const name = r.name.padEnd(19)
  if (r.error !== undefined || r.server === undefined || r.reference === undefined || r.ratio === undefined) {
    return `${name}ERROR ${r.error ?? 'incomplete'}`
  }
  const s = r.server
  const targets = [`≥ ${r.target.ratio}`, ...(r.target.p99_ms === undefined ? [] : [`p99 ≤ ${r.target.p99_ms}ms`])]
  const errs = s.errors + r.reference.errors
  const verdict = r.pass
    ? 'PASS'
    : `MISS${errs > 0 ? ` (${s.errors} server / ${r.reference.errors} ${r.against} errors: ${s.first_error ?? r.reference.first_error ?? ''})` : ''}`
  return (
    `${name}server ${s.rps} rps p50 ${ms(s.p50_ms)} p99 ${ms(s.p99_ms)} | ` +
    `${r.against} ${r.reference.rps} rps | ratio ${r.ratio.toFixed(2)} (target ${targets.join(', ')}) ${verdict}`
  )
}

async function runScenario(
  sc: Scenario,
  server: ServerInfo,
  options: LoadOptions,
  env: { root: string; tmp: string },
  selfTest: boolean,
  rounds: number,
  /** Other nodes' base URLs (`--nodes`): the load is spread over `server` and these. */
  others: string[] = [],
): Promise<ScenarioResult> {
  const duration = Math.max(options.duration, sc.minDuration ?? 0)
  const load = { ...options, duration, warmup: Math.max(options.warmup, sc.minWarmup ?? 0) }
  const base: ScenarioResult = {
    name: sc.name,
    against: sc.against,
    target: sc.target,
    pass: false,
    ...(duration === options.duration ? {} : { duration }),
  }
  try {
    // In self-test the "server" is a second baseline, which cannot do the set-up calls.
    const made = selfTest ? { url: `${server.baseUrl}/self-test/${sc.name}` } : await sc.setup(server, load)
    const spec = others.length ? { ...made, also: others.map((base) => made.url.replace(server.baseUrl, base)) } : made
    const ref = await reference(sc.against, env)
    // Alternating rounds and keeping the median damps noise from neighbours on shared hosts.
    const serverRuns: LoadResult[] = []
    const refRuns: LoadResult[] = []
    for (let i = 0; i < rounds; i++) {
      serverRuns.push(await runLoad(spec, load))
      refRuns.push(await ref({ scenario: sc, spec, load }))
    }
    const serverResult = medianByRps(serverRuns)
    const refResult = medianByRps(refRuns)
    const ratio = refResult.rps > 0 ? serverResult.rps / refResult.rps : 0
    const pass =
      serverResult.errors === 0 &&
      refResult.errors === 0 &&
      ratio >= sc.target.ratio &&
      (sc.target.p99_ms === undefined || serverResult.p99_ms <= sc.target.p99_ms)
    return { ...base, server: serverResult, reference: refResult, ratio: Number(ratio.toFixed(3)), pass }
  } catch (err) {
    return { ...base, error: err instanceof Error ? err.message : String(err) }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '64' },
      warmup: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '1' },
      scenario: { type: 'string', multiple: true, default: [] },
      'self-test': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      concurrency: { type: 'string', default: '1' },
      nodes: { type: 'string', default: '1' },
      runtime: { type: 'string', default: 'bun' },
    },
  })
  // --runtime deno: the server runs as `npm run start:deno` runs it; the references stay as they are.
  if (values.runtime !== 'bun' && values.runtime !== 'deno') throw new Error(`bad --runtime ${values.runtime}`)
  runtime = values.runtime
  // --concurrency N: each scenario also against a server of N HTTP processes (WEB_CONCURRENCY); --nodes N: also
  // spread over N servers on the same database. Either is reported as its scaling over the one-process server of
  // the same run. PostgreSQL only (the embedded database lives in one process).
  const processes = Math.max(1, Math.floor(num('concurrency', values.concurrency)))
  const nodes = Math.max(1, Math.floor(num('nodes', values.nodes)))
  if ((processes > 1 || nodes > 1) && !process.env.DATABASE_URL)
    throw new Error('--concurrency and --nodes above 1 need DATABASE_URL')
  const load: LoadOptions = {
    duration: num('duration', values.duration),
    connections: Math.max(1, Math.floor(num('connections', values.connections))),
    warmup: num('warmup', values.warmup),
  }
  const rounds = Math.max(1, Math.floor(num('rounds', values.rounds)))
  const selfTest = values['self-test']
  const wanted = values.scenario.flatMap((names) => names.split(','))
  const unknown = wanted.filter((n) => n !== CODE_EMAIL && !scenarios.some((s) => s.name === n))
  if (unknown.length > 0)
    throw new Error(`unknown scenario ${unknown.join(', ')}; have ${scenarios.map((s) => s.name).join(', ')}`)
  const selected = wanted.length === 0 ? scenarios : scenarios.filter((s) => wanted.includes(s.name))

  const tmp = mkdtempSync(join(tmpdir(), 'tessera-bench-'))
  installExitHandlers(() => {
    killActiveLoad()
    if (!values.keep) rmSync(tmp, { recursive: true, force: true })
  })
  const env = { root: ROOT, tmp }

  let server: ServerInfo
  let serverChild: Child | undefined
  if (selfTest) {
    const b = await startBaseline(env, 'self-test-server')
    server = { ...b, platformKey: '' }
  } else {
    ;({ info: server, child: serverChild } = await startServer(tmp))
  }
  const wide = selfTest
    ? undefined
    : processes > 1
      ? { label: `${processes} processes`, server: (await startServer(tmp, processes)).info, others: [] }
      : nodes > 1
        ? {
            label: `${nodes} nodes`,
            server,
            others: await Promise.all(
              Array.from(
                { length: nodes - 1 },
                async () => (await startServer(tmp, 1, `http://localhost:${server.port}`)).info.baseUrl,
              ),
            ),
          }
        : undefined

  const results: ScenarioResult[] = []
  for (const sc of selected) {
    const r = await runScenario(sc, server, load, env, selfTest, rounds)
    // A crash under load otherwise shows up only as a wall of ECONNREFUSED errors.
    const died =
      serverChild !== undefined && (serverChild.proc.exitCode !== null || serverChild.proc.signalCode !== null)
    if (died && serverChild !== undefined) {
      const how = serverChild.proc.exitCode ?? serverChild.proc.signalCode
      r.pass = false
      r.error = `server exited (${how}) during the scenario:\n${logTail(serverChild)}`
    }
    if (wide && r.server) {
      const spread = await runScenario(sc, wide.server, load, env, false, rounds, wide.others)
      if (spread.server)
        r.scaling = {
          over: wide.label,
          server: spread.server,
          factor: Number((spread.server.rps / r.server.rps).toFixed(2)),
        }
      results.push(r)
      console.log(describe(r))
      console.log(`${''.padEnd(19)}${wide.label}: ${describe({ ...spread, name: '' }).trim()} | ×${r.scaling?.factor}`)
    } else {
      results.push(r)
      console.log(describe(r))
    }
    if (died) break
  }
  // Not a load: one code email at a time, commit to dev mailbox (bench/code-latency.ts).
  const skipCodeEmail = selfTest || (wanted.length > 0 && !wanted.includes(CODE_EMAIL))
  const codeEmail = skipCodeEmail
    ? undefined
    : await measureCodeLatency(server).catch((err: unknown) => ({ error: String(err) }))
  if (codeEmail) {
    const line =
      'error' in codeEmail
        ? `ERROR ${codeEmail.error}`
        : `commit to delivery p50 ${ms(codeEmail.p50_ms)} p99 ${ms(codeEmail.p99_ms)} (${codeEmail.samples} samples)`
    console.log(`${CODE_EMAIL.padEnd(17)}${line}`)
  }
  await stopAll()

  const report = {
    at: new Date().toISOString(),
    self_test: selfTest,
    bun: Bun.version,
    server_runtime: runtime,
    cpus: availableParallelism(),
    options: { ...load, rounds },
    scenarios: results,
    ...(codeEmail ? { code_email_latency: codeEmail } : {}),
  }
  const json = JSON.stringify(report)
  mkdirSync(join(import.meta.dir, 'results'), { recursive: true })
  writeFileSync(join(import.meta.dir, 'results', 'latest.json'), json + '\n')
  console.log(json)
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`)
    await stopAll(1_000)
    process.exit(1)
  },
)
