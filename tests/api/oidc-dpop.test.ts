import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { decodeJwt } from 'jose'
import * as client from 'openid-client'
import { testApp, type TestApp } from '../support/app'
import { authorizeThroughBrowser, oidcWorld } from '../support/oidc'

/** Its own app: DPoP proofs carry the real time, so no test here may move the clock. */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('DPoP', () => {
  it('binds tokens to the proof key and requires a proof at userinfo', async () => {
    const { config, browser, user, tenant } = await oidcWorld(t)
    const keys = await client.randomDPoPKeyPair('ES256')
    const DPoP = client.getDPoPHandle(config, keys)
    const flow = await authorizeThroughBrowser(config, browser, user)
    const tokens = await client.authorizationCodeGrant(
      config,
      flow.callback,
      { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce },
      undefined,
      { DPoP },
    )
    expect(tokens.token_type.toLowerCase()).toBe('dpop')
    expect((decodeJwt(tokens.access_token).cnf as { jkt: string }).jkt).toBeTruthy()
    expect((await client.fetchUserInfo(config, tokens.access_token, user.id, { DPoP })).sub).toBe(user.id)
    const asBearer = await t.app.handle(
      new Request(`${tenant.issuer}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } }),
    )
    expect(asBearer.status).toBe(401)
    const introspected = await client.tokenIntrospection(config, tokens.access_token)
    expect(introspected.token_type).toBe('DPoP')
  })
})
