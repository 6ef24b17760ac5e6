import { join } from 'node:path'
import pkg from '../../package.json'

const ROOT = new URL('../..', import.meta.url).pathname

/**
 * The runtime the end-to-end tests start Tessera's processes on: Bun, as `npm start` runs it, or Deno with
 * TESSERA_RUNTIME=deno, as `npm run start:deno` runs it (`npm run test:deno` sets it), so the same tests prove both.
 */
export const ENTRY_RUNTIME = process.env.TESSERA_RUNTIME === 'deno' ? 'deno' : 'bun'

/** The command that runs `entry` (src/main.ts, workers/run.ts, src/cli/main.ts) on a runtime, from the root. */
export function entryCommand(entry: string, runtime: 'bun' | 'deno' = ENTRY_RUNTIME): string[] {
  if (runtime === 'bun') return [process.execPath, entry]
  // start:deno is `deno run <permissions> src/main.ts`: the same runtime and grants, for another entry.
  const [, ...flags] = pkg.scripts['start:deno'].split(' ').slice(0, -1)
  return [join(ROOT, 'node_modules/.bin/deno'), ...flags, entry]
}
