/** Child-process bookkeeping: every process the bench starts is stopped when it ends. */
import type { Subprocess } from 'bun'
import { openSync, readFileSync } from 'node:fs'

export interface Child {
  name: string
  proc: Subprocess
  log: string
}

const children: Child[] = []

export async function freePort(): Promise<number> {
  // Let the OS pick, then release it; the tiny reuse race is acceptable for a bench.
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  const port = probe.port
  await probe.stop(true)
  if (port === undefined) throw new Error('could not obtain a free port')
  return port
}

/** Output goes to a file, not our stdout, so the final JSON line stays the last line. */
export function start(
  name: string,
  cmd: string[],
  opts: { cwd: string; env: Record<string, string | undefined>; log: string },
): Child {
  const fd = openSync(opts.log, 'a')
  const proc = Bun.spawn({ cmd, cwd: opts.cwd, env: opts.env, stdout: fd, stderr: fd, stdin: 'ignore' })
  const child: Child = { name, proc, log: opts.log }
  children.push(child)
  return child
}

export function logTail(child: Child, lines = 20): string {
  try {
    return readFileSync(child.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Polls until `url` answers 200; fails early if the child dies. */
export async function waitHealthy(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs
  let last = 'no answer'
  while (performance.now() < deadline) {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
      throw new Error(
        `${child.name} exited (${child.proc.exitCode ?? child.proc.signalCode}) before ${url} was healthy:\n${logTail(child)}`,
      )
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      await res.arrayBuffer()
      if (res.status === 200) return
      last = `HTTP ${res.status}`
    } catch (err) {
      last = err instanceof Error ? err.message : String(err)
    }
    await sleep(200)
  }
  throw new Error(`${child.name}: ${url} not healthy after ${timeoutMs / 1000}s (last: ${last}):\n${logTail(child)}`)
}

/** SIGTERM first so the server can close its embedded stores cleanly, SIGKILL if it lingers. */
export async function stopAll(graceMs = 3_000): Promise<void> {
  const live = children.splice(0).filter((c) => c.proc.exitCode === null && c.proc.signalCode === null)
  for (const c of live) c.proc.kill('SIGTERM')
  await Promise.all(
    live.map(async (c) => {
      const done = await Promise.race([c.proc.exited.then(() => true), sleep(graceMs).then(() => false)])
      if (!done) c.proc.kill('SIGKILL')
    }),
  )
}

let installed = false
export function installExitHandlers(cleanup: () => void = () => {}): void {
  if (installed) return
  installed = true
  // 'exit' handlers must be synchronous: signal whatever is still alive and leave.
  process.on('exit', () => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL')
    cleanup()
  })
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      console.error(`\nbench: ${sig}, stopping children`)
      void stopAll(1_000).finally(() => process.exit(130))
    })
  }
}
