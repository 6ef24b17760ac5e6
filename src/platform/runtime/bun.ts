import type { Runtime } from './runtime'

/**
 * What Bun.serve itself accepts (`maxRequestBodySize`): no limit of its own. Bun answers a body over its limit
 * with a bare 413 before the app runs (no envelope), so the app enforces the real one (platform/http/body.ts) and
 * never reads more of a body than it allows; Bun discards the unread rest of a refused body instead of buffering
 * it (measured: 500 MB posted, with a Content-Length or chunked, left the server's memory unchanged).
 */
const TRANSPORT_BODY_LIMIT = Number.MAX_SAFE_INTEGER

/**
 * Bun's hashing is native and runs on its thread pool. Bun would pre-hash a bcrypt password longer than 72 bytes
 * with SHA-512; callers hand it at most 72 bytes, as every other bcrypt reads (imported-hashes.ts).
 */
export const bunRuntime: Runtime = {
  name: 'bun',
  version: Bun.version,
  serve(app, { port, hostname, reusePort }) {
    app.listen({ port, hostname, maxRequestBodySize: TRANSPORT_BODY_LIMIT, reusePort })
    return {
      stop: async (closeConnections) => void (await app.server?.stop(closeConnections)),
    }
  },
  hashArgon2id: (password, { memoryKib, iterations }) =>
    Bun.password.hash(password, { algorithm: 'argon2id', memoryCost: memoryKib, timeCost: iterations }),
  verifyHash: (password, hash) => Bun.password.verify(password, hash).catch(() => false),
  selfCommand: () => [process.execPath, ...process.execArgv.filter((f) => !OWN_FLAGS.has(f)), process.argv[1]!],
}

/** Runtime flags a copy must not inherit: a watching first process restarts itself, not its copies. */
const OWN_FLAGS = new Set(['--watch', '--hot'])
