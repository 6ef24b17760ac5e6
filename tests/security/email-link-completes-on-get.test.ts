import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { users } from '../../src/features/users/schema'
import { withTenant } from '../../src/platform/db/tx'
import { firstError, newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { browserClient, confirmLink, introspect, lastMessage, linkIn, nativeClient, newUser } from '../support/flows'

/**
 * Finding 3 (high): an email link completed its attempt on a plain GET for whoever asked, so an
 * attacker who started a sign-in (or a sign-up with the victim's address and the attacker's
 * password) was signed in by the victim's click — or by a mail gateway's link scanner, with no
 * click at all. Now GET changes nothing, the page's form confirms, and by default only the client
 * that asked may confirm (API.md §4 Email links).
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

async function attackerSignIn(tenant: CreatedTenant, email: string) {
  const attacker = nativeClient(t, tenant)
  const since = t.clock.now()
  const res = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
    json: { identifier: email, strategy: 'email_link' },
    headers: { 'x-native-client': '1', 'user-agent': CHROME_MAC },
  })
  const attempt = (await res.json()) as { id: string; current_challenge: { id: string } }
  const token = res.headers.get('x-client-token')!
  const message = await lastMessage(t, email, since)
  const poll = async () =>
    (await t
      .request('GET', `/t/${tenant.slug}/v1/client/sign-ins/${attempt.id}`, { headers: { 'x-client-token': token } })
      .then((r) => r.json())) as { status: string; session_token?: string }
  return { attacker, attempt, message, link: linkIn(message.text)!, poll }
}

describe('email link completes on GET for whoever asked', () => {
  it('a mail scanner opening the link (GET, HEAD, twice) changes nothing', async () => {
    const tenant = await newTenant(t)
    const victim = await newUser(t, tenant)
    const { link, poll } = await attackerSignIn(tenant, victim.email)
    for (const method of ['GET', 'HEAD', 'GET'])
      expect((await t.app.handle(new Request(link, { method }))).status).toBeLessThan(300)
    expect((await poll()).status).toBe('needs_first_factor')
  })

  it('the victim confirming in their own browser does not sign the attacker in', async () => {
    const tenant = await newTenant(t)
    const victim = await newUser(t, tenant)
    const { link, poll, message } = await attackerSignIn(tenant, victim.email)
    // The message says plainly what the link does and who asked.
    expect(message.text).toContain(`Someone asked to sign in to ${tenant.name} from Chrome on macOS`)
    const victimBrowser = browserClient(t, tenant)
    await victimBrowser.request('GET', '/client')
    const { html, confirmed } = await confirmLink(t, link, victimBrowser.cookie)
    expect(html).toContain('Chrome on macOS')
    expect(confirmed.status).toBe(200)
    expect(await confirmed.text()).toContain('device that asked')
    const attempt = await poll()
    expect(attempt.status).toBe('needs_first_factor')
    expect(attempt.session_token).toBeUndefined()
  })

  it('a sign-up with the victim’s address and the attacker’s password is not verified by the victim’s click', async () => {
    const tenant = await newTenant(t)
    const attacker = nativeClient(t, tenant)
    const victimEmail = `victim-${crypto.randomUUID().slice(0, 8)}@example.com`
    const attempt = (await (
      await attacker.request('POST', '/client/sign-ups', {
        email_address: victimEmail,
        password: 'attacker password 1',
      })
    ).json()) as { id: string }
    expect(
      (await attacker.request('POST', `/client/sign-ups/${attempt.id}/challenges`, { strategy: 'email_link' })).status,
    ).toBe(201)
    const link = linkIn((await lastMessage(t, victimEmail)).text)!
    expect((await confirmLink(t, link)).confirmed.status).toBe(200)
    const rows = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx.select().from(users).where(eq(users.tenantId, tenant.id)),
    )
    expect(rows).toHaveLength(0)
  })

  it('refuses a forged confirmation: wrong CSRF token, foreign Origin', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const browser = browserClient(t, tenant)
    await browser.request('POST', '/client/sign-ins', { identifier: user.email, strategy: 'email_link' })
    const link = linkIn((await lastMessage(t, user.email)).text)!
    const post = (csrf: string, origin: string) =>
      t.app.handle(
        new Request(link, {
          method: 'POST',
          body: new URLSearchParams({ csrf }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin, cookie: browser.cookie! },
        }),
      )
    const forged = await post('A'.repeat(43), PUBLIC_URL)
    expect(forged.status).toBe(403)
    const page = await (await t.app.handle(new Request(link))).text()
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!
    const crossSite = await post(csrf, 'https://evil.example')
    expect(crossSite.status).toBe(403)
    expect((await firstError(crossSite)).code).toBe('origin_invalid')
    const client = (await (await browser.request('GET', '/client')).json()) as { sessions: unknown[] }
    expect(client.sessions).toHaveLength(0)
    // The same browser, with the page's own form, completes.
    expect((await confirmLink(t, link, browser.cookie)).confirmed.status).toBe(200)
    expect(((await (await browser.request('GET', '/client')).json()) as { sessions: unknown[] }).sessions).toHaveLength(
      1,
    )
  })

  it('cross-device when the tenant opts in: the page warns, and the session is created on the client that asked', async () => {
    const tenant = await newTenant(t, { settings: { email_link: { require_same_client: false } } })
    const user = await newUser(t, tenant)
    const { link, poll } = await attackerSignIn(tenant, user.email)
    const { html, confirmed } = await confirmLink(t, link)
    expect(html).toContain('signs in <strong>the device that asked</strong>')
    expect(confirmed.status).toBe(200)
    expect(confirmed.headers.get('set-cookie')).toBeNull()
    const attempt = await poll()
    expect(attempt.status).toBe('complete')
    expect((await introspect(t, tenant, attempt.session_token!)).active).toBe(true)
  })
})
