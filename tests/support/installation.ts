import { entryCommand } from './entry'
import { freePort } from './local-server'
import { OwnNats } from './own-nats'
import { freshPostgresDatabase } from './postgres'

/**
 * A scratch multi-process installation for end-to-end tests: a PostgreSQL database and a NATS
 * server of the test's own, a free port, and the environment every process of it shares.
 * Processes spawned with `spawn` are killed, and the database and NATS removed, by `cleanup`.
 */
const ROOT = new URL('../..', import.meta.url).pathname
// The embedded run has no DATABASE_URL, but its CI script starts PostgreSQL all the same.
const PG_SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export interface Installation {
  base: string
  nats: OwnNats
  platformKey: string
  env: Record<string, string>
  spawn(args: string[], extraEnv?: Record<string, string>): ReturnType<typeof Bun.spawn>
  cleanup(): Promise<void>
}

export async function scratchInstallation(extraEnv: Record<string, string> = {}): Promise<Installation> {
  const cleanups: (() => unknown)[] = []
  const db = await freshPostgresDatabase(PG_SERVER)
  cleanups.push(db.drop)
  const nats = new OwnNats(await freePort())
  cleanups.push(() => nats.dispose())
  await nats.start()
  const port = await freePort()
  const platformKey = 'platform-' + crypto.randomUUID()
  const env = {
    DATABASE_URL: db.url,
    NATS_URL: nats.url,
    PORT: String(port),
    PLATFORM_API_KEY: platformKey,
    ENCRYPTION_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'),
    WORKERS: 'none',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  }
  return {
    base: `http://127.0.0.1:${port}`,
    nats,
    platformKey,
    env,
    spawn(args, more = {}) {
      const [entry, ...rest] = args
      const proc = Bun.spawn([...entryCommand(entry!), ...rest], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...env, ...more },
        stdout: 'inherit',
        stderr: 'inherit',
      })
      cleanups.push(async () => {
        proc.kill('SIGKILL')
        await proc.exited
      })
      return proc
    },
    async cleanup() {
      for (const c of cleanups.reverse()) await c()
    },
  }
}
