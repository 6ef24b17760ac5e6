import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Browser tests' common parts: Debian's Chromium, headless through playwright-core; a page whose script is bundled
 * with Bun.build when the test runs (never committed); and the CDP virtual authenticator for WebAuthn.
 */
const ROOT = new URL('../..', import.meta.url).pathname
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** `proxy`: an HTTP proxy that every request but loopback's goes through (tls-front.ts). */
export const launchChromium = (proxy?: string) =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    ...(proxy ? { proxy: { server: proxy, bypass: 'localhost,127.0.0.1' } } : {}),
  })

/** Serves `entry` (a path from the repository root) bundled for the browser, at `/` on localhost. */
export async function servePage(entry: string, bodyHtml = ''): Promise<{ origin: string; stop(): void }> {
  const outdir = mkdtempSync(join(tmpdir(), 'tessera-page-'))
  const built = await Bun.build({ entrypoints: [join(ROOT, entry)], outdir, target: 'browser', naming: 'bundle.js' })
  if (!built.success) throw new Error(`bundle failed: ${built.logs.join('\n')}`)
  const html = `<!doctype html><title>tessera</title>${bodyHtml}<script type="module" src="/bundle.js"></script>`
  const server = Bun.serve({
    port: 0,
    fetch: (req) =>
      new URL(req.url).pathname === '/bundle.js'
        ? new Response(Bun.file(join(outdir, 'bundle.js')), { headers: { 'content-type': 'text/javascript' } })
        : new Response(html, { headers: { 'content-type': 'text/html' } }),
  })
  return { origin: `http://localhost:${server.port}`, stop: () => server.stop(true) }
}

/** A platform authenticator with resident keys and user verification, answering without a person. */
export async function virtualAuthenticator(context: BrowserContext, page: Page) {
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
  return { cdp, authenticatorId }
}
