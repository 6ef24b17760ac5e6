import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { decodeJwt } from 'jose'
import { PUBLIC_URL, newTenant, testApp, type TestApp } from '../support/app'
import { browserClient } from '../support/browser'
import { newUser } from '../support/flows'

/**
 * Security review #12: `azp` was copied from any Origin header, even in native mode. It comes only
 * from an Origin that passed the Frontend API's origin check in browser mode (API.md §5, §12).
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const APP = 'https://app.example'
const EVIL = 'https://evil.example'

async function setup() {
  const tenant = await newTenant(t, { settings: { allowed_origins: [APP] } })
  return { tenant, user: await newUser(t, tenant) }
}

describe('native mode', () => {
  it('never sets azp, whatever Origin the app sends', async () => {
    const { tenant, user } = await setup()
    for (const origin of [EVIL, APP]) {
      const res = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
        headers: { 'x-native-client': '1', origin },
        json: { identifier: user.email, password: user.password },
      })
      expect(res.status).toBe(200)
      const { session_token } = (await res.json()) as { session_token: string }
      expect(decodeJwt(session_token).azp).toBeUndefined()
    }
  })
})

describe('browser mode', () => {
  it('sets azp to an allowed origin, and keeps it across a refresh', async () => {
    const { tenant, user } = await setup()
    const browser = browserClient(t, tenant, APP)
    const res = await browser.request('POST', '/client/sign-ins', { identifier: user.email, password: user.password })
    expect(res.status).toBe(200)
    expect(decodeJwt(browser.jar.get('__session')!).azp).toBe(APP)
    const { session } = (await res.json()) as { session: { id: string } }
    const refreshed = await browser.request('POST', `/client/sessions/${session.id}/tokens`, {})
    expect(refreshed.status).toBe(200)
    expect(decodeJwt(((await refreshed.json()) as { jwt: string }).jwt).azp).toBe(APP)
  })

  it('sets azp to PUBLIC_URL’s origin for the hosted pages', async () => {
    const { tenant, user } = await setup()
    const browser = browserClient(t, tenant, PUBLIC_URL)
    const res = await browser.request('POST', '/client/sign-ins', { identifier: user.email, password: user.password })
    expect(res.status).toBe(200)
    expect(decodeJwt(browser.jar.get('__session')!).azp).toBe(PUBLIC_URL)
  })

  it('never takes azp from an origin that failed the check', async () => {
    const { tenant, user } = await setup()
    const browser = browserClient(t, tenant, EVIL)
    const res = await browser.request('POST', '/client/sign-ins', { identifier: user.email, password: user.password })
    // Refused outright once every browser-mode mutation needs an allowed Origin; never an azp of EVIL.
    if (res.status === 200) expect(decodeJwt(browser.jar.get('__session')!).azp).toBeUndefined()
    else expect(res.status).toBe(403)
  })
})

describe('backend API', () => {
  it('sets no azp on a server-driven sign-in, whatever Origin the backend sends', async () => {
    const { tenant, user } = await setup()
    const res = await t.request('POST', '/v1/sign-ins', {
      token: tenant.secret_key,
      headers: { origin: EVIL },
      json: { identifier: user.email, password: user.password },
    })
    expect(res.status).toBe(200)
    const { session_token } = (await res.json()) as { session_token: string }
    expect(decodeJwt(session_token).azp).toBeUndefined()
  })
})
