import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { refreshTokens, sessions } from '../../src/features/sessions/schema'
import { auditEvents, outbox } from '../../src/platform/db/schema'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { introspect, nativeClient, newUser, signInNative } from '../support/flows'
import { tamperedSignature } from '../support/jwt'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

async function signedIn(tenant: CreatedTenant) {
  const user = await newUser(t, tenant)
  const client = nativeClient(t, tenant)
  const signed = await signInNative(t, tenant, user, client)
  return { user, client, ...signed }
}

const refreshNative = (client: ReturnType<typeof nativeClient>, sid: string, refresh_token: string) =>
  client.request('POST', `/client/sessions/${sid}/tokens`, { refresh_token })

describe('refresh tokens', () => {
  it('rotates on every use and returns a new session token', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    const res = await refreshNative(s.client, s.session.id, s.refresh_token)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { jwt: string; refresh_token: string }
    expect(body.refresh_token).not.toBe(s.refresh_token)
    expect((await introspect(t, tenant, body.jwt)).sid).toBe(s.session.id)
    const again = await refreshNative(s.client, s.session.id, body.refresh_token)
    expect(again.status).toBe(200)
  })

  it('gives the same successor to a reuse inside the grace window, and revokes the session after it', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    const first = (await (await refreshNative(s.client, s.session.id, s.refresh_token)).json()) as {
      jwt: string
      refresh_token: string
    }
    t.clock.advance(5_000)
    const inGrace = (await (await refreshNative(s.client, s.session.id, s.refresh_token)).json()) as {
      jwt: string
      refresh_token: string
    }
    expect(inGrace).toEqual(first)

    t.clock.advance(6_000)
    const reused = await refreshNative(s.client, s.session.id, s.refresh_token)
    expect(reused.status).toBe(401)
    expect((await firstError(reused)).code).toBe('refresh_token_reused')
    const [row] = await t.deps.db.select().from(sessions).where(eq(sessions.id, s.session.id))
    expect(row!.status).toBe('revoked')
    expect((await introspect(t, tenant, first.jwt)).active).toBe(false)
    expect((await refreshNative(s.client, s.session.id, first.refresh_token)).status).toBe(401)
    const audit = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, 'session.refresh_token_reused')))
    expect(audit).toHaveLength(1)
    const events = await t.deps.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.tenantId, tenant.id), eq(outbox.type, 'session.refresh_token_reused')))
    expect(events).toHaveLength(1)
  })

  it('gives the same pair inside the grace window on another node, and stores no successor secret', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    const other = await testApp()
    try {
      const bapi = (app: TestApp) =>
        app.request('POST', '/v1/sessions/refresh', {
          token: tenant.secret_key,
          json: { refresh_token: s.refresh_token },
        })
      const first = (await (await bapi(t)).json()) as { session_token: string; refresh_token: string }
      other.clock.set(t.clock.now() + 3_000)
      const replayed = await bapi(other)
      expect(replayed.status).toBe(200)
      const again = (await replayed.json()) as { session_token: string; refresh_token: string }
      expect([again.session_token, again.refresh_token]).toEqual([first.session_token, first.refresh_token])
      const rows = await t.deps.db.select().from(refreshTokens).where(eq(refreshTokens.sessionId, s.session.id))
      const stored = JSON.stringify(rows)
      expect(stored).not.toContain(first.refresh_token)
      expect(stored).not.toContain(s.refresh_token)
    } finally {
      await other.close()
    }
  })

  it('lets two concurrent refreshes of one token both succeed with the same successor', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    const [a, b] = await Promise.all([
      refreshNative(s.client, s.session.id, s.refresh_token),
      refreshNative(s.client, s.session.id, s.refresh_token),
    ])
    expect([a.status, b.status]).toEqual([200, 200])
    const [ja, jb] = [(await a.json()) as { refresh_token: string }, (await b.json()) as { refresh_token: string }]
    expect(ja.refresh_token).toBe(jb.refresh_token)
  })

  it('rotates a burst of refreshes of many sessions, and a reuse in the burst revokes only its own session', async () => {
    const tenant = await newTenant(t)
    const many = await Promise.all(Array.from({ length: 5 }, () => signedIn(tenant)))
    const victim = await signedIn(tenant)
    const rotated = (await (await refreshNative(victim.client, victim.session.id, victim.refresh_token)).json()) as {
      refresh_token: string
    }
    t.clock.advance(11_000)
    const burst = [...many, ...many].map((s) => refreshNative(s.client, s.session.id, s.refresh_token))
    const reuse = refreshNative(victim.client, victim.session.id, victim.refresh_token)
    const responses = await Promise.all(burst)
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200))
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { refresh_token: string; jwt: string }[]
    for (let i = 0; i < 5; i++) {
      expect(bodies[i]!.refresh_token).toBe(bodies[i + 5]!.refresh_token)
      expect((await introspect(t, tenant, bodies[i]!.jwt)).active).toBe(true)
    }
    expect(new Set(bodies.map((b) => b.refresh_token)).size).toBe(5)
    expect((await firstError(await reuse)).code).toBe('refresh_token_reused')
    expect((await refreshNative(victim.client, victim.session.id, rotated.refresh_token)).status).toBe(401)
    const rows = await t.deps.db.select().from(sessions).where(eq(sessions.tenantId, tenant.id))
    expect(rows.filter((r) => r.status === 'revoked').map((r) => r.id)).toEqual([victim.session.id])
    const tokens = await t.deps.db.select().from(refreshTokens).where(eq(refreshTokens.tenantId, tenant.id))
    for (const s of many)
      expect(
        tokens
          .filter((r) => r.sessionId === s.session.id)
          .map((r) => r.status)
          .sort(),
      ).toEqual(['active', 'rotated'])
    const audit = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, 'session.refresh_token_reused')))
    expect(audit).toHaveLength(1)
  })

  it('ends sessions while their tokens rotate without failing a request: each refresh is 200 or 401', async () => {
    const tenant = await newTenant(t)
    const many = await Promise.all(Array.from({ length: 6 }, () => signedIn(tenant)))
    t.clock.advance(61_000)
    const refreshes = many.map((s) => refreshNative(s.client, s.session.id, s.refresh_token))
    const ends = many
      .slice(0, 3)
      .map((s) => t.request('POST', `/v1/sessions/${s.session.id}/revoke`, { token: tenant.secret_key }))
    const statuses = (await Promise.all(refreshes)).map((r) => r.status)
    expect((await Promise.all(ends)).map((r) => r.status)).toEqual([200, 200, 200])
    expect(statuses.slice(3)).toEqual([200, 200, 200])
    for (const status of statuses.slice(0, 3)) expect([200, 401]).toContain(status)
    const rows = await t.deps.db.select().from(sessions).where(eq(sessions.tenantId, tenant.id))
    expect(rows.filter((r) => r.status === 'revoked').length).toBe(3)
  })

  it('refuses a refresh token of another session or tenant, and garbage, with 401', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const client = nativeClient(t, tenant)
    const s = await signInNative(t, tenant, user, client)
    const sibling = await signInNative(t, tenant, user, client)
    expect((await refreshNative(client, sibling.session.id, s.refresh_token)).status).toBe(401)
    expect((await refreshNative(client, s.session.id, 'garbage')).status).toBe(401)
    expect((await client.request('POST', `/client/sessions/${s.session.id}/tokens`, {})).status).toBe(401)
    const foreign = await newTenant(t)
    expect(
      (
        await t.request('POST', '/v1/sessions/refresh', {
          token: foreign.secret_key,
          json: { refresh_token: s.refresh_token },
        })
      ).status,
    ).toBe(401)
  })

  it('answers another client’s session with 404 whatever the token, and leaves its owner’s token working', async () => {
    const tenant = await newTenant(t)
    const a = await signedIn(tenant)
    const b = await signedIn(tenant)
    const probes = [a.refresh_token, b.refresh_token, 'garbage', undefined]
    for (const refresh_token of probes) {
      const body = refresh_token === undefined ? {} : { refresh_token }
      const res = await b.client.request('POST', `/client/sessions/${a.session.id}/tokens`, body)
      expect(res.status).toBe(404)
      expect((await firstError(res)).code).toBe('resource_not_found')
    }
    const unknown = await refreshNative(b.client, 'sess_01ARZ3NDEKTSV4RRFFQ69G5FAV', a.refresh_token)
    expect(unknown.status).toBe(404)
    // Nothing changed for A: its token was not rotated, and its session stays active.
    const tokens = await t.deps.db.select().from(refreshTokens).where(eq(refreshTokens.sessionId, a.session.id))
    expect(tokens.map((r) => r.status)).toEqual(['active'])
    const own = await refreshNative(a.client, a.session.id, a.refresh_token)
    expect(own.status).toBe(200)
    const rotated = (await own.json()) as { refresh_token: string }

    // A spent token of A, presented by B after the grace window, is not a reuse: A keeps its session.
    t.clock.advance(60_000)
    expect((await refreshNative(b.client, a.session.id, a.refresh_token)).status).toBe(404)
    const [session] = await t.deps.db.select().from(sessions).where(eq(sessions.id, a.session.id))
    expect(session!.status).toBe('active')
    expect((await refreshNative(a.client, a.session.id, rotated.refresh_token)).status).toBe(200)
    const reuses = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, 'session.refresh_token_reused')))
    expect(reuses).toHaveLength(0)
  })

  it('refreshes through the backend API too', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    const res = await t.request('POST', '/v1/sessions/refresh', {
      token: tenant.secret_key,
      json: { refresh_token: s.refresh_token },
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { session_token: string; refresh_token: string; session: { id: string } }
    expect(body.session.id).toBe(s.session.id)
    expect((await introspect(t, tenant, body.session_token)).active).toBe(true)
  })

  it('stops after the inactivity timeout and the absolute lifetime', async () => {
    const tenant = await newTenant(t, { settings: { session: { inactivity_timeout_s: 3600, max_lifetime_s: 7200 } } })
    const s = await signedIn(tenant)
    t.clock.advance(3601_000)
    expect((await refreshNative(s.client, s.session.id, s.refresh_token)).status).toBe(401)
    const fresh = await signedIn(tenant)
    let token = fresh.refresh_token
    for (let i = 0; i < 3; i++) {
      t.clock.advance(2400_000)
      const res = await refreshNative(fresh.client, fresh.session.id, token)
      if (i < 2) {
        expect(res.status).toBe(200)
        token = ((await res.json()) as { refresh_token: string }).refresh_token
      } else expect(res.status).toBe(401)
    }
  })
})

describe('ending sessions', () => {
  it('ends one session: introspection answers active:false at once', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    expect((await introspect(t, tenant, s.session_token)).active).toBe(true)
    const res = await s.client.request('POST', `/client/sessions/${s.session.id}/end`)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { status: string }).status).toBe('ended')
    expect((await introspect(t, tenant, s.session_token)).active).toBe(false)
    expect((await refreshNative(s.client, s.session.id, s.refresh_token)).status).toBe(401)
  })

  it('ends every session of the client', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const client = nativeClient(t, tenant)
    const a = await signInNative(t, tenant, user, client)
    const b = await signInNative(t, tenant, user, client)
    const res = await client.request('DELETE', '/client/sessions')
    expect(res.status).toBe(200)
    expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(2)
    for (const token of [a.session_token, b.session_token])
      expect((await introspect(t, tenant, token)).active).toBe(false)
  })

  it('hides another client’s session', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    const stranger = nativeClient(t, tenant)
    expect((await stranger.request('POST', `/client/sessions/${s.session.id}/end`)).status).toBe(404)
    expect((await introspect(t, tenant, s.session_token)).active).toBe(true)
  })

  it('revokes through the backend API, seen by another node within its next poll', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    const nodeB = await testApp({ platformApiKey: t.platformKey, encryptionKey: t.deps.config.encryptionKey })
    try {
      nodeB.clock.set(t.clock.now())
      expect((await introspect(nodeB, tenant, s.session_token)).active).toBe(true)
      const res = await t.request('POST', `/v1/sessions/${s.session.id}/revoke`, { token: tenant.secret_key })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { status: string }).status).toBe('revoked')
      await nodeB.deps.changes.poll()
      expect((await introspect(nodeB, tenant, s.session_token)).active).toBe(false)
    } finally {
      await nodeB.close()
    }
  })

  it('bans a user: every session of theirs stops at once', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    await t.request('POST', `/v1/users/${s.user.id}/ban`, { token: tenant.secret_key })
    expect((await introspect(t, tenant, s.session_token)).active).toBe(false)
  })
})

describe('POST /v1/tokens/introspect', () => {
  it('describes an active session token', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    const body = await introspect(t, tenant, s.session_token)
    expect(body).toMatchObject({
      active: true,
      sub: s.user.id,
      sid: s.session.id,
      amr: ['password'],
      roles: [],
      permissions: [],
      org_id: null,
    })
    expect((body.user as { id: string; primary_email_address: string }).primary_email_address).toBe(s.user.email)
    expect(typeof body.exp).toBe('number')
  })

  it('answers active:false for an expired, tampered, foreign or garbage token', async () => {
    const tenant = await newTenant(t)
    const other = await newTenant(t)
    const s = await signedIn(tenant)
    expect((await introspect(t, other, s.session_token)).active).toBe(false)
    expect((await introspect(t, tenant, tamperedSignature(s.session_token))).active).toBe(false)
    expect((await introspect(t, tenant, 'not-a-jwt')).active).toBe(false)
    t.clock.advance(601_000)
    expect(await introspect(t, tenant, s.session_token)).toEqual({ active: false })
  })

  it('requires the tenant’s secret key', async () => {
    const tenant = await newTenant(t)
    const s = await signedIn(tenant)
    expect((await t.request('POST', '/v1/tokens/introspect', { json: { token: s.session_token } })).status).toBe(401)
    expect(
      (await t.request('POST', '/v1/tokens/introspect', { token: t.platformKey, json: { token: s.session_token } }))
        .status,
    ).toBe(401)
  })
})

describe('GET /v1/sessions', () => {
  it('lists a user’s sessions with filters and pagination, and gets one; another tenant’s is 404', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const created = [
      await signInNative(t, tenant, user),
      await signInNative(t, tenant, user),
      await signInNative(t, tenant, user),
    ]
    await t.request('POST', `/v1/sessions/${created[0]!.session.id}/revoke`, { token: tenant.secret_key })
    const all = (await (
      await t.request('GET', `/v1/sessions?user_id=${user.id}&limit=2`, { token: tenant.secret_key })
    ).json()) as { data: { id: string }[]; meta: { next_cursor: string } }
    expect(all.data).toHaveLength(2)
    const rest = (await (
      await t.request('GET', `/v1/sessions?user_id=${user.id}&limit=2&cursor=${all.meta.next_cursor}`, {
        token: tenant.secret_key,
      })
    ).json()) as { data: { id: string }[] }
    expect(rest.data).toHaveLength(1)
    const active = (await (
      await t.request('GET', `/v1/sessions?user_id=${user.id}&status=active`, { token: tenant.secret_key })
    ).json()) as { data: unknown[] }
    expect(active.data).toHaveLength(2)
    const wrongList = await t.request('GET', `/v1/sessions?status=active&cursor=${all.meta.next_cursor}`, {
      token: tenant.secret_key,
    })
    expect(wrongList.status).toBe(422)
    expect(
      (await t.request('GET', `/v1/sessions/${created[1]!.session.id}`, { token: tenant.secret_key })).status,
    ).toBe(200)
    const other = await newTenant(t)
    expect((await t.request('GET', `/v1/sessions/${created[1]!.session.id}`, { token: other.secret_key })).status).toBe(
      404,
    )
    expect(
      (await t.request('POST', `/v1/sessions/${created[1]!.session.id}/revoke`, { token: other.secret_key })).status,
    ).toBe(404)
  })
})
