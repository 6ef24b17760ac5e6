import { boot } from '../src/boot'
import { startWorker } from '../src/platform/bus/worker'
import { WORKERS } from './index'

/** `npm run worker <name|all>`: consumes from the bus until SIGTERM, then finishes in-flight messages. */
const name = process.argv[2]
const selected = name === 'all' ? Object.values(WORKERS) : WORKERS[name ?? ''] ? [WORKERS[name!]!] : null
if (!selected) {
  const known = Object.keys(WORKERS)
  process.stderr.write(`usage: npm run worker <${['all', ...known].join('|')}>${known.length ? '' : ' (no workers are defined yet)'}\n`)
  process.exit(2)
}

const { deps, log } = await boot({ migrate: false })
const consumers = await Promise.all(selected.map((w) => startWorker(deps, w)))
log.info('workers running', { workers: selected.map((w) => w.name), bus: deps.bus.kind })

const stop = async (signal: string) => {
  log.info('stopping workers', { signal })
  await Promise.all(consumers.map((c) => c.stop()))
  await deps.bus.close()
  await deps.database.close()
  process.exit(0)
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
