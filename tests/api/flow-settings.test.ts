import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { codeIn, lastMessage, nativeClient, newUser } from '../support/flows'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const DEFAULT_FLOWS = {
  sign_in_lifetime_s: 900,
  sign_up_lifetime_s: 1800,
  code_lifetime_s: 600,
  link_lifetime_s: 900,
  passkey_lifetime_s: 300,
  code_tries: 5,
}

const patchFlows = (tenant: CreatedTenant, flows: Record<string, unknown>) =>
  t.request('PATCH', '/v1/settings', { token: tenant.secret_key, json: { flows } })

interface Challenge {
  id: string
  status: string
  attempts_remaining: number
  expire_at: number
}

/** A sign-in attempt of a new user with an email code sent: the client, the attempt, the challenge and the code. */
async function codeSent(tenant: CreatedTenant) {
  const user = await newUser(t, tenant)
  const client = nativeClient(t, tenant)
  const res = await client.request('POST', '/client/sign-ins', { identifier: user.email, strategy: 'email_code' })
  expect(res.status).toBe(200)
  const attempt = (await res.json()) as { id: string; expire_at: number; current_challenge: Challenge }
  const message = await lastMessage(t, user.email)
  const path = `/client/sign-ins/${attempt.id}/challenges/${attempt.current_challenge.id}`
  return {
    attempt,
    challenge: attempt.current_challenge,
    message,
    code: codeIn(message.text)!,
    answer: (code: string) => client.request('POST', `${path}/answer`, { code }),
    poll: async () => ((await (await client.request('GET', path)).json()) as Challenge).status,
  }
}

describe('flows settings', () => {
  it('reads back the defaults, which are the lifetimes and tries flows had before', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('GET', '/v1/settings', { token: tenant.secret_key })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { flows: unknown }).flows).toEqual(DEFAULT_FLOWS)
    const now = t.clock.now()
    const { attempt, challenge } = await codeSent(tenant)
    expect(attempt.expire_at).toBe(now + 900_000)
    expect(challenge).toMatchObject({ attempts_remaining: 5, expire_at: now + 600_000 })
  })

  it('expires a code challenge after a shorter code_lifetime_s, and says so in the message', async () => {
    const tenant = await newTenant(t)
    const patched = await patchFlows(tenant, { code_lifetime_s: 120 })
    expect(patched.status).toBe(200)
    expect(((await patched.json()) as { flows: unknown }).flows).toEqual({ ...DEFAULT_FLOWS, code_lifetime_s: 120 })
    const sent = await codeSent(tenant)
    expect(sent.challenge.expire_at).toBe(t.clock.now() + 120_000)
    expect(sent.message.text).toContain('expires in 2 minutes')
    t.clock.advance(119_000)
    expect(await sent.poll()).toBe('pending')
    t.clock.advance(1_000)
    expect(await sent.poll()).toBe('expired')
    const late = await sent.answer(sent.code)
    expect(late.status).toBe(422)
    expect((await firstError(late)).code).toBe('verification_expired')
  })

  it('fails a code challenge at the third wrong code when code_tries is 3', async () => {
    const tenant = await newTenant(t)
    expect((await patchFlows(tenant, { code_tries: 3 })).status).toBe(200)
    const sent = await codeSent(tenant)
    expect(sent.challenge.attempts_remaining).toBe(3)
    const wrong = sent.code === '000000' ? '111111' : '000000'
    const remaining: unknown[] = []
    for (let i = 0; i < 3; i++) remaining.push((await firstError(await sent.answer(wrong))).meta.attempts_remaining)
    expect(remaining).toEqual([2, 1, 0])
    expect(await sent.poll()).toBe('failed')
    const right = await sent.answer(sent.code)
    expect(right.status).toBe(422)
    expect((await firstError(right)).code).toBe('verification_failed')
  })

  it('expires a sign-in attempt after sign_in_lifetime_s', async () => {
    const tenant = await newTenant(t)
    expect((await patchFlows(tenant, { sign_in_lifetime_s: 300 })).status).toBe(200)
    const client = nativeClient(t, tenant)
    const attempt = (await (await client.request('POST', '/client/sign-ins', {})).json()) as {
      id: string
      expire_at: number
    }
    expect(attempt.expire_at).toBe(t.clock.now() + 300_000)
    const status = async () =>
      ((await (await client.request('GET', `/client/sign-ins/${attempt.id}`)).json()) as { status: string }).status
    t.clock.advance(299_000)
    expect(await status()).toBe('needs_identifier')
    t.clock.advance(1_000)
    expect(await status()).toBe('expired')
  })

  it('gives a sign-up attempt sign_up_lifetime_s, and a passkey challenge passkey_lifetime_s as timeout', async () => {
    const tenant = await newTenant(t, { settings: { flows: { sign_up_lifetime_s: 600, passkey_lifetime_s: 120 } } })
    const client = nativeClient(t, tenant)
    const signUp = await client.request('POST', '/client/sign-ups', { email_address: 'new@example.com' })
    expect(((await signUp.json()) as { expire_at: number }).expire_at).toBe(t.clock.now() + 600_000)
    const passkey = await client.request('POST', '/client/sign-ins', { strategy: 'passkey' })
    const challenge = (
      (await passkey.json()) as {
        current_challenge: { expire_at: number; public_key_options: { timeout: number } }
      }
    ).current_challenge
    expect(challenge.expire_at).toBe(t.clock.now() + 120_000)
    expect(challenge.public_key_options.timeout).toBe(120_000)
  })

  it('refuses out-of-range and unknown flows settings with 422, changing nothing', async () => {
    const tenant = await newTenant(t)
    for (const flows of [
      { code_lifetime_s: 59 },
      { link_lifetime_s: 86_401 },
      { sign_in_lifetime_s: 0 },
      { code_tries: 0 },
      { code_tries: 11 },
      { code_tries: 2.5 },
      { passkey_lifetime_s: '300' },
      { unknown: 1 },
    ]) {
      const res = await patchFlows(tenant, flows)
      expect(res.status, JSON.stringify(flows)).toBe(422)
      expect((await firstError(res)).code, JSON.stringify(flows)).toMatch(/^form_param_/)
    }
    const created = await t.request('POST', '/platform/v1/tenants', {
      token: t.platformKey,
      json: { name: 'bad flows', settings: { flows: { code_tries: 11 } } },
    })
    expect(created.status).toBe(422)
    const read = await t.request('GET', '/v1/settings', { token: tenant.secret_key })
    expect(((await read.json()) as { flows: unknown }).flows).toEqual(DEFAULT_FLOWS)
  })
})
