import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { platformTenant } from '../../src/features/operators/platform-tenant'
import { newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { lastMessage, newUser } from '../support/flows'
import { startFakeOidc } from '../support/fake-idp'
import { waitFor } from '../support/wait'
import { oauthBrowser } from '../support/oidc'
import { and, eq } from 'drizzle-orm'
import { withTenant } from '../../src/platform/db/tx'
import { auditEvents } from '../../src/platform/db/schema'
import { fastHashing, ok } from '../support/orgs'
import { consoleHelpers, csrfIn, emailFor, type ConsoleHelpers } from '../support/console'
import { serveLocal } from '../support/local-server'

/**
 * The console (issue #21) over HTTP: operators sign in at the platform tenant and tenant admins at their tenant,
 * each through the hosted pages (OIDC code flow with PKCE); pages need the console session, forms the Origin and
 * the session's CSRF token; a tenant admin sees their tenant only, a viewer changes nothing.
 */
let t: TestApp
let operatorBrowser: ConsoleHelpers['operatorBrowser']
let tenantAdmin: ConsoleHelpers['tenantAdmin']
let withEmailCode: ConsoleHelpers['withEmailCode']
beforeAll(async () => {
  t = await testApp({ webhookAllowPrivate: true })
  ;({ operatorBrowser, tenantAdmin, withEmailCode } = consoleHelpers(t))
})
afterAll(() => t.close())

describe('console sign-in', () => {
  it('shows the sign-in page to a signed-out browser, and sends every page there', async () => {
    const page = await oauthBrowser(t, {} as CreatedTenant).open(`${PUBLIC_URL}/console/tenants`)
    expect(page.url).toBe(`${PUBLIC_URL}/console`)
    expect(page.status).toBe(200)
    expect(page.html).toContain('Tenant admins')
  })

  it('signs an operator in through the platform tenant’s hosted pages, to the tenants page', async () => {
    const tenant = await newTenant(t)
    const { landed } = await operatorBrowser('admin')
    expect(landed.url).toBe(`${PUBLIC_URL}/console/tenants`)
    expect(landed.status).toBe(200)
    expect(landed.html).toContain(tenant.slug)
  })

  it('signs a tenant admin in to their tenant only; another tenant is 404', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const other = await newTenant(t)
    const { browser, landed } = await tenantAdmin(tenant)
    expect(landed.url).toBe(`${PUBLIC_URL}/console/tenants/${tenant.id}`)
    expect(landed.status).toBe(200)
    expect((await browser.open(`${PUBLIC_URL}/console/tenants/${other.id}`)).status).toBe(404)
    expect((await browser.open(`${PUBLIC_URL}/console/tenants`)).status).toBe(404)
  })

  it('lets custom tenant roles administer or only look, as the tenant’s console settings say', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    await ok(
      await t.request('PATCH', `/platform/v1/tenants/${tenant.id}`, {
        token: t.platformKey,
        json: { settings: { console: { admin_roles: ['ops'], viewer_roles: ['support'] } } },
      }),
    )
    // Who opens the console is the secret key's to say, not a service key's scoped to settings.
    const settingsKey = await ok<{ key: string }>(
      await t.request('POST', '/v1/api-keys', {
        token: tenant.secret_key,
        json: { name: 'settings', scopes: ['settings:manage'] },
      }),
      201,
    )
    const byKey = (token: string) =>
      t.request('PATCH', '/v1/settings', { token, json: { console: { viewer_roles: ['support', 'anyone'] } } })
    expect((await byKey(settingsKey.key)).status).toBe(403)
    await ok(await byKey(tenant.secret_key))
    const users = `/console/tenants/${tenant.id}/users`
    const support = await tenantAdmin(tenant, 'support')
    expect(support.landed.status).toBe(200)
    expect(support.landed.html).toContain(`viewer of ${tenant.name}`)
    expect(support.landed.html).not.toContain(`action="${users}"`)
    const refused = await support.browser.post(`${PUBLIC_URL}${users}`, {
      csrf: csrfIn(support.landed.html, '/console/sign-out'),
      email_address: emailFor(),
    })
    expect(refused.status).toBe(403)
    const ops = await tenantAdmin(tenant, 'ops')
    expect(ops.landed.html).toContain(`admin of ${tenant.name}`)
    const made = await ops.browser.post(`${PUBLIC_URL}${users}`, {
      csrf: csrfIn(ops.landed.html, users),
      email_address: emailFor(),
    })
    expect(made.status).toBe(200)
    // `admin` no longer opens it here: the settings name the roles.
    const admin = await tenantAdmin(tenant, 'admin')
    expect(admin.landed.status).toBe(403)
  })

  it('puts the console’s application back as it must be when the tenant edited it', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    await tenantAdmin(tenant)
    const apps = await ok<{ data: { id: string; client_id: string; redirect_uris: string[] }[] }>(
      await t.request('GET', '/v1/oauth-applications', { token: tenant.secret_key }),
    )
    const app = apps.data.find((a) => a.client_id === 'tessera_console')!
    expect(app.redirect_uris).toEqual([`${PUBLIC_URL}/console/callback`])
    await ok(
      await t.request('PATCH', `/v1/oauth-applications/${app.id}`, {
        token: tenant.secret_key,
        json: { redirect_uris: ['https://evil.example/callback'], first_party: false, consent_required: true },
      }),
    )
    const again = await tenantAdmin(tenant)
    expect(again.landed.url).toBe(`${PUBLIC_URL}/console/tenants/${tenant.id}`)
    const restored = await ok<{ redirect_uris: string[]; first_party: boolean }>(
      await t.request('GET', `/v1/oauth-applications/${app.id}`, { token: tenant.secret_key }),
    )
    expect(restored).toMatchObject({ redirect_uris: [`${PUBLIC_URL}/console/callback`], first_party: true })
  })

  it('refuses a user without a console role, and a callback this browser did not start', async () => {
    const tenant = await newTenant(t)
    const email = emailFor()
    await ok(await t.request('POST', '/v1/users', { token: tenant.secret_key, json: { email_address: [email] } }), 201)
    const browser = oauthBrowser(t, tenant)
    const landed = await withEmailCode(
      browser,
      await browser.post(`${PUBLIC_URL}/console/sign-in`, { tenant: tenant.slug }),
      email,
    )
    expect(landed.status).toBe(403)
    expect(landed.html).toContain('not an administrator')
    expect([...browser.jar.keys()]).not.toContain('__console')
    const forged = await oauthBrowser(t, tenant).open(`${PUBLIC_URL}/console/callback?code=x&state=y`)
    expect(forged.status).toBe(400)
  })
})

describe('console access', () => {
  it('starts a sign-in only by a POST from PUBLIC_URL', async () => {
    const tenant = await newTenant(t)
    const browser = oauthBrowser(t, tenant)
    expect((await browser.open(`${PUBLIC_URL}/console/sign-in?tenant=${tenant.slug}`)).status).toBe(404)
    expect(
      (await browser.post(`${PUBLIC_URL}/console/sign-in`, { tenant: tenant.slug }, 'https://evil.example')).status,
    ).toBe(403)
    expect((await browser.post(`${PUBLIC_URL}/console/sign-in`, { tenant: 'no-such-tenant' })).status).toBe(404)
  })

  it('gives no operator access to a customer tenant’s user holding a role named super_admin', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const email = emailFor()
    const user = await ok<{ id: string }>(
      await t.request('POST', '/v1/users', { token: tenant.secret_key, json: { email_address: [email] } }),
      201,
    )
    await ok(
      await t.request('POST', '/v1/roles', {
        token: tenant.secret_key,
        json: { key: 'super_admin', name: 'Mimic', scope: 'tenant' },
      }),
      201,
    )
    await ok(
      await t.request('PUT', `/v1/users/${user.id}/roles`, {
        token: tenant.secret_key,
        json: { roles: ['super_admin'] },
      }),
    )
    const browser = oauthBrowser(t, tenant)
    const landed = await withEmailCode(
      browser,
      await browser.post(`${PUBLIC_URL}/console/sign-in`, { tenant: tenant.slug }),
      email,
    )
    expect(landed.status).toBe(403)
  })

  it('hides the platform tenant from operators, and sends console pages with CSP and no framing', async () => {
    const { browser } = await operatorBrowser('super_admin')
    const platform = (await platformTenant(t.deps))!
    expect((await browser.open(`${PUBLIC_URL}/console/tenants/${platform.id}`)).status).toBe(404)
    const res = await t.app.handle(
      new Request(`${PUBLIC_URL}/console/tenants`, {
        headers: { cookie: [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      }),
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('content-security-policy')).toContain("script-src 'nonce-")
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('cache-control')).toBe('no-store')
    // The platform tenant stays closed to sign-ups.
    const patched = await t.request('PATCH', `/platform/v1/tenants/${platform.id}`, {
      token: t.platformKey,
      json: { settings: { sign_up: { enabled: true } } },
    })
    expect(patched.status).toBe(422)
  })

  it('ends a tenant admin’s console access on a ban and after the tenant’s inactivity timeout', async () => {
    const tenant = await newTenant(t, { settings: { ...fastHashing, session: { inactivity_timeout_s: 600 } } })
    const banned = await tenantAdmin(tenant)
    const idle = await tenantAdmin(tenant)
    await ok(await t.request('POST', `/v1/users/${banned.user.id}/ban`, { token: tenant.secret_key }))
    expect((await banned.browser.open(`${PUBLIC_URL}/console/tenants/${tenant.id}`)).url).toBe(`${PUBLIC_URL}/console`)
    // Used within the timeout, the console stays signed in (and renews its cookie).
    t.clock.advance(300_000)
    expect((await idle.browser.open(`${PUBLIC_URL}/console/tenants/${tenant.id}`)).status).toBe(200)
    t.clock.advance(300_000)
    expect((await idle.browser.open(`${PUBLIC_URL}/console/tenants/${tenant.id}`)).status).toBe(200)
    t.clock.advance(601_000)
    expect((await idle.browser.open(`${PUBLIC_URL}/console/tenants/${tenant.id}`)).url).toBe(`${PUBLIC_URL}/console`)
  })

  it('lets a viewer read but not ban, and verifies the audit chain by a POST', async () => {
    const tenant = await newTenant(t)
    const user = await ok<{ id: string }>(
      await t.request('POST', '/v1/users', { token: tenant.secret_key, json: { email_address: [emailFor()] } }),
      201,
    )
    const { browser, landed } = await operatorBrowser('viewer')
    const page = await browser.open(`${PUBLIC_URL}/console/tenants/${tenant.id}/users/${user.id}`)
    expect(page.status).toBe(200)
    expect(page.html).not.toContain('/ban"')
    const csrf = csrfIn(landed.html, '/console/sign-out')
    const ban = await browser.post(`${PUBLIC_URL}/console/tenants/${tenant.id}/users/${user.id}/ban`, { csrf })
    expect(ban.status).toBe(403)
    const verified = await browser.post(`${PUBLIC_URL}/console/tenants/${tenant.id}/audit/verify`, { csrf })
    expect(verified.html).toContain('The chain verifies')
  })
})

describe('console actions', () => {
  it('creates a tenant, creates a user, bans them, and the audit log shows it', async () => {
    const { browser, landed, operator } = await operatorBrowser('admin')
    const created = await browser.post(`${PUBLIC_URL}/console/tenants`, {
      csrf: csrfIn(landed.html, '/console/tenants'),
      name: 'Acme console',
    })
    expect(created.status).toBe(200)
    expect(created.html).toMatch(/sk_[A-Za-z0-9_]+/)
    const tenantId = /\/console\/tenants\/(ten_[0-9A-Za-z]+)/.exec(created.html)![1]!
    const users = await browser.open(`${PUBLIC_URL}/console/tenants/${tenantId}`)
    const email = emailFor()
    const user = await browser.post(`${PUBLIC_URL}/console/tenants/${tenantId}/users`, {
      csrf: csrfIn(users.html, `/console/tenants/${tenantId}/users`),
      email_address: email,
    })
    expect(user.status).toBe(200)
    expect(user.html).toContain(email)
    const userId = /\/users\/(user_[0-9A-Za-z]+)\//.exec(user.html)![1]!
    const banned = await browser.post(`${PUBLIC_URL}/console/tenants/${tenantId}/users/${userId}/ban`, {
      csrf: csrfIn(user.html, `/console/tenants/${tenantId}/users/${userId}/ban`),
    })
    expect(banned.html).toContain('Banned: every session ended.')
    const [entry] = await withTenant(t.deps.db, tenantId, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, 'user.banned'))),
    )
    // The operator acts as the platform, named by their user id.
    expect(entry).toMatchObject({ actorType: 'platform', actorId: operator.id, targetId: userId })
    const page = await browser.open(`${PUBLIC_URL}/console/tenants/${tenantId}/audit?action=user.banned`)
    expect(page.html).toContain('user.banned')
  })

  it('refuses a form without the CSRF token or from another origin, and a viewer’s changes', async () => {
    const tenant = await newTenant(t)
    const { browser, landed } = await operatorBrowser('admin')
    const csrf = csrfIn(landed.html, '/console/tenants')
    expect((await browser.post(`${PUBLIC_URL}/console/tenants`, { name: 'No token' })).status).toBe(403)
    expect(
      (await browser.post(`${PUBLIC_URL}/console/tenants`, { csrf, name: 'Cross' }, 'https://evil.example')).status,
    ).toBe(403)
    const viewer = await operatorBrowser('viewer')
    const page = await viewer.browser.open(`${PUBLIC_URL}/console/tenants/${tenant.id}`)
    expect(page.status).toBe(200)
    expect(page.html).not.toContain('Create user')
    const refused = await viewer.browser.post(`${PUBLIC_URL}/console/tenants`, {
      csrf: csrfIn(viewer.landed.html, '/console/sign-out'),
      name: 'Viewer tenant',
    })
    expect(refused.status).toBe(403)
  })

  it('a tenant admin creates an organization and invites a member, who is mailed the invitation', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const { browser, landed } = await tenantAdmin(tenant)
    const orgs = await browser.open(`${PUBLIC_URL}/console/tenants/${tenant.id}/organizations`)
    expect(orgs.status).toBe(200)
    const org = await browser.post(`${PUBLIC_URL}/console/tenants/${tenant.id}/organizations`, {
      csrf: csrfIn(landed.html, '/console/sign-out'),
      name: 'Research',
    })
    expect(org.status).toBe(200)
    const orgId = /organizations\/(org_[0-9A-Za-z]+)\/invitations/.exec(org.html)![1]!
    const invitee = emailFor()
    const invited = await browser.post(
      `${PUBLIC_URL}/console/tenants/${tenant.id}/organizations/${orgId}/invitations`,
      {
        csrf: csrfIn(org.html, `/console/tenants/${tenant.id}/organizations/${orgId}/invitations`),
        email_address: invitee,
        role: 'org:member',
      },
    )
    expect(invited.html).toContain('Invitation sent.')
    expect(invited.html).toContain(invitee)
    expect((await lastMessage(t, invitee)).text).toContain('invitation_ticket=')
    const pending = await ok<{ data: { email_address: string; status: string }[] }>(
      await t.request('GET', `/v1/organizations/${orgId}/invitations`, { token: tenant.secret_key }),
    )
    expect(pending.data).toMatchObject([{ email_address: invitee, status: 'pending' }])
  })

  it('adds a webhook endpoint, shows its message log, and retries a failed message', async () => {
    let answers = 0
    const receiver = serveLocal({
      fetch: () => new Response('no', { status: ++answers === 1 ? 500 : 200 }),
    })
    try {
      const tenant = await newTenant(t, { settings: { webhooks: { retry_schedule_s: [3600] } } })
      const { browser, landed } = await tenantAdmin(tenant)
      const added = await browser.post(`${PUBLIC_URL}/console/tenants/${tenant.id}/webhooks`, {
        csrf: csrfIn(landed.html, '/console/sign-out'),
        url: `http://127.0.0.1:${receiver.port}/hook`,
      })
      expect(added.html).toMatch(/whsec_[A-Za-z0-9+/]{32}/)
      const endpointId = /webhooks\/(whe_[0-9A-Za-z]+)/.exec(added.html)![1]!
      await ok(
        await t.request('POST', '/v1/users', { token: tenant.secret_key, json: { email_address: [emailFor()] } }),
        201,
      )
      const page = await waitFor(async () => {
        await t.deps.relay.kick()
        const hop = await browser.open(`${PUBLIC_URL}/console/tenants/${tenant.id}/webhooks/${endpointId}`)
        return hop.html.includes('HTTP 500') ? hop : null
      }, 8000)
      const messageId = /messages\/([0-9A-Za-z_]+)\/retry/.exec(page.html)![1]!
      const retried = await browser.post(
        `${PUBLIC_URL}/console/tenants/${tenant.id}/webhooks/${endpointId}/messages/${messageId}/retry`,
        {
          csrf: csrfIn(page.html, `/console/tenants/${tenant.id}/webhooks/${endpointId}/messages/${messageId}/retry`),
        },
      )
      expect(retried.html).toContain('Retry started')
      await waitFor(async () => {
        const hop = await browser.open(`${PUBLIC_URL}/console/tenants/${tenant.id}/webhooks/${endpointId}`)
        return hop.html.includes('HTTP 200') ? hop : null
      }, 8000)
      expect(answers).toBe(2)
    } finally {
      receiver.stop()
    }
  })

  it('saves settings (MFA policy, ways in, branding) and refuses bad values, changing nothing', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const { browser } = await tenantAdmin(tenant)
    const page = await browser.open(`${PUBLIC_URL}/console/tenants/${tenant.id}/settings`)
    const action = `/console/tenants/${tenant.id}/settings`
    const form = {
      csrf: csrfIn(page.html, action),
      factor_email_code: 'on',
      factor_passkey: 'on',
      sign_up_enabled: 'on',
      mfa_policy: 'required',
      token_lifetime_s: '300',
      inactivity_timeout_s: '86400',
      brand_name: 'Acme',
      logo_url: '',
      primary_color: '#112233',
    }
    const saved = await browser.post(`${PUBLIC_URL}${action}`, form)
    expect(saved.html).toContain('Settings saved.')
    const settings = await ok<Record<string, Record<string, unknown>>>(
      await t.request('GET', '/v1/settings', { token: tenant.secret_key }),
    )
    expect(settings.mfa!.policy).toBe('required')
    expect(settings.sign_in!.first_factors).toEqual(['email_code', 'passkey'])
    expect(settings.session!.token_lifetime_s).toBe(300)
    expect(settings.branding).toEqual({ name: 'Acme', logo_url: null, primary_color: '#112233' })
    for (const bad of [{ mfa_policy: 'sometimes' }, { token_lifetime_s: 'soon' }, { primary_color: 'red' }]) {
      const refused = await browser.post(`${PUBLIC_URL}${action}`, {
        ...form,
        ...bad,
        mfa_policy: bad.mfa_policy ?? 'off',
      })
      expect(refused.status).toBe(422)
    }
    const after = await ok<Record<string, Record<string, unknown>>>(
      await t.request('GET', '/v1/settings', { token: tenant.secret_key }),
    )
    expect(after.mfa!.policy).toBe('required')
  })

  it('rotates a tenant’s secret key and deletes it only when its slug is typed; tenant admins cannot', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const { browser } = await operatorBrowser('admin')
    const settings = await browser.open(`${PUBLIC_URL}/console/tenants/${tenant.id}/settings`)
    const rotateAction = `/console/tenants/${tenant.id}/rotate-secret-key`
    const rotated = await browser.post(`${PUBLIC_URL}${rotateAction}`, { csrf: csrfIn(settings.html, rotateAction) })
    const key = /<code>(sk_[^<]+)<\/code>/.exec(rotated.html)![1]!
    expect((await t.request('GET', '/v1/settings', { token: tenant.secret_key })).status).toBe(401)
    expect((await t.request('GET', '/v1/settings', { token: key })).status).toBe(200)
    const deleteAction = `/console/tenants/${tenant.id}/delete`
    const csrf = csrfIn(settings.html, deleteAction)
    expect((await browser.post(`${PUBLIC_URL}${deleteAction}`, { csrf, confirm: 'yes' })).status).toBe(422)
    expect((await t.request('GET', '/v1/settings', { token: key })).status).toBe(200)
    const platformAudit = await browser.open(`${PUBLIC_URL}/console/audit?action=secret_key.rotated`)
    expect(platformAudit.status).toBe(200)
    expect(platformAudit.html).toContain('secret_key.rotated')
    const admin = await tenantAdmin(await newTenant(t, { settings: fastHashing }))
    const own = admin.landed.url.split('/console/tenants/')[1]!
    const refused = await admin.browser.post(`${PUBLIC_URL}/console/tenants/${own}/rotate-secret-key`, {
      csrf: csrfIn(admin.landed.html, '/console/sign-out'),
    })
    expect(refused.status).toBe(404)
    expect((await admin.browser.open(`${PUBLIC_URL}/console/audit`)).status).toBe(404)
    const deleted = await browser.post(`${PUBLIC_URL}${deleteAction}`, { csrf, confirm: tenant.slug })
    expect(deleted.url).toBe(`${PUBLIC_URL}/console/tenants`)
    expect((await t.request('GET', '/v1/settings', { token: key })).status).toBe(401)
  })

  it('charts a tenant’s last 30 days: sign-ins by strategy, active people, second factors', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const person = await newUser(t, tenant)
    const signIn = (password: string) =>
      t.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
        headers: { 'x-native-client': '1' },
        json: { identifier: person.email, password },
      })
    expect((await signIn(person.password)).status).toBe(200)
    expect((await signIn('not the password at all')).status).toBe(422)
    const { browser } = await operatorBrowser('viewer')
    const page = await waitFor(async () => {
      const hop = await browser.open(`${PUBLIC_URL}/console/tenants/${tenant.id}/overview`)
      return hop.html.includes('<td>password</td><td>1</td><td>1</td>') ? hop : null
    }, 10_000)
    expect(page.html).toContain('<svg class="chart"')
    expect(page.html).toContain('aria-label="Sign-ins per day"')
    expect(page.html).toContain('have a second factor.')
    expect(page.html).toContain('<h2>Email and SMS delivery</h2>')
    expect(page.html).toContain('No webhook messages in these 30 days.')
  })

  it('locks and unlocks a user, as the Backend API does', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const person = await newUser(t, tenant)
    const { browser } = await tenantAdmin(tenant)
    const base = `/console/tenants/${tenant.id}/users/${person.id}`
    const page = await browser.open(`${PUBLIC_URL}${base}`)
    expect(page.html).not.toContain('reset-mfa')
    const locked = await browser.post(`${PUBLIC_URL}${base}/lock`, { csrf: csrfIn(page.html, `${base}/lock`) })
    expect(locked.html).toContain('Locked: sign-ins are refused until unlocked.')
    const user = await ok<{ locked: boolean }>(
      await t.request('GET', `/v1/users/${person.id}`, { token: tenant.secret_key }),
    )
    expect(user.locked).toBe(true)
    const unlocked = await browser.post(`${PUBLIC_URL}${base}/unlock`, { csrf: csrfIn(locked.html, `${base}/unlock`) })
    expect(unlocked.html).toContain('Unlocked.')
    expect(
      (await browser.post(`${PUBLIC_URL}${base}/explode`, { csrf: csrfIn(locked.html, `${base}/unlock`) })).status,
    ).toBe(404)
  })

  it('creates a scoped service key (shown once) and revokes it', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const { browser, landed } = await tenantAdmin(tenant)
    const base = `/console/tenants/${tenant.id}/service-keys`
    const created = await browser.post(`${PUBLIC_URL}${base}`, {
      csrf: csrfIn(landed.html, '/console/sign-out'),
      name: 'reporting',
      'scope_users:read': 'on',
    })
    const key = /<code>(tk_live_[^<]+)<\/code>/.exec(created.html)![1]!
    expect((await t.request('GET', '/v1/users', { token: key })).status).toBe(200)
    expect((await t.request('POST', '/v1/users', { token: key, json: { email_address: [emailFor()] } })).status).toBe(
      403,
    )
    const page = await browser.open(`${PUBLIC_URL}${base}`)
    const id = /service-keys\/(ak_[0-9A-Za-z]+)\/revoke/.exec(page.html)![1]!
    const revoked = await browser.post(`${PUBLIC_URL}${base}/${id}/revoke`, {
      csrf: csrfIn(page.html, `${base}/${id}/revoke`),
    })
    expect(revoked.html).toContain('Key revoked')
    expect((await t.request('GET', '/v1/users', { token: key })).status).toBe(401)
  })

  it('creates roles and makes another user a tenant admin, who can then sign in to the console', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const { browser, landed } = await tenantAdmin(tenant)
    const csrf = csrfIn(landed.html, '/console/sign-out')
    const rolesPath = `/console/tenants/${tenant.id}/roles`
    const created = await browser.post(`${PUBLIC_URL}${rolesPath}`, {
      csrf,
      key: 'org:billing',
      name: 'Billing',
      scope: 'organization',
      level: '20',
    })
    expect(created.url).toBe(`${PUBLIC_URL}${rolesPath}`)
    expect(created.html).toContain('org:billing')
    const bad = await browser.post(`${PUBLIC_URL}${rolesPath}`, { csrf, key: 'Not A Key', name: 'x', scope: 'tenant' })
    expect(bad.status).toBe(422)
    const email = emailFor()
    const other = await ok<{ id: string }>(
      await t.request('POST', '/v1/users', { token: tenant.secret_key, json: { email_address: [email] } }),
      201,
    )
    const userPath = `/console/tenants/${tenant.id}/users/${other.id}`
    const page = await browser.open(`${PUBLIC_URL}${userPath}`)
    const saved = await browser.post(`${PUBLIC_URL}${userPath}/roles`, {
      csrf: csrfIn(page.html, `${userPath}/roles`),
      role_admin: 'on',
    })
    expect(saved.html).toContain('Roles saved')
    const second = oauthBrowser(t, tenant)
    const landedSecond = await withEmailCode(
      second,
      await second.post(`${PUBLIC_URL}/console/sign-in`, { tenant: tenant.slug }),
      email,
    )
    expect(landedSecond.url).toBe(`${PUBLIC_URL}/console/tenants/${tenant.id}`)
  })

  it('lists sign-in providers with their callback URL, and probes one', async () => {
    const idp = await startFakeOidc()
    try {
      const tenant = await newTenant(t, { settings: fastHashing })
      const provider = await ok<{ id: string; callback_url: string }>(
        await t.request('POST', '/v1/oauth-providers', {
          token: tenant.secret_key,
          json: {
            provider: 'custom_oidc',
            key: 'acme',
            client_id: idp.clientId,
            client_secret: idp.clientSecret,
            discovery_url: idp.issuer,
          },
        }),
        201,
      )
      const { browser } = await tenantAdmin(tenant)
      const path = `/console/tenants/${tenant.id}/providers`
      const page = await browser.open(`${PUBLIC_URL}${path}`)
      expect(page.html).toContain(provider.callback_url)
      const tested = await browser.post(`${PUBLIC_URL}${path}/social/${provider.id}/test`, {
        csrf: csrfIn(page.html, `${path}/social/${provider.id}/test`),
      })
      expect(tested.status).toBe(200)
      expect(tested.html).toContain('passed')
      const unknown = await browser.post(`${PUBLIC_URL}${path}/social/oap_nobody/test`, {
        csrf: csrfIn(page.html, `${path}/social/${provider.id}/test`),
      })
      expect(unknown.status).toBe(404)
    } finally {
      idp.stop()
    }
  })

  it('registers an application (its secret shown once) and refuses an http redirect URI off loopback', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const { browser, landed } = await tenantAdmin(tenant)
    const path = `/console/tenants/${tenant.id}/applications`
    const csrf = csrfIn(landed.html, '/console/sign-out')
    const made = await browser.post(`${PUBLIC_URL}${path}`, {
      csrf,
      name: 'Reports',
      redirect_uri: 'https://reports.example/callback',
      public: 'false',
    })
    expect(made.html).toContain('Client secret, shown this once')
    const apps = await ok<{ data: { name: string; public: boolean; redirect_uris: string[] }[] }>(
      await t.request('GET', '/v1/oauth-applications', { token: tenant.secret_key }),
    )
    expect(apps.data.find((a) => a.name === 'Reports')).toMatchObject({
      public: false,
      redirect_uris: ['https://reports.example/callback'],
    })
    const refused = await browser.post(`${PUBLIC_URL}${path}`, {
      csrf,
      name: 'Plain',
      redirect_uri: 'http://reports.example/callback',
      public: 'true',
    })
    expect(refused.status).toBe(422)
  })

  it('lists license keys by their hint and revokes one', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const bapiPost = <T>(path: string, json: unknown) =>
      t.request('POST', path, { token: tenant.secret_key, json }).then((r) => ok<T>(r, 201))
    const product = await bapiPost<{ id: string }>('/v1/products', { name: 'Studio', key_prefix: 'STU' })
    const license = await bapiPost<{ id: string; key: string; key_hint: string }>('/v1/license-keys', {
      product_id: product.id,
    })
    const { browser } = await tenantAdmin(tenant)
    const path = `/console/tenants/${tenant.id}/licenses`
    const page = await browser.open(`${PUBLIC_URL}${path}`)
    expect(page.html).toContain(license.key_hint)
    expect(page.html).not.toContain(license.key)
    const revoked = await browser.post(`${PUBLIC_URL}${path}/${license.id}/revoke`, {
      csrf: csrfIn(page.html, `${path}/${license.id}/revoke`),
    })
    expect(revoked.html).toContain('License key revoked.')
    const after = await ok<{ status: string }>(
      await t.request('GET', `/v1/license-keys/${license.id}`, { token: tenant.secret_key }),
    )
    expect(after.status).toBe('revoked')
  })

  it('previews an email template with sample values (nothing saved), saves it, refuses one without its code', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const { browser } = await tenantAdmin(tenant)
    const path = `/console/tenants/${tenant.id}/templates/verification_code`
    const list = await browser.open(`${PUBLIC_URL}/console/tenants/${tenant.id}/templates`)
    expect(list.html).toContain('verification_code')
    const page = await browser.open(`${PUBLIC_URL}${path}`)
    const csrf = csrfIn(page.html, path)
    const draft = { subject: 'Your {{app_name}} code', text: 'Code: {{code}} <b>', html: '' }
    const preview = await browser.post(`${PUBLIC_URL}${path}`, { csrf, ...draft, intent: 'preview' })
    expect(preview.html).toContain('Code: 123456 &#60;b&#62;')
    const before = await ok<{ subject: string; is_default: boolean }>(
      await t.request('GET', '/v1/email-templates/verification_code', { token: tenant.secret_key }),
    )
    expect(before.is_default).toBe(true)
    const saved = await browser.post(`${PUBLIC_URL}${path}`, { csrf, ...draft, intent: 'save' })
    expect(saved.html).toContain('Template saved.')
    const after = await ok<{ subject: string; is_default: boolean }>(
      await t.request('GET', '/v1/email-templates/verification_code', { token: tenant.secret_key }),
    )
    expect(after).toMatchObject({ subject: 'Your {{app_name}} code', is_default: false })
    const refused = await browser.post(`${PUBLIC_URL}${path}`, { csrf, ...draft, text: 'no code', intent: 'save' })
    expect(refused.status).toBe(422)
  })

  it('shows an organization’s SCIM endpoint, creates a token (shown once) and revokes it', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const org = await ok<{ id: string }>(
      await t.request('POST', '/v1/organizations', { token: tenant.secret_key, json: { name: 'Corp' } }),
      201,
    )
    const { browser } = await tenantAdmin(tenant)
    const path = `/console/tenants/${tenant.id}/organizations/${org.id}`
    const page = await browser.open(`${PUBLIC_URL}${path}`)
    expect(page.html).toContain(`/t/${tenant.slug}/scim/v2`)
    const created = await browser.post(`${PUBLIC_URL}${path}/scim-tokens`, {
      csrf: csrfIn(page.html, `${path}/scim-tokens`),
      name: 'Okta',
    })
    const token = /<code>(scim_[^<]+)<\/code>/.exec(created.html)![1]!
    const users = () =>
      t.request('GET', `/t/${tenant.slug}/scim/v2/Users`, { headers: { authorization: `Bearer ${token}` } })
    expect((await users()).status).toBe(200)
    const listed = await browser.open(`${PUBLIC_URL}${path}`)
    const id = /scim-tokens\/([0-9A-Za-z_]+)\/revoke/.exec(listed.html)![1]!
    const revoked = await browser.post(`${PUBLIC_URL}${path}/scim-tokens/${id}/revoke`, {
      csrf: csrfIn(listed.html, `${path}/scim-tokens/${id}/revoke`),
    })
    expect(revoked.html).toContain('SCIM token revoked.')
    expect((await users()).status).toBe(401)
  })

  it('lets super admins alone manage operators', async () => {
    const { browser } = await operatorBrowser('super_admin')
    const page = await browser.open(`${PUBLIC_URL}/console/operators`)
    expect(page.status).toBe(200)
    const email = emailFor()
    const added = await browser.post(`${PUBLIC_URL}/console/operators`, {
      csrf: csrfIn(page.html, '/console/operators'),
      email_address: email,
      role: 'viewer',
    })
    expect(added.url).toBe(`${PUBLIC_URL}/console/operators`)
    expect(added.html).toContain(email)
    const listed = await ok<{ data: { email_address: string; role: string }[] }>(
      await t.request('GET', '/platform/v1/operators', { token: t.platformKey }),
    )
    expect(listed.data.find((o) => o.email_address === email)?.role).toBe('viewer')
    const admin = await operatorBrowser('admin')
    expect((await admin.browser.open(`${PUBLIC_URL}/console/operators`)).status).toBe(404)
    const refused = await admin.browser.post(`${PUBLIC_URL}/console/operators`, {
      csrf: csrfIn(admin.landed.html, '/console/sign-out'),
      email_address: emailFor(),
      role: 'super_admin',
    })
    expect(refused.status).toBe(404)
  })

  it('ends console access when the operator is removed', async () => {
    const { browser, operator } = await operatorBrowser('admin')
    expect((await browser.open(`${PUBLIC_URL}/console/tenants`)).status).toBe(200)
    await ok(await t.request('DELETE', `/platform/v1/operators/${operator.id}`, { token: t.platformKey }))
    const after = await browser.open(`${PUBLIC_URL}/console/tenants`)
    expect(after.url).toBe(`${PUBLIC_URL}/console`)
  })
})
