/** HTTP set-up helpers shared by scenarios. */
import type { ServerInfo } from './types.ts'

export interface Tenant {
  id: string
  slug: string
  issuer: string
  secret_key: string
}

/** Settings for bench tenants: no rate limit may turn load into 429s. */
export const NO_RATE_LIMITS = { rate_limits: { per_ip_per_minute: 0, per_identifier_per_minute: 0 } }

export const BENCH_USER = { email: 'bench@example.com', password: 'correct horse battery staple' }

/**
 * The issuer names `localhost`, which may resolve to ::1 first; load goes to 127.0.0.1
 * so every request takes the same path the server is listening on.
 */
export function loopback(url: string): string {
  const u = new URL(url)
  if (u.hostname === 'localhost') u.hostname = '127.0.0.1'
  return u.toString()
}

/** Headers of a Backend API call made with a tenant's secret key. */
export function bapiHeaders(secretKey: string): Record<string, string> {
  return { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' }
}

/** POSTs JSON with a bearer key and returns the parsed object, failing on any other status. */
async function post(
  url: string,
  key: string,
  body: unknown,
  status: number,
  what: string,
): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: bapiHeaders(key),
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  })
  const text = await res.text()
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`)
  const parsed: unknown = JSON.parse(text)
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${what}: unexpected body ${text.slice(0, 300)}`)
  }
  return parsed as Record<string, unknown>
}

function strings<K extends string>(obj: Record<string, unknown>, keys: readonly K[], what: string): Record<K, string> {
  const out = {} as Record<K, string>
  for (const k of keys) {
    const v = obj[k]
    if (typeof v !== 'string') throw new Error(`${what}: missing ${k} in ${JSON.stringify(obj).slice(0, 300)}`)
    out[k] = v
  }
  return out
}

export async function createTenant(
  server: ServerInfo,
  opts: { name?: string; settings?: Record<string, unknown> } = {},
): Promise<Tenant> {
  const body = { name: opts.name ?? 'Bench', ...(opts.settings === undefined ? {} : { settings: opts.settings }) }
  const created = await post(`${server.baseUrl}/platform/v1/tenants`, server.platformKey, body, 201, 'create tenant')
  return strings(created, ['id', 'slug', 'issuer', 'secret_key'] as const, 'create tenant')
}

/** Creates the bench user (email + password) in the tenant. */
export async function createUser(server: ServerInfo, tenant: Tenant): Promise<void> {
  const body = { email_address: [BENCH_USER.email], password: BENCH_USER.password }
  await post(`${server.baseUrl}/v1/users`, tenant.secret_key, body, 201, 'create user')
}

export interface SignedIn {
  session_token: string
  refresh_token: string
}

/** The body of a Backend API password sign-in as the bench user. */
export const signInBody = (): string => JSON.stringify({ identifier: BENCH_USER.email, password: BENCH_USER.password })

/** Signs the bench user in through the Backend API; one new session per call. */
export async function signIn(server: ServerInfo, tenant: Tenant): Promise<SignedIn> {
  const body: unknown = JSON.parse(signInBody())
  const res = await post(`${server.baseUrl}/v1/sign-ins`, tenant.secret_key, body, 200, 'sign in')
  if (res.status !== 'complete') throw new Error(`sign in: status ${String(res.status)}, want complete`)
  return strings(res, ['session_token', 'refresh_token'] as const, 'sign in')
}

/** `count` independent sessions, a few sign-ins at a time (each costs an argon2 verify). */
export async function signInMany(server: ServerInfo, tenant: Tenant, count: number, parallel = 4): Promise<SignedIn[]> {
  const out: SignedIn[] = []
  for (let i = 0; i < count; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - i) }, () => signIn(server, tenant))
    out.push(...(await Promise.all(batch)))
  }
  return out
}

/** Fails unless the server introspects `token` as active. */
export async function expectActive(server: ServerInfo, tenant: Tenant, token: string): Promise<void> {
  const res = await post(`${server.baseUrl}/v1/tokens/introspect`, tenant.secret_key, { token }, 200, 'introspect')
  if (res.active !== true) throw new Error(`introspect: want active:true, got ${JSON.stringify(res).slice(0, 300)}`)
}

/** Fails unless one refresh with `refreshToken` answers new tokens; returns the rotated one. */
export async function refreshOnce(server: ServerInfo, tenant: Tenant, refreshToken: string): Promise<string> {
  const res = await post(
    `${server.baseUrl}/v1/sessions/refresh`,
    tenant.secret_key,
    { refresh_token: refreshToken },
    200,
    'refresh',
  )
  return strings(res, ['session_token', 'refresh_token'] as const, 'refresh').refresh_token
}

export interface OAuthClient {
  client_id: string
  client_secret: string
  /** `Authorization: Basic` for client_secret_basic (RFC 6749 §2.3.1). */
  basic: string
}

/** A confidential OAuth application allowed client credentials. */
export async function createOAuthClient(server: ServerInfo, tenant: Tenant): Promise<OAuthClient> {
  const body = { name: 'Bench service', redirect_uris: [], grant_types: ['client_credentials'] }
  const created = await post(`${server.baseUrl}/v1/oauth-applications`, tenant.secret_key, body, 201, 'create app')
  const { client_id, client_secret } = strings(created, ['client_id', 'client_secret'] as const, 'create app')
  return { client_id, client_secret, basic: `Basic ${btoa(`${client_id}:${client_secret}`)}` }
}

export const formHeaders = (client: OAuthClient) => ({
  authorization: client.basic,
  'content-type': 'application/x-www-form-urlencoded',
})

/** One client-credentials access token, checked. */
export async function clientCredentialsToken(tenant: Tenant, client: OAuthClient): Promise<string> {
  const res = await fetch(loopback(`${tenant.issuer}/oauth/token`), {
    method: 'POST',
    headers: formHeaders(client),
    body: 'grant_type=client_credentials',
    signal: AbortSignal.timeout(10_000),
  })
  const body = (await res.json()) as { access_token?: string }
  if (res.status !== 200 || !body.access_token) throw new Error(`client credentials: HTTP ${res.status}`)
  return body.access_token
}
