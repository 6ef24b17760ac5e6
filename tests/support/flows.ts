import { PUBLIC_URL, type CreatedTenant, type TestApp } from './app'
import { waitFor } from './wait'

/** A user made through the backend API (addresses given there count as verified). */
export async function newUser(
  t: TestApp,
  tenant: CreatedTenant,
  body: Record<string, unknown> = {},
): Promise<{ id: string; email: string; password: string }> {
  const email = `user-${crypto.randomUUID().slice(0, 8)}@example.com`
  const password = 'correct horse battery staple'
  const res = await t.request('POST', '/v1/users', {
    token: tenant.secret_key,
    json: { email_address: [email], password, ...body },
  })
  if (res.status !== 201) throw new Error(`user creation failed: ${res.status} ${await res.text()}`)
  return { id: ((await res.json()) as { id: string }).id, email, password }
}

/** Native-mode FAPI calls: every request carries the client token the first answer handed out. */
export function nativeClient(t: TestApp, tenant: CreatedTenant) {
  let token: string | null = null
  return {
    get token() {
      return token
    },
    async request(method: string, path: string, json?: unknown): Promise<Response> {
      const headers: Record<string, string> = token ? { 'x-client-token': token } : { 'x-native-client': '1' }
      const res = await t.request(method, `/t/${tenant.slug}/v1${path}`, {
        headers,
        ...(json === undefined ? {} : { json }),
      })
      token ??= res.headers.get('x-client-token')
      return res
    },
  }
}

/** Browser-mode FAPI calls from PUBLIC_URL's origin: the client lives in the `__client` cookie it is given. */
export function browserClient(t: TestApp, tenant: CreatedTenant) {
  let cookie: string | null = null
  return {
    get cookie() {
      return cookie
    },
    async request(method: string, path: string, json?: unknown): Promise<Response> {
      const headers: Record<string, string> = { origin: PUBLIC_URL, ...(cookie ? { cookie } : {}) }
      const res = await t.request(method, `/t/${tenant.slug}/v1${path}`, {
        headers,
        ...(json === undefined ? {} : { json }),
      })
      const issued = (res.headers.get('set-cookie') ?? '').match(/__client=[^;]+/)?.[0]
      cookie ??= issued ?? null
      return res
    },
  }
}

/**
 * Opens an email link as a person does: GET shows a page (which must change nothing), then the
 * page's form is posted back, with the browser's cookies when given.
 */
export async function confirmLink(
  t: TestApp,
  link: string,
  cookie: string | null = null,
): Promise<{ page: Response; html: string; confirmed: Response }> {
  const page = await t.app.handle(new Request(link, { headers: cookie ? { cookie } : {} }))
  const html = await page.text()
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
  const token = new URL(link).searchParams.get('token') ?? ''
  const confirmed = await t.app.handle(
    new Request(link, {
      method: 'POST',
      body: new URLSearchParams({ csrf, token }).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: PUBLIC_URL,
        ...(cookie ? { cookie } : {}),
      },
    }),
  )
  return { page, html, confirmed }
}

/** The newest dev-mailbox message to an address. */
export async function lastMessage(
  t: TestApp,
  to: string,
  after = 0,
): Promise<{ text: string; subject: string | null; created_at: number }> {
  return waitFor(
    async (): Promise<{ text: string; subject: string | null; created_at: number } | null> => {
      await t.deps.relay.kick()
      const res = await t.request('GET', `/platform/v1/dev/messages?to=${encodeURIComponent(to)}&limit=1`, {
        token: t.platformKey,
      })
      const [message] = (
        (await res.json()) as { data: { text: string; subject: string | null; created_at: number; id: string }[] }
      ).data
      return message && message.created_at >= after ? message : null
    },
    5000,
    20,
  )
}

export const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)?.[1] ?? null
export const linkIn = (text: string) => /(https?:\/\/\S+\/v1\/verify\?token=[A-Za-z0-9_-]+)/.exec(text)?.[1] ?? null

export interface SignedIn {
  session: { id: string; user_id: string; status: string }
  session_token: string
  refresh_token: string
}

/** Identifier + password in one native call; asserts the attempt completed. */
export async function signInNative(
  t: TestApp,
  tenant: CreatedTenant,
  user: { email: string; password: string },
  client = nativeClient(t, tenant),
): Promise<SignedIn> {
  const res = await client.request('POST', '/client/sign-ins', { identifier: user.email, password: user.password })
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as SignedIn & { status: string }
  if (body.status !== 'complete') throw new Error(`sign-in not complete: ${body.status}`)
  return body
}

export async function introspect(
  t: TestApp,
  tenant: CreatedTenant,
  token: string,
): Promise<{ active: boolean } & Record<string, unknown>> {
  const res = await t.request('POST', '/v1/tokens/introspect', { token: tenant.secret_key, json: { token } })
  if (res.status !== 200) throw new Error(`introspection failed: ${res.status}`)
  return (await res.json()) as { active: boolean } & Record<string, unknown>
}

/** Calls `/t/{slug}/v1/me…` with a session token in `Authorization: Bearer`. */
export function meApi(t: TestApp, tenant: CreatedTenant, sessionToken: string) {
  return (method: string, path = '', json?: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    t.request(method, `/t/${tenant.slug}/v1/me${path}`, {
      token: sessionToken,
      headers,
      ...(json === undefined ? {} : { json }),
    })
}

export type MeApi = ReturnType<typeof meApi> & { renew?: () => Promise<void> }

/**
 * `meApi` over a signed-in native client's session, with `renew()`: a new session token by the
 * refresh token, as an SDK does in the background (a factor enrolled in the session shows in
 * the renewed token's `fva`).
 */
export function renewableMe(
  t: TestApp,
  tenant: CreatedTenant,
  client: ReturnType<typeof nativeClient>,
  signed: SignedIn,
): MeApi {
  let token = signed.session_token
  let refresh = signed.refresh_token
  return Object.assign((...args: Parameters<ReturnType<typeof meApi>>) => meApi(t, tenant, token)(...args), {
    async renew() {
      const res = await client.request('POST', `/client/sessions/${signed.session.id}/tokens`, {
        refresh_token: refresh,
      })
      if (res.status !== 200) throw new Error(`refresh failed: ${res.status} ${await res.text()}`)
      const body = (await res.json()) as { jwt: string; refresh_token: string }
      token = body.jwt
      refresh = body.refresh_token
    },
  })
}

/** A passwordless native sign-in with a code sent to a verified email address. */
export async function signInWithEmailCode(
  t: TestApp,
  tenant: CreatedTenant,
  email: string,
  client = nativeClient(t, tenant),
): Promise<SignedIn> {
  const since = t.clock.now()
  const started = await client.request('POST', '/client/sign-ins', { identifier: email, strategy: 'email_code' })
  if (started.status !== 200) throw new Error(`sign-in failed: ${started.status} ${await started.text()}`)
  const attempt = (await started.json()) as { id: string; current_challenge: { id: string } | null }
  const code = codeIn((await lastMessage(t, email, since)).text)
  const res = await client.request(
    'POST',
    `/client/sign-ins/${attempt.id}/challenges/${attempt.current_challenge!.id}/answer`,
    { code },
  )
  if (res.status !== 200) throw new Error(`code answer failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as SignedIn
}
