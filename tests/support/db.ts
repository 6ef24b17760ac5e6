import { connectPostgres, openPglite, type Database } from '../../src/platform/db/client'
import { migrate } from '../../src/platform/db/migrate'

/**
 * One migrated database per test process: Postgres when DATABASE_URL is set, else in-memory
 * PGlite (whose fresh start costs seconds, so test files share it). Tests isolate themselves
 * by creating their own tenants, exactly as they must on a shared Postgres.
 */
let shared: Promise<Database> | null = null

export function sharedDatabase(): Promise<Database> {
  shared ??= (async () => {
    const url = process.env.DATABASE_URL
    const database = url ? connectPostgres(url) : await openPglite(null)
    await migrate(database)
    return database
  })()
  return shared
}
