import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { firstError, newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { SoftAuthenticator } from '../support/authenticator'
import { meApi, nativeClient, newUser, signInNative } from '../support/flows'

/**
 * Finding 9 (lockout): ten wrong passwords locked passkey sign-in too, so anyone who knew a
 * user's email could keep them out of a way in that no guess can pass. Now a lockout by wrong
 * passwords blocks passwords only; an administrator's lock (BAPI `lock`) still blocks all.
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const settings = {
  rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 },
  lockout: { max_failed_attempts: 3, duration_s: 600 },
}

async function passkeySignIn(tenant: CreatedTenant, email: string, authenticator: SoftAuthenticator) {
  const client = nativeClient(t, tenant)
  const started = (await (
    await client.request('POST', '/client/sign-ins', { identifier: email, strategy: 'passkey' })
  ).json()) as {
    id: string
    current_challenge: { id: string; public_key_options: Parameters<SoftAuthenticator['authenticate']>[0] }
  }
  const credential = await authenticator.authenticate(started.current_challenge.public_key_options)
  return client.request('POST', `/client/sign-ins/${started.id}/challenges/${started.current_challenge.id}/answer`, {
    credential,
  })
}

describe('password lockout blocks passkey', () => {
  it('a user locked out by wrong passwords still signs in with a passkey; an admin lock blocks both', async () => {
    const tenant = await newTenant(t, { settings })
    const user = await newUser(t, tenant)
    const me = meApi(t, tenant, (await signInNative(t, tenant, user)).session_token)
    const authenticator = new SoftAuthenticator(PUBLIC_URL)
    const credential = await authenticator.register(await (await me('POST', '/passkeys/registration-options')).json())
    expect((await me('POST', '/passkeys', { credential })).status).toBe(201)

    const guesser = nativeClient(t, tenant)
    const statuses: number[] = []
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await guesser.request('POST', '/client/sign-ins', { identifier: user.email, password: `guess number ${i}` }))
          .status,
      )
    expect(statuses.at(-1)).toBe(423)
    const password = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
      identifier: user.email,
      password: user.password,
    })
    expect((await firstError(password)).code).toBe('user_locked')

    const viaPasskey = await passkeySignIn(tenant, user.email, authenticator)
    expect(viaPasskey.status).toBe(200)
    expect(((await viaPasskey.json()) as { status: string }).status).toBe('complete')

    expect((await t.request('POST', `/v1/users/${user.id}/lock`, { token: tenant.secret_key })).status).toBe(200)
    const locked = await passkeySignIn(tenant, user.email, authenticator)
    expect(locked.status).toBe(423)
  })
})
