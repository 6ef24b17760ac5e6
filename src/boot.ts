import { loadConfig, type Config } from './config'
import { makeDeps, type Deps } from './deps'
import { createBus } from './platform/bus/index'
import { systemClock } from './platform/clock'
import { connectPostgres, openPglite, type Database } from './platform/db/client'
import { migrate } from './platform/db/migrate'
import { createLog, type Log } from './platform/log'
import { join } from 'node:path'

/** config → database → migrations → bus → deps: shared by the server, `migrate` and `worker`. */
export async function boot(options: { migrate: boolean }): Promise<{ deps: Deps; log: Log; config: Config }> {
  const config = loadConfig()
  const log = createLog(config.logLevel, { service: 'tessera' })
  for (const path of config.generated) log.warn('generated a secret file; keep it private and back it up', { path })
  const database: Database = config.databaseUrl
    ? // The node's processes share its pool budget (10 connections), at least 2 each.
      connectPostgres(config.databaseUrl, Math.max(2, Math.ceil(10 / config.webConcurrency)))
    : await openPglite(join(config.dataDir, 'pglite'))
  if (options.migrate) await migrate(database)
  const bus = await createBus({ natsUrl: config.natsUrl ?? undefined, log })
  const deps = await makeDeps({ config, database, bus, clock: systemClock, log })
  deps.state.migrated = options.migrate
  return { deps, log, config }
}
