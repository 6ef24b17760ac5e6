import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import * as client from 'openid-client'
import { testApp, type TestApp } from '../support/app'
import { authorizeThroughBrowser, oidcWorld } from '../support/oidc'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('authorization code flow with openid-client', () => {
  it('signs in on the hosted page, asks consent, and issues verified tokens with nonce, at_hash, sid', async () => {
    const { config, browser, user } = await oidcWorld(t)
    const { callback, verifier, state, nonce } = await authorizeThroughBrowser(config, browser, user)
    expect(callback.searchParams.get('iss')).toBe(config.serverMetadata().issuer)
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    })
    const claims = tokens.claims()!
    expect(claims.sub).toBe(user.id)
    expect(claims.nonce).toBe(nonce)
    expect(typeof claims.auth_time).toBe('number')
    expect(claims.amr).toEqual(['pwd'])
    expect(claims.acr).toBe('1')
    expect(String(claims.sid)).toMatch(/^sess_/)
    expect(claims.email).toBe(user.email)
    expect(typeof claims.at_hash).toBe('string')
    const info = await client.fetchUserInfo(config, tokens.access_token, user.id)
    expect(info.email).toBe(user.email)
    expect(info.given_name).toBe('Ada')
  })
})
