import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { newTenant, PUBLIC_URL, testApp, type TestApp } from '../support/app'
import { platformTenant } from '../../src/features/operators/platform-tenant'
import { lastMessage } from '../support/flows'
import { expectError, ok } from '../support/orgs'

/**
 * Operators (issue #21): users of the built-in platform tenant with a platform role, made through the Platform
 * API. The platform tenant is the installation's (one per database), so these tests use fresh addresses and
 * never assume they are alone in it.
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

interface Operator {
  object: string
  id: string
  email_address: string
  role: string
}

const platform = (method: string, path: string, json?: unknown, token = t.platformKey) =>
  t.request(method, `/platform/v1/operators${path}`, { token, ...(json === undefined ? {} : { json }) })

const emailFor = () => `op-${crypto.randomUUID().slice(0, 8)}@example.com`

const platformTenantId = async () => (await platformTenant(t.deps))!.id

describe('operators', () => {
  it('makes one platform tenant for concurrent first operators, and it cannot be deleted', async () => {
    const made = await Promise.all(
      [emailFor(), emailFor(), emailFor()].map((email) =>
        platform('POST', '', { email_address: email, role: 'viewer' }),
      ),
    )
    expect(made.map((r) => r.status)).toEqual([201, 201, 201])
    const tenantId = await platformTenantId()
    await expectError(
      await t.request('DELETE', `/platform/v1/tenants/${tenantId}`, { token: t.platformKey }),
      403,
      'permission_denied',
      { reason: 'platform_tenant' },
    )
  })
  it('adds an operator with the platform key: a verified user of the platform tenant, mailed where to sign in', async () => {
    const email = emailFor()
    const made = await ok<Operator>(
      await platform('POST', '', { email_address: ` ${email.toUpperCase()} `, role: 'admin' }),
      201,
    )
    expect(made).toMatchObject({ object: 'operator', email_address: email, role: 'admin' })
    expect(made.id).toMatch(/^user_/)
    const message = await lastMessage(t, email)
    expect(message.text).toContain(`${PUBLIC_URL}/console`)
    // The console link never expires: the mail promises no deadline.
    expect(message.text).not.toMatch(/expire/i)
    expect(await ok<Operator>(await platform('GET', `/${made.id}`))).toEqual(made)
    const all = await ok<{ data: Operator[] }>(await platform('GET', ''))
    expect(all.data.map((o) => o.id)).toContain(made.id)
    // The user is the platform tenant's, its address verified: an email code signs them in there.
    const tenantId = await platformTenantId()
    const tenants = await ok<{ data: { id: string }[] }>(
      await t.request('GET', '/platform/v1/tenants?limit=100', { token: t.platformKey }),
    )
    expect(tenants.data.map((x) => x.id)).not.toContain(tenantId)
  })

  it('refuses without the platform key, a bad role or address, and an address that already is an operator', async () => {
    const tenant = await newTenant(t)
    expect((await platform('GET', '', undefined, tenant.secret_key)).status).toBe(401)
    expect((await platform('POST', '', { email_address: emailFor(), role: 'admin' }, 'nope')).status).toBe(401)
    expect((await platform('POST', '', { email_address: emailFor(), role: 'owner' })).status).toBe(422)
    await expectError(
      await platform('POST', '', { email_address: 'not an address', role: 'viewer' }),
      422,
      'form_param_format_invalid',
      {
        param_name: 'email_address',
      },
    )
    expect((await platform('POST', '', { email_address: emailFor(), role: 'viewer', extra: 1 })).status).toBe(422)
    const email = emailFor()
    await ok(await platform('POST', '', { email_address: email, role: 'viewer' }), 201)
    await expectError(await platform('POST', '', { email_address: email, role: 'admin' }), 409, 'duplicate_record', {
      param_name: 'email_address',
    })
    expect((await platform('GET', '/user_nobody')).status).toBe(404)
    // A customer tenant's user is no operator, whatever its id.
    const customer = await ok<{ id: string }>(
      await t.request('POST', '/v1/users', { token: tenant.secret_key, json: { email_address: [emailFor()] } }),
      201,
    )
    expect((await platform('GET', `/${customer.id}`)).status).toBe(404)
  })

  it('changes roles and removes operators, but never the last super admin', async () => {
    const keeper = await ok<Operator>(
      await platform('POST', '', { email_address: emailFor(), role: 'super_admin' }),
      201,
    )
    // Alone among super admins (others from earlier tests or runs are demoted).
    const all = await ok<{ data: Operator[] }>(await platform('GET', ''))
    for (const other of all.data.filter((o) => o.role === 'super_admin' && o.id !== keeper.id))
      await ok(await platform('PATCH', `/${other.id}`, { role: 'viewer' }))
    await expectError(await platform('PATCH', `/${keeper.id}`, { role: 'admin' }), 403, 'permission_denied', {
      reason: 'last_super_admin',
    })
    await expectError(await platform('DELETE', `/${keeper.id}`), 403, 'permission_denied', {
      reason: 'last_super_admin',
    })
    const second = await ok<Operator>(await platform('POST', '', { email_address: emailFor(), role: 'admin' }), 201)
    expect(await ok<Operator>(await platform('PATCH', `/${second.id}`, { role: 'super_admin' }))).toMatchObject({
      role: 'super_admin',
    })
    expect(await ok<Operator>(await platform('PATCH', `/${keeper.id}`, { role: 'viewer' }))).toMatchObject({
      role: 'viewer',
    })
    expect(await ok(await platform('DELETE', `/${keeper.id}`))).toEqual({
      object: 'operator',
      id: keeper.id,
      deleted: true,
    })
    expect((await platform('GET', `/${keeper.id}`)).status).toBe(404)
  })

  it('lets only one of two concurrent demotions of the last two super admins through', async () => {
    const a = await ok<Operator>(await platform('POST', '', { email_address: emailFor(), role: 'super_admin' }), 201)
    const b = await ok<Operator>(await platform('POST', '', { email_address: emailFor(), role: 'super_admin' }), 201)
    const all = await ok<{ data: Operator[] }>(await platform('GET', ''))
    for (const other of all.data.filter((o) => o.role === 'super_admin' && o.id !== a.id && o.id !== b.id))
      await ok(await platform('PATCH', `/${other.id}`, { role: 'viewer' }))
    const answers = await Promise.all([
      platform('PATCH', `/${a.id}`, { role: 'viewer' }),
      platform('PATCH', `/${b.id}`, { role: 'viewer' }),
    ])
    expect(answers.map((r) => r.status).sort()).toEqual([200, 403])
    const left = await ok<{ data: Operator[] }>(await platform('GET', ''))
    expect(left.data.filter((o) => o.role === 'super_admin')).toHaveLength(1)
  })
})
