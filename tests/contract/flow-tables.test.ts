import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import * as ChallengesRepo from '../../src/features/challenges/repo'
import * as SignInRepo from '../../src/features/sign-in/repo'
import * as SignUpRepo from '../../src/features/sign-up/repo'
import type { FlowRow, FlowTable } from '../../src/platform/db/flow-table'
import { withTenant } from '../../src/platform/db/tx'
import { newId } from '../../src/platform/ids'
import { newTenant, testApp, type TestApp } from '../support/app'

/**
 * The persisted-flow contract (src/platform/db/flow-table.ts), held against every flow table:
 * tenant-scoped reads, the optimistic version that lets exactly one of two racing saves win,
 * the sweeper's cutoff, and row-level security as the second wall. The database is the test
 * process's: PGlite, or PostgreSQL when DATABASE_URL is set (where the race is a real one).
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const FUTURE = () => new Date(t.clock.now() + 3_600_000)

interface FlowCase<Row extends FlowRow, Insert> {
  name: string
  repo: FlowTable<Row, Insert>
  /** A minimal valid row: its only parent is the tenant. */
  row(tenantId: string, expireAt: Date): Insert
}

const flowFields = (tenantId: string, expireAt: Date) => ({
  tenantId,
  status: 'pending',
  snapshot: { value: 'pending' },
  machineVersion: '1',
  version: 1,
  expireAt,
  createdAt: new Date(t.clock.now()),
  updatedAt: new Date(t.clock.now()),
})

function flowTableContract<Row extends FlowRow, Insert>({ name, repo, row }: FlowCase<Row, Insert>) {
  describe(`flow table contract: ${name}`, () => {
    const inserted = async (expireAt = FUTURE()) => {
      const tenant = await newTenant(t)
      return { tenant, saved: await repo.insert(t.deps.db, row(tenant.id, expireAt)) }
    }

    it('finds an inserted row by tenant and id, and not under another tenant', async () => {
      const { tenant, saved } = await inserted()
      const other = await newTenant(t)
      expect(saved).toMatchObject({ tenantId: tenant.id, status: 'pending', version: 1 })
      expect(await repo.find(t.deps.db, tenant.id, saved.id)).toEqual(saved)
      expect(await repo.find(t.deps.db, other.id, saved.id)).toBeNull()
      expect(await repo.find(t.deps.db, tenant.id, `${saved.id}x`)).toBeNull()
    })

    it('saves a snapshot as the next version and returns the saved row', async () => {
      const { tenant, saved } = await inserted()
      const at = new Date(t.clock.now() + 1000)
      const next = await repo.saveSnapshot(t.deps.db, saved, { value: 'verified' }, 'verified', at)
      expect(next).toMatchObject({ id: saved.id, version: 2, status: 'verified', snapshot: { value: 'verified' } })
      expect(next!.updatedAt.getTime()).toBe(at.getTime())
      expect(await repo.find(t.deps.db, tenant.id, saved.id)).toEqual(next)
    })

    it('refuses a save from a stale version and changes nothing', async () => {
      const { tenant, saved } = await inserted()
      const now = new Date(t.clock.now())
      const current = await repo.saveSnapshot(t.deps.db, saved, { value: 'failed' }, 'failed', now)
      expect(await repo.saveSnapshot(t.deps.db, saved, { value: 'verified' }, 'verified', now)).toBeNull()
      expect(await repo.find(t.deps.db, tenant.id, saved.id)).toEqual(current)
    })

    it('lets exactly one of two concurrent saves of the same version win', async () => {
      const { tenant, saved } = await inserted()
      const now = new Date(t.clock.now())
      const save = (status: string) =>
        withTenant(t.deps.db, tenant.id, (tx) => repo.saveSnapshot(tx, saved, { value: status }, status, now))
      const results = await Promise.all([save('verified'), save('failed')])
      const winners = results.filter((r) => r !== null)
      expect(winners).toHaveLength(1)
      expect(await repo.find(t.deps.db, tenant.id, saved.id)).toEqual(winners[0]!)
    })

    it('deletes only the rows that expired before the cutoff', async () => {
      // Long past, so no other test's row is in the way; "kept" expired too, but not before the cutoff.
      const cutoff = new Date(Date.UTC(1971, 0, 1))
      const gone = await inserted(new Date(cutoff.getTime() - 1))
      const kept = await inserted(cutoff)
      expect(await repo.deleteExpiredBefore(t.deps.db, cutoff)).toBeGreaterThanOrEqual(1)
      expect(await repo.find(t.deps.db, gone.tenant.id, gone.saved.id)).toBeNull()
      expect(await repo.find(t.deps.db, kept.tenant.id, kept.saved.id)).toEqual(kept.saved)
    })

    it("hides a row from another tenant's transaction even when the query names its tenant", async () => {
      const { tenant, saved } = await inserted()
      const other = await newTenant(t)
      const now = new Date(t.clock.now())
      expect(await withTenant(t.deps.db, tenant.id, (tx) => repo.find(tx, tenant.id, saved.id))).toEqual(saved)
      expect(await withTenant(t.deps.db, other.id, (tx) => repo.find(tx, tenant.id, saved.id))).toBeNull()
      const write = withTenant(t.deps.db, other.id, (tx) => repo.saveSnapshot(tx, saved, {}, 'failed', now))
      expect(await write).toBeNull()
      expect(await repo.find(t.deps.db, tenant.id, saved.id)).toEqual(saved)
    })
  })
}

flowTableContract({
  name: 'sign_in_attempts',
  repo: SignInRepo,
  row: (tenantId, expireAt) => ({ id: newId('sia'), owner: 'bapi', ...flowFields(tenantId, expireAt) }),
})

flowTableContract({
  name: 'sign_up_attempts',
  repo: SignUpRepo,
  row: (tenantId, expireAt) => ({ id: newId('sua'), owner: 'bapi', ...flowFields(tenantId, expireAt) }),
})

flowTableContract({
  name: 'challenges',
  repo: ChallengesRepo,
  row: (tenantId, expireAt) => ({
    id: newId('chal'),
    purpose: 'sign_in' as const,
    ownerId: newId('sia'),
    strategy: 'email_code',
    ...flowFields(tenantId, expireAt),
  }),
})
