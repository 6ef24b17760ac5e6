import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import * as client from 'openid-client'
import { newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { consoleHelpers, csrfIn, type ConsoleHelpers } from '../support/console'
import { startFakeOidc } from '../support/fake-idp'
import { newUser } from '../support/flows'
import { authorizeThroughBrowser, oidcWorld, redeem, type OAuthBrowser } from '../support/oidc'
import { fastHashing, ok } from '../support/orgs'

/**
 * The console's editing pages (issue #21) over HTTP: user metadata, roles and permissions, an application's
 * grants, an organization's members, domains and SCIM mappings. Each change lands through the same services as
 * the API (checked through the Backend API), and what the API refuses the console refuses, changing nothing.
 */
let t: TestApp
let helpers: ConsoleHelpers
beforeAll(async () => {
  // The enterprise connection's discovery is fetched from a fake IdP on loopback.
  t = await testApp({ webhookAllowPrivate: true })
  helpers = consoleHelpers(t)
})
afterAll(() => t.close())

const bapi = async <T>(tenant: CreatedTenant, method: string, path: string, json?: unknown, status = 200) =>
  ok<T>(await t.request(method, path, { token: tenant.secret_key, ...(json === undefined ? {} : { json }) }), status)

/** Opens `path` and posts the form whose action is `action` (on that page) with `fields`. */
async function submit(browser: OAuthBrowser, path: string, action: string, fields: Record<string, string> = {}) {
  const page = await browser.open(`${PUBLIC_URL}${path}`)
  return browser.post(`${PUBLIC_URL}${action}`, { csrf: csrfIn(page.html, action), ...fields })
}

describe('console: users', () => {
  it('saves metadata as the API would, and refuses malformed, unstorable or too deep JSON unchanged', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const person = await newUser(t, tenant)
    const { browser } = await helpers.tenantAdmin(tenant)
    const path = `/console/tenants/${tenant.id}/users/${person.id}`
    const saved = await submit(browser, path, `${path}/metadata`, {
      public_metadata: '{"plan":"pro"}',
      private_metadata: '{"crm_id":42}',
      unsafe_metadata: '',
    })
    expect(saved.status).toBe(200)
    expect(saved.html).toContain('Metadata saved.')
    const user = await bapi<Record<string, unknown>>(tenant, 'GET', `/v1/users/${person.id}`)
    expect(user).toMatchObject({
      public_metadata: { plan: 'pro' },
      private_metadata: { crm_id: 42 },
      unsafe_metadata: {},
    })
    let deep: unknown = 1
    for (let i = 0; i < 11; i++) deep = { d: deep }
    for (const bad of ['{"plan":', '["a"]', '{"a":"\\u0000"}', JSON.stringify(deep)]) {
      const refused = await submit(browser, path, `${path}/metadata`, { public_metadata: bad })
      expect(refused.status).toBe(422)
    }
    expect(await bapi<Record<string, unknown>>(tenant, 'GET', `/v1/users/${person.id}`)).toMatchObject({
      public_metadata: { plan: 'pro' },
    })
  })
})

describe('console: roles and permissions', () => {
  it('creates a permission, edits a role and its permissions, deletes it; a system role stays', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const { browser } = await helpers.tenantAdmin(tenant)
    const roles = `/console/tenants/${tenant.id}/roles`
    await submit(browser, roles, roles, { key: 'org:billing', name: 'Billing', scope: 'organization', level: '20' })
    await submit(browser, roles, `${roles}/permissions`, { key: 'org:invoices:read', name: 'Read invoices' })
    const list = await bapi<{ data: { id: string; key: string }[] }>(tenant, 'GET', '/v1/roles?scope=organization')
    const role = list.data.find((r) => r.key === 'org:billing')!
    const path = `${roles}/${role.id}`
    expect((await submit(browser, path, path, { name: 'Billing team', level: '25' })).status).toBe(200)
    await submit(browser, path, `${path}/permissions`, { 'perm_org:invoices:read': 'on' })
    expect(await bapi(tenant, 'GET', `/v1/roles/${role.id}`)).toMatchObject({
      name: 'Billing team',
      level: 25,
      permissions: ['org:invoices:read'],
    })
    // What the API refuses: a level out of range, a permission that does not exist.
    expect((await submit(browser, path, path, { name: 'Billing', level: '99' })).status).toBe(422)
    expect((await submit(browser, path, `${path}/permissions`, { 'perm_org:nope:x': 'on' })).status).toBe(422)
    expect(await bapi(tenant, 'GET', `/v1/roles/${role.id}`)).toMatchObject({ level: 25 })
    await submit(browser, path, `${path}/delete`)
    expect((await t.request('GET', `/v1/roles/${role.id}`, { token: tenant.secret_key })).status).toBe(404)
    const owner = list.data.find((r) => r.key === 'org:owner')!
    const ownerPage = await browser.open(`${PUBLIC_URL}${roles}/${owner.id}`)
    expect(ownerPage.html).not.toContain(`${roles}/${owner.id}/delete`)
    const forced = await browser.post(`${PUBLIC_URL}${roles}/${owner.id}/delete`, {
      csrf: csrfIn(ownerPage.html, `${roles}/${owner.id}`),
    })
    expect(forced.status).toBe(403)
  })
})

describe('console: applications', () => {
  it('lists grants and revokes one (its tokens stop), rotates a secret, deletes; the console’s own stays', async () => {
    const { config, browser: person, user, tenant, app } = await oidcWorld(t)
    const { access_token } = await redeem(config, await authorizeThroughBrowser(config, person, user))
    const { browser } = await helpers.tenantAdmin(tenant)
    const path = `/console/tenants/${tenant.id}/applications/${app.id}`
    const page = await browser.open(`${PUBLIC_URL}${path}`)
    expect(page.html).toContain(user.id)
    const grants = await bapi<{ data: { id: string }[] }>(
      tenant,
      'GET',
      `/v1/oauth-applications/${app.id}/authorization-grants`,
    )
    const revoked = await submit(browser, path, `${path}/grants/${grants.data[0]!.id}/revoke`)
    expect(revoked.html).toContain('Grant revoked')
    expect((await client.tokenIntrospection(config, access_token)).active).toBe(false)
    const rotated = await submit(browser, path, `${path}/rotate-secret`)
    const secret = /Client secret, shown this once: <code>([^<]+)<\/code>/.exec(rotated.html)![1]!
    expect(secret).not.toBe(app.client_secret)
    await submit(browser, path, `${path}/delete`)
    expect((await t.request('GET', `/v1/oauth-applications/${app.id}`, { token: tenant.secret_key })).status).toBe(404)
    const apps = await bapi<{ data: { id: string; client_id: string }[] }>(tenant, 'GET', '/v1/oauth-applications')
    const consoleApp = apps.data.find((a) => a.client_id === 'tessera_console')!
    const consolePath = `/console/tenants/${tenant.id}/applications/${consoleApp.id}`
    const consolePage = await browser.open(`${PUBLIC_URL}${consolePath}`)
    expect(consolePage.html).not.toContain(`${consolePath}/delete`)
    const refused = await browser.post(`${PUBLIC_URL}${consolePath}/delete`, {
      csrf: csrfIn(consolePage.html, '/console/sign-out'),
    })
    expect(refused.status).toBe(403)
  })
})

describe('console: organizations', () => {
  it('changes a member’s role and removes them, adds and removes a domain, and saves SCIM mappings', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const member = await newUser(t, tenant)
    const owner = await newUser(t, tenant)
    const org = await bapi<{ id: string }>(
      tenant,
      'POST',
      '/v1/organizations',
      { name: 'Acme', created_by: owner.id },
      201,
    )
    await bapi(
      tenant,
      'POST',
      `/v1/organizations/${org.id}/memberships`,
      { user_id: member.id, role: 'org:member' },
      201,
    )
    const { browser } = await helpers.tenantAdmin(tenant)
    const path = `/console/tenants/${tenant.id}/organizations/${org.id}`
    const changed = await submit(browser, path, `${path}/members/${member.id}`, { role: 'org:admin' })
    expect(changed.html).toContain('Role changed')
    const memberships = () =>
      bapi<{ data: { role: string; public_user_data: { user_id: string } }[] }>(
        tenant,
        'GET',
        `/v1/organizations/${org.id}/memberships`,
      )
    const roleOf = async (id: string) => (await memberships()).data.find((m) => m.public_user_data.user_id === id)?.role
    expect(await roleOf(member.id)).toBe('org:admin')
    // The last owner stays, as through the API.
    expect((await submit(browser, path, `${path}/members/${owner.id}/remove`)).status).toBe(409)
    expect(await roleOf(owner.id)).toBe('org:owner')
    await submit(browser, path, `${path}/members/${member.id}/remove`)
    expect(await roleOf(member.id)).toBeUndefined()

    const added = await submit(browser, path, `${path}/domains`, { name: 'acme.example' })
    expect(added.html).toContain('_tessera-verification.acme.example')
    const domains = await bapi<{ data: { id: string }[] }>(tenant, 'GET', `/v1/organizations/${org.id}/domains`)
    await submit(browser, path, `${path}/domains/${domains.data[0]!.id}/remove`)
    expect((await bapi<{ data: unknown[] }>(tenant, 'GET', `/v1/organizations/${org.id}/domains`)).data).toEqual([])

    const mappings = JSON.stringify({ user: { 'urn:custom:team': 'public_metadata.team' }, default_role: 'org:admin' })
    expect((await submit(browser, path, `${path}/scim-mappings`, { mappings })).html).toContain('Mappings saved')
    const scim = `/v1/organizations/${org.id}/scim/attribute-mappings`
    expect(await bapi(tenant, 'GET', scim)).toMatchObject({ default_role: 'org:admin', is_default: false })
    for (const bad of ['{"user":{"active":"email_address"}}', '{"default_role":"org:nope"}', '{"extra":1}', 'nope']) {
      expect((await submit(browser, path, `${path}/scim-mappings`, { mappings: bad })).status).toBe(422)
    }
    expect(await bapi(tenant, 'GET', scim)).toMatchObject({ default_role: 'org:admin' })
  })
})

describe('console: sign-in providers', () => {
  it('adds a social provider and an enterprise connection, switches them off and removes them', async () => {
    const idp = await startFakeOidc()
    const tenant = await newTenant(t, { settings: fastHashing })
    const org = await bapi<{ id: string }>(tenant, 'POST', '/v1/organizations', { name: 'Acme' }, 201)
    const { browser } = await helpers.tenantAdmin(tenant)
    const path = `/console/tenants/${tenant.id}/providers`
    await submit(browser, path, `${path}/social`, {
      provider: 'github',
      client_id: 'gh-client',
      client_secret: 's3cret',
    })
    const social = await bapi<{ data: { id: string; provider: string; enabled: boolean }[] }>(
      tenant,
      'GET',
      '/v1/oauth-providers',
    )
    expect(social.data).toMatchObject([{ provider: 'github', enabled: true }])
    // What the API refuses: a custom OpenID Connect provider without its discovery URL, an unknown provider.
    for (const provider of ['custom_oidc', 'myspace']) {
      const refused = await submit(browser, path, `${path}/social`, {
        provider,
        key: 'corp',
        client_id: 'x',
        client_secret: 'y',
      })
      expect(refused.status).toBe(422)
    }
    await submit(browser, path, `${path}/enterprise`, {
      protocol: 'oidc',
      name: 'Acme SSO',
      organization_id: org.id,
      domains: 'acme.example, acme-corp.example',
      oidc_discovery_url: idp.issuer,
      oidc_client_id: idp.clientId,
      oidc_client_secret: idp.clientSecret,
    })
    const connections = await bapi<{ data: { id: string; domains: string[]; active: boolean }[] }>(
      tenant,
      'GET',
      '/v1/enterprise-connections',
    )
    expect(connections.data).toMatchObject([{ domains: ['acme.example', 'acme-corp.example'] }])
    const id = social.data[0]!.id
    await submit(browser, path, `${path}/social/${id}/disable`)
    expect(await bapi(tenant, 'GET', `/v1/oauth-providers/${id}`)).toMatchObject({ enabled: false })
    await submit(browser, path, `${path}/social/${id}/remove`)
    expect((await t.request('GET', `/v1/oauth-providers/${id}`, { token: tenant.secret_key })).status).toBe(404)
    await submit(browser, path, `${path}/enterprise/${connections.data[0]!.id}/remove`)
    expect((await bapi<{ data: unknown[] }>(tenant, 'GET', '/v1/enterprise-connections')).data).toEqual([])
    idp.stop()
  })
})

describe('console: settings', () => {
  it('previews branding without saving it, and refuses a colour that is not one', async () => {
    const tenant = await newTenant(t, { settings: fastHashing })
    const { browser } = await helpers.tenantAdmin(tenant)
    const path = `/console/tenants/${tenant.id}/settings`
    const page = await browser.open(`${PUBLIC_URL}${path}`)
    const form = Object.fromEntries(
      [...page.html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    )
    const res = await t.app.handle(
      new Request(`${PUBLIC_URL}${path}/preview`, {
        method: 'POST',
        headers: {
          origin: PUBLIC_URL,
          'content-type': 'application/x-www-form-urlencoded',
          cookie: [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; '),
        },
        body: new URLSearchParams({
          ...form,
          csrf: csrfIn(page.html, path),
          factor_password: 'on',
          brand_name: 'Acme Preview',
          logo_url: 'https://cdn.acme.example/logo.png',
          primary_color: '#aa2200',
        }).toString(),
      }),
    )
    const html = await res.text()
    expect(res.status).toBe(200)
    expect(html).toContain('Preview: nothing is saved')
    expect(html).toContain('<strong>Acme Preview</strong>')
    expect(html).toContain('background:#aa2200')
    expect(res.headers.get('content-security-policy')).toContain("img-src 'self' data: https://cdn.acme.example")
    const saved = await ok<{ settings: { branding: { name: string | null; primary_color: string | null } } }>(
      await t.request('GET', `/platform/v1/tenants/${tenant.id}`, { token: t.platformKey }),
    )
    expect(saved.settings.branding).toMatchObject({ name: null, primary_color: null })
    const refused = await browser.post(`${PUBLIC_URL}${path}/preview`, {
      ...form,
      csrf: csrfIn(page.html, path),
      primary_color: 'red;}body{display:none',
    })
    expect(refused.status).toBe(422)
    expect(refused.html).not.toContain('display:none')
    // A tenant admin cannot save console roles that would shut them out of the console.
    const lockedOut = await browser.post(`${PUBLIC_URL}${path}`, {
      ...form,
      csrf: csrfIn(page.html, path),
      console_admin_roles: 'ops',
    })
    expect(lockedOut.status).toBe(422)
    const after = await ok<{ settings: { console: { admin_roles: string[] } } }>(
      await t.request('GET', `/platform/v1/tenants/${tenant.id}`, { token: t.platformKey }),
    )
    expect(after.settings.console.admin_roles).toEqual(['admin'])
  })
})
