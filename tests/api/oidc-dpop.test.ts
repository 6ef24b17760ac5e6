import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createHash } from 'node:crypto'
import { decodeJwt, exportJWK, SignJWT } from 'jose'
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

describe('DPoP proofs', () => {
  it('accepts a proof once, and backend introspection tells that the token is DPoP-bound', async () => {
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
    const url = `${tenant.issuer}/oauth/userinfo`
    const proof = await new SignJWT({ htm: 'GET', htu: url, jti: crypto.randomUUID(), ath: athOf(tokens.access_token) })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(keys.publicKey) })
      .setIssuedAt()
      .sign(keys.privateKey)
    const call = () =>
      t.app.handle(new Request(url, { headers: { authorization: `DPoP ${tokens.access_token}`, dpop: proof } }))
    expect((await call()).status).toBe(200)
    const replayed = await call()
    expect(replayed.status).toBe(401)
    expect(replayed.headers.get('www-authenticate')).toContain('invalid_dpop_proof')
    const res = await t.request('POST', '/v1/tokens/introspect', {
      token: tenant.secret_key,
      json: { token: tokens.access_token },
    })
    expect(await res.json()).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt: expect.any(String) } })
  })
})

const athOf = (token: string) => createHash('sha256').update(token).digest('base64url')
