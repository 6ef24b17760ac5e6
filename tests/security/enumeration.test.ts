import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { nativeClient, newUser } from '../support/flows'

/**
 * Finding 5 (medium): with `allow_enumeration: false`, username and phone identifiers listed email
 * factors only for existing accounts, `safe_identifier` showed the stored form of an address (a
 * case oracle), email_code challenges carried `safe_identifier` only for existing accounts, and
 * passkey options allowed no credential only for unknown identifiers. Now every one of those
 * answers depends on the identifier as typed alone (API.md §12 "Enumeration").
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

type Attempt = { supported_first_factors: unknown[]; current_challenge: Record<string, unknown> | null }

const settings = {
  sign_in: { first_factors: ['password', 'email_code', 'email_link', 'phone_code', 'passkey'] },
  rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 },
}

async function start(tenant: CreatedTenant, identifier: string, strategy?: string): Promise<Attempt> {
  const res = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
    identifier,
    ...(strategy ? { strategy } : {}),
  })
  expect(res.status).toBe(200)
  return (await res.json()) as Attempt
}

/** What an observer compares: the challenge without its ids and times. */
const shape = (a: Attempt) => {
  const { id: _id, expire_at: _expireAt, public_key_options: _options, ...challenge } = a.current_challenge ?? {}
  return { factors: a.supported_first_factors, challenge }
}

const unique = () => crypto.randomUUID().slice(0, 8)
const phone = () => `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`

describe('enumeration with allow_enumeration false', () => {
  it('a username lists the same factors whether it exists (with an email) or not', async () => {
    const tenant = await newTenant(t, { settings })
    const username = `ada_${unique()}`
    await newUser(t, tenant, { username })
    for (const strategy of [undefined, 'email_code']) {
      const known = await start(tenant, username, strategy)
      const unknown = await start(tenant, `bob_${unique()}`, strategy)
      expect(shape(known)).toEqual(shape(unknown))
    }
  })

  it('a phone number lists the same factors whether its account has an email or does not exist', async () => {
    const tenant = await newTenant(t, { settings })
    const number = phone()
    await newUser(t, tenant, { phone_number: [number] })
    const known = await start(tenant, number, 'phone_code')
    const unknown = await start(tenant, phone(), 'phone_code')
    expect(known.supported_first_factors.map((f) => (f as { strategy: string }).strategy)).toEqual(
      unknown.supported_first_factors.map((f) => (f as { strategy: string }).strategy),
    )
    expect(Object.keys(known.current_challenge!).sort()).toEqual(Object.keys(unknown.current_challenge!).sort())
  })

  it('masks the identifier as typed, not the stored form (no case oracle), and email_code challenges look alike', async () => {
    const tenant = await newTenant(t, { settings })
    const local = `Alice.${unique()}`
    await newUser(t, tenant, { email_address: [`${local}@Example.com`] })
    const known = await start(tenant, `${local.toLowerCase()}@example.com`, 'email_code')
    const unknown = await start(tenant, `${local.toLowerCase()}x@example.com`, 'email_code')
    expect(known.current_challenge!.safe_identifier).toBe(`${local[0]!.toLowerCase()}***@example.com`)
    expect(shape(known)).toEqual(shape(unknown))
    expect(JSON.stringify(known)).not.toContain('Example.com')
  })

  it('passkey options for an unknown identifier and a user without passkeys both allow one plausible credential', async () => {
    const tenant = await newTenant(t, { settings })
    const user = await newUser(t, tenant)
    const lists = await Promise.all(
      [user.email, `nobody-${unique()}@example.com`].map(
        async (identifier) =>
          (
            (await start(tenant, identifier, 'passkey')).current_challenge!.public_key_options as {
              allowCredentials: { id: string }[]
            }
          ).allowCredentials,
      ),
    )
    for (const list of lists) {
      expect(list).toHaveLength(1)
      expect(list[0]!.id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    }
    expect(lists[0]![0]!.id).not.toBe(lists[1]![0]!.id)
  })

  it('wrong passwords lock an unknown identifier exactly like a known one (423 with unlock_at, then free)', async () => {
    const tenant = await newTenant(t, {
      settings: { ...settings, lockout: { max_failed_attempts: 3, duration_s: 600 } },
    })
    const user = await newUser(t, tenant)
    const statuses = async (identifier: string) => {
      const seen: (number | string)[] = []
      for (let i = 0; i < 4; i++) {
        const res = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
          identifier,
          password: `wrong password ${i}`,
        })
        const body = (await res.json()) as { errors?: { meta: { unlock_at?: number } }[] }
        seen.push(res.status, typeof body.errors?.[0]?.meta.unlock_at)
      }
      return seen
    }
    const known = await statuses(user.email)
    expect(known).toEqual([422, 'undefined', 422, 'undefined', 423, 'number', 423, 'number'])
    expect(await statuses(`ghost-${unique()}@example.com`)).toEqual(known)
    t.clock.advance(601_000)
    const after = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
      identifier: user.email,
      password: user.password,
    })
    expect(after.status).toBe(200)
  })

  it('with allow_enumeration true, the account’s own addresses are shown', async () => {
    const tenant = await newTenant(t, {
      settings: { ...settings, sign_in: { ...settings.sign_in, allow_enumeration: true } },
    })
    const username = `ada_${unique()}`
    const user = await newUser(t, tenant, { username })
    const known = await start(tenant, username)
    expect(known.supported_first_factors).toContainEqual({
      strategy: 'email_code',
      safe_identifier: `${user.email[0]}***@example.com`,
    })
  })
})
