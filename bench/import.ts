/**
 * `bun bench/import.ts [--users 10000] [--batch 100] [--concurrency 4]`: the CLI's user import against a real
 * server on embedded defaults (or DATABASE_URL when set): a fresh data directory, a tenant, a CSV of users with
 * bcrypt and PBKDF2 digests (no hashing at import, as when moving from another system), then
 * `tessera users import`, timed end to end. Prints one JSON line.
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { freePort, installExitHandlers, start, stopAll, waitHealthy } from './procs.ts'

const ROOT = resolve(import.meta.dir, '..')
const { values } = parseArgs({
  options: { users: { type: 'string', default: '10000' }, batch: { type: 'string' }, concurrency: { type: 'string' } },
})
const count = Number(values.users)

installExitHandlers()
const dir = mkdtempSync(join(tmpdir(), 'tessera-import-bench-'))
const port = await freePort()
const url = `http://127.0.0.1:${port}`
const server = start('server', [process.execPath, 'src/main.ts'], {
  cwd: ROOT,
  env: {
    PATH: process.env.PATH,
    PORT: String(port),
    DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    DATABASE_URL: process.env.DATABASE_URL,
  },
  log: join(dir, 'server.log'),
})
try {
  await waitHealthy(server, `${url}/health`, 60_000)
  const platformKey = readFileSync(join(dir, 'platform-key'), 'utf8').trim()
  const tenant = (await (
    await fetch(`${url}/platform/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Import bench' }),
    })
  ).json()) as { secret_key: string }

  // Two digests, made once: hashing is what an import avoids, so the bench measures the import itself.
  const bcrypt = await Bun.password.hash('imported password', { algorithm: 'bcrypt', cost: 10 })
  const salt = randomBytes(12).toString('base64url')
  const pbkdf2 = `pbkdf2_sha256$600000$${salt}$${pbkdf2Sync('imported password', salt, 600_000, 32, 'sha256').toString('base64')}`
  const lines = ['email_address,first_name,last_name,password_hasher,password_digest']
  for (let i = 0; i < count; i++) {
    const [hasher, digest] = i % 2 ? ['bcrypt', bcrypt] : ['pbkdf2_sha256', pbkdf2]
    lines.push(`user${i}@bench.example,First${i},Last${i},${hasher},"${digest}"`)
  }
  const input = join(dir, 'users.csv')
  writeFileSync(input, `${lines.join('\n')}\n`)

  const args = ['users', 'import', input, '--url', url, '--secret-key', tenant.secret_key]
  if (values.batch) args.push('--batch', values.batch)
  if (values.concurrency) args.push('--concurrency', values.concurrency)
  const started = performance.now()
  const cli = Bun.spawn([process.execPath, join(ROOT, 'src/cli/main.ts'), ...args], {
    stdout: 'pipe',
    stderr: 'inherit',
  })
  const [code, out] = await Promise.all([cli.exited, new Response(cli.stdout).text()])
  const seconds = (performance.now() - started) / 1000
  console.error(out.trim())
  console.log(
    JSON.stringify({
      scenario: 'cli_import',
      users: count,
      seconds: +seconds.toFixed(1),
      rows_per_s: Math.round(count / seconds),
      exit: code,
      database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    }),
  )
} finally {
  await stopAll()
  rmSync(dir, { recursive: true, force: true })
}
