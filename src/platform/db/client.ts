import { PGlite, types } from '@electric-sql/pglite'
import type { QueryOptions, Transaction } from '@electric-sql/pglite'
import type { ExtractTablesWithRelations } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { oneTripQuery } from './pglite-statements'

/** One query surface for both drivers; repositories take this. */
export type Db = PgDatabase<PgQueryResultHKT>
export type Tx = PgTransaction<
  PgQueryResultHKT,
  Record<string, never>,
  ExtractTablesWithRelations<Record<string, never>>
>

export interface Database {
  readonly kind: 'pglite' | 'postgres'
  readonly db: Db
  /** Runs fn while holding a cluster-wide advisory lock on a dedicated session. */
  withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T>
  /** Connections this process may open, for /metrics. */
  readonly poolMax: number
  /** Dead rows reclaimed and planner statistics refreshed where nothing else does it (see openPglite). */
  maintain(): Promise<void>
  close(): Promise<void>
}

const DRIZZLE_OPTIONS = { casing: 'snake_case' } as const

type Sql = postgres.Sql | postgres.TransactionSql
type Scoped = (sql: postgres.TransactionSql) => unknown

/**
 * Drizzle runs every query it was not given a name for with `prepare: false`, so PostgreSQL
 * parses, analyses and plans each statement again: most of its CPU time per sign-in. This
 * view of the client keeps them prepared on each connection (postgres.js caches them by text;
 * the texts are few, since arrays bind as one parameter), in transactions and savepoints too.
 * Behind PgBouncer in transaction mode this needs its `max_prepared_statements`.
 */
function preparing<T extends Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, params, { ...options, prepare: true })
      }
      if (prop === 'begin' || prop === 'savepoint') {
        const open = Reflect.get(target, prop, receiver) as (...args: unknown[]) => unknown
        return (...args: unknown[]) => {
          const fn = args.pop() as Scoped
          return open.call(target, ...args, (tx: postgres.TransactionSql) => fn(preparing(tx)))
        }
      }
      return Reflect.get(target, prop, receiver)
    },
  })
}

/**
 * PostgreSQL through postgres.js; `max` is the pool size of this process. `onQuery` sees every statement sent
 * (bench/statements.ts counts what a request costs the database with it).
 */
export function connectPostgres(url: string, max = 10, onQuery?: (query: string) => void): Database {
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connection: { application_name: 'tessera' },
    ...(onQuery ? { debug: (_connection: number, query: string) => onQuery(query) } : {}),
  })
  return {
    kind: 'postgres',
    db: drizzlePostgres(preparing(client), DRIZZLE_OPTIONS) as unknown as Db,
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
    // PostgreSQL's autovacuum does it.
    maintain: async () => {},
    close: () => client.end({ timeout: 5 }),
  }
}

/**
 * The types drizzle reads as PostgreSQL's text (it parses dates itself): timestamp, timestamptz, interval, date
 * and their arrays, numeric[].
 */
const DRIZZLE_TEXT_TYPES = [
  types.TIMESTAMP,
  types.TIMESTAMPTZ,
  types.INTERVAL,
  types.DATE,
  1115,
  1185,
  1187,
  1182,
  1231,
]
const identity = (value: string): string => value
const AS_ARRAYS: QueryOptions = { rowMode: 'array' }
const AS_OBJECTS: QueryOptions = { rowMode: 'object' }

type Queryable = Pick<Transaction, 'query'>
const lean = (q: Queryable): Queryable => ({
  query: (sql, params, options) => q.query(sql, params, options?.rowMode === 'array' ? AS_ARRAYS : AS_OBJECTS),
})

/**
 * Drizzle sends its text parsers with every query, and PGlite copies its whole parser table
 * (hundreds of array types) to merge them: that copy was the largest single cost of a
 * statement. The same parsers are installed once on the instance instead, and queries go
 * without their own. Drizzle only calls `query` and `transaction` on its client; statements in
 * a transaction take the one-trip path of pglite-statements.ts.
 */
function withDrizzleParsers(client: PGlite): PGlite {
  for (const oid of DRIZZLE_TEXT_TYPES) client.parsers[oid] = identity
  const facade = {
    ...lean(client),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      client.transaction((tx) => fn(lean({ query: oneTripQuery(client, tx) }))),
  }
  return facade as unknown as PGlite
}

/** Embedded PGlite; `dataDir` null keeps it in memory (tests). */
/** `dump`: an in-memory database starts as this dump of another (PGlite's dumpDataDir), not empty. */
export async function openPglite(dataDir: string | null, dump?: Blob): Promise<Database> {
  const client = dataDir ? new PGlite(dataDir) : new PGlite(dump ? { loadDataDir: dump } : {})
  await client.waitReady
  const db = drizzlePglite({ client: withDrizzleParsers(client), ...DRIZZLE_OPTIONS })
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
    // PGlite is PostgreSQL in single-user mode: no autovacuum, so without this its tables would
    // only grow with dead rows (every rotation, every answered challenge) and its planner would
    // never have statistics. One table at a time, so each step holds this thread briefly.
    async maintain() {
      const { rows } = await client.query<{ name: string }>(
        `select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`,
      )
      for (const { name } of rows) await client.exec(`vacuum (analyze) ${name}`)
    },
    close: () => client.close(),
  }
}
