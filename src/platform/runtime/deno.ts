import { knownPeers } from '../http/caller'
import { HashWorkers } from './deno-hash-workers'
import type { Runtime } from './runtime'

type Handler = (request: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>

/** The little of Deno's namespace this adapter uses (Bun's type checker does not know Deno's globals). */
declare const Deno: {
  version: { deno: string }
  serve(
    options: { port: number; hostname: string; reusePort: boolean; signal: AbortSignal; onListen(): void },
    handler: Handler,
  ): { finished: Promise<void>; shutdown(): Promise<void> }
  permissions: {
    querySync(descriptor: { name: string }): { state: 'granted' | 'prompt' | 'denied'; partial?: boolean }
  }
}

/** Permissions a copy of this process is given as this one holds them: whole, without a scope or an exception. */
const PERMISSIONS = ['read', 'write', 'net', 'env', 'sys', 'run', 'ffi', 'import'] as const
/** What any server process needs: not granted whole here, they were granted with a scope (which Deno won't show). */
const NEEDED = new Set(['read', 'net', 'env'])

const hashing = new HashWorkers()

/**
 * Deno.serve has been documented to compress a compressible response when the client accepts it, unless its
 * Cache-Control says no-transform (2.9.6 measured here does not). Bun never compresses, and neither may this server
 * on any Deno: a compressed page that holds a secret (a CSRF token, a session token) beside text the caller chose
 * leaks the secret through its length (BREACH). tests/e2e/server.test.ts checks it on both runtimes.
 */
function uncompressed(response: Response): Response {
  const cacheControl = response.headers.get('cache-control')
  if (cacheControl && /\bno-transform\b/i.test(cacheControl)) return response
  const value = cacheControl ? `${cacheControl}, no-transform` : 'no-transform'
  try {
    response.headers.set('cache-control', value)
    return response
  } catch {
    // Immutable headers (a Response as fetch() returned it): the same response, in a copy.
    const copy = new Response(response.body, response)
    copy.headers.set('cache-control', value)
    return copy
  }
}

/** Every interface, IPv6 and IPv4 (mapped), as Bun listens (`localhost` may be ::1); IPv4 alone without IPv6. */
function listen(port: number, hostname: string | undefined, reusePort: boolean, handler: Handler) {
  const closed = new AbortController()
  const serve = (host: string) =>
    Deno.serve({ port, hostname: host, reusePort, signal: closed.signal, onListen() {} }, handler)
  if (hostname) return { server: serve(hostname), closed }
  try {
    return { server: serve('::'), closed }
  } catch {
    return { server: serve('0.0.0.0'), closed }
  }
}

/**
 * Deno: Deno.serve hands the socket's peer beside the request, not through a server object as Bun does, so it is
 * recorded where the routes look for it. Request bodies have no transport limit here either: the app enforces its
 * own. Passwords are hashed by hash-wasm (WASM) in a pool of worker threads, one per core.
 */
export const denoRuntime: Runtime = {
  name: 'deno',
  version: Deno.version.deno,
  serve(app, { port, hostname, reusePort }) {
    const { server, closed } = listen(port, hostname, reusePort, async (request, info) => {
      knownPeers.set(request, info.remoteAddr.hostname)
      return uncompressed(await app.fetch(request))
    })
    return {
      stop: (closeConnections) => (closeConnections ? (closed.abort(), server.finished) : server.shutdown()),
    }
  },
  hashArgon2id: (password, cost) => hashing.run({ op: 'hash', password, ...cost }),
  verifyHash: (password, hash) => hashing.run({ op: 'verify', password, hash }),
  /**
   * Deno does not tell a process its own flags, only its permissions: a copy gets each one this process holds
   * whole. One held with an exception (`--deny-net=…`) or a scope (`--allow-net=db:5432`, which a query reports
   * as not granted) cannot be handed on as it is, and a copy must not get more than the process that starts it,
   * so the copies are refused then.
   */
  selfCommand() {
    const flags: string[] = []
    for (const name of PERMISSIONS) {
      const { state, partial } = Deno.permissions.querySync({ name })
      if ((state === 'granted' && partial) || (state !== 'granted' && NEEDED.has(name)))
        throw new Error(`WEB_CONCURRENCY > 1 on Deno needs --allow-${name} whole (no scope, no --deny-${name})`)
      if (state === 'granted') flags.push(`--allow-${name}`)
    }
    return [process.execPath, 'run', '--no-prompt', ...flags, process.argv[1]!]
  },
}
