import { afterAll, describe, expect, it } from 'bun:test'
import type { Browser } from 'playwright-core'
import { launchChromium } from '../support/chromium'
import { liveServer, type LiveServer } from '../support/live-server'
import { sdkTenant } from '../support/sdk-tenant'

/**
 * The hosted sign-in page in Chromium (headless, playwright-core) against a test app listening on
 * loopback: a person types an email address and a password into the server-rendered forms and
 * lands on return_to, signed in. Every request the page makes is recorded: none may leave the
 * server's origin (API.md §12 Served pages), and the CSP (nonce'd style and script) must not
 * block anything the page itself uses.
 */
const cleanups: (() => Promise<unknown> | unknown)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

async function start(): Promise<{ server: LiveServer; browser: Browser }> {
  // Settled: when one fails, the other still registers its cleanup before afterAll runs.
  const [server, browser] = await Promise.allSettled([liveServer({}, 'localhost'), launchChromium()])
  if (server.status === 'fulfilled') cleanups.push(() => server.value.close())
  if (browser.status === 'fulfilled') cleanups.push(() => browser.value.close())
  for (const started of [server, browser]) if (started.status === 'rejected') throw started.reason
  return {
    server: (server as PromiseFulfilledResult<LiveServer>).value,
    browser: (browser as PromiseFulfilledResult<Browser>).value,
  }
}

describe('hosted sign-in page in Chromium', () => {
  it('signs in with the password form and lands on return_to, with no request to another host', async () => {
    const { server, browser } = await start()
    const { tenant, newUser } = await sdkTenant(server)
    const user = await newUser()
    const context = await browser.newContext()
    const page = await context.newPage()
    const requested: string[] = []
    page.on('request', (request) => requested.push(request.url()))
    const blocked: string[] = []
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) blocked.push(message.text())
    })

    const returnTo = `/t/${tenant.slug}/signed-in`
    await page.goto(`${server.url}/t/${tenant.slug}/sign-in?return_to=${encodeURIComponent(returnTo)}`)
    const identifier = page.getByLabel('Email address')
    await identifier.waitFor()
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('identifier')
    await identifier.fill(user.email)
    await page.getByRole('button', { name: 'Continue' }).click()

    const password = page.getByLabel('Password')
    await password.waitFor()
    await password.fill('not the password')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('alert').filter({ hasText: 'That password is not right' }).waitFor()

    await page.getByLabel('Password').fill(user.password)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(`${server.url}${returnTo}`)
    await page.getByRole('heading', { name: 'You are signed in' }).waitFor()
    const cookies = await context.cookies(`${server.url}/t/${tenant.slug}/`)
    expect(cookies.map((c) => c.name).sort()).toEqual(['__client', '__refresh', '__session'])

    const origin = new URL(server.url).origin
    expect(requested.length).toBeGreaterThan(3)
    expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([])
    expect(blocked).toEqual([])
    await context.close()
  }, 60_000)
})
