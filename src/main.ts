import { createApp } from './app'
import { boot } from './boot'
import { ConfigError } from './config'
import { declareWorkers, startWorker } from './platform/bus/worker'
import { stopWork } from './platform/graceful-stop'
import { TRANSPORT_BODY_LIMIT } from './platform/http/body'
import { WORKERS } from '../workers/index'
import { startSweeper } from '../workers/sweeper'

/** Process entry: boot, listen, and shut down gracefully on SIGTERM/SIGINT. */
async function main() {
  const startedAt = performance.now()
  const { deps, log, config } = await boot({ migrate: true })
  deps.changes.start()
  await declareWorkers(deps.bus, Object.values(WORKERS))
  deps.relay.start()
  const sweeper = startSweeper(deps)
  const consumers =
    config.workers === 'embedded' ? await Promise.all(Object.values(WORKERS).map((w) => startWorker(deps, w))) : []
  const app = createApp(deps).listen({ port: config.port, maxRequestBodySize: TRANSPORT_BODY_LIMIT })
  log.info('listening', {
    port: config.port,
    public_url: config.publicUrl,
    database: deps.database.kind,
    bus: deps.bus.kind,
    workers: config.workers,
    platform_key: config.platformKeyFile ?? 'PLATFORM_API_KEY',
    boot_ms: Math.round(performance.now() - startedAt),
  })

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    deps.state.shuttingDown = true
    log.info('shutting down', { signal })
    // stop() refuses new connections and resolves once in-flight requests have finished.
    await app.server?.stop()
    await stopWork(deps, consumers)
    sweeper.stop()
    deps.changes.stop()
    await deps.database.close()
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`tessera: invalid configuration: ${err.message}\n`)
  } else {
    process.stderr.write(`tessera: failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
  }
  process.exit(1)
})
