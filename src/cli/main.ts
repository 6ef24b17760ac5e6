#!/usr/bin/env bun
import { existsSync, readFileSync } from 'node:fs'
import { targetOf } from './checkpoint'
import { TesseraError } from '@tessera/shared'
import { httpClient, OPERATOR_ROLES, type OperatorRole } from './client'
import { exportUsers } from './export'
import { importUsers, summaryLine } from './import'
import { InputError } from './rows'

/**
 * `tessera`: administration of a running server over HTTP only (the embedded database's files
 * belong to the server process). It reads its own environment: it is a client, not the server,
 * whose configuration src/config.ts alone reads.
 */
const USAGE = `usage: tessera [--url URL] [--platform-key KEY] [--secret-key KEY] <command>

  tenants create --name NAME [--slug SLUG]      prints the tenant, with its secret_key (shown once)
  operators create --email EMAIL [--role super_admin|admin|viewer]
                                                who may sign in to /console (default super_admin)
  keys create --name NAME --scopes a,b          a service key (printed once)
  users import <file.csv|.json|.jsonl> [--batch 100] [--concurrency 4] [--errors FILE] [--no-resume]
  users export [--format jsonl|csv] [--out FILE]

  --url           TESSERA_URL, default http://localhost:3000
  --platform-key  TESSERA_PLATFORM_KEY, default ./data/platform-key when present
  --secret-key    TESSERA_SECRET_KEY (a tenant secret key, or a service key with users:write/users:read)
`

class UsageError extends Error {}

/** `--name value`, `--name=value`, `--no-x` (x = false), and positionals. */
function parseArgs(argv: string[]): { flags: Map<string, string | boolean>; positionals: string[] } {
  const flags = new Map<string, string | boolean>()
  const positionals: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith('--')) positionals.push(arg)
    else if (arg.startsWith('--no-')) flags.set(arg.slice(5), false)
    else if (arg.includes('=')) flags.set(arg.slice(2, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1))
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) flags.set(arg.slice(2), argv[++i]!)
    else flags.set(arg.slice(2), true)
  }
  return { flags, positionals }
}

async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv)
  const text = (name: string, env?: string): string | null => {
    const value = flags.get(name)
    if (typeof value === 'string') return value
    if (value === true) throw new UsageError(`--${name} needs a value`)
    return (env && process.env[env]) || null
  }
  const required = (name: string) => text(name) ?? fail(`--${name} is required`)
  const fail = (message: string): never => {
    throw new UsageError(message)
  }
  const count = (name: string, fallback: number) => {
    const value = Number(text(name) ?? fallback)
    return Number.isInteger(value) && value >= 1 ? value : fail(`--${name} must be a positive integer`)
  }
  const keyFile = './data/platform-key'
  const url = text('url', 'TESSERA_URL') ?? 'http://localhost:3000'
  const platformKey =
    text('platform-key', 'TESSERA_PLATFORM_KEY') ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : null)
  const secretKey = text('secret-key', 'TESSERA_SECRET_KEY')
  const client = httpClient({ url, platformKey, secretKey })
  const print = (value: unknown) => console.log(JSON.stringify(value, null, 2))

  switch (positionals.slice(0, 2).join(' ')) {
    case 'tenants create': {
      const slug = text('slug')
      print(await client.createTenant({ name: required('name'), ...(slug ? { slug } : {}) }))
      return 0
    }
    case 'operators create': {
      const role = text('role') ?? 'super_admin'
      if (!OPERATOR_ROLES.some((r) => r === role)) fail(`--role is one of ${OPERATOR_ROLES.join(', ')}`)
      print(await client.createOperator({ email_address: required('email'), role: role as OperatorRole }))
      return 0
    }
    case 'keys create': {
      const scopes = required('scopes')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
      print(await client.createApiKey({ name: required('name'), scopes }))
      return 0
    }
    case 'users import': {
      const input = positionals[2] ?? fail('users import needs an input file')
      if (!secretKey) fail('a secret key is needed (--secret-key or TESSERA_SECRET_KEY)')
      const batch = count('batch', 100)
      if (batch > 100) fail('--batch is at most 100')
      const summary = await importUsers(client, {
        input,
        batch,
        concurrency: count('concurrency', 4),
        errorsPath: text('errors'),
        resume: flags.get('resume') !== false,
        target: targetOf(url, secretKey!),
      })
      console.log(summaryLine(summary))
      return summary.failed > 0 ? 1 : 0
    }
    case 'users export': {
      const format = text('format') ?? 'jsonl'
      if (format !== 'jsonl' && format !== 'csv') fail('--format is jsonl or csv')
      const exported = await exportUsers(client, { format: format as 'jsonl' | 'csv', out: text('out') })
      console.error(`exported ${exported} users`)
      return 0
    }
    default:
      throw new UsageError(positionals.length === 0 ? 'no command given' : `unknown command: ${positionals.join(' ')}`)
  }
}

try {
  process.exitCode = await run(process.argv.slice(2))
} catch (err) {
  if (err instanceof UsageError) console.error(`tessera: ${err.message}\n\n${USAGE}`)
  else if (err instanceof TesseraError) console.error(`tessera: ${err.status} ${err.code}: ${err.message}`)
  else if (err instanceof InputError) console.error(`tessera: ${err.message}`)
  else console.error(`tessera: ${err instanceof Error ? err.message : String(err)}`)
  process.exitCode = err instanceof UsageError ? 2 : 1
}
