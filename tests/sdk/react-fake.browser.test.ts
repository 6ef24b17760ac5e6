import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, servePage } from '../support/chromium'

/**
 * @tessera/react's interactive steps in Chromium over the fake client (react-fake-page.tsx): what the end-to-end
 * test cannot reach with a default tenant — TOTP enrolment inside sign-in, email-link polling, reverification —
 * and the user button's keyboard use.
 */
let browser: Browser
let page: { origin: string; stop(): void }

beforeAll(async () => {
  ;[browser, page] = await Promise.all([
    launchChromium(),
    servePage('tests/sdk/react-fake-page.tsx', '<div id="app"></div>'),
  ])
})
afterAll(async () => {
  await browser?.close()
  page?.stop()
})

async function open(scenario: string): Promise<Page> {
  const p = await browser.newPage()
  await p.goto(`${page.origin}/?scenario=${scenario}`)
  return p
}

const calls = (p: Page) =>
  p.evaluate(() => (globalThis as unknown as { fake: { calls: { method: string }[] } }).fake.calls.map((c) => c.method))
const waitForPressed = (p: Page, name: string) =>
  p.getByRole('button', { name, pressed: true }).waitFor({ timeout: 5000 })
const focusedName = (p: Page) => p.evaluate(() => document.activeElement?.getAttribute('name') ?? null)

describe('@tessera/react over a fake client in Chromium', () => {
  it('sign-in with required MFA: QR as an image, a wrong code marks the field, backup codes shown once', async () => {
    const p = await open('mfa-enrollment')
    await p.getByLabel('Email address or username').fill('ada@example.com')
    await p.keyboard.press('Enter')
    await p.getByLabel('Password').fill('pw')
    await p.keyboard.press('Enter')
    const code = p.getByLabel('Authenticator code')
    await code.waitFor()
    const qr = p.getByRole('img', { name: 'QR code for your authenticator app' })
    expect(await qr.getAttribute('src')).toStartWith('data:image/svg+xml;charset=utf-8,%3Csvg')
    expect(await p.evaluate(() => 'pwned' in globalThis)).toBe(false)
    expect(await p.locator('svg').count()).toBe(0)
    expect(await p.getByText('JBSWY3DPEHPK3PXP').count()).toBe(1)
    await code.fill('000000')
    await p.keyboard.press('Enter')
    await p.getByText('The code is incorrect.').waitFor()
    expect(await code.getAttribute('aria-invalid')).toBe('true')
    expect(await focusedName(p)).toBe('code')
    await code.fill('123456')
    await p.keyboard.press('Enter')
    const codes = p.getByRole('list', { name: 'Backup codes' })
    await codes.waitFor()
    expect(await codes.locator('li').allTextContents()).toEqual(['aaaa-1111', 'bbbb-2222'])
    await p.getByRole('button', { name: 'I have saved my codes' }).click()
    await p.getByText('You are signed in.').waitFor()
    expect(await calls(p)).toEqual([
      'signIn.create',
      'signIn.challenge',
      'signIn.answer',
      'signIn.enrollTotp',
      'signIn.verifyTotp',
      'signIn.verifyTotp',
    ])
  })

  it('email link: "check your email", then polling until the link is opened', async () => {
    const p = await open('email-link')
    await p.getByLabel('Email address or username').fill('ada@example.com')
    await p.keyboard.press('Enter')
    await p.getByText('Check your email: we sent a sign-in link to a**@x.com.').waitFor()
    await p.getByText('You are signed in.').waitFor({ timeout: 10_000 })
    expect(await calls(p)).toEqual(['signIn.create', 'signIn.challenge', 'signIn.poll', 'signIn.poll'])
  })

  it('forgot password: the reset code is sent when chosen, then a new password completes the attempt', async () => {
    const p = await open('reset-password')
    await p.getByLabel('Email address or username').fill('ada@example.com')
    await p.keyboard.press('Enter')
    await p.getByRole('button', { name: 'Forgot password?' }).click()
    const code = p.getByLabel('Reset password by email')
    await code.waitFor()
    expect(await focusedName(p)).toBe('code')
    await code.fill('123456')
    await p.keyboard.press('Enter')
    const password = p.getByLabel('New password')
    await password.waitFor()
    expect(await password.getAttribute('autocomplete')).toBe('new-password')
    await password.fill('a brand new password')
    await p.keyboard.press('Enter')
    await p.getByText('You are signed in.').waitFor()
    const sent = await p.evaluate(
      () => (globalThis as unknown as { fake: { calls: { method: string; args: unknown[] }[] } }).fake.calls,
    )
    expect(sent.map((c) => c.method)).toEqual([
      'signIn.create',
      'signIn.challenge',
      'signIn.answer',
      'signIn.resetPassword',
    ])
    expect(sent[1]!.args).toEqual(['reset_password_email_code'])
    expect(sent[3]!.args).toEqual([{ password: 'a brand new password', signOutOfOtherSessions: true }])
  })

  it('sign-up: the invitation ticket from the URL, then the missing field, then the emailed code', async () => {
    const p = await open('sign-up&invitation_ticket=tkt_1')
    await p.getByLabel('Email address').fill('ada@example.com')
    await p.getByLabel('Password').fill('a long password')
    await p.keyboard.press('Enter')
    const firstName = p.getByLabel('First name')
    await firstName.waitFor()
    expect(await focusedName(p)).toBe('first_name')
    await firstName.fill('Ada')
    await p.keyboard.press('Enter')
    await p.getByText('We sent a verification code to ada@example.com.').waitFor()
    await p.getByLabel('Verification code').fill('123456')
    await p.keyboard.press('Enter')
    await p.getByText('Your account is ready.').waitFor()
    const sent = await p.evaluate(
      () => (globalThis as unknown as { fake: { calls: { method: string; args: unknown[] }[] } }).fake.calls,
    )
    expect(sent.map((c) => c.method)).toEqual(['signUp.create', 'signUp.update', 'signUp.challenge', 'signUp.answer'])
    expect(sent[0]!.args).toEqual([{ emailAddress: 'ada@example.com', password: 'a long password', ticket: 'tkt_1' }])
    expect(sent[1]!.args).toEqual([{ firstName: 'Ada' }])
    expect(sent[2]!.args).toEqual(['email_code'])
  })

  it('organization switcher: personal account and memberships, switching and creating', async () => {
    const p = await open('organizations')
    const personal = p.getByRole('button', { name: 'Personal account' })
    await personal.waitFor()
    expect(await personal.getAttribute('aria-pressed')).toBe('true')
    await p.getByRole('button', { name: 'Acme' }).click()
    await waitForPressed(p, 'Acme')
    await p.getByLabel('Organization name').fill('Beta')
    await p.keyboard.press('Enter')
    await p.getByRole('button', { name: 'Beta' }).waitFor()
    expect(await calls(p)).toEqual(['client.setActive', 'account.createOrganization', 'client.setActive'])
  })

  it('organization profile, admin: role choices below their own, a refusal’s message, invite and revoke', async () => {
    const p = await open('organization-admin')
    const grace = p.getByRole('form', { name: 'Grace' })
    const graceRole = grace.getByLabel('Role of Grace')
    await graceRole.waitFor()
    expect(await graceRole.locator('option').allTextContents()).toEqual(['Manager', 'Member'])
    await graceRole.selectOption('org:manager')
    await grace.getByRole('button', { name: 'Change role' }).click()
    await p.waitForFunction(() =>
      (globalThis as unknown as { fake: { calls: { method: string }[] } }).fake.calls.some(
        (c) => c.method === 'organizations.updateMemberRole',
      ),
    )
    const olga = p.getByRole('form', { name: 'Olga' })
    await olga.getByLabel('Role of Olga').selectOption('org:member')
    await olga.getByRole('button', { name: 'Change role' }).click()
    await olga.getByText('Only roles below your own.').waitFor()
    expect(await p.getByRole('button', { name: 'Remove Grace' }).count()).toBe(1)
    expect(await p.getByLabel('Organization name').inputValue()).toBe('Acme')
    await p.getByLabel('Email address to invite').fill('new@example.com')
    expect(await p.getByLabel('Role', { exact: true }).inputValue()).toBe('org:member')
    await p.getByRole('button', { name: 'Send invitation' }).click()
    await p.getByText('new@example.com: Member').waitFor()
    await p.getByRole('button', { name: 'Revoke invitation to new@example.com' }).click()
    await p.getByText('new@example.com: Member').waitFor({ state: 'detached' })
    const sent = await p.evaluate(
      () => (globalThis as unknown as { fake: { calls: { method: string; args: unknown[] }[] } }).fake.calls,
    )
    expect(sent.filter((c) => c.method === 'organizations.updateMemberRole').map((c) => c.args)).toEqual([
      ['org_1', 'user_2', 'org:manager'],
      ['org_1', 'user_3', 'org:member'],
    ])
    expect(sent.find((c) => c.method === 'organizations.invite')!.args).toEqual([
      'org_1',
      { email_address: 'new@example.com', role: 'org:member' },
    ])
    expect(sent.find((c) => c.method === 'organizations.revokeInvitation')!.args).toEqual(['org_1', 'orginv_1'])
  })

  it('organization profile, plain member: the members listed, no management controls', async () => {
    const p = await open('organization-member')
    await p.getByText('Grace: Member').waitFor()
    expect(await p.getByText('Olga: Owner').count()).toBe(1)
    expect(await p.locator('select').count()).toBe(0)
    expect(await p.getByRole('button', { name: /^Remove|^Revoke/ }).count()).toBe(0)
    expect(await p.getByLabel('Organization name').count()).toBe(0)
    expect(await p.getByLabel('Email address to invite').count()).toBe(0)
    expect(await p.getByRole('button', { name: 'Leave organization' }).count()).toBe(1)
  })

  it('a sensitive change answered 403 reverification_required asks for the password, then retries', async () => {
    const p = await open('reverify')
    const section = p.getByRole('region', { name: 'Password' })
    await section.getByLabel('Current password').fill('current pw')
    await section.getByLabel('New password').fill('a new password')
    await section.getByRole('button', { name: 'Change password' }).click()
    const dialog = p.getByRole('dialog', { name: 'Confirm it is you' })
    await dialog.waitFor()
    expect(await focusedName(p)).toBe('password')
    await p.keyboard.type('wrong')
    await p.keyboard.press('Enter')
    await dialog.getByText('The password is incorrect.').waitFor()
    expect(await dialog.getByLabel('Password').getAttribute('aria-invalid')).toBe('true')
    await dialog.getByLabel('Password').fill('current pw')
    await p.keyboard.press('Enter')
    await section.getByText('Password changed.').waitFor()
    expect(await dialog.count()).toBe(0)
    expect((await calls(p)).filter((m) => m === 'account.changePassword' || m === 'account.reverify')).toEqual([
      'account.changePassword',
      'account.reverify',
      'account.reverify',
      'account.changePassword',
    ])
  })

  it('the user button works from the keyboard: open, focus in the menu, Escape, switch session', async () => {
    const p = await open('user-button')
    const avatar = p.getByRole('button', { name: 'Account menu for Ada Lovelace' })
    await avatar.waitFor()
    await p.keyboard.press('Tab')
    expect(await avatar.evaluate((e) => e === document.activeElement)).toBe(true)
    await p.keyboard.press('Enter')
    const manage = p.getByRole('menuitem', { name: 'Manage account' })
    await manage.waitFor()
    expect(await manage.evaluate((e) => e === document.activeElement)).toBe(true)
    await p.keyboard.press('Escape')
    expect(await p.getByRole('menu').count()).toBe(0)
    expect(await avatar.getAttribute('aria-expanded')).toBe('false')
    expect(await avatar.evaluate((e) => e === document.activeElement)).toBe(true)
    await avatar.press('Enter')
    await p.getByRole('menuitem', { name: 'Switch to session 2' }).click()
    expect(await calls(p)).toEqual(['client.setActive'])
    const args = await p.evaluate(
      () => (globalThis as unknown as { fake: { calls: { args: unknown[] }[] } }).fake.calls[0]!.args,
    )
    expect(args).toEqual([{ sessionId: 'sess_2' }])
  })
})
