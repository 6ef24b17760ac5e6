import { readFileSync } from 'node:fs'
import { connectPostgres, openPglite, type Database } from '../../src/platform/db/client'
import { migrate } from '../../src/platform/db/migrate'

/**
 * One migrated database per test process: Postgres when DATABASE_URL is set, else in-memory
 * PGlite (whose fresh start costs seconds, so test files share it). Tests isolate themselves
 * by creating their own tenants, exactly as they must on a shared Postgres. Deno runs each file
 * in a process of its own: `npm run test:deno` hands every one a dump of a migrated PGlite
 * (TESSERA_TEST_PGLITE_DUMP), which loads in a tenth of the time a new one takes.
 */
let shared: Promise<Database> | null = null

export function sharedDatabase(): Promise<Database> {
  shared ??= (async () => {
    const url = process.env.DATABASE_URL
    const dump = process.env.TESSERA_TEST_PGLITE_DUMP
    const database = url
      ? connectPostgres(url)
      : await openPglite(null, dump ? new Blob([readFileSync(dump)]) : undefined)
    await migrate(database)
    return database
  })()
  return shared
}
