import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { sql } from 'drizzle-orm'
import { openPglite, type Database } from '../../src/platform/db/client'
import { textArray } from '../../src/platform/db/arrays'
import { rows } from '../../src/platform/db/rows'
import { withTx } from '../../src/platform/db/tx'

/**
 * Statements in a PGlite transaction take one trip through the embedded server when their
 * parameters allow it (platform/db/pglite-statements): they must answer exactly what PGlite's
 * own query answers, fail the same way, and leave the session usable.
 */
let database: Database
beforeAll(async () => {
  database = await openPglite(null)
})
afterAll(() => database.close())

const inTx = <T>(query: ReturnType<typeof sql>) => withTx(database.db, (tx) => rows<T>(tx, query))
const outsideTx = <T>(query: ReturnType<typeof sql>) => rows<T>(database.db, query)

describe('PGlite statements in one trip', () => {
  it('binds strings, numbers, bigints, booleans, dates, nulls and text lists as PGlite does', async () => {
    const at = new Date('2026-11-28T01:02:03.456Z')
    const list = ['a', 'b"c', 'd\\e', 'x,y', '', 'NULL', '{br}']
    const query = sql`select ${"it's"}::text as s, ${42}::int as i, ${2.5}::float8 as f, ${123n}::int8 as b, ${true}::bool as t,
      ${null}::text as n, ${at}::timestamptz as d, ${textArray(list)} as l, ${'{"k":1}'}::jsonb as j`
    const [fast] = await inTx<Record<string, unknown>>(query)
    const [plain] = await outsideTx<Record<string, unknown>>(query)
    expect(fast).toEqual(plain!)
    expect(fast).toMatchObject({ s: "it's", i: 42, f: 2.5, t: true, n: null, l: list, j: { k: 1 } })
    expect(new Date(String(fast!.d)).getTime()).toBe(at.getTime())
  })

  it('leaves values it cannot type to PGlite (an object for a json parameter)', async () => {
    const [r] = await inTx<{ j: unknown }>(sql`select ${{ k: [1, 2] }}::jsonb as j`)
    expect(r!.j).toEqual({ k: [1, 2] })
  })

  it('fails like PGlite, rolls the transaction back, and the session goes on', async () => {
    await withTx(database.db, (tx) => tx.execute(sql`create table if not exists one_trip (v int primary key)`))
    const failing = withTx(database.db, async (tx) => {
      await tx.execute(sql`insert into one_trip values (${1})`)
      await tx.execute(sql`select ${'not a number'}::int`)
    })
    expect(failing).rejects.toMatchObject({ cause: { code: '22P02' } })
    await failing.catch(() => {})
    const duplicate = withTx(database.db, async (tx) => {
      await tx.execute(sql`insert into one_trip values (${3})`)
      await tx.execute(sql`insert into one_trip values (${3})`)
    })
    expect(duplicate).rejects.toMatchObject({ cause: { code: '23505', constraint: 'one_trip_pkey' } })
    await duplicate.catch(() => {})
    const [count] = await outsideTx<{ n: number }>(sql`select count(*)::int as n from one_trip`)
    expect(count!.n).toBe(0)
    await withTx(database.db, (tx) => tx.execute(sql`insert into one_trip values (${2})`))
    const [after] = await inTx<{ v: number }>(sql`select v from one_trip`)
    expect(after!.v).toBe(2)
  })
})
