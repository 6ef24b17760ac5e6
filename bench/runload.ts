/** Runs bench/load.ts (or bench/micro.ts) as a separate process and parses its JSON result. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LoadOptions, LoadResult, RequestSpec } from './types.ts'

const LOAD_SCRIPT = join(import.meta.dir, 'load.ts')

export function optionArgs(opts: LoadOptions): string[] {
  return [
    '--connections',
    String(opts.connections),
    '--duration',
    String(opts.duration),
    '--warmup',
    String(opts.warmup),
  ]
}

/** `chainFiles` is where the chain's initial values are, and where its last values go. */
export function loadArgs(
  spec: RequestSpec,
  opts: LoadOptions,
  chainFiles?: { initial: string; out: string },
): string[] {
  const args = [...[spec.url, ...(spec.also ?? [])].flatMap((url) => ['--url', url]), '--method', spec.method ?? 'GET']
  for (const [k, v] of Object.entries(spec.headers ?? {})) args.push('--header', `${k}: ${v}`)
  if (spec.body !== undefined) args.push('--body', spec.body)
  if (spec.chain !== undefined && chainFiles !== undefined) {
    args.push(
      '--chain-field',
      spec.chain.field,
      '--chain-initial-file',
      chainFiles.initial,
      '--chain-out-file',
      chainFiles.out,
    )
  }
  args.push(...optionArgs(opts))
  return args
}

function isLoadResult(v: unknown): v is LoadResult {
  if (typeof v !== 'object' || v === null) return false
  const r = v as Record<string, unknown>
  return ['requests', 'errors', 'rps', 'p50_ms', 'p99_ms'].every((k) => typeof r[k] === 'number')
}

let active: Bun.Subprocess | undefined
/** Lets the signal handler stop a load run that is in flight. */
export function killActiveLoad(): void {
  active?.kill('SIGKILL')
}

/** Runs `bun <script> ...args` and parses the LoadResult on the last line of its stdout. */
export async function runJsonChild(script: string, args: string[]): Promise<LoadResult> {
  const proc = Bun.spawn({
    cmd: [process.execPath, script, ...args],
    stdout: 'pipe',
    stderr: 'pipe',
    stdin: 'ignore',
  })
  active = proc
  try {
    const [out, err, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ])
    const last = out.trim().split('\n').pop() ?? ''
    let parsed: unknown
    try {
      parsed = JSON.parse(last)
    } catch {
      parsed = undefined
    }
    if (code !== 0 || !isLoadResult(parsed)) {
      const name = script.split('/').pop() ?? script
      throw new Error(`${name} failed (exit ${code}): ${err.trim() || out.trim() || 'no output'}`)
    }
    return parsed
  } finally {
    active = undefined
  }
}

export async function runLoad(spec: RequestSpec, opts: LoadOptions): Promise<LoadResult> {
  const chain = spec.chain
  if (chain === undefined) return runJsonChild(LOAD_SCRIPT, loadArgs(spec, opts))
  const dir = mkdtempSync(join(tmpdir(), 'tessera-chain-'))
  try {
    const files = { initial: join(dir, 'initial.json'), out: join(dir, 'out.json') }
    writeFileSync(files.initial, JSON.stringify(chain.initial))
    const result = await runJsonChild(LOAD_SCRIPT, loadArgs(spec, opts, files))
    // The tokens just sent are spent: the next run must continue from the last ones.
    const last: unknown = JSON.parse(readFileSync(files.out, 'utf8'))
    if (!Array.isArray(last) || !last.every((v) => typeof v === 'string'))
      throw new Error('load.ts wrote a bad chain file')
    chain.initial = last as string[]
    return result
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
