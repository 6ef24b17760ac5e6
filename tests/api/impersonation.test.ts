import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { auditEvents } from '../../src/platform/db/schema'
import { withTenant } from '../../src/platform/db/tx'
import { newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { consoleHelpers, csrfIn, type ConsoleHelpers } from '../support/console'
import { introspect, meApi, newUser } from '../support/flows'
import { oauthBrowser, type OAuthBrowser } from '../support/oidc'
import { fastHashing, ok } from '../support/orgs'
import { waitFor } from '../support/wait'

/**
 * Impersonation from the console (issue #21): an admin's browser opens a session as a user through a single-use
 * ticket bound to that browser; its tokens carry `act` (RFC 8693); it never steps up nor answers an authorization
 * request, lasts an hour at most, and ends as soon as its actor may no longer act.
 */
let t: TestApp
let helpers: ConsoleHelpers
beforeAll(async () => {
  t = await testApp()
  helpers = consoleHelpers(t)
})
afterAll(() => t.close())

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString())

/** Asks the console to act as `userId`: the confirmation page (or the refusal) and its form's fields. */
async function ticketFor(browser: OAuthBrowser, tenant: CreatedTenant, userId: string) {
  const userPath = `/console/tenants/${tenant.id}/users/${userId}`
  const page = await browser.open(`${PUBLIC_URL}${userPath}`)
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.html)![1]!
  const confirm = await browser.post(`${PUBLIC_URL}${userPath}/impersonate`, { csrf })
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(confirm.html)?.[1]
  return {
    page,
    confirm,
    form: { csrf: field('csrf') ?? '', ticket: (field('ticket') ?? '').replaceAll('&#61;', '=') },
  }
}

/** Acts as `userId` in `browser`; answers the impersonation session's token. */
async function actAs(browser: OAuthBrowser, tenant: CreatedTenant, userId: string) {
  const { confirm, form } = await ticketFor(browser, tenant, userId)
  expect(confirm.url).toStartWith(`${PUBLIC_URL}/t/${tenant.slug}/impersonate?ticket=`)
  const done = await browser.post(`${PUBLIC_URL}/t/${tenant.slug}/impersonate`, form)
  expect(done.url).toBe(`${PUBLIC_URL}/t/${tenant.slug}/signed-in`)
  return { jwt: browser.jar.get('__session')!, form, confirm }
}

/** A browser-mode refresh of the browser's session cookies at the Frontend API. */
const refresh = (browser: OAuthBrowser, tenant: CreatedTenant, sid: string) =>
  t.app.handle(
    new Request(`${PUBLIC_URL}/t/${tenant.slug}/v1/client/sessions/${sid}/tokens`, {
      method: 'POST',
      headers: {
        origin: PUBLIC_URL,
        'content-type': 'application/json',
        cookie: [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: '{}',
    }),
  )

describe('POST /console/tenants/:id/users/:user/impersonate', () => {
  it('opens a session as the user whose tokens name the admin in act, seen by backends, the user and the audit', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const person = await newUser(t, tenant)
    const admin = await helpers.tenantAdmin(tenant)
    const { confirm } = await ticketFor(admin.browser, tenant, person.id)
    expect(confirm.html).toContain(person.email)
    // The GET spent nothing: a second look (a link scanner, a reload) still offers it.
    expect((await admin.browser.open(confirm.url)).status).toBe(200)
    const { jwt } = await actAs(admin.browser, tenant, person.id)
    const claims = claimsOf(jwt)
    expect(claims).toMatchObject({
      sub: person.id,
      act: { iss: `${PUBLIC_URL}/t/${tenant.slug}`, sub: admin.user.id },
      amr: ['impersonation'],
    })
    expect(await introspect(t, tenant, jwt)).toMatchObject({ active: true, act: { sub: admin.user.id } })
    // The user sees it among their sessions, with who acted.
    const mine = await ok<{ data: { id: string; actor?: unknown; abandon_at: number }[] }>(
      await meApi(t, tenant, jwt)('GET', '/sessions'),
    )
    const session = mine.data.find((s) => s.id === claims.sid)!
    expect(session.actor).toEqual({ sub: admin.user.id, kind: 'tenant_admin' })
    // An hour at most, whatever the tenant's sessions may last.
    expect(session.abandon_at).toBeLessThanOrEqual(t.clock.now() + 3600_000)
    const [audit] = await withTenant(t.deps.db, tenant.id, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, 'session.impersonated'))),
    )
    expect(audit).toMatchObject({ actorType: 'user', actorId: admin.user.id, targetId: claims.sid })
    t.clock.advance(3601_000)
    expect((await introspect(t, tenant, jwt)).active).toBe(false)
  })

  it('is refused a second time, in another browser, for an administrator, for oneself and to a viewer', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const person = await newUser(t, tenant)
    const admin = await helpers.tenantAdmin(tenant)
    const { form, confirm } = await ticketFor(admin.browser, tenant, person.id)
    // Another browser holding the URL (history, a shared screen) has no binding cookie.
    const stranger = oauthBrowser(t, tenant)
    const shown = await stranger.open(confirm.url)
    const csrf = /name="csrf" value="([^"]+)"/.exec(shown.html)![1]!
    expect((await stranger.post(`${PUBLIC_URL}/t/${tenant.slug}/impersonate`, { ...form, csrf })).status).toBe(403)
    expect((await admin.browser.post(`${PUBLIC_URL}/t/${tenant.slug}/impersonate`, form)).status).toBe(200)
    expect((await admin.browser.post(`${PUBLIC_URL}/t/${tenant.slug}/impersonate`, form)).status).toBe(403)
    // Another admin, or oneself: acting as them would borrow a console role.
    const other = await helpers.tenantAdmin(tenant)
    for (const target of [other.user.id, admin.user.id]) {
      const refused = await ticketFor(admin.browser, tenant, target)
      expect(refused.page.html).not.toContain('>Impersonate<')
      expect(refused.confirm.status).toBe(403)
    }
    // A read-only operator cannot.
    const viewer = await helpers.operatorBrowser('viewer')
    const userPath = `/console/tenants/${tenant.id}/users/${person.id}`
    const byViewer = await viewer.browser.post(`${PUBLIC_URL}${userPath}/impersonate`, {
      csrf: csrfIn(viewer.landed.html, '/console/sign-out'),
    })
    expect(byViewer.status).toBe(403)
  })

  it('never steps up: a new address, a password change and a reverification are refused', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const person = await newUser(t, tenant)
    const admin = await helpers.tenantAdmin(tenant)
    const { jwt } = await actAs(admin.browser, tenant, person.id)
    const me = meApi(t, tenant, jwt)
    for (const [method, path, body] of [
      ['POST', '/email-addresses', { email_address: 'second@example.com' }],
      ['POST', '/password', { current_password: person.password, new_password: 'another-long-password-1' }],
    ] as const) {
      const res = await me(method, path, body)
      expect(res.status).toBe(403)
      expect(((await res.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('permission_denied')
    }
    const reverify = await t.app.handle(
      new Request(`${PUBLIC_URL}/t/${tenant.slug}/v1/client/sessions/${claimsOf(jwt).sid}/reverify`, {
        method: 'POST',
        headers: {
          origin: PUBLIC_URL,
          'content-type': 'application/json',
          cookie: [...admin.browser.jar].map(([k, v]) => `${k}=${v}`).join('; '),
        },
        body: JSON.stringify({ strategy: 'password', password: person.password }),
      }),
    )
    expect(reverify.status).toBe(403)
    const emails = await ok<{ email_addresses: { email_address: string }[] }>(
      await t.request('GET', `/v1/users/${person.id}`, { token: tenant.secret_key }),
    )
    expect(emails.email_addresses.map((e) => e.email_address)).toEqual([person.email])
  })

  it('ends as soon as the admin loses the role, or signs out of the console', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const person = await newUser(t, tenant)
    const admin = await helpers.tenantAdmin(tenant)
    const { jwt } = await actAs(admin.browser, tenant, person.id)
    expect((await introspect(t, tenant, jwt)).active).toBe(true)
    await ok(
      await t.request('PUT', `/v1/users/${admin.user.id}/roles`, { token: tenant.secret_key, json: { roles: [] } }),
    )
    await waitFor(async () => (await introspect(t, tenant, jwt)).active === false || null, 5_000)
    expect((await refresh(admin.browser, tenant, claimsOf(jwt).sid)).status).toBe(401)

    const operator = await helpers.operatorBrowser('admin')
    const second = await actAs(operator.browser, tenant, person.id)
    expect(claimsOf(second.jwt).act.iss).not.toBe(`${PUBLIC_URL}/t/${tenant.slug}`)
    expect((await introspect(t, tenant, second.jwt)).active).toBe(true)
    const tenants = await operator.browser.open(`${PUBLIC_URL}/console/tenants`)
    await operator.browser.post(`${PUBLIC_URL}/console/sign-out`, { csrf: csrfIn(tenants.html, '/console/sign-out') })
    await waitFor(async () => (await introspect(t, tenant, second.jwt)).active === false || null, 5_000)
    expect((await refresh(operator.browser, tenant, claimsOf(second.jwt).sid)).status).toBe(401)
  })

  it('never answers an authorization request: the console sign-in asks the operator to sign in', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const person = await newUser(t, tenant)
    const operator = await helpers.operatorBrowser('admin')
    await actAs(operator.browser, tenant, person.id)
    const signIn = await operator.browser.post(`${PUBLIC_URL}/console/sign-in`, { tenant: tenant.slug })
    expect(signIn.url).toStartWith(`${PUBLIC_URL}/t/${tenant.slug}/sign-in?auth_request=`)
    expect(signIn.status).toBe(200)
  })
})
