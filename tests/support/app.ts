import { createApp } from '../../src/app'
import { ENV_VARS, type Config } from '../../src/config'
import { makeDeps, type Deps } from '../../src/deps'
import { createBus } from '../../src/platform/bus/index'
import { FakeClock } from '../../src/platform/clock'
import { createLog } from '../../src/platform/log'
import { startWorker } from '../../src/platform/bus/worker'
import { stopWork } from '../../src/platform/graceful-stop'
import type { Consumer } from '../../src/platform/bus/bus'
import { WORKERS } from '../../workers/index'
import { sharedDatabase } from './db'

export interface TestApp {
  app: ReturnType<typeof createApp>
  deps: Deps
  clock: FakeClock
  platformKey: string
  /** Sends a request through app.handle; `json` is serialised with the right content type. */
  request(
    method: string,
    path: string,
    init?: { json?: unknown; body?: BodyInit; headers?: Record<string, string>; token?: string },
  ): Promise<Response>
  close(): Promise<void>
}

export const PUBLIC_URL = 'http://localhost'

/**
 * One installation: every app shares the encryption key, like the nodes of a deployment, so a
 * worker of one app can open what another sealed in the shared database. The key is the same on
 * every run, as a deployment keeps its ENCRYPTION_KEY: a PostgreSQL test database outlives the
 * process, and its keyed audit chains (the platform's, shared by all runs) must verify next time.
 */
const INSTALLATION_KEY = new Uint8Array(
  await crypto.subtle.digest('SHA-256', new TextEncoder().encode('tessera tests')),
)

/** A fresh app (own bus, caches, fake clock and keys) over the process's shared database. */
export async function testApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await sharedDatabase()
  const log = createLog(process.env.TEST_LOG === '1' ? 'debug' : 'silent')
  const platformKey = 'platform_' + crypto.randomUUID() + crypto.randomUUID()
  const config: Config = {
    port: 0,
    publicUrl: PUBLIC_URL,
    databaseUrl: process.env.DATABASE_URL ?? null,
    dataDir: '/nonexistent',
    natsUrl: process.env.NATS_URL ?? null,
    platformApiKey: platformKey,
    platformKeyFile: null,
    encryptionKey: INSTALLATION_KEY,
    smtpUrl: null,
    smsProviderUrl: null,
    logLevel: 'silent',
    workers: 'none',
    trustedProxies: [],
    webhookAllowPrivate: true,
    webhookTimeoutMs: Number(ENV_VARS.WEBHOOK_TIMEOUT_MS.default),
    emailFromDomains: [],
    webConcurrency: 1,
    metricsToken: null,
    dnsResolver: null,
    ...overrides,
  }
  const bus = await createBus({ natsUrl: config.natsUrl ?? undefined, log })
  const clock = new FakeClock(Date.now())
  const deps = await makeDeps({ config, database, bus, clock, log })
  deps.state.migrated = true
  // As in embedded mode: the relay publishes the outbox and every worker consumes in-process.
  deps.relay.start()
  const consumers: Consumer[] = await Promise.all(Object.values(WORKERS).map((w) => startWorker(deps, w)))
  const app = createApp(deps)
  return {
    app,
    deps,
    clock,
    platformKey,
    request(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers }
      if (init.token) headers.authorization = `Bearer ${init.token}`
      let body = init.body
      if (init.json !== undefined) {
        body = JSON.stringify(init.json)
        headers['content-type'] ??= 'application/json'
      }
      return app.handle(new Request(`${PUBLIC_URL}${path}`, { method, headers, body }))
    },
    async close() {
      // As main.ts stops a node: what the bus holds finishes or goes back to the outbox.
      await stopWork(deps, consumers)
      deps.changes.stop()
    },
  }
}

export interface CreatedTenant {
  id: string
  slug: string
  name: string
  issuer: string
  secret_key: string
  settings: Record<string, unknown>
}

/** A new tenant through the platform API; every test makes its own. */
export async function newTenant(t: TestApp, body: Record<string, unknown> = {}): Promise<CreatedTenant> {
  const res = await t.request('POST', '/platform/v1/tenants', {
    token: t.platformKey,
    json: { name: 'Test tenant', ...body },
  })
  if (res.status !== 201) throw new Error(`tenant creation failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as CreatedTenant
}

/** The first error of an API.md envelope, asserting the envelope's shape on the way. */
export async function firstError(
  res: Response,
): Promise<{ code: string; message: string; long_message: string; meta: Record<string, unknown> }> {
  const body = (await res.json()) as {
    errors: { code: string; message: string; long_message: string; meta: Record<string, unknown> }[]
    trace_id: string
  }
  if (!Array.isArray(body.errors) || typeof body.trace_id !== 'string')
    throw new Error(`not an error envelope: ${JSON.stringify(body)}`)
  return body.errors[0]!
}
