import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'

/**
 * The environment, read and validated once. The only reader of process.env.
 * Every variable has a default and a description; README's table is checked against
 * ENV_VARS by tests/unit/config.test.ts.
 */
export const ENV_VARS = {
  PORT: { default: '3000', description: 'HTTP port to listen on.' },
  PUBLIC_URL: {
    default: 'http://localhost:$PORT',
    description: 'External base URL; issuers and links are built from it, never from Host.',
  },
  DATABASE_URL: { default: '', description: 'PostgreSQL URL. Unset: embedded PGlite in DATA_DIR.' },
  DATA_DIR: { default: './data', description: 'Embedded database, generated encryption key and platform key.' },
  NATS_URL: { default: '', description: 'NATS server with JetStream. Unset: in-process bus.' },
  PLATFORM_API_KEY: {
    default: '',
    description: 'Bearer key of the platform API. Unset: generated into DATA_DIR/platform-key.',
  },
  ENCRYPTION_KEY: {
    default: '',
    description:
      '32 bytes, base64. Encrypts keys and secrets at rest. Required with DATABASE_URL; else generated into DATA_DIR.',
  },
  SMTP_URL: { default: '', description: 'SMTP server for email. Unset: the dev mailbox.' },
  SMS_PROVIDER_URL: { default: '', description: 'SMS provider endpoint. Unset: the dev mailbox.' },
  LOG_LEVEL: { default: 'info', description: 'debug, info, warn, error or silent.' },
  WORKERS: {
    default: 'embedded',
    description: 'embedded: run the workers in this process; none: run them with `npm run worker`.',
  },
  TRUSTED_PROXIES: { default: '', description: 'Comma-separated CIDRs whose X-Forwarded-For is believed.' },
  WEBHOOK_ALLOW_PRIVATE: {
    default: '',
    description:
      'Exactly 1 lets webhooks and every other outbound request reach private, loopback and link-local addresses.',
  },
  WEBHOOK_TIMEOUT_MS: {
    default: '10000',
    description:
      'Milliseconds a webhook attempt may take, 1000..60000. A message is leased for twice this per attempt, so ' +
      'a worker that dies mid-attempt leaves it to another one after that.',
  },
  EMAIL_FROM_DOMAINS: {
    default: '',
    description:
      "Comma-separated domains a tenant's email.from_address may use. " +
      "Unset: every message is sent from the installation's sender, no-reply@<PUBLIC_URL host>.",
  },
  METRICS_TOKEN: {
    default: '',
    description: 'When set, /metrics requires Authorization: Bearer <METRICS_TOKEN>. Unset: /metrics is open.',
  },
  DNS_RESOLVER: {
    default: '',
    description:
      "DNS server (IP address, optional :port) that checks organization domains' TXT records. Unset: the system's.",
  },
  WEB_CONCURRENCY: {
    default: '1',
    description:
      'HTTP processes on this node, 1..64 or auto (one per core), sharing PORT. More than 1 needs DATABASE_URL: ' +
      'the embedded database lives in one process.',
  },
} as const
export type EnvVar = keyof typeof ENV_VARS

export interface Config {
  port: number
  /** Origin only, no trailing slash. */
  publicUrl: string
  databaseUrl: string | null
  dataDir: string
  natsUrl: string | null
  platformApiKey: string
  /** Where the generated platform key is, when PLATFORM_API_KEY is unset. */
  platformKeyFile: string | null
  encryptionKey: Uint8Array<ArrayBuffer>
  smtpUrl: string | null
  smsProviderUrl: string | null
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  workers: 'embedded' | 'none'
  trustedProxies: string[]
  webhookAllowPrivate: boolean
  /** One webhook attempt, response excerpt included; the delivery lease is derived from it. */
  webhookTimeoutMs: number
  /** Lower-case domains a tenant's sender address may use; empty: the installation's sender only. */
  emailFromDomains: string[]
  /** Bearer that /metrics requires, or null when it is open. */
  metricsToken: string | null
  /** `ip` or `ip:port` (`[v6]:port`) of the DNS server for domain verification; null: the system's. */
  dnsResolver: string | null
  /** HTTP processes on this node (WEB_CONCURRENCY): 1, or more on PostgreSQL. */
  webConcurrency: number
}

/** Thrown for a bad variable; main.ts prints its message as the one line and exits. */
export class ConfigError extends Error {
  constructor(
    readonly variable: EnvVar,
    reason: string,
  ) {
    super(`${variable}: ${reason}`)
  }
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/

type Env = Record<string, string | undefined>

/**
 * WEB_CONCURRENCY: `auto` is one process per core. Embedded PGlite runs inside one process, and handing its
 * queries to that process from the others would serialise them all behind it: more than one needs PostgreSQL.
 */
function parseConcurrency(raw: string | null, databaseUrl: string | null): number {
  const n =
    raw === null ? 1 : raw === 'auto' ? Math.min(64, availableParallelism()) : /^\d{1,2}$/.test(raw) ? Number(raw) : 0
  if (n < 1 || n > 64) throw new ConfigError('WEB_CONCURRENCY', 'must be an integer 1..64 or auto')
  if (n > 1 && !databaseUrl)
    throw new ConfigError(
      'WEB_CONCURRENCY',
      'more than 1 needs DATABASE_URL (the embedded database lives in one process)',
    )
  return n
}

const get = (env: Env, name: EnvVar): string | null => {
  const value = env[name]?.trim()
  return value ? value : null
}

function parseUrl(env: Env, name: EnvVar, protocols: string[]): string | null {
  const raw = get(env, name)
  if (raw === null) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(name, 'not a valid URL')
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(name, `must use ${protocols.join(' or ')}`)
  return raw
}

function parseCidr(name: EnvVar, cidr: string): string {
  const match = /^([0-9a-fA-F.:]+)\/(\d{1,3})$/.exec(cidr) ?? /^([0-9a-fA-F.:]+)$/.exec(cidr)
  const ip = match?.[1] ?? ''
  const isV4 = /^(\d{1,3}\.){3}\d{1,3}$/.test(ip) && ip.split('.').every((o) => Number(o) <= 255)
  const isV6 = ip.includes(':')
  const bits = match?.[2] === undefined ? (isV4 ? 32 : 128) : Number(match[2])
  if (!match || (!isV4 && !isV6) || bits > (isV4 ? 32 : 128)) throw new ConfigError(name, `"${cidr}" is not a CIDR`)
  return `${ip}/${bits}`
}

/** An IP address with an optional port, as node:dns `setServers` takes it (no name: it would need a resolver). */
function parseResolver(name: EnvVar, raw: string | null): string | null {
  if (raw === null) return null
  const match = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(raw) ?? /^([0-9.]+)(?::(\d{1,5}))?$/.exec(raw)
  const ip = match?.[1] ?? raw
  const port = match?.[2] === undefined ? 53 : Number(match[2])
  if (isIP(ip) === 0 || port < 1 || port > 65535)
    throw new ConfigError(name, 'must be an IP address with optional :port')
  return raw
}

function readOrCreateSecret(path: string, create: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim()
  writeFileSync(path, create() + '\n', { mode: 0o600 })
  chmodSync(path, 0o600)
  return readFileSync(path, 'utf8').trim()
}

const randomBase64 = (bytes: number, alphabet: 'base64' | 'base64url' = 'base64') =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString(alphabet)

function decodeKey(name: EnvVar, raw: string): Uint8Array<ArrayBuffer> {
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0)
  if (bytes.length !== 32) throw new ConfigError(name, 'must be 32 bytes encoded as base64')
  return new Uint8Array(bytes)
}

/**
 * Parses the environment. Creates DATA_DIR and the generated secrets only when they are
 * needed (embedded database, or no PLATFORM_API_KEY), each file mode 0600.
 */
export function loadConfig(env: Env = process.env): Config & { generated: string[] } {
  const portRaw = get(env, 'PORT') ?? ENV_VARS.PORT.default
  const port = Number(portRaw)
  if (!/^\d+$/.test(portRaw) || port < 1 || port > 65535) throw new ConfigError('PORT', 'must be an integer 1..65535')

  const publicUrlRaw = parseUrl(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`
  const publicUrl = new URL(publicUrlRaw)
  if (publicUrl.pathname !== '/' || publicUrl.search || publicUrl.hash || publicUrl.username)
    throw new ConfigError('PUBLIC_URL', 'must be an origin without path, query or credentials')

  const databaseUrl = parseUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:'])
  const natsUrl = parseUrl(env, 'NATS_URL', ['nats:', 'tls:'])
  const dataDir = resolve(get(env, 'DATA_DIR') ?? ENV_VARS.DATA_DIR.default)
  const generated: string[] = []
  const ensureDataDir = () => mkdirSync(dataDir, { recursive: true, mode: 0o700 })

  let encryptionKey: Uint8Array<ArrayBuffer>
  const encRaw = get(env, 'ENCRYPTION_KEY')
  if (encRaw) encryptionKey = decodeKey('ENCRYPTION_KEY', encRaw)
  else if (databaseUrl)
    throw new ConfigError('ENCRYPTION_KEY', 'is required when DATABASE_URL is set (every node must share it)')
  else {
    ensureDataDir()
    const path = join(dataDir, 'encryption-key')
    if (!existsSync(path)) generated.push(path)
    encryptionKey = decodeKey(
      'ENCRYPTION_KEY',
      readOrCreateSecret(path, () => randomBase64(32)),
    )
  }

  let platformApiKey = get(env, 'PLATFORM_API_KEY')
  if (platformApiKey !== null && platformApiKey.length < 24)
    throw new ConfigError('PLATFORM_API_KEY', 'must be at least 24 characters')
  let platformKeyFile: string | null = null
  if (platformApiKey === null) {
    ensureDataDir()
    const path = (platformKeyFile = join(dataDir, 'platform-key'))
    if (!existsSync(path)) generated.push(path)
    platformApiKey = readOrCreateSecret(path, () => 'pk_platform_' + randomBase64(32, 'base64url'))
  }

  const logLevel = get(env, 'LOG_LEVEL') ?? ENV_VARS.LOG_LEVEL.default
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel))
    throw new ConfigError('LOG_LEVEL', 'must be debug, info, warn, error or silent')
  const workers = get(env, 'WORKERS') ?? ENV_VARS.WORKERS.default
  if (workers !== 'embedded' && workers !== 'none') throw new ConfigError('WORKERS', 'must be embedded or none')

  const trustedProxies = (get(env, 'TRUSTED_PROXIES') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((c) => parseCidr('TRUSTED_PROXIES', c))

  const timeoutRaw = get(env, 'WEBHOOK_TIMEOUT_MS') ?? ENV_VARS.WEBHOOK_TIMEOUT_MS.default
  const webhookTimeoutMs = Number(timeoutRaw)
  if (!/^\d+$/.test(timeoutRaw) || webhookTimeoutMs < 1000 || webhookTimeoutMs > 60_000)
    throw new ConfigError('WEBHOOK_TIMEOUT_MS', 'must be an integer 1000..60000 (milliseconds)')

  const emailFromDomains = (get(env, 'EMAIL_FROM_DOMAINS') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase().replace(/\.$/, ''))
    .filter(Boolean)
  for (const domain of emailFromDomains) {
    if (!DOMAIN.test(domain)) throw new ConfigError('EMAIL_FROM_DOMAINS', `"${domain}" is not a domain name`)
  }
  const metricsToken = get(env, 'METRICS_TOKEN')
  // The token travels in a Bearer header: visible ASCII only, and long enough not to be guessed.
  if (metricsToken !== null && !/^[\x21-\x7e]{16,4096}$/.test(metricsToken))
    throw new ConfigError('METRICS_TOKEN', 'must be 16..4096 visible ASCII characters')

  return {
    port,
    publicUrl: publicUrl.origin,
    databaseUrl,
    dataDir,
    natsUrl,
    platformApiKey,
    platformKeyFile,
    encryptionKey,
    smtpUrl: parseUrl(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    smsProviderUrl: parseUrl(env, 'SMS_PROVIDER_URL', ['http:', 'https:']),
    logLevel: logLevel as Config['logLevel'],
    workers,
    trustedProxies,
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE === '1',
    webhookTimeoutMs,
    emailFromDomains,
    metricsToken,
    dnsResolver: parseResolver('DNS_RESOLVER', get(env, 'DNS_RESOLVER')),
    webConcurrency: parseConcurrency(get(env, 'WEB_CONCURRENCY'), databaseUrl),
    generated,
  }
}
