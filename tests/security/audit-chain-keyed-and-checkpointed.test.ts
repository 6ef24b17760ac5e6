import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, asc, eq, gte, inArray } from 'drizzle-orm'
import { canonical, GENESIS_HASH } from '../../src/platform/audit'
import { sha256Hex } from '../../src/platform/crypto/tokens'
import { auditEvents, auditHeads } from '../../src/platform/db/schema'
import { withTenant } from '../../src/platform/db/tx'
import { newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { newUser } from '../support/flows'

// Security review (issue #12): the audit chain was a bare SHA-256 chain, so a database writer could
// rewrite a row and recompute every hash after it, and deleting the newest rows left a chain that
// verified. Now each hash is an HMAC under a key derived from ENCRYPTION_KEY and the head is
// checkpointed, MACed, in the transaction of every append (API.md §12 "Audit chain").
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const SLOW = 30_000
type Verify = { valid: boolean; checked: number; first_broken_id: string | null }

async function verify(tenant: CreatedTenant): Promise<Verify> {
  const res = await t.request('GET', '/v1/audit-events/verify', { token: tenant.secret_key })
  expect(res.status).toBe(200)
  return (await res.json()) as Verify
}

/** A tenant with a few audit rows (tenant and key creation, users created). */
async function tenantWithTrail() {
  const tenant = await newTenant(t, { settings: { password: { argon2: { memory_kib: 8192, iterations: 1 } } } })
  for (let i = 0; i < 3; i++) await newUser(t, tenant)
  const rows = await chainOf(tenant)
  expect(rows.length).toBeGreaterThanOrEqual(5)
  return { tenant, rows }
}

const chainOf = (tenant: CreatedTenant) =>
  t.deps.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenant.id)).orderBy(asc(auditEvents.seq))

/** What a database writer without the key can do: rewrite a row, re-chain all after it with SHA-256. */
async function rewriteWithPlainSha256(tenant: CreatedTenant, from: number, action = 'user.forged') {
  const rows = await chainOf(tenant)
  let prev = from === 0 ? GENESIS_HASH : rows[from - 1]!.hash
  for (const [i, row] of rows.entries()) {
    if (i < from) continue
    const forged = { ...row, action: i === from ? action : row.action, prevHash: prev }
    const hash = await sha256Hex(prev + canonical(forged))
    await t.deps.db
      .update(auditEvents)
      .set({ action: forged.action, prevHash: prev, hash })
      .where(eq(auditEvents.seq, row.seq))
    prev = hash
  }
  return { rows, newLastHash: prev }
}

describe('GET /v1/audit-events/verify against a database writer', () => {
  it(
    'reports an untouched chain as valid, every row checked',
    async () => {
      const { tenant, rows } = await tenantWithTrail()
      expect(await verify(tenant)).toEqual({ valid: true, checked: rows.length, first_broken_id: null })
      // The head names the last row, under a MAC.
      const [head] = await t.deps.db.select().from(auditHeads).where(eq(auditHeads.tenantId, tenant.id))
      expect(head).toMatchObject({ lastId: rows.at(-1)!.id, hash: rows.at(-1)!.hash, count: rows.length })
    },
    SLOW,
  )

  it(
    'finds a row rewritten with its plain SHA-256 (and all later ones) recomputed',
    async () => {
      const { tenant, rows } = await tenantWithTrail()
      await rewriteWithPlainSha256(tenant, 2)
      expect(await verify(tenant)).toEqual({ valid: false, checked: 3, first_broken_id: rows[2]!.id })
    },
    SLOW,
  )

  it(
    'refuses a chain whose head was rewritten to match the forgery',
    async () => {
      const { tenant } = await tenantWithTrail()
      const { rows, newLastHash } = await rewriteWithPlainSha256(tenant, 1)
      await t.deps.db.update(auditHeads).set({ hash: newLastHash }).where(eq(auditHeads.tenantId, tenant.id))
      const result = await verify(tenant)
      expect(result.valid).toBe(false)
      expect(result.first_broken_id).toBe(rows.at(-1)!.id)
      // The service goes on (a forged head must not take user creation down), and the chain stays
      // broken: the application never re-MACs a head that failed its MAC.
      await newUser(t, tenant)
      expect((await verify(tenant)).valid).toBe(false)
    },
    SLOW,
  )

  it(
    'refuses a chain whose newest rows were deleted, and still after a new append',
    async () => {
      const { tenant, rows } = await tenantWithTrail()
      const newest = rows.slice(-2)
      await t.deps.db.delete(auditEvents).where(
        inArray(
          auditEvents.id,
          newest.map((r) => r.id),
        ),
      )
      expect(await verify(tenant)).toEqual({ valid: false, checked: rows.length - 2, first_broken_id: newest[1]!.id })
      // The application goes on appending from its checkpoint, so the gap stays visible.
      await newUser(t, tenant)
      const after = await verify(tenant)
      expect(after.valid).toBe(false)
    },
    SLOW,
  )

  it(
    'refuses a chain whose head was deleted along with the newest rows',
    async () => {
      const { tenant, rows } = await tenantWithTrail()
      const last = rows.at(-1)!
      await t.deps.db
        .delete(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenant.id), gte(auditEvents.seq, last.seq)))
      await t.deps.db.delete(auditHeads).where(eq(auditHeads.tenantId, tenant.id))
      expect((await verify(tenant)).valid).toBe(false)
    },
    SLOW,
  )

  it(
    'does not bless a chain downgraded to plain SHA-256 with its head deleted, even after an append',
    async () => {
      const { tenant, rows } = await tenantWithTrail()
      await rewriteWithPlainSha256(tenant, 0, rows[0]!.action)
      await t.deps.db.delete(auditHeads).where(eq(auditHeads.tenantId, tenant.id))
      await newUser(t, tenant)
      expect((await verify(tenant)).valid).toBe(false)
    },
    SLOW,
  )

  it(
    'refuses a tenant chain erased whole, rows and head (a tenant chain starts at tenant.created)',
    async () => {
      const { tenant } = await tenantWithTrail()
      await t.deps.db.delete(auditEvents).where(eq(auditEvents.tenantId, tenant.id))
      await t.deps.db.delete(auditHeads).where(eq(auditHeads.tenantId, tenant.id))
      expect(await verify(tenant)).toEqual({ valid: false, checked: 0, first_broken_id: null })
    },
    SLOW,
  )

  it(
    'the application role cannot delete a head',
    async () => {
      const { tenant } = await tenantWithTrail()
      const refused = await withTenant(t.deps.db, tenant.id, (tx) =>
        tx.delete(auditHeads).where(eq(auditHeads.tenantId, tenant.id)),
      ).then(
        () => null,
        (err: unknown) => err,
      )
      expect(refused).not.toBeNull()
      expect((await verify(tenant)).valid).toBe(true)
    },
    SLOW,
  )
})
