import { describe, expect, it } from 'bun:test'
import { Glob } from 'bun'
import { dirname, join, normalize, relative } from 'node:path'

/**
 * The import arrows of STYLE.md, checked on every source file: platform imports no feature,
 * machine or worker, nor src/deps.ts; machines take only types from src/; only app.ts imports
 * routes; a feature's repo is its own, and other features reach it only through its service.ts,
 * model.ts, schema.ts (foreign keys, from schema.ts), a guard module or the hosted pages' shell.
 */
const ROOT = join(import.meta.dir, '..')
const IMPORT = /^import\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'/gm

interface Edge {
  from: string
  to: string
  typeOnly: boolean
}

async function edges(): Promise<Edge[]> {
  const out: Edge[] = []
  for (const pattern of ['src/**/*.ts', 'src/**/*.tsx', 'machines/**/*.ts', 'workers/**/*.ts']) {
    for await (const file of new Glob(pattern).scan(ROOT)) {
      const text = await Bun.file(join(ROOT, file)).text()
      for (const m of text.matchAll(IMPORT)) {
        out.push({
          from: file,
          to: relative(ROOT, normalize(join(ROOT, dirname(file), m[2]!))).replace(/\.tsx?$/, ''),
          typeOnly: m[1] !== undefined,
        })
      }
    }
  }
  return out
}

const featureOf = (path: string) => (path.startsWith('src/features/') ? path.split('/')[2]! : null)

/** A feature's face to the others: its use cases, its public shapes, its tables (for foreign keys). */
const PUBLIC_ROLES = new Set(['service', 'model', 'schema'])

/** The auth macros and guards other features' routes mount (STYLE.md: "auth macros … or a feature guard"). */
const GUARDS = new Set([
  'src/features/tenants/guards',
  'src/features/sessions/session-guard',
  'src/features/sessions/fapi-guard',
])

/** The hosted pages' shell, which other features' pages (consent, device, errors) render with. */
const PAGE_KIT = new Set([
  'src/features/hosted/layout',
  'src/features/hosted/html',
  'src/features/hosted/csrf',
  'src/features/hosted/browser-client',
  'src/features/hosted/page',
  'src/features/hosted/form',
  'src/features/hosted/widgets',
])

function crossesFeatureBoundary(e: Edge): boolean {
  const from = featureOf(e.from)
  const to = featureOf(e.to)
  if (from === null || to === null || from === to) return false
  const role = e.to.split('/')[3]!
  if (role === 'schema') return !e.from.endsWith('/schema.ts') // foreign key declarations only
  return !PUBLIC_ROLES.has(role) && !GUARDS.has(e.to) && !PAGE_KIT.has(e.to)
}

const RULES: { name: string; broken: (e: Edge) => boolean }[] = [
  {
    name: 'platform imports no feature, machine or worker',
    broken: (e) => e.from.startsWith('src/platform/') && /^(src\/features|machines|workers)\//.test(e.to),
  },
  {
    name: 'machines take only types from src/',
    broken: (e) => e.from.startsWith('machines/') && e.to.startsWith('src/') && !e.typeOnly,
  },
  {
    name: 'platform never imports src/deps.ts',
    broken: (e) => e.from.startsWith('src/platform/') && e.to === 'src/deps',
  },
  {
    name: 'a feature imports another only through its service, model, schema (FKs), a guard or the page shell',
    broken: crossesFeatureBoundary,
  },
  { name: 'only app.ts imports routes', broken: (e) => e.to.endsWith('/routes') && e.from !== 'src/app.ts' },
  {
    name: 'a repo is its own feature’s',
    broken: (e) => e.to.endsWith('/repo') && featureOf(e.to) !== null && featureOf(e.to) !== featureOf(e.from),
  },
  {
    // Published packages: a relative import leaving its package would not exist once installed from npm.
    name: 'an SDK package imports only its own files (others by package name)',
    broken: (e) => e.from.startsWith('src/sdk/') && !e.to.startsWith(e.from.split('/').slice(0, 3).join('/') + '/'),
  },
  {
    name: 'the server never imports an SDK package',
    broken: (e) => !e.from.startsWith('src/sdk/') && !e.from.startsWith('src/cli/') && e.to.startsWith('src/sdk/'),
  },
  {
    name: 'workers are started only by main.ts (embedded) and workers/run.ts',
    broken: (e) => e.to.startsWith('workers/') && !e.from.startsWith('workers/') && e.from !== 'src/main.ts',
  },
]

describe('import arrows', () => {
  it('finds imports to check', async () => {
    expect((await edges()).length).toBeGreaterThan(200)
  })
  for (const rule of RULES) {
    it(rule.name, async () => {
      expect((await edges()).filter(rule.broken).map((e) => `${e.from} → ${e.to}`)).toEqual([])
    })
  }
})

/**
 * Runtime seams (issue #23): the server's code uses web standards and node: modules only; what is Bun's or Deno's
 * stays in src/platform/runtime/, the adapter both runtimes implement. The SDK's build script is a Bun tool of the
 * repository, not part of the server. Comments may name them.
 */
const RUNTIME_ADAPTER = 'src/platform/runtime/'
const BUN_TOOLS = new Set(['src/sdk/build.ts'])

describe('runtime seams', () => {
  it('keeps Bun.* and Deno.* in src/platform/runtime/: none in features, platform, machines, workers or entries', async () => {
    const found: string[] = []
    for (const pattern of ['src/**/*.ts', 'src/**/*.tsx', 'machines/**/*.ts', 'workers/**/*.ts']) {
      for await (const file of new Glob(pattern).scan(ROOT)) {
        if (file.startsWith(RUNTIME_ADAPTER) || BUN_TOOLS.has(file)) continue
        const code = (await Bun.file(join(ROOT, file)).text())
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/^\s*\/\/.*$/gm, '')
        for (const m of code.matchAll(/\b(Bun|Deno)\.[A-Za-z]+|from '(bun|deno)'/g)) found.push(`${file}: ${m[0]}`)
      }
    }
    expect(found).toEqual([])
  })
})
