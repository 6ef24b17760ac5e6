import { PGlite } from '@electric-sql/pglite'
import type { ExtractTablesWithRelations } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'

/** One query surface for both drivers; repositories take this. */
export type Db = PgDatabase<PgQueryResultHKT>
export type Tx = PgTransaction<PgQueryResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>

export interface Database {
  readonly kind: 'pglite' | 'postgres'
  readonly db: Db
  /** Runs fn while holding a cluster-wide advisory lock on a dedicated session. */
  withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T>
  /** Connections this process may open, for /metrics. */
  readonly poolMax: number
  close(): Promise<void>
}

const DRIZZLE_OPTIONS = { casing: 'snake_case' } as const

/** PostgreSQL through postgres.js; `max` is the pool size of this process. */
export function connectPostgres(url: string, max = 10): Database {
  const client = postgres(url, { max, onnotice: () => {}, connection: { application_name: 'tessera' } })
  return {
    kind: 'postgres',
    db: drizzlePostgres(client, DRIZZLE_OPTIONS) as unknown as Db,
    async withAdvisoryLock(key, fn) {
      const session = await client.reserve()
      try {
        await session`select pg_advisory_lock(${key})`
        try {
          return await fn()
        } finally {
          await session`select pg_advisory_unlock(${key})`
        }
      } finally {
        session.release()
      }
    },
    poolMax: max,
    close: () => client.end({ timeout: 5 }),
  }
}

/** Embedded PGlite; `dataDir` null keeps it in memory (tests). */
export async function openPglite(dataDir: string | null): Promise<Database> {
  const client = dataDir ? new PGlite(dataDir) : new PGlite()
  await client.waitReady
  const db = drizzlePglite({ client, ...DRIZZLE_OPTIONS })
  // PGlite is a single session, where advisory locks are re-entrant: callers queue here instead.
  let queue: Promise<unknown> = Promise.resolve()
  return {
    kind: 'pglite',
    db: db as unknown as Db,
    withAdvisoryLock(_key, fn) {
      const run = queue.then(fn, fn)
      queue = run.catch(() => {})
      return run
    },
    poolMax: 1,
    close: () => client.close(),
  }
}
