import { readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

/**
 * `npm run test:deno` (issue #23), in the mode the environment picks (DATABASE_URL / NATS_URL set or not), as
 * `npm test` does. First the suite's in-process half under `deno test` (bun-test.ts stands in for bun:test): the
 * machine, unit, contract, security and API tests, the app driven through `app.handle` on Deno. Then the end-to-end
 * tests that start Tessera's processes, with those processes started as `npm run start:deno` starts them
 * (TESSERA_RUNTIME=deno, support/entry.ts). A test file that itself uses Bun's APIs stays Bun's; the list is printed.
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

/** `npm run test:deno -- tests/api/users.test.ts tests/e2e`: only the files under these paths. */
const only = process.argv.slice(2)
const scan = (pattern: string) =>
  [...new Bun.Glob(pattern).scanSync(ROOT)]
    .filter((file) => only.length === 0 || only.some((path) => file.startsWith(path)))
    .sort()

const runnable: string[] = []
const bunOnly: string[] = []
for (const file of IN_PROCESS.flatMap(scan)) {
  const users = [...reach(file)].filter(usesBun)
  if (users.length === 0) runnable.push(file)
  else bunOnly.push(`${file} (Bun.* in ${users.join(', ')})`)
}
const endToEnd = scan(END_TO_END).filter((file) => reach(file).has(ENTRY))

console.log(`== deno test: ${runnable.length} files; Bun's only: ${bunOnly.length}`)
for (const line of bunOnly) console.log(`   bun only: ${line}`)
const run = (command: string[], env: Record<string, string>) => {
  const { exitCode } = Bun.spawnSync(command, {
    cwd: ROOT,
    stdio: ['inherit', 'inherit', 'inherit'],
    env: { ...process.env, ...env },
  })
  if (exitCode !== 0) process.exit(exitCode ?? 1)
}
if (runnable.length > 0)
  run([join(ROOT, 'node_modules/.bin/deno'), 'test', '--no-check', '--allow-all', ...runnable], { NO_COLOR: '1' })
console.log(`== end-to-end, processes on Deno: ${endToEnd.join(' ')}`)
if (endToEnd.length > 0) run([process.execPath, 'test', '--timeout', '60000', ...endToEnd], { TESSERA_RUNTIME: 'deno' })
