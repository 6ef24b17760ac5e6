import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Debian's Chromium, headless, through playwright-core: what the browser tests share. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS })

/**
 * Bundles a page script with Bun.build (into a temp dir, never committed) and serves it under `html` at
 * `http://localhost:<port>`: WebAuthn needs a domain (not an IP) as its relying party.
 */
export async function servePage(entry: string, html: string): Promise<{ origin: string; stop(): void }> {
  const outdir = mkdtempSync(join(tmpdir(), 'tessera-page-'))
  const built = await Bun.build({ entrypoints: [entry], outdir, target: 'browser', naming: 'bundle.js' })
  if (!built.success) throw new Error(`bundle failed: ${built.logs.join('\n')}`)
  const server = Bun.serve({
    port: 0,
    fetch: (req) =>
      new URL(req.url).pathname === '/bundle.js'
        ? new Response(Bun.file(join(outdir, 'bundle.js')), { headers: { 'content-type': 'text/javascript' } })
        : new Response(html, { headers: { 'content-type': 'text/html' } }),
  })
  return { origin: `http://localhost:${server.port}`, stop: () => server.stop(true) }
}

/** A CDP virtual authenticator (CTAP2, internal, resident keys, user verification) for the page's context. */
export async function addVirtualAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  })
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  }
}
