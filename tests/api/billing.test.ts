import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { decodeJwt } from 'jose'
import Stripe from 'stripe'
import { testApp, type CreatedTenant, type TestApp } from '../support/app'
import { nativeClient, newUser, signInNative } from '../support/flows'
import { addMember, bapi, expectError, newOrg, ok, orgTenant, outboxOf } from '../support/orgs'

/**
 * Plans and subscriptions (API.md §18): plans, an organization's subscription set by hand, the `plan` and
 * `plan_status` claims of its members' tokens, and Stripe's webhooks signed with the stripe package's own test
 * helper: good, bad, stale, replayed and out of order.
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const stripe = new Stripe('sk_test_unused')
const SECRET = 'whsec_test_secret_for_tessera'

interface Subscription {
  object: string
  organization_id: string
  plan_id: string
  plan_key: string
  status: string
  provider: string
  provider_subscription_id: string | null
  current_period_end: number | null
  cancel_at_period_end: boolean
}

async function member(tenant: CreatedTenant, orgId: string) {
  const user = await newUser(t, tenant)
  await addMember(t, tenant, orgId, user.id, 'org:member')
  const client = nativeClient(t, tenant)
  const signed = await signInNative(t, tenant, user, client)
  const sid = signed.session.id
  let refreshToken = signed.refresh_token
  await ok(await client.request('PATCH', `/client/sessions/${sid}/active-organization`, { organization_id: orgId }))
  return async () => {
    const body = await ok<{ jwt: string; refresh_token: string }>(
      await client.request('POST', `/client/sessions/${sid}/tokens`, { refresh_token: refreshToken }),
    )
    refreshToken = body.refresh_token
    return body.jwt
  }
}

async function setup() {
  const tenant = await orgTenant(t)
  const api = bapi(t, tenant)
  const org = await newOrg(t, tenant)
  const pro = await ok<{ id: string; key: string }>(
    await api('POST', '/plans', {
      key: 'pro',
      name: 'Pro',
      features: ['sso', 'audit'],
      stripe_price_ids: ['price_pro'],
    }),
    201,
  )
  return { tenant, api, org, pro }
}

describe('plans', () => {
  it('creates, lists, renames; a taken key is 409; a subscribed plan cannot be deleted', async () => {
    const { tenant, api, org, pro } = await setup()
    expect(await ok(await api('GET', `/plans/${pro.id}`))).toMatchObject({
      object: 'plan',
      key: 'pro',
      features: ['sso', 'audit'],
      stripe_price_ids: ['price_pro'],
    })
    await expectError(await api('POST', '/plans', { key: 'pro', name: 'Again' }), 409, 'duplicate_record', {
      param_name: 'key',
    })
    expect((await api('POST', '/plans', { key: 'Has Space', name: 'X' })).status).toBe(422)
    await ok(await api('PUT', `/organizations/${org.id}/subscription`, { plan_id: pro.id }))
    await expectError(await api('DELETE', `/plans/${pro.id}`), 409, 'resource_in_use')
    const free = await ok<{ id: string }>(await api('POST', '/plans', { key: 'free', name: 'Free' }), 201)
    expect(await ok(await api('DELETE', `/plans/${free.id}`))).toEqual({ object: 'plan', id: free.id, deleted: true })
    expect((await ok<{ data: unknown[] }>(await api('GET', '/plans'))).data).toHaveLength(1)
    expect((await bapi(t, await orgTenant(t))('GET', `/plans/${pro.id}`)).status).toBe(404)
    expect((await outboxOf(t, tenant)).map((e) => e.type)).toEqual(
      expect.arrayContaining(['plan.created', 'plan.deleted', 'subscription.created']),
    )
  })
})

describe('subscriptions', () => {
  it('sets one by hand; members’ next tokens carry plan and plan_status while entitled', async () => {
    const { tenant, api, org, pro } = await setup()
    const refresh = await member(tenant, org.id)
    await expectError(await api('GET', `/organizations/${org.id}/subscription`), 404, 'resource_not_found')
    expect(decodeJwt(await refresh())).not.toHaveProperty('plan')
    const end = t.clock.now() + 30 * 86_400_000
    const sub = await ok<Subscription>(
      await api('PUT', `/organizations/${org.id}/subscription`, {
        plan_id: pro.id,
        status: 'trialing',
        current_period_end: end,
      }),
    )
    expect(sub).toMatchObject({
      object: 'subscription',
      organization_id: org.id,
      plan_id: pro.id,
      plan_key: 'pro',
      status: 'trialing',
      provider: 'manual',
      provider_subscription_id: null,
      current_period_end: end,
      cancel_at_period_end: false,
    })
    const jwt = await refresh()
    expect(decodeJwt(jwt)).toMatchObject({ org_id: org.id, plan: 'pro', plan_status: 'trialing' })
    const introspected = await ok<{ plan: string | null }>(
      await t.request('POST', '/v1/tokens/introspect', { token: tenant.secret_key, json: { token: jwt } }),
    )
    expect(introspected.plan).toBe('pro')
    // Renaming the plan reaches the next token; a canceled subscription entitles nothing.
    await ok(await api('PATCH', `/plans/${pro.id}`, { key: 'pro-2026' }))
    expect(decodeJwt(await refresh()).plan).toBe('pro-2026')
    await ok(await api('PUT', `/organizations/${org.id}/subscription`, { plan_id: pro.id, status: 'canceled' }))
    expect(decodeJwt(await refresh())).not.toHaveProperty('plan')
    expect(await ok(await api('DELETE', `/organizations/${org.id}/subscription`))).toMatchObject({ deleted: true })
    await expectError(await api('GET', `/organizations/${org.id}/subscription`), 404, 'resource_not_found')
  })

  it('refuses an unknown plan, another tenant’s organization, and unknown fields', async () => {
    const { api, org, pro } = await setup()
    await expectError(
      await api('PUT', `/organizations/${org.id}/subscription`, { plan_id: 'plan_nope' }),
      422,
      'form_param_format_invalid',
      { param_name: 'plan_id' },
    )
    const other = await orgTenant(t)
    const foreign = await newOrg(t, other)
    expect((await api('PUT', `/organizations/${foreign.id}/subscription`, { plan_id: pro.id })).status).toBe(404)
    expect(
      (await api('PUT', `/organizations/${org.id}/subscription`, { plan_id: pro.id, provider: 'stripe' })).status,
    ).toBe(422)
  })
})

describe('POST {issuer}/billing/webhooks/stripe', () => {
  const subscriptionEvent = (
    id: string,
    type: string,
    created: number,
    orgId: string,
    fields: Record<string, unknown> = {},
  ) =>
    JSON.stringify({
      id,
      object: 'event',
      type,
      created,
      data: {
        object: {
          id: 'sub_stripe_1',
          object: 'subscription',
          status: 'active',
          cancel_at_period_end: false,
          current_period_end: created + 30 * 86_400,
          metadata: { organization_id: orgId },
          items: { data: [{ price: { id: 'price_pro' } }] },
          ...fields,
        },
      },
    })

  const post = (tenant: CreatedTenant, payload: string, header: string) =>
    t.request('POST', `/t/${tenant.slug}/billing/webhooks/stripe`, {
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      body: payload,
    })
  const sign = (payload: string, timestamp = Math.floor(t.clock.now() / 1000), secret = SECRET): Promise<string> =>
    stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp })

  it('applies signed subscription events once, in the order they were created', async () => {
    const { tenant, api, org } = await setup()
    expect(await ok(await api('PUT', '/billing/stripe', { webhook_secret: SECRET }))).toEqual({
      object: 'billing_config',
      provider: 'stripe',
      configured: true,
    })
    const now = Math.floor(t.clock.now() / 1000)
    const created = subscriptionEvent('evt_1', 'customer.subscription.created', now - 100, org.id)
    expect(await ok(await post(tenant, created, await sign(created)))).toEqual({ received: true })
    const sub = await ok<Subscription>(await api('GET', `/organizations/${org.id}/subscription`))
    expect(sub).toMatchObject({
      plan_key: 'pro',
      status: 'active',
      provider: 'stripe',
      provider_subscription_id: 'sub_stripe_1',
    })
    expect(sub.current_period_end).toBe((now - 100 + 30 * 86_400) * 1000)
    // Later: past due. Then an older update arrives late: it changes nothing.
    const pastDue = subscriptionEvent('evt_3', 'customer.subscription.updated', now - 10, org.id, {
      status: 'past_due',
    })
    await ok(await post(tenant, pastDue, await sign(pastDue)))
    const stale = subscriptionEvent('evt_2', 'customer.subscription.updated', now - 50, org.id, {
      status: 'active',
      cancel_at_period_end: true,
    })
    await ok(await post(tenant, stale, await sign(stale)))
    expect(await ok<Subscription>(await api('GET', `/organizations/${org.id}/subscription`))).toMatchObject({
      status: 'past_due',
      cancel_at_period_end: false,
    })
    // A replayed event is acknowledged and applied once.
    const events = (await outboxOf(t, tenant)).filter((e) => e.type.startsWith('subscription.')).length
    await ok(await post(tenant, pastDue, await sign(pastDue)))
    expect((await outboxOf(t, tenant)).filter((e) => e.type.startsWith('subscription.')).length).toBe(events)
    const deleted = subscriptionEvent('evt_4', 'customer.subscription.deleted', now, org.id, { status: 'canceled' })
    await ok(await post(tenant, deleted, await sign(deleted)))
    expect((await ok<Subscription>(await api('GET', `/organizations/${org.id}/subscription`))).status).toBe('canceled')
  })

  it('lets a switch of subscriptions stand, breaks same-second ties for the update, and never fails on odd data', async () => {
    const { tenant, api, org } = await setup()
    await ok(await api('PUT', '/billing/stripe', { webhook_secret: SECRET }))
    const now = Math.floor(t.clock.now() / 1000)
    const send = async (payload: string) => post(tenant, payload, await sign(payload))
    await ok(
      await send(subscriptionEvent('evt_o1', 'customer.subscription.created', now - 1000, org.id, { id: 'sub_old' })),
    )
    await ok(
      await send(subscriptionEvent('evt_n1', 'customer.subscription.created', now - 100, org.id, { id: 'sub_new' })),
    )
    // The old subscription's end, after the switch: the organization stays on the new one.
    const oldEnds = subscriptionEvent('evt_o2', 'customer.subscription.deleted', now - 50, org.id, { id: 'sub_old' })
    await ok(await send(oldEnds))
    expect(await ok<Subscription>(await api('GET', `/organizations/${org.id}/subscription`))).toMatchObject({
      status: 'active',
      provider_subscription_id: 'sub_new',
    })
    // Created and updated in the same second, the update delivered first: the update stands.
    const upd = subscriptionEvent('evt_n3', 'customer.subscription.updated', now, org.id, {
      id: 'sub_new',
      status: 'past_due',
    })
    await ok(await send(upd))
    const crt = subscriptionEvent('evt_n2', 'customer.subscription.created', now, org.id, {
      id: 'sub_new',
      status: 'incomplete',
    })
    await ok(await send(crt))
    expect((await ok<Subscription>(await api('GET', `/organizations/${org.id}/subscription`))).status).toBe('past_due')
    const odd = [
      subscriptionEvent('evt_x1', 'customer.subscription.updated', now + 1, org.id, { items: { data: {} } }),
      subscriptionEvent('evt_x2', 'customer.subscription.updated', now + 1, org.id, { items: { data: [null] } }),
      subscriptionEvent('evt_x3', 'customer.subscription.updated', 1e20, org.id),
      subscriptionEvent('evt_x4', 'customer.subscription.updated', now + 1, org.id, { status: 'constructor' }),
      'null',
    ]
    for (const payload of odd) expect((await send(payload)).status).toBeLessThan(500)
    expect(['past_due', 'incomplete']).toContain(
      (await ok<Subscription>(await api('GET', `/organizations/${org.id}/subscription`))).status,
    )
    // One price, one plan: a webhook must know which.
    await expectError(
      await api('POST', '/plans', { key: 'pro2', name: 'Pro 2', stripe_price_ids: ['price_pro'] }),
      409,
      'duplicate_record',
      {
        param_name: 'stripe_price_ids',
      },
    )
  })

  it('refuses a bad, stale or missing signature, and a tenant without Stripe configured', async () => {
    const { tenant, api, org } = await setup()
    const payload = subscriptionEvent(
      'evt_x',
      'customer.subscription.created',
      Math.floor(t.clock.now() / 1000),
      org.id,
    )
    await expectError(await post(tenant, payload, await sign(payload)), 400, 'webhook_signature_invalid')
    await ok(await api('PUT', '/billing/stripe', { webhook_secret: SECRET }))
    const cases = [
      await sign(payload, undefined, 'whsec_another_secret'),
      await sign(payload, Math.floor(t.clock.now() / 1000) - 301),
      await sign(`${payload} `),
      't=1,v1=00',
      '',
    ]
    for (const header of cases) await expectError(await post(tenant, payload, header), 400, 'webhook_signature_invalid')
    await expectError(await api('GET', `/organizations/${org.id}/subscription`), 404, 'resource_not_found')
    // Another tenant's secret does not sign for this one.
    const other = await orgTenant(t)
    await ok(await bapi(t, other)('PUT', '/billing/stripe', { webhook_secret: 'whsec_other' }))
    const forged = await sign(payload, undefined, 'whsec_other')
    await expectError(await post(tenant, payload, forged), 400, 'webhook_signature_invalid')
  })
})
