/**
 * `DATABASE_URL=postgres://… bun bench/analytics.ts [--sign-ins 1000000] [--users 50000] [--requests 200]`:
 * analytics series latency with a million sign-ins recorded (API.md §18 target: a 30-day daily series under
 * 50 ms). Starts a server on a fresh database beside DATABASE_URL's, creates a tenant, seeds 400 days of the
 * rollups the analytics worker writes (the counts of `--sign-ins` outcomes over five strategies, and the
 * active users they make, and their per-bucket counts), then times series requests over HTTP. PostgreSQL only: the seeding writes beside
 * the running server, which an embedded database would not allow. Prints one JSON line per series.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import postgres from 'postgres'
import { freePort, installExitHandlers, start, stopAll, waitHealthy } from './procs.ts'

const ROOT = resolve(import.meta.dir, '..')
const { values } = parseArgs({
  options: {
    'sign-ins': { type: 'string', default: '1000000' },
    users: { type: 'string', default: '50000' },
    requests: { type: 'string', default: '200' },
  },
})
const signIns = Number(values['sign-ins'])
const people = Number(values.users)
const requests = Number(values.requests)
if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL (PostgreSQL): the bench seeds beside the server')

installExitHandlers()
const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} })
const dbName = `tessera_bench_analytics_${Date.now()}`
await admin.unsafe(`create database ${dbName}`)
const dbUrl = new URL(process.env.DATABASE_URL)
dbUrl.pathname = `/${dbName}`
const dir = mkdtempSync(join(tmpdir(), 'tessera-analytics-bench-'))
const platformKey = `platform_${crypto.randomUUID()}${crypto.randomUUID()}`
const port = await freePort()
const url = `http://127.0.0.1:${port}`
const server = start('server', [process.execPath, 'src/main.ts'], {
  cwd: ROOT,
  env: {
    PATH: process.env.PATH,
    PORT: String(port),
    DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    DATABASE_URL: dbUrl.toString(),
    ENCRYPTION_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'),
    PLATFORM_API_KEY: platformKey,
  },
  log: join(dir, 'server.log'),
})
const db = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} })
try {
  await waitHealthy(server, `${url}/health`, 60_000)
  const tenant = (await (
    await fetch(`${url}/platform/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Analytics bench' }),
    })
  ).json()) as { id: string; secret_key: string }

  const seeding = performance.now()
  // What the worker would have written for `signIns` outcomes spread over 400 days: hourly counts per
  // strategy (one in ten a failure), and each outcome's user marked active in its hour, day and month.
  await db`
    with events as (
      select now() - random() * interval '400 days' as at,
        'user_' || floor(random() * ${people})::int as user_id,
        (array['password','email_code','passkey','oauth_google','enterprise_sso'])[1 + floor(random() * 5)::int] as strategy,
        case when random() < 0.1 then 'sign_in.failed' else 'sign_in.succeeded' end as metric
      from generate_series(1, ${signIns})
    ), counted as (
      insert into analytics_counts (tenant_id, metric, hour, strategy, count)
      select ${tenant.id}, metric, date_trunc('hour', at), strategy, count(*) from events group by 2, 3, 4
      returning 1
    )
    insert into analytics_active_users (tenant_id, period, start, user_id)
    select distinct ${tenant.id}, p.period, date_trunc(p.period, e.at), e.user_id
    from events e cross join (values ('hour'), ('day'), ('month')) as p(period)
    where e.metric = 'sign_in.succeeded'
    on conflict do nothing`
  await db`
    insert into analytics_active_counts (tenant_id, period, start, count)
    select tenant_id, period, start, count(*) from analytics_active_users group by 1, 2, 3`
  await db`analyze analytics_counts`
  await db`analyze analytics_active_counts`
  await db`analyze analytics_active_users`
  const [counted] = await db<{ total: number; rows: number }[]>`
    select coalesce(sum(count), 0)::int as total, count(*)::int as rows from analytics_counts`
  const [active] = await db<{ rows: number }[]>`select count(*)::int as rows from analytics_active_users`
  const { total, rows: countRows } = counted!
  const activeRows = active!.rows
  console.error(
    `seeded ${total} outcomes (${countRows} count rows, ${activeRows} active-user rows) in ${Math.round((performance.now() - seeding) / 1000)} s`,
  )

  const now = Date.now()
  const cases: [string, string][] = [
    ['sign-ins', 'interval=day'],
    ['active-users', 'interval=day'],
    ['sign-ups', 'interval=day'],
    ['mfa-adoption', 'interval=day'],
    ['sign-ins', `interval=hour&from=${now - 30 * 86_400_000}`],
    ['active-users', `interval=month&from=${now - 365 * 86_400_000}`],
  ]
  for (const [metric, query] of cases) {
    const timings: number[] = []
    for (let i = 0; i < requests; i++) {
      const started = performance.now()
      const res = await fetch(`${url}/v1/analytics/${metric}?${query}`, {
        headers: { authorization: `Bearer ${tenant.secret_key}` },
      })
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`${metric}: ${res.status}`)
      timings.push(performance.now() - started)
    }
    timings.sort((a, b) => a - b)
    const at = (q: number) => +timings[Math.min(timings.length - 1, Math.floor(q * timings.length))]!.toFixed(1)
    console.log(
      JSON.stringify({
        scenario: 'analytics_series',
        metric,
        query,
        sign_ins: total,
        p50_ms: at(0.5),
        p95_ms: at(0.95),
        max_ms: at(1),
      }),
    )
  }
} finally {
  await db.end()
  await stopAll()
  await admin.unsafe(`drop database if exists ${dbName} with (force)`)
  await admin.end()
  rmSync(dir, { recursive: true, force: true })
}
