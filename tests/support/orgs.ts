import { asc, eq } from 'drizzle-orm'
import { auditEvents, outbox } from '../../src/platform/db/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, type CreatedTenant, type TestApp } from './app'
import { newUser, signInNative } from './flows'

/** Helpers for the organization and role tests: backend calls, members who sign in, and what was recorded. */

// Cheapest argon2 the settings allow: these tests sign members in, they are not about hashing.
export const fastHashing = { password: { argon2: { memory_kib: 8192, iterations: 1 } } }

export const orgTenant = (t: TestApp, settings: Record<string, unknown> = {}) =>
  newTenant(t, { settings: { ...fastHashing, ...settings } })

/** A Backend API call with the tenant's secret key. */
export const bapi = (t: TestApp, tenant: CreatedTenant) => (method: string, path: string, json?: unknown) =>
  t.request(method, `/v1${path}`, { token: tenant.secret_key, ...(json === undefined ? {} : { json }) })

export async function expectError(res: Response, status: number, code: string, meta: Record<string, unknown> = {}) {
  const text = await res.clone().text()
  if (res.status !== status) throw new Error(`expected ${status} ${code}, got ${res.status} ${text}`)
  const err = await firstError(res)
  if (err.code !== code) throw new Error(`expected ${code}, got ${text}`)
  for (const [k, v] of Object.entries(meta))
    if (err.meta[k] !== v) throw new Error(`expected meta.${k} = ${String(v)}, got ${text}`)
}

/** The JSON of a response with the expected status (the body in the failure message otherwise). */
export async function ok<T = unknown>(res: Response, status = 200): Promise<T> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** A user who signs in: their id and a Frontend API caller with their session token. */
export async function member(t: TestApp, tenant: CreatedTenant, body: Record<string, unknown> = {}) {
  const user = await newUser(t, tenant, body)
  const signed = await signInNative(t, tenant, user)
  const fapi = (method: string, path: string, json?: unknown) =>
    t.request(method, `/t/${tenant.slug}/v1${path}`, {
      token: signed.session_token,
      ...(json === undefined ? {} : { json }),
    })
  return { ...user, token: signed.session_token, fapi }
}

export async function newOrg(t: TestApp, tenant: CreatedTenant, body: Record<string, unknown> = {}) {
  return ok<{ id: string; slug: string; members_count: number }>(
    await bapi(t, tenant)('POST', '/organizations', { name: 'Acme', ...body }),
    201,
  )
}

export const addMember = async (t: TestApp, tenant: CreatedTenant, orgId: string, userId: string, role: string) =>
  ok(await bapi(t, tenant)('POST', `/organizations/${orgId}/memberships`, { user_id: userId, role }), 201)

export const outboxOf = (t: TestApp, tenant: CreatedTenant) =>
  withTenant(t.deps.db, tenant.id, (tx) =>
    tx.select().from(outbox).where(eq(outbox.tenantId, tenant.id)).orderBy(asc(outbox.id)),
  )

export const auditOf = (t: TestApp, tenant: CreatedTenant) =>
  withTenant(t.deps.db, tenant.id, (tx) =>
    tx.select().from(auditEvents).where(eq(auditEvents.tenantId, tenant.id)).orderBy(asc(auditEvents.seq)),
  ).then((rows) => rows.filter((a) => a.actorType !== 'platform'))
