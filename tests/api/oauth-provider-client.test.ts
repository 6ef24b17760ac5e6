import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createHash } from 'node:crypto'
import { exportPKCS8, exportSPKI, generateKeyPair, importSPKI, jwtVerify } from 'jose'
import { appleClientSecret } from '../../src/features/oauth-providers/apple'
import { fromDiscord, fromGithub, fromMapping, fromOidc } from '../../src/features/oauth-providers/profiles'
import * as OAuthProviders from '../../src/features/oauth-providers/service'
import type { OAuthProviderConfig } from '../../src/features/oauth-providers/service'
import { withTenant } from '../../src/platform/db/tx'
import { newTenant, PUBLIC_URL, testApp, type CreatedTenant, type TestApp } from '../support/app'
import { startFakeOAuth2, startFakeOidc, type FakeIdp, type FakeUser } from '../support/fake-idp'

let t: TestApp
let oidc: FakeIdp
let oauth2: FakeIdp
beforeAll(async () => {
  t = await testApp({ webhookAllowPrivate: true })
  oidc = await startFakeOidc()
  oauth2 = await startFakeOAuth2()
})
afterAll(async () => {
  oidc.stop()
  oauth2.stop()
  await t.close()
})

const ADA: FakeUser = {
  sub: '4242',
  email: 'ada@example.com',
  email_verified: true,
  given_name: 'Ada',
  family_name: 'Lovelace',
  preferred_username: 'ada',
  picture: 'https://img.example.com/ada.png',
}

const verifier = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
const challengeOf = (v: string) => createHash('sha256').update(v).digest('base64url')

async function addProvider(app: TestApp, tenant: CreatedTenant, body: Record<string, unknown>) {
  const res = await app.request('POST', '/v1/oauth-providers', { token: tenant.secret_key, json: body })
  if (res.status !== 201) throw new Error(`provider creation failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as { id: string; strategy: string; callback_url: string }
}

const configOf = (app: TestApp, tenant: CreatedTenant, strategy: string) =>
  withTenant(app.deps.db, tenant.id, (tx) => OAuthProviders.findByStrategy(app.deps, tx, tenant, strategy))

async function customOidc(tenant: CreatedTenant, idp: FakeIdp = oidc, key = 'acme') {
  const created = await addProvider(t, tenant, {
    provider: 'custom_oidc',
    key,
    client_id: idp.clientId,
    client_secret: idp.clientSecret,
    discovery_url: idp.issuer,
  })
  return { created, config: (await configOf(t, tenant, created.strategy))! }
}

/** The browser's round trip: authorization URL → (fake) login → callback parameters. */
async function signIn(config: OAuthProviderConfig, user: FakeUser, redirectUri: string, idp: FakeIdp = oidc) {
  const codeVerifier = verifier()
  const nonce = crypto.randomUUID()
  const state = crypto.randomUUID()
  const url = await OAuthProviders.authorizationUrl(t.deps, config, {
    redirectUri,
    state,
    nonce,
    codeChallenge: challengeOf(codeVerifier),
  })
  const callbackParams = idp.authorize(url, user)
  return { url: new URL(url), state, nonce, codeVerifier, callbackParams }
}

const exchangeOf = (
  config: OAuthProviderConfig,
  flow: Awaited<ReturnType<typeof signIn>>,
  redirectUri: string,
  over: Partial<OAuthProviders.ExchangeInput> = {},
) =>
  OAuthProviders.exchange(t.deps, config, {
    code: flow.callbackParams.code!,
    codeVerifier: flow.codeVerifier,
    redirectUri,
    nonce: flow.nonce,
    callbackParams: flow.callbackParams,
    ...over,
  })

describe('custom_oidc provider (fake OpenID provider on 127.0.0.1)', () => {
  it('builds an authorization URL with state, nonce, PKCE S256, scopes and the redirect URI', async () => {
    const tenant = await newTenant(t)
    const { created, config } = await customOidc(tenant)
    const flow = await signIn(config, ADA, created.callback_url)
    expect(`${flow.url.origin}${flow.url.pathname}`).toBe(`${oidc.issuer}/authorize`)
    const q = flow.url.searchParams
    expect(q.get('client_id')).toBe(oidc.clientId)
    expect(q.get('response_type')).toBe('code')
    expect(q.get('redirect_uri')).toBe(`${PUBLIC_URL}/t/${tenant.slug}/v1/oauth-callback/acme`)
    expect(q.get('state')).toBe(flow.state)
    expect(q.get('nonce')).toBe(flow.nonce)
    expect(q.get('code_challenge')).toBe(challengeOf(flow.codeVerifier))
    expect(q.get('code_challenge_method')).toBe('S256')
    expect(q.get('scope')!.split(' ')).toEqual(['openid', 'email', 'profile'])
  })

  it('exchanges the code (PKCE verifier, client_secret_basic) and returns the verified profile', async () => {
    const tenant = await newTenant(t)
    const { created, config } = await customOidc(tenant)
    const flow = await signIn(config, ADA, created.callback_url)
    const result = await exchangeOf(config, flow, created.callback_url)
    expect(result).toEqual({
      ok: true,
      profile: {
        providerUserId: '4242',
        emailAddress: 'ada@example.com',
        emailVerified: true,
        firstName: 'Ada',
        lastName: 'Lovelace',
        username: 'ada',
        imageUrl: 'https://img.example.com/ada.png',
      },
    })
    expect(oidc.lastTokenRequest!.form.get('code_verifier')).toBe(flow.codeVerifier)
    expect(oidc.lastTokenRequest!.form.get('redirect_uri')).toBe(created.callback_url)
    expect(oidc.lastTokenRequest!.authorization).toStartWith('Basic ')
    expect(oidc.lastTokenRequest!.form.has('client_secret')).toBe(false)
  })

  it('completes the profile from UserInfo when the ID token carries only the subject', async () => {
    const tenant = await newTenant(t)
    const idp = await startFakeOidc()
    try {
      idp.tamper.thinIdToken = true
      const { created, config } = await customOidc(tenant, idp)
      const flow = await signIn(config, { ...ADA, email_verified: false }, created.callback_url, idp)
      const result = await exchangeOf(config, flow, created.callback_url)
      expect(result.ok && result.profile).toMatchObject({
        providerUserId: '4242',
        emailAddress: 'ada@example.com',
        emailVerified: false,
      })
      expect(idp.log).toContain('GET /userinfo')
    } finally {
      idp.stop()
    }
  })

  it('refuses an ID token with another nonce', async () => {
    const tenant = await newTenant(t)
    const { created, config } = await customOidc(tenant)
    const flow = await signIn(config, ADA, created.callback_url)
    expect(await exchangeOf(config, flow, created.callback_url, { nonce: 'not-the-nonce-sent' })).toEqual({
      ok: false,
      reason: 'id_token_invalid',
    })
  })

  for (const [name, tamper] of [
    ['another issuer', { idTokenIssuer: 'https://evil.example.com' }],
    ['another audience', { idTokenAudience: 'someone-else' }],
    ['a signature by a key outside the JWKS', { foreignKey: true }],
    ['a nonce the client did not send', { idTokenNonce: 'replayed' }],
  ] as const) {
    it(`refuses an ID token with ${name}`, async () => {
      const tenant = await newTenant(t)
      const idp = await startFakeOidc()
      try {
        const { created, config } = await customOidc(tenant, idp)
        Object.assign(idp.tamper, tamper)
        const flow = await signIn(config, ADA, created.callback_url, idp)
        expect(await exchangeOf(config, flow, created.callback_url)).toEqual({ ok: false, reason: 'id_token_invalid' })
      } finally {
        idp.stop()
      }
    })
  }

  it('refuses a discovery document naming another issuer', async () => {
    const tenant = await newTenant(t)
    const idp = await startFakeOidc()
    try {
      idp.tamper.documentIssuer = 'https://evil.example.com'
      const { config } = await customOidc(tenant, idp)
      const flow = {
        code: 'x',
        codeVerifier: verifier(),
        redirectUri: 'https://app.example.com/cb',
        nonce: 'n',
        callbackParams: { code: 'x' },
      }
      expect(await OAuthProviders.exchange(t.deps, config, flow)).toEqual({ ok: false, reason: 'misconfigured' })
      await expect(
        OAuthProviders.authorizationUrl(t.deps, config, {
          redirectUri: flow.redirectUri,
          state: 's',
          nonce: 'n',
          codeChallenge: 'c',
        }),
      ).rejects.toThrow()
    } finally {
      idp.stop()
    }
  })

  it('refuses a wrong PKCE verifier at the token endpoint and reports an error callback', async () => {
    const tenant = await newTenant(t)
    const { created, config } = await customOidc(tenant)
    const flow = await signIn(config, ADA, created.callback_url)
    expect(await exchangeOf(config, flow, created.callback_url, { codeVerifier: verifier() })).toEqual({
      ok: false,
      reason: 'token_exchange_failed',
    })
    const denied = await exchangeOf(config, flow, created.callback_url, {
      callbackParams: { error: 'access_denied', state: flow.state },
    })
    expect(denied).toEqual({ ok: false, reason: 'access_denied' })
  })

  it('keeps the discovery document per node for a few minutes', async () => {
    const tenant = await newTenant(t)
    const idp = await startFakeOidc()
    try {
      const { created, config } = await customOidc(tenant, idp)
      const discoveries = () => idp.log.filter((l) => l === 'GET /.well-known/openid-configuration').length
      await signIn(config, ADA, created.callback_url, idp)
      await signIn(config, ADA, created.callback_url, idp)
      expect(discoveries()).toBe(1)
      t.clock.advance(301_000)
      await signIn(config, ADA, created.callback_url, idp)
      expect(discoveries()).toBe(2)
    } finally {
      idp.stop()
    }
  })

  it('keeps the SSRF rules at use time: a name resolving to loopback is unreachable without WEBHOOK_ALLOW_PRIVATE', async () => {
    const strict = await testApp({ webhookAllowPrivate: false })
    strict.deps.resolveHost = async () => ['127.0.0.1']
    try {
      const tenant = await newTenant(strict)
      const created = await addProvider(strict, tenant, {
        provider: 'custom_oidc',
        key: 'rebound',
        client_id: 'c',
        client_secret: 's',
        discovery_url: 'https://idp.example.test',
      })
      const config = (await configOf(strict, tenant, created.strategy))!
      const flow = {
        code: 'x',
        codeVerifier: verifier(),
        redirectUri: created.callback_url,
        nonce: 'n',
        callbackParams: { code: 'x' },
      }
      expect(await OAuthProviders.exchange(strict.deps, config, flow)).toEqual({
        ok: false,
        reason: 'provider_unreachable',
      })
      await expect(
        OAuthProviders.authorizationUrl(strict.deps, config, {
          redirectUri: flow.redirectUri,
          state: 's',
          nonce: 'n',
          codeChallenge: 'c',
        }),
      ).rejects.toThrow()
    } finally {
      await strict.close()
    }
  })
})

describe('custom_oauth2 provider (fake GitHub-style server)', () => {
  const mapping = {
    user_id: 'data.id',
    email_address: 'data.emails.0.value',
    first_name: 'data.names.first',
    last_name: 'data.names.last',
    username: 'data.login',
    image_url: 'data.avatar',
  }

  async function customOAuth2(tenant: CreatedTenant, attributeMapping: Record<string, string>) {
    const created = await addProvider(t, tenant, {
      provider: 'custom_oauth2',
      key: 'forge',
      client_id: oauth2.clientId,
      client_secret: oauth2.clientSecret,
      authorization_url: `${oauth2.issuer}/login/oauth/authorize`,
      token_url: `${oauth2.issuer}/login/oauth/access_token`,
      userinfo_url: `${oauth2.issuer}/api/me`,
      scopes: ['profile'],
      attribute_mapping: attributeMapping,
    })
    return { created, config: (await configOf(t, tenant, 'oauth_custom_forge'))! }
  }

  it('asks with PKCE and no nonce, and maps the profile through attribute_mapping (unverified by default)', async () => {
    const tenant = await newTenant(t)
    const { created, config } = await customOAuth2(tenant, mapping)
    const flow = await signIn(config, ADA, created.callback_url, oauth2)
    expect(`${flow.url.origin}${flow.url.pathname}`).toBe(`${oauth2.issuer}/login/oauth/authorize`)
    expect(flow.url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(flow.url.searchParams.get('scope')).toBe('profile')
    expect(flow.url.searchParams.has('nonce')).toBe(false)
    const result = await exchangeOf(config, flow, created.callback_url)
    expect(result).toEqual({
      ok: true,
      profile: {
        providerUserId: '4242',
        emailAddress: 'ada@example.com',
        emailVerified: false,
        firstName: 'Ada',
        lastName: 'Lovelace',
        username: 'ada',
        imageUrl: 'https://img.example.com/ada.png',
      },
    })
    expect(oauth2.lastTokenRequest!.form.get('client_secret')).toBe(oauth2.clientSecret)
    expect(oauth2.lastTokenRequest!.form.get('code_verifier')).toBe(flow.codeVerifier)
  })

  it('counts the email as verified only through a mapped email_verified path', async () => {
    const tenant = await newTenant(t)
    const { created, config } = await customOAuth2(tenant, { ...mapping, email_verified: 'data.emails.0.confirmed' })
    const verified = await exchangeOf(
      config,
      await signIn(config, ADA, created.callback_url, oauth2),
      created.callback_url,
    )
    expect(verified.ok && verified.profile.emailVerified).toBe(true)
    const unverified = await exchangeOf(
      config,
      await signIn(config, { ...ADA, email_verified: false }, created.callback_url, oauth2),
      created.callback_url,
    )
    expect(unverified.ok && unverified.profile.emailVerified).toBe(false)
  })

  it('answers profile_unavailable when the mapped user id is missing', async () => {
    const tenant = await newTenant(t)
    const { created, config } = await customOAuth2(tenant, { ...mapping, user_id: 'data.uuid' })
    const result = await exchangeOf(
      config,
      await signIn(config, ADA, created.callback_url, oauth2),
      created.callback_url,
    )
    expect(result).toEqual({ ok: false, reason: 'profile_unavailable' })
  })
})

describe('lookups for the sign-in flow', () => {
  it('finds enabled providers by strategy and callback name, and lists their strategies', async () => {
    const tenant = await newTenant(t)
    const google = await addProvider(t, tenant, { provider: 'google', client_id: 'g', client_secret: 's' })
    await addProvider(t, tenant, {
      provider: 'custom_oidc',
      key: 'acme',
      client_id: 'a',
      client_secret: 's',
      discovery_url: oidc.issuer,
    })
    const read = <T>(fn: (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) => Promise<T>) =>
      withTenant(t.deps.db, tenant.id, fn)
    const strategies = (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) =>
      OAuthProviders.enabledProviders(t.deps, tx, tenant).then((list) => list.map((p) => p.strategy))
    expect(await read(strategies)).toEqual(['oauth_google', 'oauth_custom_acme'])
    expect((await read((tx) => OAuthProviders.findByStrategy(t.deps, tx, tenant, 'oauth_google')))?.id).toBe(google.id)
    expect((await read((tx) => OAuthProviders.findByCallbackName(t.deps, tx, tenant, 'acme')))?.strategy).toBe(
      'oauth_custom_acme',
    )
    expect(await read((tx) => OAuthProviders.findByStrategy(t.deps, tx, tenant, 'oauth_github'))).toBeNull()
    expect(await read((tx) => OAuthProviders.findByStrategy(t.deps, tx, tenant, 'oauth_custom_nope'))).toBeNull()
    expect(await read((tx) => OAuthProviders.findByStrategy(t.deps, tx, tenant, 'password'))).toBeNull()
    await t.request('PATCH', `/v1/oauth-providers/${google.id}`, { token: tenant.secret_key, json: { enabled: false } })
    expect(await read((tx) => OAuthProviders.findByStrategy(t.deps, tx, tenant, 'oauth_google'))).toBeNull()
    expect(await read((tx) => OAuthProviders.findByCallbackName(t.deps, tx, tenant, 'google'))).toBeNull()
    expect(await read(strategies)).toEqual(['oauth_custom_acme'])
    // Another tenant sees none of them.
    const other = await newTenant(t)
    expect(
      await withTenant(t.deps.db, other.id, (tx) => OAuthProviders.findByCallbackName(t.deps, tx, other, 'acme')),
    ).toBeNull()
  })

  it('builds GitHub authorization URLs from its fixed endpoints and default scopes, without a nonce', async () => {
    const tenant = await newTenant(t)
    await addProvider(t, tenant, { provider: 'github', client_id: 'gh', client_secret: 's' })
    const github = (await configOf(t, tenant, 'oauth_github'))!
    const url = new URL(
      await OAuthProviders.authorizationUrl(t.deps, github, {
        redirectUri: 'https://app.example.com/cb',
        state: 's',
        nonce: 'n',
        codeChallenge: 'c',
      }),
    )
    expect(`${url.origin}${url.pathname}`).toBe('https://github.com/login/oauth/authorize')
    expect(url.searchParams.get('scope')).toBe('read:user user:email')
    expect(url.searchParams.has('nonce')).toBe(false)
  })
})

describe('email_verified rules of API.md §16', () => {
  it('Microsoft: only xms_edov counts, never email_verified', () => {
    const claims = { sub: 'm1', email: 'ada@contoso.com', email_verified: true, preferred_username: 'ada@contoso.com' }
    expect(fromOidc('microsoft', claims, null, {})).toMatchObject({ emailVerified: false, username: null })
    expect(fromOidc('microsoft', { ...claims, xms_edov: true }, null, {})?.emailVerified).toBe(true)
    expect(fromOidc('microsoft', { ...claims, xms_edov: false }, null, {})?.emailVerified).toBe(false)
  })

  it('OpenID providers: email_verified true (or Apple\'s "true"); no email means not verified', () => {
    expect(fromOidc('google', { sub: 'g', email: 'a@b.co', email_verified: true }, null, {})?.emailVerified).toBe(true)
    expect(fromOidc('apple', { sub: 'a', email: 'a@b.co', email_verified: 'true' }, null, {})?.emailVerified).toBe(true)
    expect(fromOidc('gitlab', { sub: 'l', email: 'a@b.co' }, null, {})?.emailVerified).toBe(false)
    expect(fromOidc('google', { sub: 'g', email_verified: true }, null, {})).toMatchObject({
      emailAddress: null,
      emailVerified: false,
    })
    expect(fromOidc('google', { email: 'a@b.co' }, null, {})).toBeNull()
  })

  it("Apple: the name comes from the first callback's `user` field", () => {
    const user = JSON.stringify({ name: { firstName: 'Ada', lastName: 'Lovelace' }, email: 'spoofed@example.com' })
    expect(
      fromOidc('apple', { sub: 'a', email: 'x@privaterelay.appleid.com', email_verified: 'true' }, null, { user }),
    ).toMatchObject({
      emailAddress: 'x@privaterelay.appleid.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
    })
  })

  it('GitHub: the primary address, verified only when /user/emails says so', () => {
    const user = { id: 1, login: 'ada', name: 'Ada King Lovelace', avatar_url: 'https://avatars.example/1' }
    const emails = [
      { email: 'other@example.com', primary: false, verified: true },
      { email: 'ada@example.com', primary: true, verified: false },
    ]
    expect(fromGithub(user, emails)).toEqual({
      providerUserId: '1',
      emailAddress: 'ada@example.com',
      emailVerified: false,
      firstName: 'Ada',
      lastName: 'King Lovelace',
      username: 'ada',
      imageUrl: 'https://avatars.example/1',
    })
    expect(fromGithub(user, [{ email: 'ada@example.com', primary: true, verified: true }])?.emailVerified).toBe(true)
  })

  it('Discord: `verified`, and the avatar on its CDN', () => {
    expect(
      fromDiscord({
        id: '80351110224678912',
        username: 'ada',
        avatar: 'a1b2',
        email: 'ada@example.com',
        verified: true,
      }),
    ).toEqual({
      providerUserId: '80351110224678912',
      emailAddress: 'ada@example.com',
      emailVerified: true,
      firstName: null,
      lastName: null,
      username: 'ada',
      imageUrl: 'https://cdn.discordapp.com/avatars/80351110224678912/a1b2.png',
    })
  })

  it('attribute_mapping paths step into own properties only', () => {
    expect(
      fromMapping({ id: 7, __proto__: { email: 'x@y.z' } }, { user_id: 'id', email_address: 'email' })?.emailAddress,
    ).toBeNull()
    expect(fromMapping({ a: [{ b: 'deep' }] }, { user_id: 'a.0.b' })?.providerUserId).toBe('deep')
  })
})

describe('Sign in with Apple client secret', () => {
  it('is an ES256 JWT from the team to Apple, signed with the .p8 key', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
    const pem = await exportPKCS8(privateKey)
    const jwt = await appleClientSecret(
      pem,
      { teamId: 'TEAM123456', keyId: 'KEY1234567', clientId: 'com.example.web' },
      Date.now(),
    )
    const { payload, protectedHeader } = await jwtVerify(jwt, await importSPKI(await exportSPKI(publicKey), 'ES256'), {
      issuer: 'TEAM123456',
      audience: 'https://appleid.apple.com',
      subject: 'com.example.web',
    })
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: 'KEY1234567' })
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300)
  })
})
