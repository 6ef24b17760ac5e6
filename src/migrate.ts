import { boot } from './boot'

/** `npm run migrate`: applies pending migrations and exits (safe while nodes are running). */
const { deps, log } = await boot({ migrate: true })
log.info('migrations applied', { database: deps.database.kind })
await deps.bus.close()
await deps.database.close()
