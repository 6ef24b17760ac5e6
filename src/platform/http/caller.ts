import type { BlockList } from 'node:net'
import { clientIp } from './client-ip'

/** Who is calling, for rate limits and audit entries. */
export interface Caller {
  ip: string | null
  userAgent: string | null
  /**
   * An Origin that passed the Frontend API's origin check in browser mode, else null: it becomes
   * a session's `azp`, which must never echo whatever Origin a caller sent (API.md §12).
   */
  origin: string | null
  /**
   * A request to a tenant's Frontend API or pages: where the caller reaches the tenant (its custom domain or
   * `{PUBLIC_URL}/t/{tenant}`, whichever the request came through), so that links and returns go to the host
   * where its browser's cookies are.
   */
  base?: string
}

/** Socket peer of a request; Bun's server knows it, Deno's listener records it, `app.handle` in tests has none. */
export type PeerOf = (
  request: Request,
  server: { requestIP(r: Request): { address: string } | null } | null,
) => string | null

/**
 * Socket peers known without Bun's server: a request made inside the server from another one (a custom domain's
 * request forwarded to the tenant's routes) has the peer of the request that came in, which a new Request has no
 * socket for; on Deno, the listener records the peer it is handed beside each request (platform/runtime/deno.ts).
 */
export const knownPeers = new WeakMap<Request, string | null>()

export const socketPeer: PeerOf = (request, server) =>
  knownPeers.has(request) ? (knownPeers.get(request) ?? null) : (server?.requestIP(request)?.address ?? null)

export function callerOf(request: Request, peer: string | null, trusted: BlockList): Caller {
  return {
    ip: clientIp(peer, request.headers.get('x-forwarded-for'), trusted),
    userAgent: request.headers.get('user-agent')?.slice(0, 512) ?? null,
    origin: null,
  }
}
