import { describe, expect, it } from 'bun:test'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, ENV_VARS, loadConfig } from '../../src/config'

const tempDir = () => mkdtempSync(join(tmpdir(), 'tessera-config-'))
const key32 = Buffer.alloc(32, 7).toString('base64')

describe('loadConfig', () => {
  it('runs on embedded defaults, generating the encryption and platform keys 0600', () => {
    const dir = tempDir()
    const config = loadConfig({ DATA_DIR: dir })
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: null,
      natsUrl: null,
      workers: 'embedded',
    })
    expect(config.encryptionKey).toHaveLength(32)
    expect(config.platformKeyFile).toBe(join(dir, 'platform-key'))
    for (const file of ['encryption-key', 'platform-key']) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600)
    expect(readFileSync(join(dir, 'platform-key'), 'utf8').trim()).toBe(config.platformApiKey)
    expect(config.generated).toHaveLength(2)
    // A second start reuses what the first generated.
    const again = loadConfig({ DATA_DIR: dir })
    expect(again.platformApiKey).toBe(config.platformApiKey)
    expect(Buffer.from(again.encryptionKey).equals(Buffer.from(config.encryptionKey))).toBe(true)
    expect(again.generated).toHaveLength(0)
  })

  it('derives PUBLIC_URL from PORT and keeps only the origin', () => {
    expect(loadConfig({ DATA_DIR: tempDir(), PORT: '8080' }).publicUrl).toBe('http://localhost:8080')
    expect(loadConfig({ DATA_DIR: tempDir(), PUBLIC_URL: 'https://auth.example.com/' }).publicUrl).toBe(
      'https://auth.example.com',
    )
  })

  const invalid: [Record<string, string>, string][] = [
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'https://x.example/auth' }, 'PUBLIC_URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://localhost/x' }, 'ENCRYPTION_KEY'],
    [{ ENCRYPTION_KEY: 'c2hvcnQ=' }, 'ENCRYPTION_KEY'],
    [{ NATS_URL: 'http://x' }, 'NATS_URL'],
    [{ PLATFORM_API_KEY: 'short' }, 'PLATFORM_API_KEY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ WORKERS: 'some' }, 'WORKERS'],
    [{ TRUSTED_PROXIES: '10.0.0.0/8,banana' }, 'TRUSTED_PROXIES'],
    [{ SMTP_URL: 'not a url' }, 'SMTP_URL'],
    [{ WEBHOOK_TIMEOUT_MS: '500' }, 'WEBHOOK_TIMEOUT_MS'],
    [{ WEBHOOK_TIMEOUT_MS: '2.5e3' }, 'WEBHOOK_TIMEOUT_MS'],
    [{ WEBHOOK_TIMEOUT_MS: '120000' }, 'WEBHOOK_TIMEOUT_MS'],
  ]
  for (const [env, variable] of invalid) {
    it(`refuses ${JSON.stringify(env)} naming ${variable}`, () => {
      try {
        loadConfig({ DATA_DIR: tempDir(), ...env })
        throw new Error('accepted')
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError)
        expect((err as ConfigError).variable).toBe(variable as never)
        expect((err as Error).message).toStartWith(`${variable}: `)
      }
    })
  }

  it('takes the webhook attempt timeout in milliseconds, 10 s by default', () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).webhookTimeoutMs).toBe(10_000)
    expect(loadConfig({ DATA_DIR: tempDir(), WEBHOOK_TIMEOUT_MS: '1500' }).webhookTimeoutMs).toBe(1500)
  })

  it('with DATABASE_URL needs nothing from DATA_DIR', () => {
    const config = loadConfig({
      DATA_DIR: '/nonexistent/never',
      DATABASE_URL: 'postgres://localhost/x',
      ENCRYPTION_KEY: key32,
      PLATFORM_API_KEY: 'p'.repeat(32),
    })
    expect(config.generated).toEqual([])
    expect(config.webhookAllowPrivate).toBe(false)
    expect(loadConfig({ ...{ DATA_DIR: tempDir() }, WEBHOOK_ALLOW_PRIVATE: '1' }).webhookAllowPrivate).toBe(true)
    expect(loadConfig({ ...{ DATA_DIR: tempDir() }, WEBHOOK_ALLOW_PRIVATE: 'true' }).webhookAllowPrivate).toBe(false)
  })

  it('reads EMAIL_FROM_DOMAINS as lower-case domains and refuses anything else, naming the variable', () => {
    const dir = tempDir()
    expect(loadConfig({ DATA_DIR: dir }).emailFromDomains).toEqual([])
    expect(
      loadConfig({ DATA_DIR: dir, EMAIL_FROM_DOMAINS: ' Acme.example , mail.other.example. ' }).emailFromDomains,
    ).toEqual(['acme.example', 'mail.other.example'])
    for (const bad of ['acme', 'a@b.example', 'acme.example/x', '-x.example'])
      expect(() => loadConfig({ DATA_DIR: dir, EMAIL_FROM_DOMAINS: bad })).toThrow('EMAIL_FROM_DOMAINS')
  })

  it('reads METRICS_TOKEN, refusing a short or non-ASCII one', () => {
    const dir = tempDir()
    expect(loadConfig({ DATA_DIR: dir }).metricsToken).toBeNull()
    expect(loadConfig({ DATA_DIR: dir, METRICS_TOKEN: 'm'.repeat(32) }).metricsToken).toBe('m'.repeat(32))
    for (const bad of ['short', 'with space in the token', 'é'.repeat(20)])
      expect(() => loadConfig({ DATA_DIR: dir, METRICS_TOKEN: bad })).toThrow('METRICS_TOKEN')
  })

  it('reads DNS_RESOLVER as an IP address with an optional port, refusing names and bad ports', () => {
    const dir = tempDir()
    expect(loadConfig({ DATA_DIR: dir }).dnsResolver).toBeNull()
    for (const good of ['127.0.0.1:5353', '10.0.0.2', '[::1]:53'])
      expect(loadConfig({ DATA_DIR: dir, DNS_RESOLVER: good }).dnsResolver).toBe(good)
    for (const bad of ['dns.example:53', '127.0.0.1:0', '127.0.0.1:70000', '1.2.3:53', '[dns.example]:53'])
      expect(() => loadConfig({ DATA_DIR: dir, DNS_RESOLVER: bad })).toThrow('DNS_RESOLVER')
  })

  it('reads WEB_CONCURRENCY as 1..64 or auto, and more than 1 only on PostgreSQL', () => {
    const dir = tempDir()
    const pg = {
      DATA_DIR: dir,
      DATABASE_URL: 'postgres://u@127.0.0.1/db',
      ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
    }
    expect(loadConfig({ DATA_DIR: dir }).webConcurrency).toBe(1)
    expect(loadConfig({ ...pg, WEB_CONCURRENCY: '4' }).webConcurrency).toBe(4)
    expect(loadConfig({ ...pg, WEB_CONCURRENCY: 'auto' }).webConcurrency).toBe(availableParallelism())
    for (const bad of ['0', '65', 'two', '-1', '1.5'])
      expect(() => loadConfig({ ...pg, WEB_CONCURRENCY: bad })).toThrow('WEB_CONCURRENCY')
    expect(() => loadConfig({ DATA_DIR: dir, WEB_CONCURRENCY: '2' })).toThrow('WEB_CONCURRENCY: more than 1 needs')
  })

  it('is documented: the README table lists exactly the variables config.ts reads', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const documented = [...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1])
    expect(documented.sort()).toEqual(Object.keys(ENV_VARS).sort())
  })
})
