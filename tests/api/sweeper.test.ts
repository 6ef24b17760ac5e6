import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { challenges } from '../../src/features/challenges/schema'
import { signInAttempts } from '../../src/features/sign-in/schema'
import { rows } from '../../src/platform/db/rows'
import { sweepOnce } from '../../workers/sweeper'
import { newTenant, testApp, type TestApp } from '../support/app'
import { nativeClient, newUser } from '../support/flows'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('sweeper', () => {
  it('deletes attempts and challenges a day past their expiry, and keeps live ones', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const old = (await (
      await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
        identifier: user.email,
        strategy: 'email_code',
      })
    ).json()) as { id: string }
    t.clock.advance(2 * 86_400_000)
    const fresh = (await (
      await nativeClient(t, tenant).request('POST', '/client/sign-ins', { identifier: user.email })
    ).json()) as { id: string }
    const counts = await sweepOnce(t.deps)
    expect(counts.sign_in_attempts).toBeGreaterThanOrEqual(1)
    expect(await t.deps.db.select().from(signInAttempts).where(eq(signInAttempts.id, old.id))).toHaveLength(0)
    expect(await t.deps.db.select().from(challenges).where(eq(challenges.ownerId, old.id))).toHaveLength(0)
    expect(await t.deps.db.select().from(signInAttempts).where(eq(signInAttempts.id, fresh.id))).toHaveLength(1)
  })

  it('vacuums and analyzes the embedded database, which has no autovacuum', async () => {
    const tenant = await newTenant(t)
    await newUser(t, tenant)
    await sweepOnce(t.deps)
    const [row] = await rows<{ reltuples: number }>(
      t.deps.db,
      sql`select reltuples from pg_class where relname = 'users'`,
    )
    // -1: never analyzed. PostgreSQL's autovacuum may not have come by yet; PGlite's sweep must have.
    if (t.deps.database.kind === 'pglite') expect(Number(row!.reltuples)).toBeGreaterThanOrEqual(1)
  })
})
