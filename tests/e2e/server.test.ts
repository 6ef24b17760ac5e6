import { afterAll, describe, expect, it } from 'bun:test'
import { importJWK, type JSONWebKeySet } from 'jose'
import { mkdtempSync, readFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { entryCommand } from '../support/entry'
import { freePort } from '../support/local-server'
import { freshPostgresDatabase } from '../support/postgres'
import { waitFor } from '../support/wait'

/** The real process, as `npm start` runs it, over HTTP only. */
interface Server {
  url: string
  proc: ReturnType<typeof Bun.spawn>
  output(): Promise<string>
}

const ROOT = new URL('../..', import.meta.url).pathname
const running: Server[] = []
afterAll(() => {
  for (const s of running) s.proc.kill('SIGKILL')
})

async function start(env: Record<string, string>): Promise<Server> {
  const port = await freePort()
  const proc = Bun.spawn(entryCommand('src/main.ts'), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const server: Server = {
    url: `http://127.0.0.1:${port}`,
    proc,
    output: async () =>
      (await new Response(proc.stdout as ReadableStream).text()) +
      (await new Response(proc.stderr as ReadableStream).text()),
  }
  running.push(server)
  return server
}

const healthy = (s: Server) => waitFor(async () => (await fetch(`${s.url}/health`)).status === 200, 45_000, 100)

/** Embedded by default; against DATABASE_URL/NATS_URL (a fresh database) when they are set. */
async function backing(): Promise<{
  env: Record<string, string>
  platformKey: () => string
  drop: () => Promise<void>
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-'))
  if (!process.env.DATABASE_URL) {
    return {
      env: { DATA_DIR: dataDir },
      platformKey: () => readFileSync(join(dataDir, 'platform-key'), 'utf8').trim(),
      drop: async () => {},
    }
  }
  const db = await freshPostgresDatabase()
  const key = 'platform-' + crypto.randomUUID()
  return {
    env: {
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      PLATFORM_API_KEY: key,
      ENCRYPTION_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'),
      // The shared NATS is also the test apps' bus, over another database: a worker in this process
      // would take their messages. The server runs with its relay but no workers.
      ...(process.env.NATS_URL ? { NATS_URL: process.env.NATS_URL, WORKERS: 'none' } : {}),
    },
    platformKey: () => key,
    drop: db.drop,
  }
}

/** A browser-mode sign-in over a real socket: several Set-Cookie headers must survive the trip. */
async function browserSignIn(url: string, tenant: { slug: string; secret_key: string }) {
  const json = { 'content-type': 'application/json' }
  const user = await fetch(`${url}/v1/users`, {
    method: 'POST',
    headers: { ...json, authorization: `Bearer ${tenant.secret_key}` },
    body: JSON.stringify({ email_address: ['e2e@example.com'], password: 'correct horse battery staple' }),
  })
  expect(user.status).toBe(201)
  const origin = new URL(url).origin.replace('127.0.0.1', 'localhost')
  const res = await fetch(`${url}/t/${tenant.slug}/v1/client/sign-ins`, {
    method: 'POST',
    headers: { ...json, origin },
    body: JSON.stringify({ identifier: 'e2e@example.com', password: 'correct horse battery staple' }),
  })
  expect(res.status).toBe(200)
  const names = res.headers.getSetCookie().map((c) => c.split('=')[0])
  expect(names.sort()).toEqual(['__client', '__refresh', '__session'])
}

/**
 * Never compressed, whatever the client accepts: a compressed page holding a secret (a CSRF token) beside text the
 * caller chose leaks the secret through its length (BREACH). Deno.serve would compress; Bun does not.
 */
async function expectUncompressed(url: string, type: string) {
  const { statusCode, headers } = await new Promise<http.IncomingMessage>((resolve, reject) =>
    http.get(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } }, resolve).on('error', reject),
  )
  expect(statusCode).toBe(200)
  expect(headers['content-type']).toStartWith(type)
  expect(headers['content-encoding']).toBeUndefined()
}

describe('npm start', () => {
  it('boots, serves a tenant’s JWKS, a second node shares the database, and SIGTERM stops it cleanly', async () => {
    const store = await backing()
    try {
      const first = await start(store.env)
      await healthy(first)
      expect((await fetch(`${first.url}/ready`)).status).toBe(200)

      const created = await fetch(`${first.url}/platform/v1/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${store.platformKey()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'E2E' }),
      })
      expect(created.status).toBe(201)
      const tenant = (await created.json()) as { slug: string; issuer: string; secret_key: string }
      expect(tenant.issuer).toBe(`http://localhost:${new URL(first.url).port}/t/${tenant.slug}`)
      const jwks = (await (await fetch(`${first.url}/t/${tenant.slug}/.well-known/jwks.json`)).json()) as JSONWebKeySet
      await importJWK(jwks.keys[0]!, 'RS256')
      await browserSignIn(first.url, tenant)
      await expectUncompressed(`${first.url}/t/${tenant.slug}/sign-in`, 'text/html')
      await expectUncompressed(`${first.url}/openapi.json`, 'application/json')

      // A second node on the same database (PGlite allows one process per directory, so it
      // follows the first there; on PostgreSQL both run at once) finds the migrations applied.
      if (!process.env.DATABASE_URL) {
        first.proc.kill('SIGTERM')
        expect(await first.proc.exited).toBe(0)
        expect(await first.output()).toContain('"msg":"stopped"')
      }
      const second = await start(store.env)
      await healthy(second)
      expect((await fetch(`${second.url}/ready`)).status).toBe(200)
      const again = await fetch(`${second.url}/t/${tenant.slug}/.well-known/jwks.json`)
      expect(((await again.json()) as JSONWebKeySet).keys[0]!.kid).toBe(jwks.keys[0]!.kid)

      // On a connection already open (kept alive since this request), so the next one is in flight, not connecting.
      expect((await fetch(`${second.url}/health`)).status).toBe(200)
      const inFlight = fetch(`${second.url}/ready`)
      await Bun.sleep(5)
      second.proc.kill('SIGTERM')
      expect((await inFlight).status).toBeOneOf([200, 503])
      expect(await second.proc.exited).toBe(0)
      if (process.env.DATABASE_URL) {
        first.proc.kill('SIGTERM')
        expect(await first.proc.exited).toBe(0)
      }
    } finally {
      await store.drop()
    }
  }, 120_000)

  it('stops at once with one line naming a bad variable', async () => {
    const server = await start({ DATA_DIR: mkdtempSync(join(tmpdir(), 'tessera-e2e-')), PORT: 'eighty' })
    expect(await server.proc.exited).toBe(1)
    const output = (await server.output()).trim()
    expect(output.split('\n')).toHaveLength(1)
    expect(output).toContain('PORT')
  }, 30_000)
})
