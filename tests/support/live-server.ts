import type { Config } from '../../src/config'
import { freePort } from './own-nats'
import { testApp, type TestApp } from './app'

/** A test app listening on loopback, for SDKs and browsers that speak HTTP; PUBLIC_URL is its own address. */
export interface LiveServer extends TestApp {
  url: string
}

export async function liveServer(overrides: Partial<Config> = {}): Promise<LiveServer> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const t = await testApp({ publicUrl: url, port, ...overrides })
  t.app.listen({ port, hostname: '127.0.0.1' })
  return {
    ...t,
    url,
    async close() {
      await t.app.server?.stop(true)
      await t.close()
    },
  }
}
