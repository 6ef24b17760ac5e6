import { describe, expect, it } from 'bun:test'
import { existsSync, readFileSync } from 'node:fs'
import { ERRORS } from '../../src/platform/errors'

// The HTTP contract lives beside the repository (../shared/API.md) on development machines and in CI.
const API_MD = new URL('../../../shared/API.md', import.meta.url).pathname

/**
 * Codes the project added where API.md names a status but no code, proposed for API.md in the
 * closing note of the issue that added them (shared/ is read-only here). Each must say why.
 */
const PROPOSED_AMENDMENTS: Record<string, string> = {
  server_busy: '§12 Shared resources: the bounded password-hashing queue answers 503 with Retry-After (issue #12)',
}

describe('error catalogue', () => {
  it.skipIf(!existsSync(API_MD))('names the same codes as API.md', () => {
    const doc = readFileSync(API_MD, 'utf8')
    const errorsBlock = doc.slice(doc.indexOf('- Errors'), doc.indexOf('- `trace_id`'))
    const listed = new Set(
      [...errorsBlock.matchAll(/`([a-z]+(?:_[a-z]+)+|[a-z]+)`/g)]
        .map((m) => m[1]!)
        .filter(
          (c) =>
            !['errors', 'code', 'message', 'long_message', 'meta', 'param_name', 'trace_id', 'snake_case'].includes(c),
        ),
    )
    expect(listed.size).toBeGreaterThan(15)
    for (const code of listed) expect(Object.keys(ERRORS)).toContain(code)
    for (const code of Object.keys(ERRORS)) if (!(code in PROPOSED_AMENDMENTS)) expect(doc).toContain(`\`${code}\``)
    for (const code of Object.keys(PROPOSED_AMENDMENTS)) expect(Object.keys(ERRORS)).toContain(code)
  })

  it('fixes one status per code', () => {
    for (const [code, entry] of Object.entries(ERRORS)) {
      expect(entry.status, code).toBeGreaterThanOrEqual(400)
      expect(entry.message.length, code).toBeGreaterThan(0)
      expect(entry.long.length, code).toBeGreaterThan(0)
    }
    expect(ERRORS.form_code_incorrect.status).toBe(422)
    expect(ERRORS.user_locked.status).toBe(423)
    expect(ERRORS.too_many_requests.status).toBe(429)
  })
})
