/**
 * `npm run sdk:build`: each SDK package into its own `dist/` — ES modules bundled by Bun (dependencies stay
 * external), type declarations by tsc, and a package.json whose exports point at them. `npm publish dist` from a
 * package folder publishes it. The packages build side by side: each reads the others' TypeScript sources.
 */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'

const ROOT = import.meta.dir
const PACKAGES = ['shared', 'js', 'backend', 'react']

interface Manifest {
  name: string
  version: string
  exports: Record<string, string>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  [field: string]: unknown
}

async function run(command: string[], cwd: string) {
  const proc = Bun.spawn(command, { cwd, stdout: 'inherit', stderr: 'inherit' })
  if ((await proc.exited) !== 0) throw new Error(`${command.join(' ')} failed in ${cwd}`)
}

async function build(name: string) {
  const dir = join(ROOT, name)
  const dist = join(dir, 'dist')
  const manifest = (await Bun.file(join(dir, 'package.json')).json()) as Manifest
  await rm(dist, { recursive: true, force: true })
  const entries = Object.values(manifest.exports).map((path) => join(dir, path))
  const result = await Bun.build({
    entrypoints: entries,
    outdir: dist,
    root: join(dir, 'src'),
    target: 'browser',
    format: 'esm',
    // Published code uses React's production JSX runtime: `jsx-dev-runtime` has no jsxDEV in production builds.
    jsx: { development: false },
    external: [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})],
  })
  if (!result.success) throw new AggregateError(result.logs, `bundling ${manifest.name} failed`)
  await run([join(ROOT, '../../node_modules/.bin/tsc'), '-p', join(dir, 'tsconfig.json')], dir)
  const exports = Object.fromEntries(
    Object.entries(manifest.exports).map(([subpath, source]) => {
      const base = source.replace(/^\.\/src\//, './').replace(/\.tsx?$/, '')
      return [subpath, { types: `${base}.d.ts`, import: `${base}.js` }]
    }),
  )
  await Bun.write(join(dist, 'package.json'), `${JSON.stringify({ ...manifest, exports }, null, 2)}\n`)
  console.log(`built ${manifest.name}@${manifest.version} → ${dist}`)
}

await Promise.all((process.argv.length > 2 ? process.argv.slice(2) : PACKAGES).map(build))
