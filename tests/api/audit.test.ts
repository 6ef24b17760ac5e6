import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import type { AuditEvent } from '../../src/features/audit/model'
import { auditEvents } from '../../src/platform/db/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { newUser } from '../support/flows'

let t: TestApp
const PEER = '203.0.113.7'
const UA = 'audit-test/1.0 (tessera)'
beforeAll(async () => {
  t = await testApp()
  // app.handle has no socket; this app's requests all come from one documentation address.
  t.deps.peerOf = () => PEER
})
afterAll(() => t.close())

// Cheapest argon2 the settings allow: these tests are about the audit trail, not hashing cost.
const fastHashing = { settings: { password: { argon2: { memory_kib: 8192, iterations: 1 } } } }
// Tenant creation generates RSA keys and sign-in hashes passwords: slower than bun's 5 s default on a busy machine.
const SLOW = 30_000
type List = { data: AuditEvent[]; meta: { next_cursor: string | null } }
type Verify = { valid: boolean; checked: number; first_broken_id: string | null }

const bapi = async <T>(tenant: CreatedTenant, path: string, status = 200): Promise<T> => {
  const res = await t.request('GET', `/v1/audit-events${path}`, { token: tenant.secret_key })
  if (res.status !== status) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}
const platform = async <T>(path: string, status = 200): Promise<T> => {
  const res = await t.request('GET', `/platform/v1/audit-events${path}`, { token: t.platformKey })
  if (res.status !== status) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}
const signIn = (tenant: CreatedTenant, identifier: string, password: string) =>
  t.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
    headers: { 'x-native-client': '1', 'user-agent': UA },
    json: { identifier, password },
  })

/** A tenant with a user who signed in once, then (10 s later) failed once. */
async function tenantWithSignIns() {
  const tenant = await newTenant(t, fastHashing)
  const user = await newUser(t, tenant)
  const t0 = t.clock.now()
  expect((await signIn(tenant, user.email, user.password)).status).toBe(200)
  t.clock.advance(10_000)
  const t1 = t.clock.now()
  expect((await signIn(tenant, user.email, 'wrong password!')).status).toBe(422)
  return { tenant, user, t0, t1 }
}

describe('GET /v1/audit-events', () => {
  it(
    'lists sign-in success and failure with actor, target, ip and user agent, newest first',
    async () => {
      const { tenant, user, t0, t1 } = await tenantWithSignIns()
      const { data, meta } = await bapi<List>(tenant, '')
      expect(meta.next_cursor).toBeNull()
      // Other features add their own entries (session.created, ...): look these up by action.
      const actions = data.map((e) => e.action)
      expect(actions[0]).toBe('sign_in.failed')
      expect(actions.indexOf('sign_in.succeeded')).toBeLessThan(actions.indexOf('secret_key.created'))
      expect(actions.indexOf('secret_key.created')).toBeLessThan(actions.indexOf('tenant.created'))
      const failed = data[0]
      const succeeded = data.find((e) => e.action === 'sign_in.succeeded')
      expect(succeeded).toMatchObject({
        object: 'audit_event',
        action: 'sign_in.succeeded',
        actor: { type: 'user', id: user.id },
        target: { type: expect.any(String), id: expect.any(String) },
        ip: PEER,
        user_agent: UA,
        created_at: t0,
      })
      expect(succeeded!.id).toMatch(/^aud_/)
      expect(succeeded!.data).toMatchObject({ factors: expect.any(Array) })
      expect(failed).toMatchObject({
        action: 'sign_in.failed',
        target: { type: 'user', id: user.id },
        ip: PEER,
        user_agent: UA,
        created_at: t1,
      })
      const created = data.find((e) => e.action === 'tenant.created')!
      expect(created).toMatchObject({
        actor: { type: 'platform', id: 'platform' },
        target: { type: 'tenant', id: tenant.id },
      })
    },
    SLOW,
  )

  it(
    'filters by action, actor, target and time (since inclusive, until exclusive)',
    async () => {
      const { tenant, user, t0, t1 } = await tenantWithSignIns()
      const actions = async (query: string) => (await bapi<List>(tenant, `?${query}`)).data.map((e) => e.action)
      expect(await actions('action=sign_in.failed')).toEqual(['sign_in.failed'])
      expect(await actions(`actor_id=${user.id}`)).toContain('sign_in.succeeded')
      expect((await bapi<List>(tenant, `?actor_id=${user.id}`)).data.every((e) => e.actor.id === user.id)).toBe(true)
      expect((await bapi<List>(tenant, `?target_id=${user.id}`)).data.every((e) => e.target?.id === user.id)).toBe(true)
      expect(await actions(`target_id=${tenant.id}`)).toEqual(['tenant.created'])
      expect(await actions(`since=${t1}`)).toEqual(['sign_in.failed'])
      expect(await actions(`since=${t0}&until=${t1}&action=sign_in.succeeded`)).toEqual(['sign_in.succeeded'])
      expect(await actions(`since=${t0}&until=${t1}`)).not.toContain('sign_in.failed')
      expect(await actions(`until=${t0}`)).not.toContain('sign_in.succeeded')
      expect(await actions(`action=sign_in.succeeded&since=${t1}`)).toEqual([])
      expect(await actions('action=no.such_action')).toEqual([])
    },
    SLOW,
  )

  it(
    'refuses malformed filters with 422 and the parameter name',
    async () => {
      const tenant = await newTenant(t)
      for (const [query, param] of [
        ['since=abc', 'since'],
        ['until=-5', 'until'],
        ['since=1e3', 'since'],
        ['until=1.5', 'until'],
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['actor=x', 'actor'],
      ]) {
        const res = await t.request('GET', `/v1/audit-events?${query}`, { token: tenant.secret_key })
        expect(res.status).toBe(422)
        expect((await firstError(res)).meta.param_name).toBe(param)
      }
    },
    SLOW,
  )

  it(
    'pages newest first with cursors bound to the tenant and the filters',
    async () => {
      const { tenant, user } = await tenantWithSignIns()
      for (let i = 0; i < 3; i++) await signIn(tenant, user.email, 'wrong password!')
      const all = (await bapi<List>(tenant, '?limit=100')).data
      expect(all.length).toBeGreaterThanOrEqual(7)
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page: List = await bapi<List>(tenant, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        expect(page.data.length).toBeLessThanOrEqual(2)
        seen.push(...page.data.map((e) => e.id))
        cursor = page.meta.next_cursor
      } while (cursor)
      expect(seen).toEqual(all.map((e) => e.id))
      for (let i = 1; i < all.length; i++) expect(all[i - 1]!.created_at).toBeGreaterThanOrEqual(all[i]!.created_at)

      const first = await bapi<List>(tenant, '?limit=1')
      const next = encodeURIComponent(first.meta.next_cursor!)
      const other = await newTenant(t)
      for (const [who, query] of [
        [other, `?limit=1&cursor=${next}`],
        [tenant, `?limit=1&action=sign_in.failed&cursor=${next}`],
        [tenant, `?limit=1&cursor=${next}x`],
      ] as const) {
        const res = await t.request('GET', `/v1/audit-events${query}`, { token: who.secret_key })
        expect(res.status).toBe(422)
        expect((await firstError(res)).meta.param_name).toBe('cursor')
      }
    },
    SLOW,
  )

  it(
    'shows a tenant only its own chain',
    async () => {
      const { tenant, user } = await tenantWithSignIns()
      const other = await newTenant(t)
      const seen = (await bapi<List>(other, '?limit=100')).data
      expect(seen.map((e) => e.action).sort()).toEqual(['secret_key.created', 'tenant.created'])
      expect((await bapi<List>(other, `?actor_id=${user.id}`)).data).toEqual([])
      expect((await bapi<List>(other, `?target_id=${tenant.id}`)).data).toEqual([])
      expect((await t.request('GET', '/v1/audit-events', { token: t.platformKey })).status).toBe(401)
    },
    SLOW,
  )
})

describe('GET /v1/audit-events/verify', () => {
  it(
    'reports an intact chain as valid',
    async () => {
      const { tenant } = await tenantWithSignIns()
      const total = (await bapi<List>(tenant, '?limit=100')).data.length
      expect(await bapi<Verify>(tenant, '/verify')).toEqual({ valid: true, checked: total, first_broken_id: null })
    },
    SLOW,
  )

  it(
    'finds the first row that the database owner altered',
    async () => {
      const { tenant } = await tenantWithSignIns()
      const oldestFirst = (await bapi<List>(tenant, '?limit=100')).data.reverse()
      const victim = oldestFirst.findIndex((e) => e.action === 'sign_in.succeeded')
      // Outside withTenant: the owning role, which the application never runs as. Only this tenant's row.
      await t.deps.db
        .update(auditEvents)
        .set({ data: { factors: ['passkey'] } })
        .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.id, oldestFirst[victim]!.id)))
      expect(await bapi<Verify>(tenant, '/verify')).toEqual({
        valid: false,
        checked: victim + 1,
        first_broken_id: oldestFirst[victim]!.id,
      })
    },
    SLOW,
  )

  it(
    'the application role can neither update nor delete audit rows',
    async () => {
      const { tenant } = await tenantWithSignIns()
      const ofTenant = eq(auditEvents.tenantId, tenant.id)
      // 42501 insufficient_privilege: refused by the missing grant, not merely filtered out by RLS.
      const sqlState = (err: unknown): unknown =>
        err && typeof err === 'object' && 'code' in err
          ? err.code
          : err && typeof err === 'object' && 'cause' in err
            ? sqlState(err.cause)
            : null
      const refusal = (run: Promise<unknown>) => run.then(() => 'allowed', sqlState)
      expect(
        await refusal(
          withTenant(t.deps.db, tenant.id, (tx) => tx.update(auditEvents).set({ action: 'forged' }).where(ofTenant)),
        ),
      ).toBe('42501')
      expect(await refusal(withTenant(t.deps.db, tenant.id, (tx) => tx.delete(auditEvents).where(ofTenant)))).toBe(
        '42501',
      )
      expect((await bapi<Verify>(tenant, '/verify')).valid).toBe(true)
    },
    SLOW,
  )
})

describe('platform audit trail', () => {
  it(
    'records tenant lifecycle, key rotation and secret keys in both chains, with actor platform',
    async () => {
      const tenant = await newTenant(t)
      const created = (await platform<List>(`?action=tenant.created&target_id=${tenant.id}`)).data
      expect(created).toHaveLength(1)
      expect(created[0]).toMatchObject({
        actor: { type: 'platform', id: 'platform' },
        target: { type: 'tenant', id: tenant.id },
        data: { tenant_id: tenant.id, slug: tenant.slug },
      })

      const since = t.clock.now()
      const rotate = await t.request('POST', `/platform/v1/tenants/${tenant.id}/keys/rotate`, { token: t.platformKey })
      const key = (await rotate.json()) as { id: string }
      expect(
        (
          await t.request('PATCH', `/platform/v1/tenants/${tenant.id}`, {
            token: t.platformKey,
            json: { name: 'Renamed' },
          })
        ).status,
      ).toBe(200)
      const own = (await bapi<List>(tenant, '')).data.map((e) => [e.action, e.actor.type])
      expect(own).toEqual([
        ['tenant.updated', 'platform'],
        ['signing_key.rotated', 'platform'],
        ['secret_key.created', 'platform'],
        ['tenant.created', 'platform'],
      ])
      expect((await t.request('DELETE', `/platform/v1/tenants/${tenant.id}`, { token: t.platformKey })).status).toBe(
        200,
      )

      // The platform chain holds every tenant's actions: narrow by target, or by data.tenant_id.
      const lifecycle = (await platform<List>(`?target_id=${tenant.id}`)).data
      expect(lifecycle.map((e) => e.action)).toEqual(['tenant.deleted', 'tenant.updated', 'tenant.created'])
      expect(lifecycle[1]!.data).toEqual({ tenant_id: tenant.id, fields: ['name'] })
      expect((await platform<List>(`?target_id=${key.id}`)).data.map((e) => [e.action, e.data.tenant_id])).toEqual([
        ['signing_key.rotated', tenant.id],
      ])
      const secretKeys = (await platform<List>(`?action=secret_key.created&limit=100&since=${since - 1}`)).data
      expect(secretKeys.filter((e) => e.data.tenant_id === tenant.id)).toHaveLength(1)
      // The operator reads a tenant's chain, even after its deletion, and verifies it.
      expect((await platform<List>(`?tenant_id=${tenant.id}&action=tenant.deleted`)).data).toHaveLength(1)
      expect(await platform<Verify>(`/verify?tenant_id=${tenant.id}`)).toEqual({
        valid: true,
        checked: 5,
        first_broken_id: null,
      })
      expect((await platform<Verify>('/verify')).valid).toBe(true)
    },
    SLOW,
  )

  it(
    'refuses tenant keys, unknown tenants and cursors from another list',
    async () => {
      const tenant = await newTenant(t)
      expect((await t.request('GET', '/platform/v1/audit-events', { token: tenant.secret_key })).status).toBe(401)
      expect((await t.request('GET', '/platform/v1/audit-events/verify', { token: tenant.secret_key })).status).toBe(
        401,
      )
      expect(
        (
          await firstError(
            await t.request('GET', '/platform/v1/audit-events?tenant_id=ten_nope', { token: t.platformKey }),
          )
        ).code,
      ).toBe('resource_not_found')
      await newTenant(t)
      const page = await platform<List>('?limit=1')
      expect(page.meta.next_cursor).not.toBeNull()
      const res = await t.request(
        'GET',
        `/v1/audit-events?limit=1&cursor=${encodeURIComponent(page.meta.next_cursor!)}`,
        { token: tenant.secret_key },
      )
      expect((await firstError(res)).meta.param_name).toBe('cursor')
    },
    SLOW,
  )
})
