import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { entryCommand } from './entry'
import { freePort } from './local-server'
import { waitFor } from './wait'

/** The real server process, as `npm start` (or `npm run start:deno`: support/entry.ts) runs it, over HTTP only. */
export interface ServerProcess {
  url: string
  proc: ReturnType<typeof Bun.spawn>
  platformKey: string
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>
}

const ROOT = new URL('../..', import.meta.url).pathname

/** A temporary DATA_DIR: PGlite, the generated keys and the platform key live there. */
export const tempDataDir = () => mkdtempSync(join(tmpdir(), 'tessera-e2e-'))

/**
 * Starts the server on a free port and waits for /health. Embedded unless `env` names a
 * DATABASE_URL / NATS_URL: the caller's environment is not inherited beyond PATH.
 */
export async function startServer(env: Record<string, string>, cleanups: (() => unknown)[]): Promise<ServerProcess> {
  const port = await freePort()
  const proc = Bun.spawn(entryCommand('src/main.ts'), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdout: 'inherit',
    stderr: 'inherit',
  })
  cleanups.push(async () => {
    proc.kill('SIGKILL')
    await proc.exited
  })
  const url = `http://127.0.0.1:${port}`
  await waitFor(async () => (await fetch(`${url}/health`)).status === 200, 60_000, 100)
  const platformKey = env.PLATFORM_API_KEY ?? readFileSync(join(env.DATA_DIR!, 'platform-key'), 'utf8').trim()
  return {
    url,
    proc,
    platformKey,
    async stop() {
      proc.kill('SIGTERM')
      return proc.exited
    },
  }
}
