import { PGlite } from '@electric-sql/pglite'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { openPglite } from '../../src/platform/db/client'
import { migrate } from '../../src/platform/db/migrate'

/**
 * `npm run test:deno` (issue #23), in the mode the environment picks (DATABASE_URL / NATS_URL set or not), as
 * `npm test` does. First the suite's in-process half under `deno test` (bun-test.ts stands in for bun:test): the
 * machine, unit, contract, security and API tests, the app driven through `app.handle` on Deno. Then the end-to-end
 * tests that start Tessera's processes, with those processes started as `npm run start:deno` starts them
 * (TESSERA_RUNTIME=deno, support/entry.ts). `npm run test:deno -- tests/api/users.test.ts tests/e2e` runs fewer.
 */
const ROOT = join(import.meta.dir, '../..')
const IN_PROCESS = [
  'tests/unit/**/*.test.ts',
  'tests/contract/*.test.ts',
  'tests/security/*.test.ts',
  'tests/api/*.test.ts',
]
const END_TO_END = 'tests/e2e/*.test.ts'
const ENTRY = 'tests/support/entry.ts'
/** Test files that use Bun's own APIs, so run on Bun only; any other one found is an error, not a silent skip. */
const BUN_ONLY = ['tests/unit/deploy-files.test.ts'] // Bun.YAML reads the Helm chart and compose file

/** Relative imports of a file, resolved to paths from the root (extensionless ones as .ts). */
function importsOf(file: string): string[] {
  const code = readFileSync(join(ROOT, file), 'utf8')
  return [...code.matchAll(/from '(\.[^']+)'/g)].map((m) => {
    const path = relative(ROOT, join(ROOT, dirname(file), m[1]!))
    return /\.tsx?$/.test(path) ? path : `${path}.ts`
  })
}

/** The file and every test file or support module it reaches through relative imports (not src/). */
function reach(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file) || !file.startsWith('tests/')) return seen
  seen.add(file)
  for (const next of importsOf(file)) reach(next, seen)
  return seen
}

/** Bun's APIs in code (not comments), in a file that is not an adapter knowing both runtimes (local-server.ts). */
function usesBun(file: string): boolean {
  const code = readFileSync(join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
  return /\bBun\.[A-Za-z]/.test(code) && !/\bDeno\.serve\b/.test(code)
}

const only = process.argv.slice(2)
const scan = (pattern: string) =>
  [...new Bun.Glob(pattern).scanSync(ROOT)]
    .filter((file) => only.length === 0 || only.some((path) => file.startsWith(path)))
    .sort()

const inProcess = IN_PROCESS.flatMap(scan)
const bunOnly = inProcess.filter((file) => [...reach(file)].some(usesBun))
const unexpected = bunOnly.filter((file) => !BUN_ONLY.includes(file))
if (unexpected.length > 0) {
  console.error(`Bun's APIs reached from these test files, which must run on Deno too: ${unexpected.join(', ')}`)
  process.exit(1)
}
const runnable = inProcess.filter((file) => !bunOnly.includes(file))
const endToEnd = scan(END_TO_END).filter((file) => reach(file).has(ENTRY))
if (runnable.length + endToEnd.length === 0) {
  console.error(`no test file under ${only.join(' ')}`)
  process.exit(1)
}

const run = (command: string[], env: Record<string, string>) =>
  Bun.spawnSync(command, { cwd: ROOT, stdio: ['inherit', 'inherit', 'inherit'], env: { ...process.env, ...env } })
    .exitCode ?? 1

/** A dump of a migrated PGlite, written to a file (support/db.ts loads it in every file's isolate). */
async function pgliteDump(dir: string): Promise<string> {
  const database = await openPglite(join(dir, 'data'))
  await migrate(database)
  await database.close()
  const client = new PGlite(join(dir, 'data'))
  await client.waitReady
  const file = join(dir, 'migrated.tar')
  writeFileSync(file, new Uint8Array(await (await client.dumpDataDir('none')).arrayBuffer()))
  await client.close()
  return file
}

if (runnable.length > 0) {
  console.log(`== deno test: ${runnable.length} files (on Bun only: ${BUN_ONLY.join(', ')})`)
  const scratch = mkdtempSync(join(tmpdir(), 'tessera-deno-'))
  const dump = process.env.DATABASE_URL ? null : await pgliteDump(scratch)
  const code = run([join(ROOT, 'node_modules/.bin/deno'), 'test', '--no-check', '--allow-all', ...runnable], {
    NO_COLOR: '1',
    ...(dump ? { TESSERA_TEST_PGLITE_DUMP: dump } : {}),
  })
  rmSync(scratch, { recursive: true, force: true })
  if (code !== 0) process.exit(code)
}
if (endToEnd.length > 0) {
  console.log(`== end-to-end, Tessera's processes on Deno: ${endToEnd.join(' ')}`)
  process.exit(run([process.execPath, 'test', '--timeout', '60000', ...endToEnd], { TESSERA_RUNTIME: 'deno' }))
}
