import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { newTenant, testApp, type TestApp } from '../support/app'
import { nativeClient, newUser, renewableMe, signInNative } from '../support/flows'

/**
 * The last way in (API.md §18 settled points) counts a phone reserved for the second factor like any
 * verified address: sign-in still takes it as the identifier a password goes with.
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('the last way in and a phone reserved for the second factor', () => {
  it('does not hold the email as the last way in while password + reserved phone still sign in', async () => {
    const tenant = await newTenant(t, { settings: { sign_in: { first_factors: ['password', 'phone_code'] } } })
    const phone = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`
    const user = await newUser(t, tenant, { phone_number: [phone] })
    const client = nativeClient(t, tenant)
    const me = renewableMe(t, tenant, client, await signInNative(t, tenant, user, client))
    const mine = (await (await me('GET')).json()) as {
      phone_numbers: { id: string }[]
      email_addresses: { id: string }[]
    }
    const reserve = await me('PATCH', `/phone-numbers/${mine.phone_numbers[0]!.id}`, {
      reserved_for_second_factor: true,
    })
    expect(reserve.status).toBe(200)
    const other = nativeClient(t, tenant)
    const res = await other.request('POST', '/client/sign-ins', { identifier: phone, password: user.password })
    expect(((await res.json()) as { status: string }).status).toBe('needs_second_factor')
    // The last-way-in check comes before the step-up: the refusal is the step-up's (2FA is on), not the rule's.
    const removed = await me('DELETE', `/email-addresses/${mine.email_addresses[0]!.id}`)
    const body = (await removed.json()) as { errors: { code: string }[] }
    expect(body.errors[0]!.code).toBe('reverification_required')
  })
})
