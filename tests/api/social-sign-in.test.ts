import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { browserClient } from '../support/browser'
import { startFakeOidc, type FakeIdp, type FakeUser } from '../support/fake-idp'
import { nativeClient, newUser } from '../support/flows'
import { auditOf, ok, outboxOf } from '../support/orgs'

let t: TestApp
let idp: FakeIdp
beforeAll(async () => {
  t = await testApp({ webhookAllowPrivate: true })
  idp = await startFakeOidc()
})
afterAll(async () => {
  idp.stop()
  await t.close()
})

const REDIRECT = `${PUBLIC_URL}/app/after-sign-in`
const STRATEGY = 'oauth_custom_acme'

interface Challenge {
  id: string
  strategy: string
  status: string
  external_redirect_url?: string
}
interface SignIn {
  id: string
  status: string
  current_challenge: Challenge | null
  created_session_id: string | null
}
interface ClientObject {
  sessions: { id: string; user_id: string; factors: string[] }[]
  sign_in: SignIn | null
  sign_up: { status: string; created_user_id: string | null } | null
}
interface User {
  id: string
  email_addresses: { email_address: string; verified: boolean }[]
  first_name: string | null
  external_accounts: { provider: string; strategy: string; provider_user_id: string; email_verified: boolean }[]
}

async function socialTenant(settings: Record<string, unknown> = {}) {
  const tenant = await newTenant(t, { settings })
  await ok(
    await t.request('POST', '/v1/oauth-providers', {
      token: tenant.secret_key,
      json: {
        provider: 'custom_oidc',
        key: 'acme',
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        discovery_url: idp.issuer,
      },
    }),
    201,
  )
  return tenant
}

const someone = (extra: Partial<FakeUser> = {}): FakeUser => ({
  sub: crypto.randomUUID(),
  email: `grace-${crypto.randomUUID().slice(0, 8)}@example.com`,
  email_verified: true,
  given_name: 'Grace',
  family_name: 'Hopper',
  ...extra,
})

/** Starts an external sign-in in a browser: the attempt and the provider URL its challenge names. */
async function start(tenant: CreatedTenant, browser = browserClient(t, tenant)) {
  const res = await browser.request('POST', '/client/sign-ins', { strategy: STRATEGY, redirect_url: REDIRECT })
  const signIn = await ok<SignIn>(res)
  return { browser, signIn, url: signIn.current_challenge!.external_redirect_url! }
}

/** The provider sends the browser back: GET of the callback with whatever cookies it holds. */
const callback = (tenant: CreatedTenant, params: Record<string, string>, cookie: string) =>
  t.request('GET', `/t/${tenant.slug}/v1/oauth-callback/acme?${new URLSearchParams(params)}`, {
    headers: cookie ? { cookie } : {},
  })

const errorOf = (res: Response) => new URL(res.headers.get('location')!).searchParams.get('error')

async function userByEmail(tenant: CreatedTenant, email: string): Promise<User | null> {
  const page = await ok<{ data: User[] }>(
    await t.request('GET', `/v1/users?email_address=${encodeURIComponent(email)}`, { token: tenant.secret_key }),
  )
  return page.data[0] ?? null
}

describe('sign-in with a social provider (custom_oidc against a fake OpenID provider)', () => {
  it('starts with the provider URL (state, PKCE S256, nonce) bound to the client', async () => {
    const tenant = await socialTenant()
    const { signIn, url } = await start(tenant)
    expect(signIn).toMatchObject({ status: 'needs_identifier', current_challenge: { strategy: STRATEGY } })
    const authorize = new URL(url)
    expect(authorize.origin + authorize.pathname).toBe(`${idp.issuer}/authorize`)
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${tenant.issuer}/v1/oauth-callback/acme`)
    for (const p of ['state', 'nonce', 'code_challenge'])
      expect(authorize.searchParams.get(p)?.length).toBeGreaterThan(20)
  })

  it('an unknown account becomes a complete sign-up on the same client, with the external account linked', async () => {
    const tenant = await socialTenant()
    const grace = someone()
    const { browser, url } = await start(tenant)
    const res = await callback(tenant, idp.authorize(url, grace), browser.cookieHeader())
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(REDIRECT)
    const client = await ok<ClientObject>(await browser.request('GET', '/client'))
    expect(client.sessions).toHaveLength(1)
    // The provider proved the email, and is the session's one factor (no password was asked).
    expect(client.sessions[0]!.factors).toEqual([STRATEGY])
    const user = (await userByEmail(tenant, grace.email!))!
    expect(client.sessions[0]!.user_id).toBe(user.id)
    expect(user).toMatchObject({
      first_name: 'Grace',
      email_addresses: [{ email_address: grace.email, verified: true }],
      external_accounts: [{ provider: 'custom_acme', strategy: STRATEGY, provider_user_id: grace.sub }],
    })
    const events = (await outboxOf(t, tenant)).map((e) => e.type)
    expect(events).toContain('externalAccount.created')
    expect(events).toContain('user.created')
  })

  it('a known account signs in; the callback cannot be replayed', async () => {
    const tenant = await socialTenant()
    const grace = someone()
    const first = await start(tenant)
    await callback(tenant, idp.authorize(first.url, grace), first.browser.cookieHeader())
    const again = await start(tenant)
    const params = idp.authorize(again.url, grace)
    const res = await callback(tenant, params, again.browser.cookieHeader())
    expect(res.headers.get('location')).toBe(REDIRECT)
    const signIn = await ok<SignIn>(await again.browser.request('GET', `/client/sign-ins/${again.signIn.id}`))
    expect(signIn.status).toBe('complete')
    const client = await ok<ClientObject>(await again.browser.request('GET', '/client'))
    expect(client.sessions.map((s) => s.id)).toEqual([signIn.created_session_id!])
    const replay = await callback(tenant, params, again.browser.cookieHeader())
    expect(errorOf(replay)).toBe('oauth_callback_invalid')
    expect((await userByEmail(tenant, grace.email!))!.external_accounts).toHaveLength(1)
  })

  it('links a provider-verified email to the user who verified it, unless the tenant turns that off', async () => {
    const tenant = await socialTenant()
    const existing = await newUser(t, tenant)
    const { browser, url } = await start(tenant)
    const res = await callback(tenant, idp.authorize(url, someone({ email: existing.email })), browser.cookieHeader())
    expect(errorOf(res)).toBeNull()
    const client = await ok<ClientObject>(await browser.request('GET', '/client'))
    expect(client.sessions[0]!.user_id).toBe(existing.id)
    expect((await userByEmail(tenant, existing.email))!.external_accounts).toHaveLength(1)

    const strict = await socialTenant({ sso: { auto_link_verified_email: false } })
    const other = await newUser(t, strict)
    const s = await start(strict)
    const refused = await callback(
      strict,
      idp.authorize(s.url, someone({ email: other.email })),
      s.browser.cookieHeader(),
    )
    expect(errorOf(refused)).toBe('external_account_link_required')
  })

  it('never links on an email the provider did not verify (the account-takeover path)', async () => {
    const tenant = await socialTenant()
    const victim = await newUser(t, tenant)
    const { browser, url } = await start(tenant)
    const attacker = someone({ email: victim.email, email_verified: false })
    const res = await callback(tenant, idp.authorize(url, attacker), browser.cookieHeader())
    expect(errorOf(res)).toBe('external_account_link_required')
    expect((await ok<ClientObject>(await browser.request('GET', '/client'))).sessions).toEqual([])
    expect((await userByEmail(tenant, victim.email))!.external_accounts).toEqual([])
    const audit = await auditOf(t, tenant)
    expect(audit.find((a) => a.action === 'sso.failed')?.data).toMatchObject({ reason: 'link_required' })
  })

  it('refuses a callback in another browser, with an unknown state, or denied by the provider', async () => {
    const tenant = await socialTenant()
    const { browser, url } = await start(tenant)
    const params = idp.authorize(url, someone())
    const elsewhere = browserClient(t, tenant)
    await elsewhere.request('GET', '/client')
    expect(errorOf(await callback(tenant, params, elsewhere.cookieHeader()))).toBe('oauth_callback_invalid')
    // A browser's attempt answered where no client lives is refused too (only native apps are handed off).
    expect(errorOf(await callback(tenant, params, ''))).toBe('oauth_callback_invalid')
    const unknown = await callback(tenant, { code: 'x', state: 'y'.repeat(43) }, browser.cookieHeader())
    expect(unknown.status).toBe(400)
    expect(unknown.headers.get('content-type')).toStartWith('text/html')
    const denied = await start(tenant, browser)
    const state = new URL(denied.url).searchParams.get('state')!
    expect(errorOf(await callback(tenant, { error: 'access_denied', state }, browser.cookieHeader()))).toBe(
      'oauth_access_denied',
    )
    expect((await ok<ClientObject>(await browser.request('GET', '/client'))).sessions).toEqual([])
  })

  it('refuses a banned user, and a provider that is not enabled', async () => {
    const tenant = await socialTenant()
    const banned = await newUser(t, tenant)
    await ok(await t.request('POST', `/v1/users/${banned.id}/ban`, { token: tenant.secret_key }))
    const { browser, url } = await start(tenant)
    const res = await callback(tenant, idp.authorize(url, someone({ email: banned.email })), browser.cookieHeader())
    expect(errorOf(res)).toBe('oauth_access_denied')
    const bare = await newTenant(t)
    const refused = await browserClient(t, bare).request('POST', '/client/sign-ins', { strategy: 'oauth_google' })
    expect(refused.status).toBe(422)
  })
})

describe('/me/external-accounts', () => {
  it('lists the user’s external accounts and unlinks one (another user’s id is 404)', async () => {
    const tenant = await socialTenant()
    const { browser, url } = await start(tenant)
    await callback(tenant, idp.authorize(url, someone()), browser.cookieHeader())
    await ok(await browser.request('GET', '/client'))
    const listed = await ok<{ data: { id: string; strategy: string }[] }>(
      await browser.request('GET', '/me/external-accounts'),
    )
    expect(listed.data.map((a) => a.strategy)).toEqual([STRATEGY])
    const id = listed.data[0]!.id
    expect((await browser.request('DELETE', '/me/external-accounts/eac_unknown')).status).toBe(404)
    // Signed in a moment ago (a factor within 10 minutes), with a verified email left to sign in with.
    expect(await ok(await browser.request('DELETE', `/me/external-accounts/${id}`))).toEqual({
      object: 'external_account',
      id,
      deleted: true,
    })
    expect((await ok<{ data: unknown[] }>(await browser.request('GET', '/me/external-accounts'))).data).toEqual([])
  })
})

describe('offered whatever sign_in.first_factors lists (API.md §18 settled points)', () => {
  it('lists every enabled provider among an identifier’s first factors, and signs that account in through it', async () => {
    const tenant = await socialTenant({ sign_in: { first_factors: ['password'] } })
    const grace = someone()
    const first = await start(tenant)
    await callback(tenant, idp.authorize(first.url, grace), first.browser.cookieHeader())
    const browser = browserClient(t, tenant)
    const signIn = await ok<SignIn & { supported_first_factors: { strategy: string }[] }>(
      await browser.request('POST', '/client/sign-ins', { identifier: grace.email, redirect_url: REDIRECT }),
    )
    expect(signIn.supported_first_factors.map((f) => f.strategy)).toEqual([
      'password',
      'reset_password_email_code',
      STRATEGY,
    ])
    const challenge = await ok<Challenge>(
      await browser.request('POST', `/client/sign-ins/${signIn.id}/challenges`, { strategy: STRATEGY }),
      201,
    )
    const res = await callback(tenant, idp.authorize(challenge.external_redirect_url!, grace), browser.cookieHeader())
    expect(res.headers.get('location')).toBe(REDIRECT)
    expect((await ok<SignIn>(await browser.request('GET', `/client/sign-ins/${signIn.id}`))).status).toBe('complete')
  })

  it('answers alike for a known and an unknown identifier when the provider names someone else (API.md §12)', async () => {
    const tenant = await socialTenant()
    const mallory = someone()
    const own = await start(tenant)
    await callback(tenant, idp.authorize(own.url, mallory), own.browser.cookieHeader())
    const through = async (identifier: string) => {
      const browser = browserClient(t, tenant)
      const signIn = await ok<SignIn>(
        await browser.request('POST', '/client/sign-ins', { identifier, redirect_url: REDIRECT }),
      )
      const challenge = await ok<Challenge>(
        await browser.request('POST', `/client/sign-ins/${signIn.id}/challenges`, { strategy: STRATEGY }),
        201,
      )
      const res = await callback(
        tenant,
        idp.authorize(challenge.external_redirect_url!, mallory),
        browser.cookieHeader(),
      )
      const after = await ok<SignIn>(await browser.request('GET', `/client/sign-ins/${signIn.id}`))
      return { error: errorOf(res), status: after.status }
    }
    const victim = await newUser(t, tenant)
    const known = await through(victim.email)
    const unknown = await through(`nobody-${crypto.randomUUID().slice(0, 8)}@example.com`)
    expect(known).toEqual({ error: 'oauth_callback_invalid', status: 'needs_first_factor' })
    expect(unknown).toEqual(known)
  })

  it('starts with a provider on a tenant that lists no first factor at all', async () => {
    const tenant = await socialTenant({ sign_in: { first_factors: [] } })
    const { browser, url } = await start(tenant)
    const res = await callback(tenant, idp.authorize(url, someone()), browser.cookieHeader())
    expect(res.headers.get('location')).toBe(REDIRECT)
    const client = await ok<ClientObject>(await browser.request('GET', '/client'))
    expect(client.sessions).toHaveLength(1)
    // An identifier alone is offered the provider; on a tenant without one nothing can start.
    const identified = await ok<SignIn & { supported_first_factors: { strategy: string }[] }>(
      await browserClient(t, tenant).request('POST', '/client/sign-ins', { identifier: 'x@example.com' }),
    )
    expect(identified.supported_first_factors.map((f) => f.strategy)).toEqual([STRATEGY])
    const bare = await newTenant(t, { settings: { sign_in: { first_factors: [] } } })
    const plain = browserClient(t, bare)
    expect((await plain.request('POST', '/client/sign-ins', { identifier: 'x@example.com' })).status).toBe(422)
  })
})

describe('the last way in (API.md §16, §18 settled points)', () => {
  const lastWayIn = async (res: Response) => {
    expect(res.status).toBe(422)
    const body = (await res.json()) as { errors: { meta: { reason?: string } }[] }
    expect(body.errors[0]!.meta.reason).toBe('last_sign_in_method')
  }
  const signedUp = async (tenant: CreatedTenant) => {
    const { browser, url } = await start(tenant)
    await callback(tenant, idp.authorize(url, someone()), browser.cookieHeader())
    await ok(await browser.request('GET', '/client'))
    const accounts = await ok<{ data: { id: string }[] }>(await browser.request('GET', '/me/external-accounts'))
    const me = await ok<{ primary_email_address_id: string }>(await browser.request('GET', '/me'))
    return { browser, accountId: accounts.data[0]!.id, emailId: me.primary_email_address_id }
  }

  it('does not count a verified address while no code or link strategy is on', async () => {
    const tenant = await socialTenant({ sign_in: { first_factors: ['password', 'passkey'] } })
    const { browser, accountId } = await signedUp(tenant)
    await lastWayIn(await browser.request('DELETE', `/me/external-accounts/${accountId}`))
    expect((await ok<{ data: unknown[] }>(await browser.request('GET', '/me/external-accounts'))).data).toHaveLength(1)
  })

  it('counts the external account: the address may go, and then the account is the last way in', async () => {
    const tenant = await socialTenant()
    const { browser, accountId, emailId } = await signedUp(tenant)
    await ok(await browser.request('DELETE', `/me/email-addresses/${emailId}`))
    await lastWayIn(await browser.request('DELETE', `/me/external-accounts/${accountId}`))
  })
})

describe('POST /me/external-accounts (linking from the account)', () => {
  it('links the provider’s account to the signed-in user, and never one another user holds', async () => {
    const tenant = await socialTenant()
    const signedIn = async () => {
      const user = await newUser(t, tenant)
      const browser = browserClient(t, tenant)
      await ok(await browser.request('POST', '/client/sign-ins', { identifier: user.email, password: user.password }))
      return { user, browser }
    }
    const { user, browser } = await signedIn()
    const person = someone({ email_verified: false })
    const linking = await browser.request('POST', '/me/external-accounts', {
      strategy: STRATEGY,
      redirect_url: REDIRECT,
    })
    const challenge = await ok<Challenge>(linking, 201)
    const res = await callback(tenant, idp.authorize(challenge.external_redirect_url!, person), browser.cookieHeader())
    expect(res.headers.get('location')).toBe(REDIRECT)
    const mine = await ok<{ data: { provider_user_id: string }[] }>(
      await browser.request('GET', '/me/external-accounts'),
    )
    expect(mine.data.map((a) => a.provider_user_id)).toEqual([person.sub])
    // The account now signs its owner in, whatever its address.
    const again = await start(tenant)
    await callback(tenant, idp.authorize(again.url, person), again.browser.cookieHeader())
    const client = await ok<ClientObject>(await again.browser.request('GET', '/client'))
    expect(client.sessions.map((s) => s.user_id)).toEqual([user.id])

    const other = await signedIn()
    const taken = await ok<Challenge>(
      await other.browser.request('POST', '/me/external-accounts', { strategy: STRATEGY, redirect_url: REDIRECT }),
      201,
    )
    const refused = await callback(
      tenant,
      idp.authorize(taken.external_redirect_url!, person),
      other.browser.cookieHeader(),
    )
    expect(errorOf(refused)).toBe('external_account_exists')
    expect((await ok<{ data: unknown[] }>(await other.browser.request('GET', '/me/external-accounts'))).data).toEqual(
      [],
    )
  })
})

describe('form_post callbacks (Apple)', () => {
  it('sends the cross-site POST on to a GET, which the browser’s cookie binds to its client', async () => {
    const tenant = await socialTenant()
    const { browser, url } = await start(tenant)
    const params = idp.authorize(url, someone())
    const posted = await t.request('POST', `/t/${tenant.slug}/v1/oauth-callback/acme`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://appleid.apple.com' },
      body: new URLSearchParams(params).toString(),
    })
    expect(posted.status).toBe(303)
    const next = new URL(posted.headers.get('location')!)
    expect(next.pathname).toBe(`/t/${tenant.slug}/v1/oauth-callback/acme`)
    expect(next.searchParams.get('state')).toBe(params.state!)
    const res = await t.request('GET', next.pathname + next.search, { headers: { cookie: browser.cookieHeader() } })
    expect(res.headers.get('location')).toBe(REDIRECT)
    expect((await ok<ClientObject>(await browser.request('GET', '/client'))).sessions).toHaveLength(1)
  })
})

describe('native apps (no client in the system browser)', () => {
  it('hands the answer to the app, which alone completes it with its own credential', async () => {
    const tenant = await socialTenant()
    const app = nativeClient(t, tenant)
    const signIn = await ok<SignIn>(
      await app.request('POST', '/client/sign-ins', { strategy: STRATEGY, redirect_url: REDIRECT }),
    )
    const person = someone()
    const params = idp.authorize(signIn.current_challenge!.external_redirect_url!, person)
    // The system browser has no cookie of the app's client: nothing is concluded there.
    const res = await callback(tenant, params, '')
    const back = new URL(res.headers.get('location')!)
    expect(back.origin + back.pathname).toBe(REDIRECT)
    // In the fragment: out of server logs and Referer headers.
    expect(back.search).toBe('')
    const token = new URLSearchParams(back.hash.slice(1)).get('external_token')!
    expect(token.length).toBeGreaterThan(40)
    const stranger = nativeClient(t, tenant)
    await stranger.request('GET', '/client')
    expect((await stranger.request('POST', `/client/sign-ins/${signIn.id}/external`, { token })).status).toBe(404)
    const done = await ok<{ object: string; status: string; session_token?: string }>(
      await app.request('POST', `/client/sign-ins/${signIn.id}/external`, { token }),
    )
    // An unknown account: the sign-up it became, complete, with the app's tokens.
    expect(done).toMatchObject({ object: 'sign_up_attempt', status: 'complete' })
    expect(done.session_token).toBeString()
    expect((await app.request('POST', `/client/sign-ins/${signIn.id}/external`, { token })).status).toBe(422)
  })
})

describe('POST /client/sign-ups with a social provider', () => {
  it('signs up through the provider; an existing account is refused (sign in instead)', async () => {
    const tenant = await socialTenant()
    const person = someone()
    const browser = browserClient(t, tenant)
    const started = await ok<{ id: string; status: string; current_challenge?: Challenge }>(
      await browser.request('POST', '/client/sign-ups', { strategy: STRATEGY, redirect_url: REDIRECT }),
    )
    expect(started).toMatchObject({ status: 'missing_requirements', current_challenge: { strategy: STRATEGY } })
    const url = started.current_challenge!.external_redirect_url!
    const res = await callback(tenant, idp.authorize(url, person), browser.cookieHeader())
    expect(res.headers.get('location')).toBe(REDIRECT)
    const done = await ok<{ status: string; created_user_id: string; email_address: string }>(
      await browser.request('GET', `/client/sign-ups/${started.id}`),
    )
    expect(done).toMatchObject({ status: 'complete', email_address: person.email })
    expect((await ok<ClientObject>(await browser.request('GET', '/client'))).sessions.map((s) => s.user_id)).toEqual([
      done.created_user_id,
    ])

    const again = browserClient(t, tenant)
    const second = await ok<{ current_challenge?: Challenge }>(
      await again.request('POST', '/client/sign-ups', { strategy: STRATEGY, redirect_url: REDIRECT }),
    )
    const exists = await callback(
      tenant,
      idp.authorize(second.current_challenge!.external_redirect_url!, person),
      again.cookieHeader(),
    )
    expect(errorOf(exists)).toBe('external_account_exists')
    const mixed = await browser.request('POST', '/client/sign-ups', {
      strategy: STRATEGY,
      email_address: 'x@example.com',
    })
    expect(mixed.status).toBe(422)
  })
})
