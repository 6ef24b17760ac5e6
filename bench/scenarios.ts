/**
 * Every benchmark scenario, declared in one place. To add one: write its set-up (over HTTP,
 * against a fresh server), pick the reference it is judged against, and set the target.
 */
import {
  NO_RATE_LIMITS,
  bapiHeaders,
  clientCredentialsToken,
  createOAuthClient,
  formHeaders,
  createTenant,
  createUser,
  expectActive,
  loopback,
  refreshOnce,
  signIn,
  signInBody,
  signInMany,
} from './setup.ts'
import type { ReferenceName, Scenario } from './types.ts'

/**
 * Session refresh: the refresh token rotates on every use (and replaying a spent one after
 * the grace window revokes the session), so each connection runs its own chain of tokens
 * from its own sign-in. Judged against signing JWTs alone with the tenant's algorithm.
 */
function refreshScenario(name: string, alg: 'RS256' | 'EdDSA', against: ReferenceName): Scenario {
  return {
    name,
    async setup(server, load) {
      const tenant = await createTenant(server, { settings: { ...NO_RATE_LIMITS, signing_algorithm: alg } })
      await createUser(server, tenant)
      const sessions = await signInMany(server, tenant, load.connections)
      const initial = sessions.map((s) => s.refresh_token)
      const first = initial[0]
      if (first === undefined) throw new Error('refresh: no session to chain from')
      // One checked rotation up front; the chain then continues from the new token.
      initial[0] = await refreshOnce(server, tenant, first)
      return {
        url: `${server.baseUrl}/v1/sessions/refresh`,
        method: 'POST',
        headers: bapiHeaders(tenant.secret_key),
        body: JSON.stringify({ refresh_token: first }),
        chain: { field: 'refresh_token', initial },
      }
    },
    target: { ratio: 0.6 },
    against,
  }
}

export const scenarios: Scenario[] = [
  {
    name: 'jwks',
    async setup(server) {
      const tenant = await createTenant(server)
      return { url: loopback(`${tenant.issuer}/.well-known/jwks.json`) }
    },
    target: { ratio: 0.5 },
    against: 'baseline',
  },
  {
    name: 'introspect',
    async setup(server) {
      const tenant = await createTenant(server, { settings: NO_RATE_LIMITS })
      await createUser(server, tenant)
      const { session_token } = await signIn(server, tenant)
      await expectActive(server, tenant, session_token)
      return {
        url: `${server.baseUrl}/v1/tokens/introspect`,
        method: 'POST',
        headers: bapiHeaders(tenant.secret_key),
        body: JSON.stringify({ token: session_token }),
      }
    },
    target: { ratio: 0.25, p99_ms: 10 },
    against: 'baseline',
  },
  refreshScenario('refresh_rs256', 'RS256', 'sign_RS256'),
  {
    // A service asks for an access token (RFC 9068 JWT, RS256) with its client secret: the hot path of
    // machine-to-machine auth. Judged against signing JWTs alone, like refresh.
    name: 'client_credentials',
    async setup(server) {
      const tenant = await createTenant(server, { settings: NO_RATE_LIMITS })
      const client = await createOAuthClient(server, tenant)
      await clientCredentialsToken(tenant, client)
      return {
        url: loopback(`${tenant.issuer}/oauth/token`),
        method: 'POST',
        headers: formHeaders(client),
        body: 'grant_type=client_credentials',
      }
    },
    target: { ratio: 0.6 },
    against: 'sign_RS256',
  },
  {
    // A resource server asks whether an access token is active (RFC 7662), authenticated as a client.
    name: 'oauth_introspect',
    async setup(server) {
      const tenant = await createTenant(server, { settings: NO_RATE_LIMITS })
      const client = await createOAuthClient(server, tenant)
      const token = await clientCredentialsToken(tenant, client)
      const url = loopback(`${tenant.issuer}/oauth/introspect`)
      const body = `token=${encodeURIComponent(token)}`
      const check = await fetch(url, { method: 'POST', headers: formHeaders(client), body })
      if (!((await check.json()) as { active?: boolean }).active) throw new Error('oauth_introspect: token inactive')
      return { url, method: 'POST', headers: formHeaders(client), body }
    },
    target: { ratio: 0.25 },
    against: 'baseline',
  },
  refreshScenario('refresh_eddsa', 'EdDSA', 'sign_EdDSA'),
  {
    // Every request is a full password sign-in (argon2id verify, new session, tokens).
    name: 'password_sign_in',
    async setup(server) {
      const tenant = await createTenant(server, { settings: NO_RATE_LIMITS })
      await createUser(server, tenant)
      await signIn(server, tenant)
      return {
        url: `${server.baseUrl}/v1/sign-ins`,
        method: 'POST',
        headers: bapiHeaders(tenant.secret_key),
        body: signInBody(),
      }
    },
    target: { ratio: 0.8 },
    against: 'argon2id',
    // Under 64-way load the sign-ins of all connections finish together, in waves several
    // seconds apart (p50 ≈ p99); a 5 s window measured 0 or 64 of them.
    minDuration: 20,
    minWarmup: 5,
  },
]
