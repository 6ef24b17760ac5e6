/**
 * Bare reference server: the fastest a Bun HTTP handler can answer on this machine.
 * The server's throughput is reported as a ratio of this, so figures stay comparable
 * across machines. Usage: bun bench/baseline.ts <port>   (or PORT=<port>)
 */

// Shaped and sized like a one-key JWKS so response size does not skew the comparison.
const BODY = JSON.stringify({
  keys: [
    {
      kty: 'EC',
      crv: 'P-256',
      kid: '01JBENCHBASELINE0000000000',
      use: 'sig',
      alg: 'ES256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    },
  ],
})

const port = Number(process.argv[2] ?? process.env.PORT ?? 0)

const server = Bun.serve({
  port,
  hostname: '127.0.0.1',
  // A fetch handler (not a static route) so the baseline does the same per-request work
  // a real route does: build a Response object.
  fetch: () => new Response(BODY, { headers: { 'content-type': 'application/json' } }),
})

console.log(`baseline listening ${server.port}`)
