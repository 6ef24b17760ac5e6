/** Runs bench/load.ts as a separate process and parses its JSON result. */
import { join } from 'node:path'
import type { LoadOptions, LoadResult, RequestSpec } from './types.ts'

const LOAD_SCRIPT = join(import.meta.dir, 'load.ts')

export function loadArgs(spec: RequestSpec, opts: LoadOptions): string[] {
  const args = ['--url', spec.url, '--method', spec.method ?? 'GET']
  for (const [k, v] of Object.entries(spec.headers ?? {})) args.push('--header', `${k}: ${v}`)
  if (spec.body !== undefined) args.push('--body', spec.body)
  args.push('--connections', String(opts.connections), '--duration', String(opts.duration), '--warmup', String(opts.warmup))
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

export async function runLoad(spec: RequestSpec, opts: LoadOptions): Promise<LoadResult> {
  const proc = Bun.spawn({
    cmd: [process.execPath, LOAD_SCRIPT, ...loadArgs(spec, opts)],
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
      throw new Error(`load.ts failed (exit ${code}): ${err.trim() || out.trim() || 'no output'}`)
    }
    return parsed
  } finally {
    active = undefined
  }
}
