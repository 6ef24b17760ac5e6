import { describe, expect, it } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * `npm run sdk:build` produces packages that stand on their own: every export of every dist/package.json exists,
 * with its declarations, and the built modules load and work outside the repository's TypeScript sources.
 */
const SDK = new URL('../../src/sdk/', import.meta.url).pathname

describe('npm run sdk:build', () => {
  it('builds each package with its exports, declarations and manifest', async () => {
    const proc = Bun.spawn([process.execPath, join(SDK, 'build.ts')], { stdout: 'pipe', stderr: 'pipe' })
    const [code, err] = await Promise.all([proc.exited, new Response(proc.stderr).text()])
    expect({ code, err }).toEqual({ code: 0, err: '' })
    for (const name of ['shared', 'js', 'backend', 'react']) {
      const manifest = (await Bun.file(join(SDK, name, 'dist/package.json')).json()) as {
        name: string
        exports: Record<string, { types: string; import: string }>
      }
      expect(manifest.name).toBe(`@tessera/${name}`)
      for (const target of Object.values(manifest.exports)) {
        expect(existsSync(join(SDK, name, 'dist', target.import))).toBe(true)
        expect(existsSync(join(SDK, name, 'dist', target.types))).toBe(true)
      }
    }
    // @tessera/react's JSX compiles for React's production runtime, which apps resolve (React stays external).
    const react = await Bun.file(join(SDK, 'react/dist/index.js')).text()
    expect(react).toContain('from "react/jsx-runtime"')
    expect(react).not.toContain('jsx-dev-runtime')
    const built = await import(join(SDK, 'backend/dist/index.js'))
    const backend = built.createTesseraBackend({ apiUrl: 'http://127.0.0.1:9', secretKey: 'sk_test' })
    expect(typeof backend.users.create).toBe('function')
    expect((await backend.authenticate(new Request('http://app.test/'))).reason).toBe('token_missing')
  }, 120_000)
})
