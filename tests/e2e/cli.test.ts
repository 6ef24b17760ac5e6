import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'otplib'
import { entryCommand } from '../support/entry'
import { checkpointPath, fingerprint, targetOf } from '../../src/cli/checkpoint'
import { liveServer, type LiveServer } from '../support/live-server'

/**
 * The `tessera` CLI as a user runs it: a subprocess speaking HTTP to a listening server
 * (embedded or PostgreSQL, whichever the test app uses; no NATS needed).
 */
let t: LiveServer
let dir: string
beforeAll(async () => {
  t = await liveServer()
  dir = mkdtempSync(join(tmpdir(), 'tessera-cli-'))
})
afterAll(() => t.close())

const SLOW = 60_000
const ROOT = new URL('../..', import.meta.url).pathname

async function cli(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn([...entryCommand('src/cli/main.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', TESSERA_URL: t.url, TESSERA_PLATFORM_KEY: t.platformKey, ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  return { stdout, stderr, code }
}

/** A tenant made by `tessera tenants create`, with cheap argon2 and no sign-in rate limits. */
async function tenant(name: string): Promise<{ slug: string; secret_key: string }> {
  const made = await cli(['tenants', 'create', '--name', name])
  expect(made.code).toBe(0)
  const created = JSON.parse(made.stdout) as { slug: string; secret_key: string }
  const settings = {
    password: { argon2: { memory_kib: 8192, iterations: 1 } },
    rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 },
  }
  const res = await fetch(`${t.url}/v1/settings`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${created.secret_key}`, 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  })
  expect(res.status).toBe(200)
  return created
}

async function signIn(slug: string, identifier: string, password: string) {
  const res = await fetch(`${t.url}/t/${slug}/v1/client/sign-ins`, {
    method: 'POST',
    headers: { 'x-native-client': '1', 'content-type': 'application/json' },
    body: JSON.stringify({ identifier, password }),
  })
  return { res, client: res.headers.get('x-client-token'), body: (await res.json()) as { id: string; status: string } }
}

const PASSWORD = 'an imported password'
const b64 = (b: Buffer) => b.toString('base64')
function digests() {
  const salt = randomBytes(16)
  return {
    bcrypt: Bun.password.hashSync(PASSWORD, { algorithm: 'bcrypt', cost: 4 }),
    argon2id: Bun.password.hashSync(PASSWORD, { algorithm: 'argon2id', memoryCost: 4096, timeCost: 1 }),
    argon2i: Bun.password.hashSync(PASSWORD, { algorithm: 'argon2i', memoryCost: 4096, timeCost: 1 }),
    scrypt: `$scrypt$ln=12,r=8,p=1$${b64(salt)}$${b64(scryptSync(PASSWORD, salt, 32, { N: 4096, r: 8, p: 1 }))}`,
    pbkdf2_sha256: `pbkdf2_sha256$1000$abc$${b64(pbkdf2Sync(PASSWORD, 'abc', 1000, 32, 'sha256'))}`,
    pbkdf2_sha512: `pbkdf2_sha512$1000$abc$${b64(pbkdf2Sync(PASSWORD, 'abc', 1000, 64, 'sha512'))}`,
  }
}
const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)

describe('tessera users import', () => {
  it(
    'imports a CSV with every hash kind and a TOTP secret; each original password signs in',
    async () => {
      const { slug, secret_key } = await tenant('CLI import')
      const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
      const header = 'email_address,first_name,last_name,password_digest,password_hasher,totp_secret,public_metadata'
      const lines = Object.entries(digests()).map(([hasher, digest], i) =>
        [
          `${hasher}@example.com;alt-${i}@example.com`,
          'Ada',
          'Lovelace, "Countess"',
          digest,
          hasher,
          '',
          '{"plan":"pro"}',
        ]
          .map(csvCell)
          .join(','),
      )
      lines.push(['totp@example.com', 'T', '', digests().bcrypt, 'bcrypt', secret, ''].map(csvCell).join(','))
      const file = join(dir, 'users.csv')
      writeFileSync(file, `${header}\r\n${lines.join('\r\n')}\r\n`)
      const run = await cli(['users', 'import', file, '--batch', '3'], { TESSERA_SECRET_KEY: secret_key })
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(/^created 7, existed 0, failed 0, skipped 0 in [\d.]+ s \(\d+ rows\/s\)\n$/)

      for (const hasher of Object.keys(digests())) {
        const { body } = await signIn(slug, `${hasher}@example.com`, PASSWORD)
        expect([hasher, body.status]).toEqual([hasher, 'complete'])
      }
      const { body, client } = await signIn(slug, 'totp@example.com', PASSWORD)
      expect(body.status).toBe('needs_second_factor')
      const fapi = (path: string, json: unknown) =>
        fetch(`${t.url}/t/${slug}/v1/client/sign-ins/${body.id}${path}`, {
          method: 'POST',
          headers: { 'x-client-token': client!, 'content-type': 'application/json' },
          body: JSON.stringify(json),
        })
      const challenge = (await (await fapi('/challenges', { strategy: 'totp' })).json()) as { id: string }
      const code = await generate({ secret, epoch: Math.floor(t.clock.now() / 1000) })
      const done = await fapi(`/challenges/${challenge.id}/answer`, { code })
      expect(((await done.json()) as { status: string }).status).toBe('complete')
    },
    SLOW,
  )

  it('reports bad rows one by one in --errors, without their secrets, exits non-zero, and does not retry them', async () => {
    const { secret_key } = await tenant('CLI errors')
    const file = join(dir, 'bad.jsonl')
    const leaked = 'pbkdf2_sha256$999999999$salt$c2VjcmV0c2VjcmV0c2VjcmV0'
    const rows = [
      { email_address: ['good@example.com'] },
      { email_address: ['bad-digest@example.com'], password_digest: leaked, password_hasher: 'pbkdf2_sha256' },
      { email_address: ['not an address'] },
    ]
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n{ not json\n`)
    const errors = join(dir, 'bad.errors.jsonl')
    const run = await cli(['users', 'import', file, '--errors', errors], { TESSERA_SECRET_KEY: secret_key })
    expect(run.code).toBe(1)
    expect(run.stdout).toStartWith('created 1, existed 0, failed 3, skipped 0')
    const text = readFileSync(errors, 'utf8')
    expect(text).not.toContain('c2VjcmV0')
    const reported = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .sort((a, b) => Number(a.row) - Number(b.row))
    expect(reported).toEqual([
      expect.objectContaining({
        row: 2,
        identifier: 'bad-digest@example.com',
        code: 'form_param_format_invalid',
        param_name: 'password_digest',
      }),
      expect.objectContaining({
        row: 3,
        identifier: 'not an address',
        code: 'form_param_format_invalid',
        param_name: 'email_address',
      }),
      expect.objectContaining({ row: 4, identifier: null, code: 'invalid_row' }),
    ])
    // Refused for good: a rerun of the same file does not send (or fail) them again.
    const rerun = await cli(['users', 'import', file], { TESSERA_SECRET_KEY: secret_key })
    expect([rerun.code, rerun.stdout.slice(0, 42)]).toEqual([0, 'created 0, existed 0, failed 0, skipped 4 '])
  })

  it(
    'resumes from its checkpoint: no row is created twice or failed again; --no-resume reports them as existing',
    async () => {
      const { secret_key } = await tenant('CLI resume')
      const key = { TESSERA_SECRET_KEY: secret_key }
      const file = join(dir, 'resume.json')
      const rows = Array.from({ length: 7 }, (_, i) => ({ email_address: [`resume-${i}@example.com`] }))
      writeFileSync(file, JSON.stringify(rows))
      // An interrupted run: rows 1..3 were created, but the checkpoint was saved after row 2 only.
      const first = join(dir, 'resume-first.json')
      writeFileSync(first, JSON.stringify(rows.slice(0, 3)))
      expect((await cli(['users', 'import', first], key)).code).toBe(0)
      const print = fingerprint(file, readFileSync(file))
      const saved = { version: 1, input: print, target: targetOf(t.url, secret_key), done: [[1, 2]] }
      writeFileSync(checkpointPath(file), JSON.stringify(saved))

      const resumed = await cli(['users', 'import', file, '--batch', '2', '--concurrency', '2'], key)
      expect(resumed.code).toBe(0)
      expect(resumed.stdout).toStartWith('created 4, existed 1, failed 0, skipped 2')
      const again = await cli(['users', 'import', file], key)
      expect(again.stdout).toStartWith('created 0, existed 0, failed 0, skipped 7')
      const fresh = await cli(['users', 'import', file, '--no-resume'], key)
      expect(fresh.stdout).toStartWith('created 0, existed 7, failed 0, skipped 0')
      const list = await fetch(`${t.url}/v1/users?limit=100`, { headers: { authorization: `Bearer ${secret_key}` } })
      expect(((await list.json()) as { data: unknown[] }).data).toHaveLength(7)
    },
    SLOW,
  )
})

describe('tessera operators create', () => {
  it('adds an operator of the console (super admin unless told), and refuses an unknown role', async () => {
    const email = `op-${crypto.randomUUID().slice(0, 8)}@example.com`
    const made = await cli(['operators', 'create', '--email', email])
    expect(made.code).toBe(0)
    expect(JSON.parse(made.stdout)).toMatchObject({ object: 'operator', email_address: email, role: 'super_admin' })
    const bad = await cli(['operators', 'create', '--email', email, '--role', 'owner'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--role is one of super_admin, admin, viewer')
  })
})

describe('tessera keys create', () => {
  it('makes a service key, which imports with users:write', async () => {
    const { secret_key } = await tenant('CLI keys')
    const made = await cli(['keys', 'create', '--name', 'importer', '--scopes', 'users:write'], {
      TESSERA_SECRET_KEY: secret_key,
    })
    expect(made.code).toBe(0)
    const key = JSON.parse(made.stdout) as { object: string; scopes: string[]; key: string }
    expect(key).toMatchObject({ object: 'api_key', scopes: ['users:write'] })
    const file = join(dir, 'service-key.jsonl')
    writeFileSync(file, `${JSON.stringify({ email_address: ['by-service-key@example.com'] })}\n`)
    const run = await cli(['users', 'import', file], { TESSERA_SECRET_KEY: key.key })
    expect([run.code, run.stdout.slice(0, 20)]).toEqual([0, 'created 1, existed 0'])
  })

  it('explains a missing option and exits 2', async () => {
    const run = await cli(['keys', 'create', '--name', 'x'], { TESSERA_SECRET_KEY: 'sk_test' })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--scopes is required')
  })
})

describe('tessera users export', () => {
  it(
    'exports JSONL and CSV that re-import into another tenant as the same users',
    async () => {
      const source = await tenant('CLI export')
      const file = join(dir, 'export-source.jsonl')
      const users = Array.from({ length: 130 }, (_, i) => ({
        email_address: [`export-${i}@example.com`],
        ...(i % 2 ? { username: `user_${i}`, first_name: 'Grace, "Amazing"', last_name: 'Hopper\nNew line' } : {}),
        ...(i % 3 ? { public_metadata: { i, tags: ['a', 'b'] }, private_metadata: { external_id: `ext-${i}` } } : {}),
      }))
      writeFileSync(file, users.map((u) => JSON.stringify(u)).join('\n'))
      const env = (key: string) => ({ TESSERA_SECRET_KEY: key })
      expect((await cli(['users', 'import', file], env(source.secret_key))).code).toBe(0)

      const exported = async (key: string, format: string) => {
        const out = join(dir, `export-${crypto.randomUUID()}.${format}`)
        const run = await cli(['users', 'export', '--format', format, '--out', out], env(key))
        expect(run.code).toBe(0)
        return out
      }
      const asSet = async (key: string) => {
        const lines = readFileSync(await exported(key, 'jsonl'), 'utf8')
          .trim()
          .split('\n')
        expect(lines.join('\n')).not.toMatch(/password|totp|backup/)
        return lines.sort()
      }
      const original = await asSet(source.secret_key)
      expect(original).toHaveLength(130)
      for (const format of ['jsonl', 'csv']) {
        const target = await tenant(`CLI re-import ${format}`)
        const run = await cli(['users', 'import', await exported(source.secret_key, format)], env(target.secret_key))
        expect([format, run.code, run.stdout.slice(0, 40)]).toEqual([
          format,
          0,
          'created 130, existed 0, failed 0, skippe',
        ])
        expect(await asSet(target.secret_key)).toEqual(original)
      }
    },
    SLOW,
  )
})
