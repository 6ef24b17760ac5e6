import { type ChildProcess, spawn } from 'node:child_process'
import type { Log } from './log'
import { runtime } from './runtime/runtime'

/**
 * WEB_CONCURRENCY (issue #22): the node's first process runs N-1 more copies of the server entry, each serving
 * HTTP on the same port (SO_REUSEPORT: the kernel spreads connections over them). Only the first one runs the
 * outbox relay, the sweeper and the embedded workers, so nothing is published or swept twice by one node; the
 * others serve requests only. A copy that dies is started again, after 1 s and up to 30 s when it keeps dying;
 * a copy whose first process is gone (killed, not stopped) stops too, so no orphan keeps the port.
 */
const INDEX_FLAG = '--http-process'
const PARENT_FLAG = '--first-process'
const RESTART_MIN_MS = 1_000
const RESTART_MAX_MS = 30_000
/** A copy that lived this long was healthy: its next restart waits the minimum again. */
const HEALTHY_AFTER_MS = 60_000
const STOP_GRACE_MS = 30_000

/** This process's index among the node's HTTP processes (0 for the one started by hand) and its first one's pid. */
export function httpProcessOf(argv: string[]): { index: number; firstPid: number | null } {
  const value = (flag: string) => {
    const i = argv.indexOf(flag)
    return i >= 0 ? Number(argv[i + 1]) : null
  }
  return { index: value(INDEX_FLAG) ?? 0, firstPid: value(PARENT_FLAG) }
}

export interface HttpProcesses {
  /** SIGTERM to each copy, and their exits (SIGKILL after a grace period). */
  stop(): Promise<void>
}

/** Starts copies 1..count-1 of this entry with this process's environment, runtime and its flags. */
export function startHttpProcesses(count: number, log: Log): HttpProcesses {
  let stopping = false
  const running = new Map<number, { proc: ChildProcess; exited: Promise<number | null> }>()
  const [command, ...args] = runtime.selfCommand()
  const start = (index: number, delayMs: number) => {
    const startedAt = performance.now()
    const proc = spawn(command!, [...args, INDEX_FLAG, String(index), PARENT_FLAG, String(process.pid)], {
      env: process.env,
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
    running.set(index, { proc, exited })
    void exited.then((code) => {
      running.delete(index)
      if (stopping) return
      const healthy = performance.now() - startedAt >= HEALTHY_AFTER_MS
      const next = healthy ? RESTART_MIN_MS : Math.min(RESTART_MAX_MS, delayMs * 2)
      log.error('http process exited; starting it again', { http_process: index, code, after_ms: next })
      setTimeout(() => !stopping && start(index, next), next)
    })
  }
  for (let i = 1; i < count; i++) start(i, RESTART_MIN_MS / 2)
  return {
    async stop() {
      stopping = true
      const procs = [...running.values()]
      for (const { proc } of procs) proc.kill('SIGTERM')
      const killer = setTimeout(() => procs.forEach(({ proc }) => proc.kill('SIGKILL')), STOP_GRACE_MS)
      await Promise.all(procs.map((p) => p.exited))
      clearTimeout(killer)
    },
  }
}

/**
 * In a copy, from its first moment: calls `stop` once the first process (`firstPid`, given on the command line,
 * so a copy that was still booting when it died notices too) is gone, checked every second.
 */
export function followFirstProcess(firstPid: number, stop: () => void): void {
  const timer = setInterval(() => {
    if (process.ppid !== firstPid) {
      clearInterval(timer)
      stop()
    }
  }, 1_000)
  timer.unref()
}
