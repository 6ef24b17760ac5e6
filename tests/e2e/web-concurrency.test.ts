import { afterEach, describe, expect, it } from 'bun:test'
import { readFileSync } from 'node:fs'
import { ENTRY_RUNTIME, entryCommand } from '../support/entry'
import { freePort } from '../support/local-server'
import { freshPostgresDatabase } from '../support/postgres'
import { startServer } from '../support/server-process'
import { waitFor } from '../support/wait'

/**
 * WEB_CONCURRENCY (issue #22) on the real entry (`bun src/main.ts`, or on Deno under `npm run test:deno`): the first process starts the others, all of
 * them listen on one port, requests succeed whichever answers, a copy that dies is started again, a copy whose
 * first process is killed stops, and SIGTERM stops them all. On PostgreSQL (127.0.0.1, as CI runs it) in both
 * suite modes: the embedded database cannot be shared by several processes (the config refuses it).
 */
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64')
const PLATFORM_API_KEY = 'platform-key-for-web-concurrency-tests'

/** The pids listening on `port` (`ss`, as an operator would look). */
async function listeners(port: number): Promise<number[]> {
  const out = await new Response(Bun.spawn(['ss', '-Hltnp', `sport = :${port}`]).stdout).text()
  return [...out.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])).sort()
}

const childrenOf = async (pid: number): Promise<number[]> =>
  (await new Response(Bun.spawn(['pgrep', '-P', String(pid)]).stdout).text()).split('\n').filter(Boolean).map(Number)

/** Running: a zombie (exited, not yet reaped by whatever adopted it) counts as gone. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

async function cluster(count: number) {
  const db = await freshPostgresDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  cleanups.push(() => db.drop())
  const server = await startServer(
    { DATABASE_URL: db.url, ENCRYPTION_KEY, PLATFORM_API_KEY, WEB_CONCURRENCY: String(count) },
    cleanups,
  )
  const port = Number(new URL(server.url).port)
  const pid = server.proc.pid
  await waitFor(async () => ((await listeners(port)).length === count ? true : null), 20_000, 100)
  // Kill whatever is left (a test that failed midway): every process that listened, copies restarted since too.
  const seen = new Set(await listeners(port))
  cleanups.push(async () => {
    for (const other of [...seen, ...(await listeners(port))])
      if (other !== pid && alive(other)) process.kill(other, 'SIGKILL')
  })
  return { server, port, pid }
}

describe('WEB_CONCURRENCY', () => {
  it('serves one port from every process; a copy that dies comes back; SIGTERM stops them all', async () => {
    const { server, port, pid } = await cluster(3)
    const copies = await childrenOf(pid)
    expect(copies).toHaveLength(2)
    expect(await listeners(port)).toEqual([pid, ...copies].sort())
    // Real work through every process: tenants made over many connections, each readable afterwards.
    const platform = { authorization: `Bearer ${PLATFORM_API_KEY}`, 'content-type': 'application/json' }
    const made = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${server.url}/platform/v1/tenants`, {
          method: 'POST',
          headers: { ...platform, connection: 'close' },
          body: JSON.stringify({ name: `Node tenant ${i}` }),
        }),
      ),
    )
    expect(made.map((r) => r.status)).toEqual(Array(30).fill(201))
    const ids = await Promise.all(made.map(async (r) => ((await r.json()) as { id: string }).id))
    const read = await Promise.all(
      ids.map((id) =>
        fetch(`${server.url}/platform/v1/tenants/${id}`, { headers: { ...platform, connection: 'close' } }),
      ),
    )
    expect(read.map((r) => r.status)).toEqual(Array(30).fill(200))
    // Every process is ready (migrations applied, database and bus reachable), whichever answers.
    const ready = await Promise.all(
      Array.from({ length: 30 }, () => fetch(`${server.url}/ready`, { headers: { connection: 'close' } })),
    )
    expect(ready.map((r) => r.status)).toEqual(Array(30).fill(200))

    process.kill(copies[0]!, 'SIGKILL')
    const back = await waitFor(
      async () => {
        const now = await childrenOf(pid)
        return now.length === 2 && !now.includes(copies[0]!) ? now : null
      },
      15_000,
      100,
    )
    await waitFor(async () => ((await listeners(port)).length === 3 ? true : null), 15_000, 100)
    expect(back).not.toContain(copies[0])

    expect(await server.stop()).toBe(0)
    for (const child of back) await waitFor(async () => (!alive(child) ? true : null), 10_000, 50)
    expect(await listeners(port)).toEqual([])
  }, 90_000)

  it('stops a copy whose first process was killed, so no orphan keeps the port', async () => {
    const { server, port, pid } = await cluster(2)
    const [copy] = await childrenOf(pid)
    server.proc.kill('SIGKILL')
    await server.proc.exited
    await waitFor(async () => (!alive(copy!) ? true : null), 10_000, 50)
    expect(await listeners(port)).toEqual([])
  }, 60_000)

  // Deno shows a process its permissions, not its flags: one granted with an exception cannot be handed on as it is.
  it.if(ENTRY_RUNTIME === 'deno')(
    'on Deno, refuses to start copies with more permissions than its own',
    async () => {
      const db = await freshPostgresDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
      cleanups.push(() => db.drop())
      const [deno, run, ...flags] = entryCommand('src/main.ts').slice(0, -1)
      const proc = Bun.spawn([deno!, run!, ...flags, '--deny-net=169.254.169.254', 'src/main.ts'], {
        cwd: new URL('../..', import.meta.url).pathname,
        env: {
          PATH: process.env.PATH ?? '',
          PORT: String(await freePort()),
          DATABASE_URL: db.url,
          ENCRYPTION_KEY,
          PLATFORM_API_KEY,
          WEB_CONCURRENCY: '2',
        },
        stdout: 'ignore',
        stderr: 'pipe',
      })
      cleanups.push(() => proc.kill('SIGKILL'))
      expect(await proc.exited).toBe(1)
      expect(await new Response(proc.stderr).text()).toContain('WEB_CONCURRENCY > 1 on Deno needs --allow-net whole')
    },
    60_000,
  )
})
