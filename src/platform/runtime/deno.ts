import { knownPeers } from '../http/caller'
import { HashWorkers } from './deno-hash-workers'
import type { Runtime } from './runtime'

/** The little of Deno's namespace this adapter uses (Bun's type checker does not know Deno's globals). */
declare const Deno: {
  version: { deno: string }
  serve(
    options: { port: number; hostname: string; reusePort: boolean; signal: AbortSignal; onListen(): void },
    handler: (request: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>,
  ): { addr: { port: number }; finished: Promise<void>; shutdown(): Promise<void> }
  permissions: { querySync(descriptor: { name: string }): { state: 'granted' | 'prompt' | 'denied' } }
}

/** The permissions a copy of this process may be given: those this one holds without a scope. */
const PERMISSIONS = ['read', 'write', 'net', 'env', 'sys', 'run', 'ffi', 'import'] as const

const hashing = new HashWorkers()

/**
 * Deno: Deno.serve hands the socket's peer beside the request, not through a server object as Bun does, so it is
 * recorded where the routes look for it. Request bodies have no transport limit here either: the app enforces its
 * own. Passwords are hashed by hash-wasm (WASM) in a pool of workers, one per core.
 */
export const denoRuntime: Runtime = {
  name: 'deno',
  version: Deno.version.deno,
  serve(app, { port, hostname = '::', reusePort }) {
    // By default every interface, IPv6 and IPv4 (mapped), as Bun listens: `localhost` may resolve to ::1 first.
    const closed = new AbortController()
    const server = Deno.serve({ port, hostname, reusePort, signal: closed.signal, onListen() {} }, (request, info) => {
      knownPeers.set(request, info.remoteAddr.hostname)
      return app.fetch(request)
    })
    return {
      port: server.addr.port,
      stop: (closeConnections) => (closeConnections ? (closed.abort(), server.finished) : server.shutdown()),
    }
  },
  hashArgon2id: (password, cost) => hashing.run({ op: 'hash', password, ...cost }),
  verifyHash: (password, hash) => hashing.run({ op: 'verify', password, hash }),
  selfCommand: () => [
    process.execPath,
    'run',
    ...PERMISSIONS.filter((name) => Deno.permissions.querySync({ name }).state === 'granted').map(
      (p) => `--allow-${p}`,
    ),
    process.argv[1]!,
  ],
}
