import type { Log } from './log'

/**
 * WEB_CONCURRENCY (issue #22): the node's first process runs N-1 more copies of the server entry, each serving
 * HTTP on the same port (SO_REUSEPORT: the kernel spreads connections over them). Only the first one runs the
 * outbox relay, the sweeper and the embedded workers, so nothing is published or swept twice by one node; the
 * others serve requests only. A copy that dies is started again after a second; a copy whose first process is
 * gone (killed, not stopped) stops too, so no orphan keeps the port.
 */
const FLAG = '--http-process'
const RESTART_AFTER_MS = 1_000
const STOP_GRACE_MS = 30_000

/** This process's index among the node's HTTP processes: 0 for the first (the one started by hand). */
export function httpProcessIndex(argv: string[]): number {
  const i = argv.indexOf(FLAG)
  return i >= 0 ? Number(argv[i + 1]) : 0
}

export interface HttpProcesses {
  /** SIGTERM to each copy, and their exits (SIGKILL after a grace period). */
  stop(): Promise<void>
}

/** Starts copies 1..count-1 of this entry with this process's environment and runtime flags. */
export function startHttpProcesses(count: number, log: Log): HttpProcesses {
  let stopping = false
  const running = new Map<number, ReturnType<typeof Bun.spawn>>()
  const start = (index: number) => {
    const proc = Bun.spawn([process.execPath, ...process.execArgv, process.argv[1]!, FLAG, String(index)], {
      env: process.env,
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    running.set(index, proc)
    void proc.exited.then((code) => {
      running.delete(index)
      if (stopping) return
      log.error('http process exited; starting it again', { http_process: index, code })
      setTimeout(() => !stopping && start(index), RESTART_AFTER_MS)
    })
  }
  for (let i = 1; i < count; i++) start(i)
  return {
    async stop() {
      stopping = true
      const procs = [...running.values()]
      for (const proc of procs) proc.kill('SIGTERM')
      const killer = setTimeout(() => procs.forEach((p) => p.kill('SIGKILL')), STOP_GRACE_MS)
      await Promise.all(procs.map((p) => p.exited))
      clearTimeout(killer)
    },
  }
}

/** In a copy: stops it (through `stop`) once the first process is gone, checked every second. */
export function followFirstProcess(stop: () => void): void {
  const first = process.ppid
  const timer = setInterval(() => {
    if (process.ppid !== first) {
      clearInterval(timer)
      stop()
    }
  }, 1_000)
  timer.unref()
}
