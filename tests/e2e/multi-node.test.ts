import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { fastHashing } from '../support/orgs'
import { startNatsCluster, type OwnNats } from '../support/own-nats'
import { freshPostgresDatabase } from '../support/postgres'
import { startServer, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait'

/**
 * Three Tessera nodes (`bun src/main.ts`, each with two HTTP processes) on one PostgreSQL database and a
 * three-server NATS JetStream cluster, each node on its own NATS server (issue #22): a sign-in whose steps hit
 * different nodes; a revocation on one node seen by the others within a second; `kill -9` of a node under load
 * fails no request to the others and loses no event (every user created is delivered to a webhook); nor does one
 * NATS server stopped under load.
 */
const cleanups: (() => unknown)[] = []
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const PLATFORM_API_KEY = 'platform-key-for-multi-node-tests-0123'
let nodes: ServerProcess[]
let nats: OwnNats[]
let tenant: { id: string; slug: string; secret_key: string }
const delivered = new Set<string>()

beforeAll(async () => {
  nats = await startNatsCluster()
  cleanups.push(() => Promise.all(nats.map((s) => s.dispose())))
  const db = await freshPostgresDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  cleanups.push(() => db.drop())
  const receiver = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const event = (await req.json()) as { type: string; data: { id: string } }
      if (event.type === 'user.created') delivered.add(event.data.id)
      return new Response('ok')
    },
  })
  cleanups.push(() => receiver.stop(true))
  const env = {
    DATABASE_URL: db.url,
    ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    PLATFORM_API_KEY,
    // One installation: every node names the same issuer, whichever address a request reaches.
    PUBLIC_URL: 'http://tessera.test',
    WEBHOOK_ALLOW_PRIVATE: '1',
    WEB_CONCURRENCY: '2',
  }
  // One at a time: the first applies the migrations, the others find them applied.
  nodes = []
  for (const server of nats) nodes.push(await startServer({ ...env, NATS_URL: server.url }, cleanups))
  const made = await fetch(`${nodes[0]!.url}/platform/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${PLATFORM_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Multi-node',
      settings: fastHashing,
    }),
  })
  expect(made.status).toBe(201)
  tenant = (await made.json()) as typeof tenant
  const endpoint = await bapi(1, 'POST', '/v1/webhooks/endpoints', { url: `http://127.0.0.1:${receiver.port}/hook` })
  expect(endpoint.status).toBe(201)
}, 120_000)

function bapi(node: number, method: string, path: string, json?: unknown) {
  return fetch(`${nodes[node]!.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${tenant.secret_key}`, 'content-type': 'application/json' },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  })
}

/** Native-mode Frontend API on `node`, with the client token the first answer handed out. */
function fapi(token: { value: string | null }) {
  return async (node: number, method: string, path: string, json?: unknown) => {
    const res = await fetch(`${nodes[node]!.url}/t/${tenant.slug}/v1${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token.value ? { 'x-client-token': token.value } : { 'x-native-client': '1' }),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    })
    token.value ??= res.headers.get('x-client-token')
    return res
  }
}

const introspect = async (node: number, token: string) =>
  ((await (await bapi(node, 'POST', '/v1/tokens/introspect', { token })).json()) as { active: boolean }).active

async function newUser(node: number) {
  const email = `multi-${crypto.randomUUID().slice(0, 8)}@example.com`
  const password = 'correct horse battery staple'
  const res = await bapi(node, 'POST', '/v1/users', { email_address: [email], password })
  return { res, email, password }
}

describe('three nodes, one database, a NATS cluster', () => {
  it('completes a sign-in whose steps each hit another node', async () => {
    const { res, email, password } = await newUser(0)
    expect(res.status).toBe(201)
    const call = fapi({ value: null })
    const started = await call(0, 'POST', '/client/sign-ins', { identifier: email })
    const attempt = (await started.json()) as { id: string; status: string }
    expect(attempt.status).toBe('needs_first_factor')
    const challenge = await call(1, 'POST', `/client/sign-ins/${attempt.id}/challenges`, { strategy: 'password' })
    expect(challenge.status).toBe(201)
    const { id: cid } = (await challenge.json()) as { id: string }
    const answered = await call(2, 'POST', `/client/sign-ins/${attempt.id}/challenges/${cid}/answer`, { password })
    const done = (await answered.json()) as { status: string; session_token: string; refresh_token: string }
    expect(done.status).toBe('complete')
    expect(await introspect(0, done.session_token)).toBe(true)
  }, 30_000)

  it('sees a revocation made on one node on the two others within a second', async () => {
    const { email, password } = await newUser(0)
    const signedIn = await fapi({ value: null })(0, 'POST', '/client/sign-ins', { identifier: email, password })
    const { session, session_token } = (await signedIn.json()) as { session: { id: string }; session_token: string }
    // Warm caches on A and B: what they know must be dropped, not merely never learnt.
    expect(await introspect(0, session_token)).toBe(true)
    expect(await introspect(1, session_token)).toBe(true)
    expect((await bapi(2, 'POST', `/v1/sessions/${session.id}/revoke`)).status).toBe(200)
    const revokedAt = performance.now()
    for (const node of [0, 1])
      await waitFor(async () => ((await introspect(node, session_token)) ? null : true), 5_000, 20)
    expect(performance.now() - revokedAt).toBeLessThan(1_000)
  }, 30_000)

  it('fails no request to the others and loses no event when a node is killed under load', async () => {
    const created: string[] = []
    const survivorsFailed: number[] = []
    let killed = false
    const round = async (i: number) => {
      if (i === 4) {
        nodes[2]!.proc.kill('SIGKILL')
        killed = true
      }
      const calls = [0, 1, 2].map(async (node) => {
        if (node === 2 && killed) return
        const { res } = await newUser(node).catch(() => ({ res: null }))
        if (res?.status === 201) created.push(((await res.json()) as { id: string }).id)
        else if (node !== 2) survivorsFailed.push(res?.status ?? 0)
      })
      await Promise.all(calls)
    }
    for (let i = 0; i < 12; i++) await round(i)
    expect(survivorsFailed).toEqual([])
    expect(created.length).toBeGreaterThanOrEqual(12 * 2)
    // Messages the dead node had taken are delivered again once their acknowledgement times out (30 s).
    await waitFor(async () => (created.every((id) => delivered.has(id)) ? true : null), 90_000, 250)
    expect(created.filter((id) => !delivered.has(id))).toEqual([])
  }, 150_000)

  it('fails no request and loses no event when a NATS server stops under load', async () => {
    const created: string[] = []
    const failed: number[] = []
    for (let i = 0; i < 12; i++) {
      // Node B's own NATS server goes away: its client moves to another server of the cluster.
      if (i === 4) await nats[1]!.stop()
      await Promise.all(
        [0, 1].map(async (node) => {
          const { res } = await newUser(node)
          if (res.status === 201) created.push(((await res.json()) as { id: string }).id)
          else failed.push(res.status)
        }),
      )
    }
    expect(failed).toEqual([])
    await waitFor(async () => (created.every((id) => delivered.has(id)) ? true : null), 90_000, 250)
    expect(created.filter((id) => !delivered.has(id))).toEqual([])
  }, 150_000)
})
