import { afterAll, describe, expect, it } from 'bun:test'
import { sql } from 'drizzle-orm'
import { connectPostgres, openPglite, type Database } from '../../src/platform/db/client'
import { migrate, status } from '../../src/platform/db/migrate'
import { rows } from '../../src/platform/db/rows'
import { freshPostgresDatabase } from '../support/postgres'

/**
 * Migrations on a database of their own: nodes booting together must serialise on the
 * advisory lock, apply each migration once, and a node that finds them applied changes nothing.
 * PGlite always; a fresh PostgreSQL database too when DATABASE_URL is set.
 */
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

async function appliedRows(db: Database): Promise<number> {
  const [r] = await rows<{ n: number }>(db.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`)
  return Number(r!.n)
}

function migrationContract(name: string, open: () => Promise<[Database, Database]>) {
  describe(`migrations on ${name}`, () => {
    it('apply once when two nodes boot together, and change nothing after', async () => {
      const [a, b] = await open()
      cleanups.push(async () => {
        await a.close()
        if (b !== a) await b.close()
      })
      expect((await status(a)).applied).toBe(0)
      await Promise.all([migrate(a), migrate(b)])
      const s = await status(b)
      expect(s.applied).toBe(s.expected)
      expect(await appliedRows(a)).toBe(s.expected)
      await migrate(a)
      expect(await appliedRows(a)).toBe(s.expected)
    })
  })
}

migrationContract('PGlite', async () => {
  const db = await openPglite(null)
  return [db, db]
})

if (process.env.DATABASE_URL) {
  migrationContract('PostgreSQL', async () => {
    const { url, drop } = await freshPostgresDatabase()
    cleanups.push(drop)
    return [connectPostgres(url, 2), connectPostgres(url, 2)]
  })
}
