import { afterAll, describe, expect, it } from 'bun:test'
import type { Page } from 'playwright-core'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchChromium, servePage, virtualAuthenticator } from '../support/chromium'
import { entryCommand } from '../support/entry'
import { freePort } from '../support/local-server'
import { freshPostgresDatabase } from '../support/postgres'
import { waitFor } from '../support/wait'

/**
 * Passkeys in a real browser: Debian's Chromium (headless, through playwright-core) with a CDP
 * virtual authenticator (CTAP2, internal, resident keys, user verification) on a small page
 * that uses @simplewebauthn/browser against `bun src/main.ts` listening on a socket. The page
 * is served from another origin listed in the tenant's allowed_origins, so the Frontend API is
 * called as a browser app calls it: cross-origin, with cookies.
 */
const ROOT = new URL('../..', import.meta.url).pathname

interface Reply {
  status: number
  body: Record<string, unknown>
}
interface PageApi {
  call(base: string, method: string, path: string, json?: unknown): Promise<Reply>
  registerPasskey(base: string, name: string): Promise<Reply>
  signInWithPasskey(base: string, identifier?: string): Promise<Reply>
}

const cleanups: (() => Promise<unknown> | unknown)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

/** The server (`npm start`, or `npm run start:deno`: support/entry.ts): embedded by default, on a fresh PostgreSQL database (and NATS) when DATABASE_URL is set. */
async function startServer(): Promise<{ url: string; platformKey: string }> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-passkeys-'))
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
  }
  if (process.env.DATABASE_URL) {
    const db = await freshPostgresDatabase()
    cleanups.push(db.drop)
    Object.assign(env, {
      DATABASE_URL: db.url,
      PLATFORM_API_KEY: `platform-${crypto.randomUUID()}`,
      ENCRYPTION_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'),
      // The shared NATS is also the test apps' bus, over another database: a worker in this process
      // would take their messages. The server runs with its relay but no workers.
      ...(process.env.NATS_URL ? { NATS_URL: process.env.NATS_URL, WORKERS: 'none' } : {}),
    })
  }
  const proc = Bun.spawn(entryCommand('src/main.ts'), { cwd: ROOT, env, stdout: 'ignore', stderr: 'inherit' })
  cleanups.push(async () => {
    proc.kill('SIGTERM')
    await proc.exited
  })
  const url = `http://localhost:${port}`
  await waitFor(async () => (await fetch(`${url}/health`).catch(() => null))?.status === 200, 45_000, 100)
  return { url, platformKey: env.PLATFORM_API_KEY ?? readFileSync(join(dataDir, 'platform-key'), 'utf8').trim() }
}

/** The test page, served from another origin than the server's. */
async function startPage(): Promise<string> {
  const page = await servePage('tests/e2e/passkey-page.ts', '<input autocomplete="username webauthn">')
  cleanups.push(page.stop)
  return page.origin
}

async function json<T>(res: Response, status: number): Promise<T> {
  if (res.status !== status) throw new Error(`${res.url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** The page script's functions (passkey-page.ts), called inside the page. */
function pageApi(page: Page, base: string) {
  type Global = { tessera: PageApi }
  return {
    call: (method: string, path: string, body?: Record<string, unknown>) =>
      page.evaluate(([b, m, p, j]) => (globalThis as unknown as Global).tessera.call(b, m, p, j), [
        base,
        method,
        path,
        body,
      ] as const),
    registerPasskey: (name: string) =>
      page.evaluate(([b, n]) => (globalThis as unknown as Global).tessera.registerPasskey(b, n), [base, name] as const),
    signInWithPasskey: (identifier?: string) =>
      page.evaluate(([b, i]) => (globalThis as unknown as Global).tessera.signInWithPasskey(b, i), [
        base,
        identifier,
      ] as const),
  }
}

describe('passkeys in Chromium', () => {
  it('registers a passkey for a signed-in user, then signs in with it with an identifier and usernameless', async () => {
    // Settled, not Promise.all: when one fails, the others must finish starting (and register their
    // cleanups) before afterAll runs, or a server would outlive the test file.
    const [serverStart, pageStart, browserStart] = await Promise.allSettled([
      startServer(),
      startPage(),
      launchChromium(),
    ])
    if (browserStart.status === 'fulfilled') cleanups.push(() => browserStart.value.close())
    for (const started of [serverStart, pageStart, browserStart])
      if (started.status === 'rejected') throw started.reason
    const server = (serverStart as PromiseFulfilledResult<Awaited<ReturnType<typeof startServer>>>).value
    const pageOrigin = (pageStart as PromiseFulfilledResult<string>).value
    const browser = (browserStart as PromiseFulfilledResult<Awaited<ReturnType<typeof launchChromium>>>).value
    const platform = { authorization: `Bearer ${server.platformKey}`, 'content-type': 'application/json' }
    const tenant = await json<{ slug: string; secret_key: string }>(
      await fetch(`${server.url}/platform/v1/tenants`, {
        method: 'POST',
        headers: platform,
        body: JSON.stringify({
          name: 'Browser Passkeys',
          settings: { allowed_origins: [pageOrigin], password: { argon2: { memory_kib: 8192, iterations: 1 } } },
        }),
      }),
      201,
    )
    const email = 'browser@example.com'
    const password = 'correct horse battery staple'
    const user = await json<{ id: string }>(
      await fetch(`${server.url}/v1/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.secret_key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email_address: [email], password }),
      }),
      201,
    )

    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${pageOrigin}/`)
    const api = pageApi(page, `${server.url}/t/${tenant.slug}/v1`)
    await page.waitForFunction(() => 'tessera' in globalThis)
    const { cdp, authenticatorId } = await virtualAuthenticator(context, page)

    // Signed in with the password (browser mode: cookies), the user registers a passkey.
    const signedIn = await api.call('POST', '/client/sign-ins', { identifier: email, password })
    expect(signedIn).toMatchObject({ status: 200, body: { status: 'complete' } })
    const registered = await api.registerPasskey('Virtual authenticator')
    expect(registered).toMatchObject({
      status: 201,
      body: { object: 'passkey', name: 'Virtual authenticator', last_used_at: null },
    })
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
    expect(credentials).toHaveLength(1)
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' })
    const registeredCount = credentials[0]!.signCount

    // A new visitor (no cookies) signs in with the identifier: allowCredentials names the passkey.
    await context.clearCookies()
    const withIdentifier = await api.signInWithPasskey(email)
    expect(withIdentifier).toMatchObject({ status: 200, body: { status: 'complete', identifier: email } })
    const me = await api.call('GET', '/me')
    expect(me).toMatchObject({ status: 200, body: { id: user.id } })
    expect((me.body.passkeys as { last_used_at: number | null }[])[0]!.last_used_at).toBeNumber()

    // And without an identifier: the discoverable credential names the user.
    await context.clearCookies()
    const usernameless = await api.signInWithPasskey()
    expect(usernameless).toMatchObject({
      status: 200,
      body: { status: 'complete', identifier: null, session: { user_id: user.id } },
    })
    // Each assertion moved the signature counter, and the server accepted each new value.
    expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials[0]!.signCount).toBe(
      registeredCount + 2,
    )
  }, 120_000)
})
