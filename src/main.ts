import { createApp } from './app'
import { boot } from './boot'
import { ConfigError } from './config'
import type { Deps } from './deps'
import { declareWorkers, startWorker } from './platform/bus/worker'
import { stopWork } from './platform/graceful-stop'
import { followFirstProcess, httpProcessOf, startHttpProcesses } from './platform/http-processes'
import { runtime } from './platform/runtime/runtime'
import { WORKERS } from '../workers/index'
import { startSweeper } from '../workers/sweeper'

/**
 * Process entry: boot, listen, and shut down gracefully on SIGTERM/SIGINT. With WEB_CONCURRENCY > 1 the first
 * process also starts the node's other HTTP processes (platform/http-processes.ts); they serve requests only.
 */
async function main() {
  const startedAt = performance.now()
  const { index, firstPid } = httpProcessOf(process.argv)
  const first = index === 0
  // Until it can stop gracefully (booting), a copy whose first process is gone just exits.
  let stop = (_reason: string): void => process.exit(0)
  if (firstPid !== null) followFirstProcess(firstPid, () => stop('first process gone'))
  // The first process migrates before it starts the others; they find every migration applied (under the same
  // advisory lock), which is also what their /ready reports.
  const { deps, log, config } = await boot({ migrate: true })
  deps.changes.start()
  const background = first ? await startBackground(deps, config.workers) : null
  const listener = runtime.serve(createApp(deps), { port: config.port, reusePort: config.webConcurrency > 1 })
  // Once this one listens: a first process that cannot take the port starts no copy that could.
  const copies = first && config.webConcurrency > 1 ? startHttpProcesses(config.webConcurrency, log) : null
  log.info('listening', {
    port: config.port,
    runtime: `${runtime.name} ${runtime.version}`,
    public_url: config.publicUrl,
    database: deps.database.kind,
    bus: deps.bus.kind,
    workers: first ? config.workers : 'none',
    http_process: index,
    http_processes: config.webConcurrency,
    platform_key: config.platformKeyFile ?? 'PLATFORM_API_KEY',
    boot_ms: Math.round(performance.now() - startedAt),
  })

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    deps.state.shuttingDown = true
    log.info('shutting down', { signal, http_process: index })
    // stop() refuses new connections and resolves once in-flight requests have finished.
    await Promise.all([listener.stop(), copies?.stop()])
    await background?.stop()
    deps.changes.stop()
    await deps.database.close()
    log.info('stopped', { http_process: index })
    process.exit(0)
  }
  stop = (reason) => {
    void shutdown(reason)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

/** The node's background work, in its first process only: the outbox relay, the sweeper, embedded workers. */
async function startBackground(deps: Deps, workers: 'embedded' | 'none') {
  await declareWorkers(deps.bus, Object.values(WORKERS))
  deps.relay.start()
  const sweeper = startSweeper(deps)
  const consumers =
    workers === 'embedded' ? await Promise.all(Object.values(WORKERS).map((w) => startWorker(deps, w))) : []
  return {
    async stop() {
      await stopWork(deps, consumers)
      sweeper.stop()
    },
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`tessera: invalid configuration: ${err.message}\n`)
  } else {
    process.stderr.write(`tessera: failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
  }
  process.exit(1)
})
