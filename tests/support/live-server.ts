import type { Config } from '../../src/config'
import { runtime } from '../../src/platform/runtime/runtime'
import { freePort } from './local-server'
import { testApp, type TestApp } from './app'

/** A test app listening on loopback, for SDKs and browsers that speak HTTP; PUBLIC_URL is its own address. */
export interface LiveServer extends TestApp {
  url: string
}

/**
 * `host` names the server in its URL (it always listens on 127.0.0.1): browser tests use `localhost`, since a
 * WebAuthn RP ID cannot be an IP address and the page must be same-site with the API for its cookies.
 */
export async function liveServer(overrides: Partial<Config> = {}, host = '127.0.0.1'): Promise<LiveServer> {
  const port = await freePort()
  const url = `http://${host}:${port}`
  const t = await testApp({ publicUrl: url, port, ...overrides })
  const listener = runtime.serve(t.app, { port, hostname: '127.0.0.1', reusePort: false })
  return {
    ...t,
    url,
    async close() {
      await listener.stop(true)
      await t.close()
    },
  }
}
