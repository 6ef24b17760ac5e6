import { expect } from 'bun:test'
import { platformTenant } from '../../src/features/operators/platform-tenant'
import { PUBLIC_URL, type CreatedTenant, type TestApp } from './app'
import { codeIn, lastMessage } from './flows'
import { oauthBrowser, type Hop, type OAuthBrowser } from './oidc'
import { ok } from './orgs'
import { waitFor } from './wait'

/** Console sign-ins for tests (issue #21): operators and tenant admins through the hosted pages, with email codes. */
export const emailFor = () => `person-${crypto.randomUUID().slice(0, 8)}@example.com`

/** The CSRF token of the form posting to `action` on a console page. */
export function csrfIn(html: string, action: string): string {
  for (const [form] of html.matchAll(/<form\b[\s\S]*?<\/form>/g))
    if (form.includes(`action="${action}"`)) return /name="csrf" value="([^"]+)"/.exec(form)![1]!
  throw new Error(`no form posting to ${action} in:\n${html}`)
}

export type ConsoleHelpers = ReturnType<typeof consoleHelpers>

export function consoleHelpers(t: TestApp) {
  /** Signs in at the tenant's hosted page with an email code, from the sign-in page the console sent the browser to. */
  async function withEmailCode(browser: OAuthBrowser, hop: Hop, email: string): Promise<Hop> {
    // Past the invitation mail: the code is the newest message.
    t.clock.advance(1000)
    const after = t.clock.now()
    let step = await browser.submit(hop, 'identify', { identifier: email })
    // A tenant that offers passwords shows that form first: ask for a code instead.
    if (!step.html.includes('name="code"')) step = await browser.submit(step, 'choose', { strategy: 'email_code' })
    // The invitation may be delivered after the clock moved (the bus is asynchronous): wait for the code itself.
    const code = await waitFor(async () => codeIn((await lastMessage(t, email, after)).text), 10_000)
    return browser.submit(step, 'answer', { code })
  }

  async function operatorBrowser(role: 'super_admin' | 'admin' | 'viewer') {
    const email = emailFor()
    const operator = await ok<{ id: string }>(
      await t.request('POST', '/platform/v1/operators', { token: t.platformKey, json: { email_address: email, role } }),
      201,
    )
    const platform = (await platformTenant(t.deps))!
    const browser = oauthBrowser(t, platform as unknown as CreatedTenant)
    const signInPage = await browser.post(`${PUBLIC_URL}/console/sign-in`, {})
    expect(signInPage.url).toStartWith(`${PUBLIC_URL}/t/${platform.slug}/sign-in?auth_request=`)
    const landed = await withEmailCode(browser, signInPage, email)
    return { browser, landed, operator, email }
  }

  /** A user of `tenant` holding the tenant role `role` (made if missing), signed in to the console. */
  async function tenantAdmin(tenant: CreatedTenant, role = 'admin') {
    const email = emailFor()
    const user = await ok<{ id: string }>(
      await t.request('POST', '/v1/users', { token: tenant.secret_key, json: { email_address: [email] } }),
      201,
    )
    await t.request('POST', '/v1/roles', {
      token: tenant.secret_key,
      json: { key: role, name: role, scope: 'tenant' },
    })
    await ok(
      await t.request('PUT', `/v1/users/${user.id}/roles`, { token: tenant.secret_key, json: { roles: [role] } }),
    )
    const browser = oauthBrowser(t, tenant)
    const signInPage = await browser.post(`${PUBLIC_URL}/console/sign-in`, { tenant: tenant.slug })
    return { browser, landed: await withEmailCode(browser, signInPage, email), user }
  }

  return { withEmailCode, operatorBrowser, tenantAdmin }
}
