import { afterEach, describe, expect, it } from 'bun:test'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { launchChromium } from '../support/chromium'
import { liveServer, type LiveServer } from '../support/live-server'

/**
 * The console in Chromium (issue #21): an operator signs in through the platform tenant's hosted pages with an
 * email code, creates a tenant, creates a user, bans them and finds the ban in the audit log, then gives the tenant
 * an organization with an invitation, a required second factor and a webhook — by keyboard and
 * pointer alike, at desktop width and at 360 px. Every step is screenshotted to test-artifacts/console/; no
 * console error, failed request or request to another origin is allowed.
 */
// Each test's server stops with it: two live servers on one embedded database would share its outbox, and the
// other's relay could deliver this one's mail to its own dev mailbox.
const cleanups: (() => Promise<unknown> | unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const ROOT = new URL('../..', import.meta.url).pathname
const ARTIFACTS = join(ROOT, 'test-artifacts', 'console')
const README_SHOTS = join(ROOT, 'tests', 'e2e', 'console-screenshots')

/** The newest code mailed to `to` after `after` (the dev mailbox, through the platform API). */
async function codeTo(server: LiveServer, to: string, after: number): Promise<string> {
  const headers = { authorization: `Bearer ${server.platformKey}` }
  for (let i = 0; i < 100; i++) {
    await server.deps.relay.kick()
    const res = await fetch(`${server.url}/platform/v1/dev/messages?to=${encodeURIComponent(to)}&limit=1`, { headers })
    const [message] = ((await res.json()) as { data: { text: string; created_at: number }[] }).data
    const code = message && message.created_at > after ? /\b(\d{6})\b/.exec(message.text)?.[1] : undefined
    if (code) return code
    await Bun.sleep(50)
  }
  throw new Error('no code')
}

/** What must not happen on a page: console errors, failed or 4xx/5xx requests, requests to another origin. */
function watch(page: Page, url: string): string[] {
  const problems: string[] = []
  const origin = new URL(url).origin
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
  return problems
}

let step = 0
/** A full-page screenshot in test-artifacts/console/ (and, with UPDATE_SCREENSHOTS=1, for the README). */
async function shot(p: Page, name: string) {
  const path = join(ARTIFACTS, `${++step}-${name}.png`)
  await p.screenshot({ path, fullPage: true })
  if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(path, join(README_SHOTS, `${name}.png`))
}

describe('console in Chromium', () => {
  it('an operator creates a tenant and a user, bans them, and sees it in the audit log', async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    if (process.env.UPDATE_SCREENSHOTS === '1') mkdirSync(README_SHOTS, { recursive: true })
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
    const codeFor = (after: number) => codeTo(server, email, after)

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    const problems = watch(page, server.url)

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

    // By keyboard alone: the first Tab reaches the skip link, which leads into the page; Tab moves through the
    // links and controls to the name field, and Enter submits its form.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content')
    await page.keyboard.press('Enter')
    expect(new URL(page.url()).hash).toBe('#main')
    // Past every tenant listed before the form (other tests' tenants share this database).
    for (let i = 0; i < 400 && (await page.evaluate(() => document.activeElement?.id)) !== 'f-name'; i++)
      await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-name')
    await page.keyboard.type('Acme Inc')
    await page.keyboard.press('Enter')
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

    // The rest of a tenant's set-up: an organization with an invitation, a second-factor policy, a webhook.
    await page.getByRole('link', { name: 'Organizations' }).click()
    await page.getByLabel('Name').fill('Research')
    await page.getByRole('button', { name: 'Create organization' }).click()
    await page.getByLabel('Email address').fill('ada@acme.example')
    await page.getByLabel('Role', { exact: true }).selectOption('org:admin')
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await page.getByText('Invitation sent.').waitFor()
    await shot(page, 'organization')
    await page.getByRole('link', { name: 'Settings' }).click()
    await page.getByLabel('Second factor').selectOption('required')
    await page.getByLabel('Primary colour (#rrggbb)').fill('#0b6e4f')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText('Settings saved.').waitFor()
    await shot(page, 'settings')
    await page.getByRole('link', { name: 'Webhooks' }).click()
    await page.getByLabel('URL (https)').fill('https://hooks.acme.example/tessera')
    await page.getByRole('button', { name: 'Add endpoint' }).click()
    await page.getByRole('heading', { name: 'Endpoint added' }).waitFor()
    expect(await page.locator('code').first().textContent()).toMatch(/^whsec_/)
    await page.getByRole('link', { name: 'Go to the endpoint' }).click()
    await shot(page, 'webhook')

    // At 360 px the same page has no horizontal scroll of the page itself (tables scroll in their box).
    await page.setViewportSize({ width: 360, height: 740 })
    await shot(page, 'webhook-360')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    expect(problems).toEqual([])
    await context.close()
  }, 90_000)
  it('a tenant admin signs in to their tenant, retries a failed webhook message and opens a role', async () => {
    let answers = 0
    const receiver = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: () => new Response('', { status: ++answers === 1 ? 500 : 200 }),
    })
    cleanups.push(() => receiver.stop(true))
    const server = await liveServer({ webhookAllowPrivate: true }, 'localhost')
    cleanups.push(() => server.close())
    const browser = await launchChromium()
    cleanups.push(() => browser.close())
    const platform = { authorization: `Bearer ${server.platformKey}`, 'content-type': 'application/json' }
    const settings = { sign_in: { first_factors: ['email_code'] }, webhooks: { retry_schedule_s: [3600] } }
    const made = await fetch(`${server.url}/platform/v1/tenants`, {
      method: 'POST',
      headers: platform,
      body: JSON.stringify({ name: 'Globex', settings }),
    })
    const tenant = (await made.json()) as { id: string; slug: string; secret_key: string }
    const bapi = (method: string, path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${tenant.secret_key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const email = `admin-${crypto.randomUUID().slice(0, 8)}@globex.example`
    await bapi('POST', '/v1/roles', { key: 'admin', name: 'Admin', scope: 'tenant' })
    const user = (await (await bapi('POST', '/v1/users', { email_address: [email] })).json()) as { id: string }
    expect((await bapi('PUT', `/v1/users/${user.id}/roles`, { roles: ['admin'] })).status).toBe(200)

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    const problems = watch(page, server.url)
    await page.goto(`${server.url}/console`)
    await page.getByLabel('Your tenant (its slug)').fill(tenant.slug)
    await page.getByRole('button', { name: 'Sign in to my tenant' }).click()
    await page.getByLabel('Email address').fill(email)
    server.clock.advance(1000)
    const before = server.clock.now()
    await page.getByLabel('Email address').press('Enter')
    await page.getByLabel('Verification code').fill(await codeTo(server, email, before - 1))
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(`${server.url}/console/tenants/${tenant.id}`)
    await shot(page, 'tenant-admin-users')

    await page.getByRole('link', { name: 'Webhooks' }).click()
    await page.getByLabel('URL (https)').fill(`http://127.0.0.1:${receiver.port}/hook`)
    await page.getByRole('button', { name: 'Add endpoint' }).click()
    await page.getByRole('heading', { name: 'Endpoint added' }).waitFor()
    const endpoint = await page.getByRole('link', { name: 'Go to the endpoint' }).getAttribute('href')
    // An event for it: a user made from the users page.
    await page.getByRole('link', { name: 'Users' }).click()
    await page.getByLabel('Email address').fill('wanda@globex.example')
    await page.getByRole('button', { name: 'Create user' }).click()
    await page.getByRole('heading', { name: 'wanda@globex.example' }).waitFor()
    const showing = async (text: string) => {
      for (let i = 0; i < 100; i++) {
        await server.deps.relay.kick()
        await page.goto(`${server.url}${endpoint}`)
        if ((await page.getByRole('cell', { name: text }).count()) > 0) return
        await Bun.sleep(100)
      }
      throw new Error(`never showed ${text}`)
    }
    await showing('HTTP 500')
    await page.getByRole('button', { name: 'Retry' }).first().click()
    await page.getByText('Retry started').waitFor()
    await showing('HTTP 200')
    await shot(page, 'webhook-retried')
    expect(answers).toBe(2)

    await page.getByRole('link', { name: 'Roles' }).click()
    await page.getByRole('link', { name: 'org:member' }).click()
    await page.getByRole('button', { name: 'Save permissions' }).waitFor()
    await shot(page, 'role')
    expect(problems).toEqual([])
    await context.close()
  }, 90_000)
})
