/**
 * What PostgreSQL sees per request (issue #22): `DATABASE_URL=… ENCRYPTION_KEY=… bun bench/statements.ts`
 * migrates that database, makes a tenant and a user, then counts the statements (each a round trip; BEGIN and
 * COMMIT included) of one password sign-in, one refresh and one introspection on a warm node. The app runs in
 * this process with no relay, worker or change-feed poll, so only the request's own statements are counted.
 */
import { createApp } from '../src/app'
import { loadConfig } from '../src/config'
import { makeDeps } from '../src/deps'
import { createMemoryBus } from '../src/platform/bus/memory'
import { systemClock } from '../src/platform/clock'
import { connectPostgres } from '../src/platform/db/client'
import { migrate } from '../src/platform/db/migrate'
import { createLog } from '../src/platform/log'

const config = loadConfig()
if (!config.databaseUrl) throw new Error('set DATABASE_URL (and ENCRYPTION_KEY): this counts PostgreSQL statements')
let seen: string[] = []
const database = connectPostgres(config.databaseUrl, 10, (query) => seen.push(query))
await migrate(database)
const log = createLog('silent')
const deps = await makeDeps({ config, database, bus: createMemoryBus({ log }), clock: systemClock, log })
deps.state.migrated = true
const app = createApp(deps)

const call = async (method: string, path: string, init: { token?: string; json?: unknown; native?: string } = {}) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (init.token) headers.authorization = `Bearer ${init.token}`
  if (init.native) headers[init.native === '1' ? 'x-native-client' : 'x-client-token'] = init.native
  const res = await app.handle(
    new Request(`${config.publicUrl}${path}`, { method, headers, body: JSON.stringify(init.json ?? {}) }),
  )
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return { body: (await res.json()) as Record<string, any>, clientToken: res.headers.get('x-client-token') }
}

/** The statements `fn` sends: how many, how many transactions, and the distinct kinds. */
async function count(label: string, fn: () => Promise<unknown>) {
  await fn() // warm: caches filled, statements prepared
  seen = []
  await fn()
  const statements = seen.length
  const transactions = seen.filter((q) => /^begin/i.test(q.trim())).length
  console.log(`${label.padEnd(18)} ${String(statements).padStart(3)} statements, ${transactions} transactions`)
  return { label, statements, transactions, queries: [...seen] }
}

const tenant = (
  await call('POST', '/platform/v1/tenants', {
    token: config.platformApiKey,
    json: { name: 'Statements', settings: { password: { argon2: { memory_kib: 8192, iterations: 1 } } } },
  })
).body as { slug: string; secret_key: string }
const password = 'correct horse battery staple'
const signIn = async () => {
  const email = `s-${crypto.randomUUID().slice(0, 8)}@example.com`
  await call('POST', '/v1/users', { token: tenant.secret_key, json: { email_address: [email], password } })
  seen = []
  return call('POST', `/t/${tenant.slug}/v1/client/sign-ins`, { native: '1', json: { identifier: email, password } })
}
// The user's creation is not the sign-in's: count from the sign-in's own call.
let last: Awaited<ReturnType<typeof signIn>> | null = null
const results = [
  await count('password sign-in', async () => {
    last = await signIn()
  }),
]
const { body, clientToken } = last!
let refreshToken = body.refresh_token as string
results.push(
  await count('refresh', async () => {
    const next = await call('POST', `/t/${tenant.slug}/v1/client/sessions/${body.session.id}/tokens`, {
      native: clientToken!,
      json: { refresh_token: refreshToken },
    })
    refreshToken = next.body.refresh_token as string
  }),
)
results.push(
  await count('introspection', () =>
    call('POST', '/v1/tokens/introspect', { token: tenant.secret_key, json: { token: body.session_token } }),
  ),
)
if (process.argv.includes('--show'))
  for (const r of results) console.log(`\n${r.label}:\n  ${r.queries.map((q) => q.replace(/\s+/g, ' ')).join('\n  ')}`)
await database.close()
process.exit(0)
