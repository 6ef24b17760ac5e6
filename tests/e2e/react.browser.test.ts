import { afterAll, describe, expect, it } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, servePage, virtualAuthenticator } from '../support/chromium'
import { liveServer, type LiveServer } from '../support/live-server'
import { sdkTenant } from '../support/sdk-tenant'
import { waitFor } from '../support/wait'

/**
 * @tessera/react over the real @tessera/js in Chromium: a page bundled with Bun.build, served from an origin in the
 * tenant's allowed_origins, against a test app listening on loopback. A visitor signs up through <SignUp/> (the code
 * read from the dev mailbox), signs out from <UserButton/>, signs in through <SignIn/> with the password, adds a
 * passkey in <UserProfile/> (CDP virtual authenticator) and signs in with it. Both hosts are `localhost`: WebAuthn
 * needs a domain, and the page and the Frontend API are then one site, so the cookies go along.
 */
const cleanups: (() => Promise<unknown> | unknown)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

async function start(): Promise<{ server: LiveServer; origin: string; browser: Browser }> {
  // Settled: when one fails, the others still register their cleanups before afterAll runs.
  const [server, page, browser] = await Promise.allSettled([
    liveServer({}, 'localhost'),
    servePage('tests/e2e/react-page.tsx', '<div id="app"></div>'),
    launchChromium(),
  ])
  if (server.status === 'fulfilled') cleanups.push(() => server.value.close())
  if (page.status === 'fulfilled') cleanups.push(page.value.stop)
  if (browser.status === 'fulfilled') cleanups.push(() => browser.value.close())
  for (const started of [server, page, browser]) if (started.status === 'rejected') throw started.reason
  return {
    server: (server as PromiseFulfilledResult<LiveServer>).value,
    origin: (page as PromiseFulfilledResult<{ origin: string }>).value.origin,
    browser: (browser as PromiseFulfilledResult<Browser>).value,
  }
}

const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('name') ?? null)

describe('@tessera/react in Chromium', () => {
  it('signs up, signs out, signs in with the password, adds a passkey and signs in with it', async () => {
    const { server, origin, browser } = await start()
    const { tenant, bapi, codeSentTo } = await sdkTenant(server, { allowed_origins: [origin] })
    const get = <T>(path: string) => bapi<T>('GET', path, undefined, 200)
    // Unique: the dev mailbox is the installation's, and a PostgreSQL test database keeps earlier runs' messages.
    const email = `react-${crypto.randomUUID().slice(0, 8)}@example.com`
    const password = 'correct horse battery staple'

    const context = await browser.newContext()
    const page = await context.newPage()
    const { cdp, authenticatorId } = await virtualAuthenticator(context, page)
    await page.goto(`${origin}/?issuer=${encodeURIComponent(tenant.issuer)}`)

    // Sign up: email and password, then the emailed code; the first field of each step has the focus.
    const signUp = page.getByRole('region', { name: 'Create your account' })
    await signUp.getByLabel('Email address').waitFor()
    expect(await focusedName(page)).toBe('email_address')
    await signUp.getByLabel('Email address').fill(email)
    await signUp.getByLabel('Password').fill(password)
    await signUp.getByRole('button', { name: 'Continue' }).click()
    const codeField = signUp.getByLabel('Verification code')
    await codeField.waitFor()
    expect(await focusedName(page)).toBe('code')
    expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code')
    await codeField.fill(await codeSentTo(email))
    await page.keyboard.press('Enter')

    // Signed in: the avatar names the user; the server has the user, verified, with an active session.
    const avatar = page.getByRole('button', { name: `Account menu for ${email}` })
    await avatar.waitFor()
    expect(await avatar.textContent()).toBe('RE')
    const users = await get<{ data: { id: string; email_addresses: { verified: boolean }[] }[] }>(
      `/v1/users?email_address=${encodeURIComponent(email)}`,
    )
    expect(users.data).toHaveLength(1)
    const userId = users.data[0]!.id
    expect(users.data[0]!.email_addresses[0]!.verified).toBe(true)
    const activeSessions = async () =>
      (await get<{ data: { id: string; factors: string[] }[] }>(`/v1/sessions?user_id=${userId}&status=active`)).data
    expect(await activeSessions()).toHaveLength(1)

    // Sign out from the menu: the session ends on the server.
    const signOut = async () => {
      await avatar.click()
      await page.getByRole('menuitem', { name: 'Sign out' }).click()
      await page.getByRole('button', { name: 'Show sign-in' }).waitFor()
      expect(await activeSessions()).toHaveLength(0)
    }
    await signOut()

    // Sign in with the keyboard: a wrong password first, which marks the field and says why.
    await page.getByRole('button', { name: 'Show sign-in' }).click()
    const signIn = page.getByRole('region', { name: 'Sign in' })
    const identifier = signIn.getByLabel('Email address or username')
    await identifier.waitFor()
    expect(await identifier.getAttribute('autocomplete')).toBe('username webauthn')
    await identifier.fill(email)
    await page.keyboard.press('Enter')
    const passwordField = signIn.getByLabel('Password')
    await passwordField.waitFor()
    expect(await focusedName(page)).toBe('password')
    expect(await passwordField.getAttribute('autocomplete')).toBe('current-password')
    await page.keyboard.type('not the password')
    await page.keyboard.press('Enter')
    await waitFor(async () => (await passwordField.getAttribute('aria-invalid')) === 'true', 10_000, 50)
    const status = signIn.getByRole('status')
    expect(await status.textContent()).toMatch(/password/i)
    expect(await status.textContent()).not.toContain('{')
    expect(await passwordField.getAttribute('aria-describedby')).toBe(await status.getAttribute('id'))
    await passwordField.fill(password)
    await page.keyboard.press('Enter')
    await avatar.waitFor()

    // Manage account → Passkeys: add one through the virtual authenticator.
    await avatar.click()
    await page.getByRole('menuitem', { name: 'Manage account' }).click()
    const passkeys = page.getByRole('region', { name: 'Passkeys' })
    await passkeys.getByLabel('Passkey name').fill('Laptop')
    await passkeys.getByRole('button', { name: 'Add a passkey' }).click()
    await passkeys.getByRole('button', { name: 'Remove Laptop' }).waitFor()
    expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toHaveLength(1)
    await signOut()

    // Sign in with the passkey: the identifier, then the passkey instead of the password.
    await page.getByRole('button', { name: 'Show sign-in' }).click()
    await identifier.fill(email)
    await page.keyboard.press('Enter')
    await signIn.getByRole('button', { name: 'Use passkey' }).click()
    await signIn.getByRole('button', { name: 'Use your passkey' }).click()
    await avatar.waitFor()
    const [session] = await activeSessions()
    expect(session!.factors).toContain('passkey')

    // And without typing anything: the discoverable passkey names the user.
    await signOut()
    await page.getByRole('button', { name: 'Show sign-in' }).click()
    await signIn.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await avatar.waitFor()
    const [usernameless] = await activeSessions()
    expect(usernameless!.factors).toEqual(['passkey'])
    await context.close()
  }, 120_000)
})
