/**
 * A test's own HTTP peer on 127.0.0.1 (a fake IdP, a webhook receiver, an SMS provider), on whichever runtime runs
 * the test: Bun.serve, or Deno.serve under `npm run test:deno`.
 */
export interface LocalServer {
  port: number
  /** Stops at once, also with requests still open (a test's receiver may hold one forever). */
  stop(): Promise<void>
}

type Handler = (request: Request) => Response | Promise<Response>

declare const Deno: {
  serve(
    options: { port: number; hostname: string; signal: AbortSignal; onListen(): void },
    handler: Handler,
  ): { addr: { port: number }; finished: Promise<void> }
}

/** On 127.0.0.1 unless `hostname` names another loopback address; on a free port unless `port` names one. */
export function serveLocal(options: { hostname?: string; port?: number; fetch: Handler }): LocalServer {
  const { hostname = '127.0.0.1', port = 0 } = options
  if (typeof Bun !== 'undefined') {
    const server = Bun.serve({ hostname, port, fetch: options.fetch })
    return { port: server.port!, stop: () => server.stop(true) }
  }
  const aborted = new AbortController()
  const server = Deno.serve({ port, hostname, signal: aborted.signal, onListen() {} }, options.fetch)
  return {
    port: server.addr.port,
    async stop() {
      aborted.abort()
      await Promise.race([server.finished, new Promise((resolve) => setTimeout(resolve, 100))])
    },
  }
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  const probe = serveLocal({ fetch: () => new Response() })
  return probe.stop().then(() => probe.port)
}
