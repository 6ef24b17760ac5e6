import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { signInAttempts } from '../../src/features/sign-in/schema'
import { sessions } from '../../src/features/sessions/schema'
import { users as usersTable } from '../../src/features/users/schema'
import { auditEvents } from '../../src/platform/db/schema'
import { firstError, newTenant, testApp, type CreatedTenant, type TestApp } from '../support/app'
import {
  browserClient,
  codeIn,
  confirmLink,
  introspect,
  lastMessage,
  linkIn,
  nativeClient,
  newUser,
  signInNative,
} from '../support/flows'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const attemptsOf = (tenant: CreatedTenant) =>
  t.deps.db.select().from(signInAttempts).where(eq(signInAttempts.tenantId, tenant.id))

describe('password sign-in (native)', () => {
  it('completes in one call with a session token that verifies offline against the JWKS', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const client = nativeClient(t, tenant)
    const res = await client.request('POST', '/client/sign-ins', {
      identifier: user.email.toUpperCase(),
      password: user.password,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as Record<string, unknown> & {
      session: { id: string; status: string; user_id: string }
      session_token: string
      refresh_token: string
    }
    expect(body).toMatchObject({ object: 'sign_in_attempt', status: 'complete', created_session_id: body.session.id })
    expect(body.session).toMatchObject({ object: 'session', status: 'active', user_id: user.id })
    expect(body.refresh_token.length).toBeGreaterThanOrEqual(43)

    const jwks = (await (await t.request('GET', `/t/${tenant.slug}/.well-known/jwks.json`)).json()) as JSONWebKeySet
    const { payload } = await jwtVerify(body.session_token, createLocalJWKSet(jwks), {
      issuer: tenant.issuer,
      currentDate: new Date(t.clock.now()),
    })
    expect(payload).toMatchObject({ sub: user.id, sid: body.session.id, amr: ['password'], fva: [0, -1], roles: [] })
    expect(payload.exp! - payload.iat!).toBe(600)
    expect(payload.nbf).toBe(payload.iat)

    const audit = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, 'sign_in.succeeded')))
    expect(audit).toHaveLength(1)
  })

  it('answers a wrong password with 422 form_password_incorrect and attempts_remaining, for known and unknown accounts alike', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const known = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
      identifier: user.email,
      password: 'wrong password!',
    })
    const unknown = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
      identifier: 'nobody@example.com',
      password: 'wrong password!',
    })
    for (const res of [known, unknown]) expect(res.status).toBe(422)
    const [a, b] = [await firstError(known), await firstError(unknown)]
    expect(a.code).toBe('form_password_incorrect')
    expect(b.code).toBe('form_password_incorrect')
    expect(Object.keys(a.meta).sort()).toEqual(Object.keys(b.meta).sort())
    expect(typeof a.meta.attempts_remaining).toBe('number')
    const failures = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, 'sign_in.failed')))
    expect(failures).toHaveLength(2)
    expect(failures.every((f) => f.userAgent !== undefined)).toBe(true)
  })

  it('offers the same factors for an unknown identifier as for a known one', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const shape = async (identifier: string) => {
      const res = await nativeClient(t, tenant).request('POST', '/client/sign-ins', { identifier })
      expect(res.status).toBe(200)
      const body = (await res.json()) as { status: string; supported_first_factors: { strategy: string }[] }
      return { status: body.status, strategies: body.supported_first_factors.map((f) => f.strategy) }
    }
    expect(await shape('stranger@example.com')).toEqual(await shape(user.email))
  })

  it('answers a password for an account without one exactly like an unknown identifier', async () => {
    const tenant = await newTenant(t)
    const created = await t.request('POST', '/v1/users', {
      token: tenant.secret_key,
      json: { email_address: ['passwordless@example.com'] },
    })
    expect(created.status).toBe(201)
    const tryPassword = async (identifier: string) => {
      const res = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
        identifier,
        password: 'some password!',
      })
      const err = await firstError(res)
      return { status: res.status, code: err.code, meta: Object.keys(err.meta).sort() }
    }
    const known = await tryPassword('passwordless@example.com')
    expect(known).toEqual(await tryPassword('stranger@example.com'))
    expect(known.code).toBe('form_password_incorrect')
  })

  it('refuses a banned user like a wrong password', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    await t.request('POST', `/v1/users/${user.id}/ban`, { token: tenant.secret_key })
    const res = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
      identifier: user.email,
      password: user.password,
    })
    expect(res.status).toBe(422)
    expect((await firstError(res)).code).toBe('form_password_incorrect')
  })

  it('refuses a password over the maximum without hashing it', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const started = performance.now()
    const res = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
      identifier: user.email,
      password: 'x'.repeat(5000),
    })
    expect(res.status).toBe(422)
    expect((await firstError(res)).code).toBe('form_password_incorrect')
    expect(performance.now() - started).toBeLessThan(2000)
  })
})

describe('password hashes', () => {
  it('rehashes a stored hash made with older argon2 parameters on the next sign-in', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const hashOf = async () =>
      (await t.deps.db.select({ h: usersTable.passwordHash }).from(usersTable).where(eq(usersTable.id, user.id)))[0]!.h!
    expect(await hashOf()).toContain('$m=19456,t=2,')
    await t.request('PATCH', '/v1/settings', {
      token: tenant.secret_key,
      json: { password: { argon2: { memory_kib: 8192, iterations: 3 } } },
    })
    await signInNative(t, tenant, user)
    expect(await hashOf()).toContain('$m=8192,t=3,')
    await signInNative(t, tenant, user)
  })
})

describe('lockout', () => {
  it('locks after the configured failures with 423 user_locked, until unlock', async () => {
    const tenant = await newTenant(t, { settings: { lockout: { max_failed_attempts: 3, duration_s: 600 } } })
    const user = await newUser(t, tenant)
    const statuses: number[] = []
    for (let i = 0; i < 3; i++)
      statuses.push(
        (
          await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
            identifier: user.email,
            password: 'nope-nope',
          })
        ).status,
      )
    expect(statuses).toEqual([422, 422, 423])
    const locked = await nativeClient(t, tenant).request('POST', '/client/sign-ins', {
      identifier: user.email,
      password: user.password,
    })
    expect(locked.status).toBe(423)
    const err = await firstError(locked)
    expect(err.code).toBe('user_locked')
    expect(err.meta.unlock_at).toBeGreaterThan(t.clock.now())
    expect((await t.request('POST', `/v1/users/${user.id}/unlock`, { token: tenant.secret_key })).status).toBe(200)
    await signInNative(t, tenant, user)
  })
})

describe('rate limits', () => {
  it('limits attempts per identifier with 429 and Retry-After', async () => {
    const tenant = await newTenant(t, { settings: { rate_limits: { per_identifier_per_minute: 2 } } })
    const statuses: number[] = []
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await nativeClient(t, tenant).request('POST', '/client/sign-ins', { identifier: 'target@example.com' }))
          .status,
      )
    expect(statuses).toEqual([200, 200, 429])
    const res = await nativeClient(t, tenant).request('POST', '/client/sign-ins', { identifier: 'TARGET@example.com ' })
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await firstError(res)).code).toBe('too_many_requests')
    t.clock.advance(60_000)
    expect(
      (await nativeClient(t, tenant).request('POST', '/client/sign-ins', { identifier: 'target@example.com' })).status,
    ).toBe(200)
  })

  it('limits per socket peer, ignoring X-Forwarded-For from untrusted peers, and 0 turns a limit off', async () => {
    const peered = await testApp()
    peered.deps.peerOf = (request) => request.headers.get('x-test-peer')
    try {
      const tenant = await newTenant(peered, {
        settings: { rate_limits: { per_ip_per_minute: 2, per_identifier_per_minute: 0 } },
      })
      const from = (peer: string, forwarded: string) =>
        peered.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
          headers: { 'x-native-client': '1', 'x-test-peer': peer, 'x-forwarded-for': forwarded },
          json: { identifier: `${crypto.randomUUID()}@example.com` },
        })
      const statuses = [
        await from('10.0.0.1', '1.1.1.1'),
        await from('10.0.0.1', '2.2.2.2'),
        await from('10.0.0.1', '3.3.3.3'),
        await from('10.0.0.2', '1.1.1.1'),
      ].map((r) => r.status)
      expect(statuses).toEqual([200, 200, 429, 200])
    } finally {
      await peered.close()
    }
  })
})

describe('email code', () => {
  it('sends a code to the account’s address, counts wrong tries, and completes with the right code', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const client = nativeClient(t, tenant)
    const attempt = (await (await client.request('POST', '/client/sign-ins', { identifier: user.email })).json()) as {
      id: string
      status: string
    }
    expect(attempt.status).toBe('needs_first_factor')
    const res = await client.request('POST', `/client/sign-ins/${attempt.id}/challenges`, { strategy: 'email_code' })
    expect(res.status).toBe(201)
    const challenge = (await res.json()) as { id: string; status: string; attempts_remaining: number; strategy: string }
    expect(challenge).toMatchObject({
      object: 'challenge',
      strategy: 'email_code',
      status: 'pending',
      attempts_remaining: 5,
    })
    const code = codeIn((await lastMessage(t, user.email)).text)!
    const wrong = code === '000000' ? '111111' : '000000'
    const bad = await client.request('POST', `/client/sign-ins/${attempt.id}/challenges/${challenge.id}/answer`, {
      code: wrong,
    })
    expect(bad.status).toBe(422)
    expect(await firstError(bad)).toMatchObject({ code: 'form_code_incorrect', meta: { attempts_remaining: 4 } })
    const ok = await client.request('POST', `/client/sign-ins/${attempt.id}/challenges/${challenge.id}/answer`, {
      code,
    })
    expect(ok.status).toBe(200)
    const done = (await ok.json()) as { status: string; session_token: string }
    expect(done.status).toBe('complete')
    expect((await introspect(t, tenant, done.session_token)).amr).toEqual(['email_code'])
  })

  it('fails the challenge after five wrong codes; the attempt needs a new challenge', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const client = nativeClient(t, tenant)
    const attempt = (await (
      await client.request('POST', '/client/sign-ins', { identifier: user.email, strategy: 'email_code' })
    ).json()) as { id: string; current_challenge: { id: string } }
    const answer = () =>
      client.request('POST', `/client/sign-ins/${attempt.id}/challenges/${attempt.current_challenge.id}/answer`, {
        code: 'abcdef',
      })
    const remaining: unknown[] = []
    for (let i = 0; i < 5; i++) remaining.push((await firstError(await answer())).meta.attempts_remaining)
    expect(remaining).toEqual([4, 3, 2, 1, 0])
    const after = await answer()
    expect(after.status).toBe(422)
    expect((await firstError(after)).code).toBe('verification_failed')
    const poll = (await (
      await client.request('GET', `/client/sign-ins/${attempt.id}/challenges/${attempt.current_challenge.id}`)
    ).json()) as { status: string }
    expect(poll.status).toBe('failed')
    // A fresh code can be asked for once the resend cooldown has passed.
    expect(
      (await client.request('POST', `/client/sign-ins/${attempt.id}/challenges`, { strategy: 'email_code' })).status,
    ).toBe(429)
    t.clock.advance(31_000)
    expect(
      (await client.request('POST', `/client/sign-ins/${attempt.id}/challenges`, { strategy: 'email_code' })).status,
    ).toBe(201)
  })

  it('sends nothing for an unknown identifier, yet answers the same way', async () => {
    const tenant = await newTenant(t)
    const client = nativeClient(t, tenant)
    const email = `ghost-${crypto.randomUUID().slice(0, 6)}@example.com`
    const attempt = (await (await client.request('POST', '/client/sign-ins', { identifier: email })).json()) as {
      id: string
    }
    const res = await client.request('POST', `/client/sign-ins/${attempt.id}/challenges`, { strategy: 'email_code' })
    expect(res.status).toBe(201)
    const challenge = (await res.json()) as { id: string }
    const answer = await client.request('POST', `/client/sign-ins/${attempt.id}/challenges/${challenge.id}/answer`, {
      code: '123456',
    })
    expect(await firstError(answer)).toMatchObject({ code: 'form_code_incorrect', meta: { attempts_remaining: 4 } })
    await t.deps.relay.kick()
    const mailbox = await t.request('GET', `/platform/v1/dev/messages?to=${email}`, { token: t.platformKey })
    expect(((await mailbox.json()) as { data: unknown[] }).data).toHaveLength(0)
  })

  it('refuses a strategy the tenant has not enabled', async () => {
    const tenant = await newTenant(t, { settings: { sign_in: { first_factors: ['password'] } } })
    const user = await newUser(t, tenant)
    const client = nativeClient(t, tenant)
    const attempt = (await (await client.request('POST', '/client/sign-ins', { identifier: user.email })).json()) as {
      id: string
      supported_first_factors: unknown[]
    }
    // With passwords on, password reset is offered too (API.md §4).
    expect(attempt.supported_first_factors).toEqual([
      { strategy: 'password' },
      { strategy: 'reset_password_email_code', safe_identifier: `${user.email[0]}***@example.com` },
    ])
    const res = await client.request('POST', `/client/sign-ins/${attempt.id}/challenges`, { strategy: 'email_code' })
    expect(res.status).toBe(422)
    expect((await firstError(res)).code).toBe('strategy_not_allowed')
  })
})

describe('email link', () => {
  it('GET shows a confirmation page and changes nothing; only the client that asked can confirm', async () => {
    const tenant = await newTenant(t, { settings: { redirect_urls: ['https://app.example/after'] } })
    const user = await newUser(t, tenant)
    const owner = nativeClient(t, tenant)
    const created = await owner.request('POST', '/client/sign-ins', {
      identifier: user.email,
      strategy: 'email_link',
      redirect_url: 'https://app.example/after',
    })
    const attempt = (await created.json()) as { id: string; current_challenge: { id: string } }
    const link = linkIn((await lastMessage(t, user.email)).text)!
    expect(link).toStartWith(`${tenant.issuer}/v1/verify?token=`)
    const challengeStatus = async () =>
      (
        (await (
          await owner.request('GET', `/client/sign-ins/${attempt.id}/challenges/${attempt.current_challenge.id}`)
        ).json()) as { status: string }
      ).status

    // Another device (no cookies; parameters added to the link are ignored): the page, then its form.
    const { page, html, confirmed } = await confirmLink(t, `${link}&redirect_url=https://evil.example/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(html).toContain('<form method="post"')
    expect(html).toContain(`sign in to ${tenant.name}`)
    expect(confirmed.status).toBe(200)
    expect(await confirmed.text()).toContain('device that asked')
    expect(confirmed.headers.get('set-cookie')).toBeNull()
    expect(await challengeStatus()).toBe('pending')

    // The app that asked confirms with its own client token.
    const token = new URL(link).searchParams.get('token')!
    expect((await nativeClient(t, tenant).request('POST', '/client/verify', { token })).status).toBe(404)
    const done = await owner.request('POST', '/client/verify', { token })
    expect(done.status).toBe(200)
    const body = (await done.json()) as { object: string; status: string; session_token?: string }
    expect(body).toMatchObject({ object: 'sign_in_attempt', status: 'complete' })
    expect((await introspect(t, tenant, body.session_token!)).active).toBe(true)
    expect(await challengeStatus()).toBe('verified')
    const again = (await (await owner.request('GET', `/client/sign-ins/${attempt.id}`)).json()) as {
      session_token?: string
      session: unknown
    }
    expect(again.session_token).toBeUndefined()
    expect(again.session).toBeDefined()

    const reopened = await t.app.handle(new Request(link))
    expect(reopened.status).toBe(422)
    expect(reopened.headers.get('content-type')).toContain('text/html')
  })

  it('confirmed in the browser that asked, redirects to the attempt’s redirect_url with the session there', async () => {
    const tenant = await newTenant(t, { settings: { redirect_urls: ['https://app.example/after'] } })
    const user = await newUser(t, tenant)
    const browser = browserClient(t, tenant)
    await browser.request('POST', '/client/sign-ins', {
      identifier: user.email,
      strategy: 'email_link',
      redirect_url: 'https://app.example/after',
    })
    const link = linkIn((await lastMessage(t, user.email)).text)!
    const { confirmed } = await confirmLink(t, link, browser.cookie)
    expect(confirmed.status).toBe(303)
    expect(confirmed.headers.get('location')).toBe('https://app.example/after')
    const client = (await (await browser.request('GET', '/client')).json()) as { sessions: { user_id: string }[] }
    expect(client.sessions.map((s) => s.user_id)).toContain(user.id)
  })

  it('shows a page to close when the attempt has no redirect_url, and refuses an unknown token', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const browser = browserClient(t, tenant)
    await browser.request('POST', '/client/sign-ins', { identifier: user.email, strategy: 'email_link' })
    const link = linkIn((await lastMessage(t, user.email)).text)!
    const { confirmed } = await confirmLink(t, link, browser.cookie)
    expect(confirmed.status).toBe(200)
    expect(await confirmed.text()).toContain('close this tab')
    expect((await t.request('GET', `/t/${tenant.slug}/v1/verify?token=${'A'.repeat(43)}`)).status).toBe(422)
  })
})

describe('attempt lifecycle and isolation', () => {
  it('expires an attempt after its lifetime', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const client = nativeClient(t, tenant)
    const attempt = (await (
      await client.request('POST', '/client/sign-ins', { identifier: user.email, strategy: 'email_code' })
    ).json()) as { id: string; current_challenge: { id: string } }
    t.clock.advance(16 * 60_000)
    expect(
      ((await (await client.request('GET', `/client/sign-ins/${attempt.id}`)).json()) as { status: string }).status,
    ).toBe('expired')
    const res = await client.request(
      'POST',
      `/client/sign-ins/${attempt.id}/challenges/${attempt.current_challenge.id}/answer`,
      { code: '123456' },
    )
    expect(res.status).toBe(422)
    expect((await firstError(res)).code).toBe('verification_expired')
  })

  it('hides an attempt from another client, another tenant and the backend API', async () => {
    const tenant = await newTenant(t)
    const other = await newTenant(t)
    const a = nativeClient(t, tenant)
    const attempt = (await (await a.request('POST', '/client/sign-ins', { identifier: 'x@example.com' })).json()) as {
      id: string
    }
    expect((await nativeClient(t, tenant).request('GET', `/client/sign-ins/${attempt.id}`)).status).toBe(404)
    expect((await nativeClient(t, other).request('GET', `/client/sign-ins/${attempt.id}`)).status).toBe(404)
    expect((await t.request('GET', `/v1/sign-ins/${attempt.id}`, { token: tenant.secret_key })).status).toBe(404)
    expect((await a.request('GET', `/client/sign-ins/${attempt.id}`)).status).toBe(200)
  })

  it('lets exactly one of two concurrent right answers complete the attempt', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const client = nativeClient(t, tenant)
    const attempt = (await (
      await client.request('POST', '/client/sign-ins', { identifier: user.email, strategy: 'email_code' })
    ).json()) as { id: string; current_challenge: { id: string } }
    const code = codeIn((await lastMessage(t, user.email)).text)
    const path = `/client/sign-ins/${attempt.id}/challenges/${attempt.current_challenge.id}/answer`
    const results = await Promise.all([client.request('POST', path, { code }), client.request('POST', path, { code })])
    const statuses = results.map((r) => r.status).sort()
    expect(statuses[0]).toBe(200)
    expect([409, 422]).toContain(statuses[1]!)
    const created = await t.deps.db.select().from(sessions).where(eq(sessions.userId, user.id))
    expect(created).toHaveLength(1)
  })

  it('changes nothing for malformed JSON, unknown fields or a foreign redirect_url', async () => {
    const tenant = await newTenant(t)
    const path = `/t/${tenant.slug}/v1/client/sign-ins`
    const malformed = await t.request('POST', path, {
      headers: { 'x-native-client': '1', 'content-type': 'application/json' },
      body: '{"identifier":',
    })
    expect(malformed.status).toBe(400)
    const unknown = await t.request('POST', path, {
      headers: { 'x-native-client': '1' },
      json: { identifier: 'a@example.com', admin: true },
    })
    expect(unknown.status).toBe(422)
    const redirect = await t.request('POST', path, {
      headers: { 'x-native-client': '1' },
      json: { identifier: 'a@example.com', redirect_url: 'https://evil.example/' },
    })
    expect(redirect.status).toBe(422)
    expect((await firstError(redirect)).meta.param_name).toBe('redirect_url')
    expect(await attemptsOf(tenant)).toHaveLength(0)
  })
})

describe('browser mode', () => {
  it('sets the client and session cookies and requires an allowed Origin on cookie-authenticated calls', async () => {
    const tenant = await newTenant(t, { settings: { allowed_origins: ['https://app.example'] } })
    const user = await newUser(t, tenant)
    const first = await t.request('GET', `/t/${tenant.slug}/v1/client`, { headers: { origin: 'https://app.example' } })
    expect(first.status).toBe(200)
    expect(first.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(first.headers.get('access-control-allow-credentials')).toBe('true')
    const clientCookie = first.headers.getSetCookie().find((c) => c.startsWith('__client='))!
    expect(clientCookie).toContain('HttpOnly')
    expect(clientCookie).toContain('SameSite=Lax')
    expect(clientCookie).toContain(`Path=/t/${tenant.slug}`)
    const cookie = clientCookie.split(';')[0]!

    const noOrigin = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
      headers: { cookie },
      json: { identifier: user.email, password: user.password },
    })
    expect(noOrigin.status).toBe(403)
    expect((await firstError(noOrigin)).code).toBe('origin_invalid')
    const evil = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
      headers: { cookie, origin: 'https://evil.example' },
      json: { identifier: user.email, password: user.password },
    })
    expect(evil.status).toBe(403)
    expect(evil.headers.get('access-control-allow-origin')).toBeNull()

    const ok = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
      headers: { cookie, origin: 'https://app.example' },
      json: { identifier: user.email, password: user.password },
    })
    expect(ok.status).toBe(200)
    const body = (await ok.json()) as Record<string, unknown>
    expect(body.session_token).toBeUndefined()
    expect(body.refresh_token).toBeUndefined()
    const cookies = ok.headers.getSetCookie()
    const session = cookies.find((c) => c.startsWith('__session='))!
    const refresh = cookies.find((c) => c.startsWith('__refresh='))!
    expect(session).not.toContain('HttpOnly')
    expect(refresh).toContain('HttpOnly')

    const client = (await (await t.request('GET', `/t/${tenant.slug}/v1/client`, { headers: { cookie } })).json()) as {
      sessions: { id: string }[]
      last_active_session_id: string
    }
    expect(client.sessions).toHaveLength(1)
    expect(client.last_active_session_id).toBe(client.sessions[0]!.id)
  })

  it('hands a new client over even when the first call fails, with CORS so the page can read the error', async () => {
    const tenant = await newTenant(t, { settings: { allowed_origins: ['https://app.example'] } })
    const user = await newUser(t, tenant)
    const res = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
      headers: { origin: 'https://app.example' },
      json: { identifier: user.email, password: 'wrong-password' },
    })
    expect(res.status).toBe(422)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example')
    const cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('__client='))!
      .split(';')[0]!
    const err = await firstError(res)
    const retry = await t.request('GET', `/t/${tenant.slug}/v1/client/sign-ins/${err.meta.sign_in_id}`, {
      headers: { cookie },
    })
    expect(retry.status).toBe(200)
    const native = await t.request('POST', `/t/${tenant.slug}/v1/client/sign-ins`, {
      headers: { 'x-native-client': '1' },
      json: { identifier: user.email, password: 'wrong-password' },
    })
    expect(native.status).toBe(422)
    expect(native.headers.get('x-client-token')).toBeString()
  })

  it('never adopts an unknown client token', async () => {
    const tenant = await newTenant(t)
    const res = await t.request('GET', `/t/${tenant.slug}/v1/client`, {
      headers: { 'x-client-token': 'attacker-chosen-token' },
    })
    expect(res.status).toBe(200)
    const issued = res.headers.get('x-client-token')
    expect(issued).toBeString()
    expect(issued).not.toBe('attacker-chosen-token')
  })

  it('answers a preflight only for allowed origins, never with *', async () => {
    const tenant = await newTenant(t, { settings: { allowed_origins: ['https://app.example'] } })
    const allowed = await t.request('OPTIONS', `/t/${tenant.slug}/v1/client/sign-ins`, {
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    })
    expect(allowed.status).toBe(204)
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example')
    const denied = await t.request('OPTIONS', `/t/${tenant.slug}/v1/client/sign-ins`, {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(denied.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('backend API sign-in', () => {
  it('completes with tokens in the body, bound to the secret key', async () => {
    const tenant = await newTenant(t)
    const user = await newUser(t, tenant)
    const res = await t.request('POST', '/v1/sign-ins', {
      token: tenant.secret_key,
      json: { identifier: user.email, password: user.password },
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      status: string
      session: { client_id: string | null }
      session_token: string
      refresh_token: string
    }
    expect(body.status).toBe('complete')
    expect(body.session.client_id).toBeNull()
    expect((await introspect(t, tenant, body.session_token)).active).toBe(true)
    const other = await newTenant(t)
    expect(
      (
        await t.request('POST', '/v1/sign-ins', {
          token: other.secret_key,
          json: { identifier: user.email, password: user.password },
        })
      ).status,
    ).toBe(422)
  })
})
