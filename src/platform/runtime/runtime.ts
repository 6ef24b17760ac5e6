import type { AnyElysia } from 'elysia'

/**
 * What differs between the runtimes Tessera runs on (issue #23): everything else in src/, machines/ and workers/
 * uses web standards and node: modules, which Bun and Deno both provide. The architecture test keeps `Bun.*` and
 * `Deno.*` inside this folder.
 */
export interface Runtime {
  name: 'bun' | 'deno'
  version: string
  /**
   * Serves the app on `port`, on every interface unless `hostname` names one; `reusePort` lets the node's other
   * HTTP processes share the port.
   */
  serve(app: AnyElysia, options: { port: number; hostname?: string; reusePort: boolean }): Listener
  /** argon2id in the PHC string form both runtimes read, so a hash made on one verifies on the other. */
  hashArgon2id(password: string, cost: { memoryKib: number; iterations: number }): Promise<string>
  /**
   * Checks a password (or the bytes given for it) against an argon2id, argon2i or bcrypt hash; false for a wrong
   * password or a hash it cannot read. Never blocks the event loop: hashing runs on other threads.
   */
  verifyHash(password: string | Uint8Array, hash: string): Promise<boolean>
  /** The command that starts this entry again with this runtime and its grants (the node's other HTTP processes). */
  selfCommand(): string[]
}

export interface Listener {
  /**
   * Refuses new connections; resolves once the requests in flight have been answered, or at once, closing every
   * connection, with `closeConnections` (tests).
   */
  stop(closeConnections?: boolean): Promise<void>
}

/** The runtime this process runs on; the other one's adapter is never loaded. */
export const runtime: Runtime =
  'Bun' in globalThis ? (await import('./bun')).bunRuntime : (await import('./deno')).denoRuntime
