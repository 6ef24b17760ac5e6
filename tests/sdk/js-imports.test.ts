import { describe, expect, it } from 'bun:test'
import { Glob } from 'bun'
import { dirname, join, normalize, relative } from 'node:path'

/**
 * @tessera/js ships to browsers and React Native: it imports its own files, @tessera/shared and
 * @simplewebauthn/browser, and nothing of the server's code or any other package.
 */
const ROOT = join(import.meta.dir, '../..')
const PACKAGE = 'src/sdk/js/src'
const ALLOWED = new Set(['@tessera/shared', '@simplewebauthn/browser'])
const SPECIFIER = /^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm

describe('@tessera/js imports', () => {
  it('reaches only its own files, @tessera/shared and @simplewebauthn/browser', async () => {
    const outside: string[] = []
    let files = 0
    for await (const file of new Glob(`${PACKAGE}/**/*.ts`).scan(ROOT)) {
      files++
      const text = await Bun.file(join(ROOT, file)).text()
      for (const [, specifier] of text.matchAll(SPECIFIER)) {
        const target = specifier!.startsWith('.')
          ? relative(ROOT, normalize(join(ROOT, dirname(file), specifier!)))
          : null
        const inside = target === null ? ALLOWED.has(specifier!) : target.startsWith(`${PACKAGE}/`)
        if (!inside) outside.push(`${file} → ${specifier}`)
      }
    }
    expect(files).toBeGreaterThan(10)
    expect(outside).toEqual([])
  })
})
