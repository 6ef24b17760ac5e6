import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { firstError, newTenant, PUBLIC_URL, testApp, type TestApp } from '../support/app'
import { newUser } from '../support/flows'

/**
 * Finding 4 (login CSRF): the Origin check ran only when a cookie was present, and SameSite=Lax
 * cookies are never sent on a cross-site form POST, so a foreign page could post the attacker's
 * credentials and sign the victim's browser into the attacker's account. Every browser-mode
 * mutation now needs an allowed Origin, cookie or not (API.md §12 "Cross-site requests").
 */
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const form = (body: Record<string, string>) => new URLSearchParams(body).toString()

describe('login CSRF', () => {
  it('refuses a cookieless cross-site sign-in form with 403 origin_invalid and creates nothing', async () => {
    const tenant = await newTenant(t)
    const attacker = await newUser(t, tenant)
    for (const origin of ['https://evil.example', null]) {
      const res = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
        body: JSON.stringify({ identifier: attacker.email, password: attacker.password }),
        headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
      })
      expect(res.status).toBe(403)
      expect((await firstError(res)).code).toBe('origin_invalid')
      expect(res.headers.get('set-cookie') ?? '').not.toContain('__session')
    }
    const sessions = await t.request('GET', `/v1/sessions?user_id=${attacker.id}`, { token: tenant.secret_key })
    expect(((await sessions.json()) as { data: unknown[] }).data).toHaveLength(0)
  })

  it('refuses cross-site sign-up, sign-out and form-encoded posts the same way', async () => {
    const tenant = await newTenant(t)
    const base = `/t/${tenant.slug}/v1/client`
    const attempts: [string, string, RequestInit['body'], string][] = [
      [
        'POST',
        `${base}/sign-ups`,
        JSON.stringify({ email_address: 'x@example.com', password: 'correct horse battery' }),
        'application/json',
      ],
      ['DELETE', `${base}/sessions`, undefined, 'text/plain'],
    ]
    for (const [method, path, body, type] of attempts) {
      const res = await t.request(method, path, {
        body: body ?? undefined,
        headers: { 'content-type': type, origin: 'https://evil.example' },
      })
      expect(res.status).toBe(403)
      expect((await firstError(res)).code).toBe('origin_invalid')
    }
  })

  it('refuses an HTML form body on a JSON route with 400, whatever its origin, and signs nobody in', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    for (const origin of ['https://evil.example', PUBLIC_URL]) {
      const res = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
        body: form({ identifier: user.email, password: user.password }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      })
      expect(res.status).toBe(400)
      expect((await firstError(res)).code).toBe('malformed_request')
    }
    const sessions = await t.request('GET', `/v1/sessions?user_id=${user.id}`, { token: tenant.secret_key })
    expect(((await sessions.json()) as { data: unknown[] }).data).toHaveLength(0)
  })

  it('lets the same sign-in through from an allowed origin and in native mode', async () => {
    const tenant = await newTenant(t, { settings: { allowed_origins: ['https://app.example'] } })
    const user = await newUser(t, tenant)
    const variants: Record<string, string>[] = [
      { origin: PUBLIC_URL },
      { origin: 'https://app.example' },
      { 'x-native-client': '1' },
    ]
    for (const headers of variants) {
      const res = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
        json: { identifier: user.email, password: user.password },
        headers,
      })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { status: string }).status).toBe('complete')
    }
  })

  it('checks /me mutations by cookie without an Origin, but not Bearer-authenticated ones', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const signIn = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
      json: { identifier: user.email, password: user.password },
      headers: { 'x-native-client': '1' },
    })
    const token = ((await signIn.json()) as { session_token: string }).session_token
    const byCookie = await t.request('PATCH', `/t/${tenant.slug}/v1/me`, {
      json: { first_name: 'Mallory' },
      headers: { cookie: `__session=${token}` },
    })
    expect(byCookie.status).toBe(403)
    expect((await firstError(byCookie)).code).toBe('origin_invalid')
    // A cross-site form cannot set Authorization, so a Bearer call is a script's, not a forged form's.
    const byBearer = await t.request('PATCH', `/t/${tenant.slug}/v1/me`, { json: { first_name: 'Ada' }, token })
    expect(byBearer.status).toBe(200)
    const user2 = await t.request('GET', `/v1/users/${user.id}`, { token: tenant.secret_key })
    expect(((await user2.json()) as { first_name: string }).first_name).toBe('Ada')
  })
})
