import { boot } from '../src/boot'
import { declareWorkers, startWorker } from '../src/platform/bus/worker'
import { stopWork } from '../src/platform/graceful-stop'
import { WORKERS } from './index'

/**
 * `npm run worker <relay|delivery|webhooks|all>`: runs workers outside the HTTP process against
 * the configured bus until SIGTERM, then stops taking messages and finishes the ones in flight.
 * `relay` publishes the outbox (HTTP nodes also do, so this is for dedicated relay processes).
 */
const name = process.argv[2] ?? ''
const names = name === 'all' ? ['relay', ...Object.keys(WORKERS)] : [name]
if (!names.every((n) => n === 'relay' || WORKERS[n])) {
  process.stderr.write(`usage: npm run worker <${['relay', ...Object.keys(WORKERS), 'all'].join('|')}>\n`)
  process.exit(2)
}

const { deps, log } = await boot({ migrate: false })
await declareWorkers(deps.bus, Object.values(WORKERS))
if (names.includes('relay')) deps.relay.start()
const consumers = await Promise.all(names.filter((n) => n !== 'relay').map((n) => startWorker(deps, WORKERS[n]!)))
log.info('workers running', { workers: names, bus: deps.bus.kind })

const stop = async (signal: string) => {
  log.info('stopping workers', { signal })
  await stopWork(deps, consumers)
  await deps.database.close()
  process.exit(0)
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
