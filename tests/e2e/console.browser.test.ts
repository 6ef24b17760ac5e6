import { afterAll, describe, expect, it } from 'bun:test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { launchChromium } from '../support/chromium'
import { liveServer } from '../support/live-server'

/**
 * The console in Chromium (issue #21): an operator signs in through the platform tenant's hosted pages with an
 * email code, creates a tenant, creates a user, bans them and finds the ban in the audit log — by keyboard and
 * pointer alike, at desktop width and at 360 px. Every step is screenshotted to test-artifacts/console/; no
 * console error, failed request or request to another origin is allowed.
 */
const cleanups: (() => Promise<unknown> | unknown)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

const ARTIFACTS = join(new URL('../..', import.meta.url).pathname, 'test-artifacts', 'console')

describe('console in Chromium', () => {
  it('an operator creates a tenant and a user, bans them, and sees it in the audit log', async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    const server = await liveServer({}, 'localhost')
    cleanups.push(() => server.close())
    const browser = await launchChromium()
    cleanups.push(() => browser.close())
    const platform = { authorization: `Bearer ${server.platformKey}`, 'content-type': 'application/json' }
    const email = `ops-${crypto.randomUUID().slice(0, 8)}@example.com`
    const made = await fetch(`${server.url}/platform/v1/operators`, {
      method: 'POST',
      headers: platform,
      body: JSON.stringify({ email_address: email, role: 'super_admin' }),
    })
    expect(made.status).toBe(201)
    const codeFor = async (after: number) => {
      for (let i = 0; i < 100; i++) {
        await server.deps.relay.kick()
        const res = await fetch(`${server.url}/platform/v1/dev/messages?to=${encodeURIComponent(email)}&limit=1`, {
          headers: platform,
        })
        const [message] = ((await res.json()) as { data: { text: string; created_at: number }[] }).data
        const code = message && message.created_at > after ? /\b(\d{6})\b/.exec(message.text)?.[1] : undefined
        if (code) return code
        await Bun.sleep(50)
      }
      throw new Error('no code')
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    const problems: string[] = []
    const origin = new URL(server.url).origin
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`)
    })
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`))
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`)
    })
    page.on('request', (r) => {
      if (new URL(r.url()).origin !== origin) problems.push(`external: ${r.url()}`)
    })
    let step = 0
    const shot = (p: Page, name: string) =>
      p.screenshot({ path: join(ARTIFACTS, `${++step}-${name}.png`), fullPage: true })

    await page.goto(`${server.url}/console`)
    await shot(page, 'signed-out')
    await page.getByRole('button', { name: 'Sign in as an operator' }).click()
    await page.getByLabel('Email address').fill(email)
    server.clock.advance(1000)
    const before = server.clock.now()
    // The keyboard: Enter submits the identifier form.
    await page.getByLabel('Email address').press('Enter')
    await page.getByLabel('Verification code').fill(await codeFor(before - 1))
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(`${server.url}/console/tenants`)
    await shot(page, 'tenants')

    await page.getByLabel('Name').fill('Acme Inc')
    await page.getByRole('button', { name: 'Create tenant' }).click()
    await page.getByRole('heading', { name: 'Tenant Acme Inc created' }).waitFor()
    expect(await page.locator('code').first().textContent()).toMatch(/^sk_/)
    await shot(page, 'tenant-created')
    await page.getByRole('link', { name: 'Go to the tenant' }).click()
    await page.getByLabel('Email address').fill('grace@acme.example')
    await page.getByRole('button', { name: 'Create user' }).click()
    await page.getByRole('heading', { name: 'grace@acme.example' }).waitFor()
    await page.getByRole('button', { name: /^Ban/ }).click()
    await page.getByText('Banned: every session ended.').waitFor()
    await shot(page, 'user-banned')
    await page.getByRole('link', { name: 'Audit log' }).click()
    await expect(page.getByRole('cell', { name: 'user.banned' }).count()).resolves.toBe(1)
    await shot(page, 'audit-log')

    // At 360 px the same page has no horizontal scroll of the page itself (tables scroll in their box).
    await page.setViewportSize({ width: 360, height: 740 })
    await shot(page, 'audit-log-360')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    expect(problems).toEqual([])
    await context.close()
  }, 90_000)
})
