import { sql } from 'drizzle-orm'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Database } from './client'
import { rows } from './rows'

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url))
/** Any fixed number: every node takes the same lock before migrating. */
const MIGRATION_LOCK = 0x7e55e4a

export interface MigrationStatus {
  expected: number
  applied: number
}

/**
 * Applies the committed migrations. Nodes starting together serialise on an advisory lock;
 * the ones that arrive second find every migration applied and change nothing.
 */
export async function migrate(database: Database): Promise<void> {
  await database.withAdvisoryLock(MIGRATION_LOCK, async () => {
    const config = { migrationsFolder: MIGRATIONS_DIR, migrationsSchema: 'drizzle' }
    if ((await status(database)).applied >= expectedCount()) return
    if (database.kind === 'pglite') await migratePglite(database.db as unknown as PgliteDatabase, config)
    else await migratePostgres(database.db as unknown as PostgresJsDatabase, config)
  })
}

function expectedCount(): number {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_DIR}/meta/_journal.json`, 'utf8')) as { entries: unknown[] }
  return journal.entries.length
}

/** For /ready: how many migrations exist and how many the database has applied. */
export async function status(database: Database): Promise<MigrationStatus> {
  const [table] = await rows<{ name: string | null }>(
    database.db,
    sql`select to_regclass('drizzle.__drizzle_migrations')::text as name`,
  )
  const applied = table?.name
    ? ((await rows<{ n: number }>(database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0]
        ?.n ?? 0)
    : 0
  return { expected: expectedCount(), applied: Number(applied) }
}
