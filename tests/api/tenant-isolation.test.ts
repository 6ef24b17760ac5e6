import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { sql } from 'drizzle-orm'
import { secretKeys } from '../../src/features/tenants/schema'
import { signingKeys } from '../../src/features/keys/schema'
import { withTenant } from '../../src/platform/db/tx'
import { rows } from '../../src/platform/db/rows'
import { newId } from '../../src/platform/ids'
import { newTenant, testApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('row-level security', () => {
  it('hides other tenants’ rows from a query that forgets its tenant filter', async () => {
    const a = await newTenant(t)
    const b = await newTenant(t)
    // Deliberately no WHERE tenant_id: RLS is the wall that must hold.
    const seenByA = await withTenant(t.deps.db, a.id, (tx) => tx.select().from(secretKeys))
    expect(seenByA.length).toBe(1)
    expect(seenByA.every((r) => r.tenantId === a.id)).toBe(true)
    const keysSeenByB = await withTenant(t.deps.db, b.id, (tx) => tx.select().from(signingKeys))
    expect(keysSeenByB.map((r) => r.tenantId)).toEqual([b.id])
    const tenantsSeenByA = await withTenant(t.deps.db, a.id, (tx) =>
      rows<{ id: string }>(tx, sql`select id from tenants`),
    )
    expect(tenantsSeenByA.map((r) => r.id)).toEqual([a.id])
  })

  it('refuses to write a row for another tenant', async () => {
    const a = await newTenant(t)
    const b = await newTenant(t)
    const write = withTenant(t.deps.db, a.id, (tx) =>
      tx.insert(secretKeys).values({
        id: newId('sk'),
        tenantId: b.id,
        lookup: crypto.randomUUID(),
        secretHash: 'x',
        createdAt: new Date(),
      }),
    )
    expect(write).rejects.toThrow()
    const seenByB = await withTenant(t.deps.db, b.id, (tx) => tx.select().from(secretKeys))
    expect(seenByB).toHaveLength(1)
  })

  it('sees nothing at all without a tenant set, as the application role', async () => {
    await newTenant(t)
    const seen = await t.deps.db.transaction(async (tx) => {
      await tx.execute(sql`set local role tessera_app`)
      return tx.select().from(secretKeys)
    })
    expect(seen).toHaveLength(0)
  })

  it('forces RLS with a tenant policy on every table that has a tenant_id column', async () => {
    const unprotected = await rows<{ table_name: string }>(
      t.deps.db,
      sql`
      select c.table_name from information_schema.columns c
      join pg_class k on k.relname = c.table_name and k.relkind = 'r'
      join pg_namespace n on n.oid = k.relnamespace and n.nspname = c.table_schema
      where c.table_schema = 'public' and c.column_name = 'tenant_id'
        and not (k.relrowsecurity and k.relforcerowsecurity
                 and exists (select 1 from pg_policies p where p.tablename = c.table_name and p.policyname = 'tenant_isolation'))`,
    )
    expect(unprotected.map((r) => r.table_name)).toEqual([])
  })
})
