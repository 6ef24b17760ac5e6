import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { sql } from 'drizzle-orm'
import { createLog } from '../../src/platform/log'
import { errorMessage } from '../../src/platform/bus/policy'
import { firstError, newTenant, testApp, type TestApp } from '../support/app'

// Security review (issue #12): a failed INSERT logged drizzle's message, which lists every bound
// value, and a password hash was seen in a log. Logs keep safe fields only (API.md §12).
let t: TestApp
let lines: string[]
beforeAll(async () => {
  t = await testApp()
  lines = []
  t.deps.log = createLog('debug', {}, (line) => lines.push(line))
  // An injected failure: the database refuses one marked user, after the app bound every value.
  await t.deps.db.execute(
    sql.raw(`
    create or replace function tessera_test_refuse_marked() returns trigger language plpgsql as $$
    begin
      if new.first_name = 'refuse-me' then raise exception 'refused by test trigger'; end if;
      return new;
    end $$`),
  )
  await t.deps.db.execute(sql.raw('drop trigger if exists tessera_test_refuse_marked on users'))
  await t.deps.db.execute(
    sql.raw(`create trigger tessera_test_refuse_marked before insert on users
    for each row execute function tessera_test_refuse_marked()`),
  )
})
afterAll(async () => {
  await t.deps.db.execute(sql.raw('drop trigger if exists tessera_test_refuse_marked on users'))
  await t.close()
})

const SECRET = () => `secret-marker-${crypto.randomUUID()}`

describe('logs of a failed query', () => {
  it('hold neither the password hash nor the identifiers of a failed user insert', async () => {
    const tenant = await newTenant(t, { settings: { password: { argon2: { memory_kib: 8192, iterations: 1 } } } })
    const password = SECRET()
    const email = `${SECRET()}@example.com`
    lines.length = 0
    const res = await t.request('POST', '/v1/users', {
      token: tenant.secret_key,
      json: { email_address: [email], password, first_name: 'refuse-me' },
    })
    expect(res.status).toBe(500)
    const err = await firstError(res)
    expect(err.code).toBe('internal_error')
    const logged = lines.join('\n')
    // The failure is logged, with what an operator needs: the SQLSTATE of the raised exception.
    expect(logged).toContain('unhandled error')
    expect(logged).toContain('P0001')
    for (const secret of [password, email, '$argon2id$', 'refuse-me', 'params']) expect(logged).not.toContain(secret)
  }, 30_000)

  it('hold no bound value of a query refused by the database itself', async () => {
    const marker = SECRET()
    const log = createLog('debug', {}, (line) => lines.push(line))
    lines.length = 0
    const failure = await t.deps.db.execute(sql`select ${marker}::int as n`).then(
      () => null,
      (e: unknown) => e,
    )
    expect(failure).toBeInstanceOf(Error)
    // Unredacted, the error names the marker twice: in drizzle's params and in PostgreSQL's message.
    expect(String((failure as Error).message)).toContain(marker)
    log.error('query failed', { err: failure })
    const logged = lines.join('\n')
    expect(logged).toContain('22P02')
    expect(logged).not.toContain(marker)
    // The reason a bus handler failure carries into its dead-letter message is reduced the same way.
    expect(errorMessage(failure)).not.toContain(marker)
  })

  it('name the constraint of a unique violation, not the duplicate value', async () => {
    const marker = SECRET()
    lines.length = 0
    // A table of its own (a temporary one would live on one pooled connection only).
    const table = sql.raw(`tessera_test_unique_${crypto.randomUUID().slice(0, 8)}`)
    await t.deps.db.execute(sql`create table ${table} (v text constraint tessera_test_unique_v_uq unique)`)
    await t.deps.db.execute(sql`insert into ${table} values (${marker})`)
    const failure = await t.deps.db.execute(sql`insert into ${table} values (${marker})`).then(
      () => null,
      (e: unknown) => e,
    )
    await t.deps.db.execute(sql`drop table ${table}`)
    createLog('debug', {}, (line) => lines.push(line)).error('insert failed', { err: failure })
    const logged = lines.join('\n')
    expect(logged).toContain('23505')
    expect(logged).toContain('tessera_test_unique_v_uq')
    expect(logged).not.toContain(marker)
    if (process.env.TEST_LOG === '1') console.log(logged)
  })
})
