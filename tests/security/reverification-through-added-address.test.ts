import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { generate } from 'otplib'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import {
  codeIn,
  lastMessage,
  meApi,
  nativeClient,
  newUser,
  renewableMe,
  signInNative,
  type MeApi,
} from '../support/flows'

/**
 * Finding 2 (high): adding, verifying and making an email primary needed no recent factor, and
 * reverification by `email_code` went to the current primary, so a stolen session added its own
 * address, made it primary, reverified through it, and then removed TOTP, the victim's address,
 * or the account. Now every step of that is a way in that steps up (with the second factor when
 * the user has one), and reverification codes go only to addresses verified before the session
 * began, rate-limited like sign-in (API.md §12).
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const fast = { password: { argon2: { memory_kib: 8192, iterations: 1 } } }
const unlimited = { ...fast, rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 } }
const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.com`

async function victim(tenant: CreatedTenant) {
  const user = await newUser(t, tenant)
  const client = nativeClient(t, tenant)
  const signed = await signInNative(t, tenant, user, client)
  return { user, client, session: signed.session, me: renewableMe(t, tenant, client, signed) }
}

/** Adds an address at /me and verifies it with the code sent to it (the session must be fresh). */
async function addVerified(me: MeApi, address: string): Promise<{ id: string }> {
  const added = (await (await me('POST', '/email-addresses', { email_address: address })).json()) as { id: string }
  const sentAt = t.clock.now()
  const challenge = (await (
    await me('POST', `/email-addresses/${added.id}/challenges`, { strategy: 'email_code' })
  ).json()) as { id: string }
  const code = codeIn((await lastMessage(t, address, sentAt)).text)!
  expect((await me('POST', `/email-addresses/${added.id}/challenges/${challenge.id}/answer`, { code })).status).toBe(
    200,
  )
  return added
}

async function expectError(res: Response, status: number, code: string, meta: Record<string, unknown> = {}) {
  expect(res.status).toBe(status)
  expect(await firstError(res)).toMatchObject({ code, meta })
}

describe('reverification through an address the attacker just added', () => {
  it('refuses a stale session every step: add, verify, make primary', async () => {
    const tenant = await newTenant(t, { settings: unlimited })
    const { user, me } = await victim(tenant)
    // Added while fresh (the real user did that), then the session goes stale and is stolen.
    const added = (await (await me('POST', '/email-addresses', { email_address: unique('second') })).json()) as {
      id: string
    }
    t.clock.advance(11 * 60_000)
    await me.renew!()
    await expectError(
      await me('POST', '/email-addresses', { email_address: unique('mallory') }),
      403,
      'reverification_required',
    )
    await expectError(
      await me('POST', `/email-addresses/${added.id}/challenges`, { strategy: 'email_code' }),
      403,
      'reverification_required',
    )
    const me1 = (await (await me('GET')).json()) as {
      email_addresses: { id: string }[]
      primary_email_address_id: string
    }
    await expectError(
      await me('PATCH', '', { primary_email_address_id: me1.primary_email_address_id }),
      403,
      'reverification_required',
    )
    const listed = (await (await t.request('GET', `/v1/users/${user.id}`, { token: tenant.secret_key })).json()) as {
      email_addresses: unknown[]
    }
    expect(listed.email_addresses).toHaveLength(2)
  })

  it('never sends a reverification code to an address verified after the session began', async () => {
    const tenant = await newTenant(t, { settings: unlimited })
    const { user, client, session, me } = await victim(tenant)
    t.clock.advance(1000)
    const mallory = unique('mallory')
    // Within the first 10 minutes (as a thief with a fresh token could): add, verify, make primary.
    const added = await addVerified(me, mallory)
    expect((await me('PATCH', '', { primary_email_address_id: added.id })).status).toBe(200)

    t.clock.advance(11 * 60_000)
    const askedAt = t.clock.now()
    const reverify = await client.request('POST', `/client/sessions/${session.id}/reverify/challenges`, {
      strategy: 'email_code',
    })
    expect(reverify.status).toBe(201)
    // The code goes to the address the account had when the session began, not to the new primary.
    const sent = await lastMessage(t, user.email, askedAt)
    expect(codeIn(sent.text)).not.toBeNull()
    const toMallory = await t.request('GET', `/platform/v1/dev/messages?to=${encodeURIComponent(mallory)}`, {
      token: t.platformKey,
    })
    expect(
      ((await toMallory.json()) as { data: { created_at: number }[] }).data.filter((m) => m.created_at >= askedAt),
    ).toHaveLength(0)
  })

  it('answers strategy_not_allowed when the only addresses were verified during the session', async () => {
    const tenant = await newTenant(t, { settings: unlimited })
    const user = await newUser(t, tenant, {
      email_address: [],
      phone_number: ['+14155550' + String(Math.floor(Math.random() * 900) + 100)],
    })
    const client = nativeClient(t, tenant)
    const phone = (
      (await (await t.request('GET', `/v1/users/${user.id}`, { token: tenant.secret_key })).json()) as {
        phone_numbers: { phone_number: string }[]
      }
    ).phone_numbers[0]!.phone_number
    const signed = await signInNative(t, tenant, { email: phone, password: user.password }, client)
    const me = meApi(t, tenant, signed.session_token)
    t.clock.advance(1000)
    await addVerified(me, unique('mallory'))
    t.clock.advance(11 * 60_000)
    await expectError(
      await client.request('POST', `/client/sessions/${signed.session.id}/reverify/challenges`, {
        strategy: 'email_code',
      }),
      422,
      'strategy_not_allowed',
    )
  })

  it('with TOTP enrolled, a fresh email code does not unlock removing TOTP, an address, or the account', async () => {
    const tenant = await newTenant(t, { settings: unlimited })
    const { user, client, session, me } = await victim(tenant)
    const second = unique('second')
    const added = await addVerified(me, second)
    const { secret } = (await (await me('POST', '/totp')).json()) as { secret: string }
    expect(
      (await me('POST', '/totp/verify', { code: await generate({ secret, epoch: t.clock.now() / 1000 }) })).status,
    ).toBe(200)

    t.clock.advance(11 * 60_000)
    const askedAt = t.clock.now()
    expect(
      (await client.request('POST', `/client/sessions/${session.id}/reverify/challenges`, { strategy: 'email_code' }))
        .status,
    ).toBe(201)
    const emailed = codeIn((await lastMessage(t, user.email, askedAt)).text)!
    const res = await client.request('POST', `/client/sessions/${session.id}/reverify`, {
      strategy: 'email_code',
      code: emailed,
    })
    expect(res.status).toBe(200)
    const fresh = meApi(t, tenant, ((await res.json()) as { jwt: string }).jwt)
    for (const [method, path] of [
      ['DELETE', '/totp'],
      ['DELETE', `/email-addresses/${added.id}`],
      ['DELETE', ''],
      ['POST', '/backup-codes'],
    ] as const)
      await expectError(await fresh(method, path), 403, 'reverification_required', { required_factor: 'second_factor' })
    const row = (await (await t.request('GET', `/v1/users/${user.id}`, { token: tenant.secret_key })).json()) as {
      totp_enabled: boolean
      email_addresses: unknown[]
    }
    expect(row).toMatchObject({ totp_enabled: true })
    expect(row.email_addresses).toHaveLength(2)
  })

  it('limits reverification per account like sign-in (429 with Retry-After)', async () => {
    const tenant = await newTenant(t, {
      settings: { ...fast, rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 3 } },
    })
    const { client, session } = await victim(tenant)
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      const res = await client.request('POST', `/client/sessions/${session.id}/reverify`, {
        strategy: 'password',
        password: `wrong-${i}-password`,
      })
      statuses.push(res.status)
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    expect(statuses).toEqual([422, 422, 422, 429, 429])
  })
})
