import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { firstError, newTenant, testApp, type TestApp } from '../support/app'
import { browserClient } from '../support/browser'
import { newUser } from '../support/flows'

/** Security review #12: a malformed cookie (bad percent-encoding) answered 500; it is treated as absent. */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const MALFORMED = '%E0%A4%A'

async function signedInBrowser() {
  const tenant = await newTenant(t)
  const user = await newUser(t, tenant)
  const browser = browserClient(t, tenant)
  const res = await browser.request('POST', '/client/sign-ins', { identifier: user.email, password: user.password })
  expect(res.status).toBe(200)
  const { session } = (await res.json()) as { session: { id: string } }
  return { tenant, browser, sessionId: session.id }
}

describe('malformed __client cookie', () => {
  it('is treated as absent: a new client is handed out, the real client is untouched', async () => {
    const { tenant, browser } = await signedInBrowser()
    const bad = await t.request('GET', `/t/${tenant.slug}/v1/client`, { headers: { cookie: `__client=${MALFORMED}` } })
    expect(bad.status).toBe(200)
    const fresh = (await bad.json()) as { id: string; sessions: unknown[] }
    expect(fresh.sessions).toEqual([])
    expect(bad.headers.getSetCookie().some((c) => c.startsWith('__client='))).toBe(true)
    // The legitimate cookie still names its own client and session.
    const own = await browser.request('GET', '/client')
    const client = (await own.json()) as { id: string; sessions: unknown[] }
    expect(client.id).not.toBe(fresh.id)
    expect(client.sessions).toHaveLength(1)
  })

  it('refuses a NUL in the decoded cookie the same way', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('GET', `/t/${tenant.slug}/v1/client`, { headers: { cookie: '__client=ab%00cd' } })
    expect(res.status).toBe(200)
    expect(res.headers.getSetCookie().some((c) => c.startsWith('__client='))).toBe(true)
  })
})

describe('malformed __session cookie', () => {
  it('is treated as absent at /me: 401 authentication_invalid, and the real cookie works', async () => {
    const { tenant, browser } = await signedInBrowser()
    const bad = await t.request('GET', `/t/${tenant.slug}/v1/me`, { headers: { cookie: `__session=${MALFORMED}` } })
    expect(bad.status).toBe(401)
    expect((await firstError(bad)).code).toBe('authentication_invalid')
    expect((await browser.request('GET', '/me')).status).toBe(200)
  })

  it('does not spoil the other cookies of the request', async () => {
    const { browser } = await signedInBrowser()
    const cookie = `${browser.cookieHeader()}; __session=${MALFORMED}`
    const res = await browser.request('GET', '/client', undefined, { cookie })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { sessions: unknown[] }).sessions).toHaveLength(1)
  })
})

describe('malformed __refresh cookie', () => {
  it('is treated as absent on refresh: 401 authentication_invalid, and the real cookie refreshes', async () => {
    const { browser, sessionId } = await signedInBrowser()
    const client = browser.jar.get('__client')!
    const cookie = `__client=${client}; __refresh=${MALFORMED}`
    const bad = await browser.request('POST', `/client/sessions/${sessionId}/tokens`, {}, { cookie })
    expect(bad.status).toBe(401)
    expect((await firstError(bad)).code).toBe('authentication_invalid')
    const ok = await browser.request('POST', `/client/sessions/${sessionId}/tokens`, {})
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { jwt: string }).jwt).toBeString()
  })
})
