import { createHash } from 'node:crypto'
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'
import { serveLocal } from './local-server'

/**
 * Hand-rolled identity providers for tests, listening on 127.0.0.1 (the tests run with
 * WEBHOOK_ALLOW_PRIVATE=1): an OpenID Connect provider (discovery, JWKS, token with PKCE and
 * client_secret_basic|post, UserInfo, RS256 ID tokens signed with jose) and a GitHub-style
 * OAuth 2 server whose profile needs an attribute mapping. `authorize()` stands in for the
 * browser and the login page: it reads an authorization URL and returns the callback parameters.
 * Each knob in `tamper` breaks one thing the client must notice.
 */
export interface FakeUser {
  sub: string
  email?: string
  email_verified?: boolean
  given_name?: string
  family_name?: string
  preferred_username?: string
  picture?: string
  /** An enterprise IdP's group claim. */
  groups?: string[]
}

interface Grant {
  clientId: string
  redirectUri: string
  codeChallenge: string | null
  nonce: string | null
  user: FakeUser
}

const b64sha256 = (value: string) => createHash('sha256').update(value).digest('base64url')

export interface Tamper {
  /** `iss` of the ID token. */
  idTokenIssuer?: string
  /** `issuer` of the discovery document. */
  documentIssuer?: string
  idTokenNonce?: string
  idTokenAudience?: string
  /** Sign ID tokens with a key that is not in the JWKS (same kid). */
  foreignKey?: boolean
  /** Leave claims out of the ID token (the client must read them from UserInfo). */
  thinIdToken?: boolean
}

export interface FakeIdp {
  issuer: string
  clientId: string
  clientSecret: string
  tamper: Tamper
  /** Requests received, as `METHOD /path`. */
  log: string[]
  /** The last token request's form and authorization header. */
  lastTokenRequest: { form: URLSearchParams; authorization: string | null } | null
  authorize(authorizationUrl: string, user: FakeUser): Record<string, string>
  /** Who `GET /authorize` signs in at once, as a browser would after a login page (null: 404). */
  loginAs: FakeUser | null
  stop(): void
}

function clientAuthenticated(req: Request, form: URLSearchParams, id: string, secret: string): boolean {
  const header = req.headers.get('authorization')
  if (header?.startsWith('Basic ')) {
    const [u, p] = Buffer.from(header.slice(6), 'base64').toString().split(':')
    return decodeURIComponent(u ?? '') === id && decodeURIComponent(p ?? '') === secret
  }
  return form.get('client_id') === id && form.get('client_secret') === secret
}

function redeem(grants: Map<string, Grant>, form: URLSearchParams): Grant | { error: string } {
  const grant = grants.get(form.get('code') ?? '')
  if (form.get('grant_type') !== 'authorization_code' || !grant) return { error: 'invalid_grant' }
  grants.delete(form.get('code')!)
  if (grant.redirectUri !== form.get('redirect_uri')) return { error: 'invalid_grant' }
  if (grant.codeChallenge && b64sha256(form.get('code_verifier') ?? '') !== grant.codeChallenge)
    return { error: 'invalid_grant' }
  return grant
}

function issueCode(grants: Map<string, Grant>, authorizationUrl: string, user: FakeUser) {
  const url = new URL(authorizationUrl)
  const code = crypto.randomUUID()
  grants.set(code, {
    clientId: url.searchParams.get('client_id') ?? '',
    redirectUri: url.searchParams.get('redirect_uri') ?? '',
    codeChallenge: url.searchParams.get('code_challenge'),
    nonce: url.searchParams.get('nonce'),
    user,
  })
  return { code, state: url.searchParams.get('state') ?? '' }
}

const json = (body: unknown, status = 200) => Response.json(body, { status })

export async function startFakeOidc(): Promise<FakeIdp> {
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const foreign = await generateKeyPair('RS256')
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  const grants = new Map<string, Grant>()
  const tokens = new Map<string, FakeUser>()
  const idp = {
    clientId: `client-${crypto.randomUUID().slice(0, 8)}`,
    clientSecret: `secret-${crypto.randomUUID()}`,
    tamper: {} as Tamper,
    log: [] as string[],
    lastTokenRequest: null as FakeIdp['lastTokenRequest'],
    loginAs: null as FakeUser | null,
  }
  const server = serveLocal({
    async fetch(req: Request): Promise<Response> {
      const url = new URL(req.url)
      idp.log.push(`${req.method} ${url.pathname}`)
      const issuer = url.origin
      switch (`${req.method} ${url.pathname}`) {
        case 'GET /.well-known/openid-configuration':
          return json({
            issuer: idp.tamper.documentIssuer ?? issuer,
            authorization_endpoint: `${issuer}/authorize`,
            token_endpoint: `${issuer}/token`,
            userinfo_endpoint: `${issuer}/userinfo`,
            jwks_uri: `${issuer}/jwks`,
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
            code_challenge_methods_supported: ['S256'],
            token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          })
        case 'GET /jwks':
          return json({ keys: [jwk] })
        case 'GET /authorize': {
          // A browser's round trip: the login page is skipped, the callback follows at once.
          if (!idp.loginAs) return new Response('not found', { status: 404 })
          const { code, state } = issueCode(grants, req.url, idp.loginAs)
          const back = new URL(url.searchParams.get('redirect_uri') ?? '')
          back.searchParams.set('code', code)
          back.searchParams.set('state', state)
          return Response.redirect(back.toString(), 302)
        }
        case 'POST /token': {
          const form = new URLSearchParams(await req.text())
          idp.lastTokenRequest = { form, authorization: req.headers.get('authorization') }
          if (!clientAuthenticated(req, form, idp.clientId, idp.clientSecret))
            return json({ error: 'invalid_client' }, 401)
          const grant = redeem(grants, form)
          if ('error' in grant) return json(grant, 400)
          const t = idp.tamper
          const { sub, ...profile } = grant.user
          const now = Math.floor(Date.now() / 1000)
          const idToken = await new SignJWT({
            ...(t.thinIdToken ? {} : profile),
            ...(grant.nonce ? { nonce: t.idTokenNonce ?? grant.nonce } : {}),
          })
            .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
            .setIssuer(t.idTokenIssuer ?? issuer)
            .setSubject(sub)
            .setAudience(t.idTokenAudience ?? grant.clientId)
            .setIssuedAt(now)
            .setExpirationTime(now + 300)
            .sign(t.foreignKey ? foreign.privateKey : privateKey)
          const accessToken = crypto.randomUUID()
          tokens.set(accessToken, grant.user)
          return json({ access_token: accessToken, token_type: 'Bearer', expires_in: 300, id_token: idToken })
        }
        case 'GET /userinfo': {
          const user = tokens.get((req.headers.get('authorization') ?? '').replace(/^Bearer /, ''))
          return user ? json(user) : json({ error: 'invalid_token' }, 401)
        }
        default:
          return new Response('not found', { status: 404 })
      }
    },
  })
  return Object.assign(idp, {
    issuer: `http://127.0.0.1:${server.port}`,
    authorize: (authorizationUrl: string, user: FakeUser) => issueCode(grants, authorizationUrl, user),
    stop: () => void server.stop(),
  })
}

/** A GitHub-like OAuth 2 server: token as JSON to a client_secret_post client, a nested profile at /api/me. */
export async function startFakeOAuth2(
  profileOf: (user: FakeUser) => unknown = (user) => ({
    data: {
      id: Number(user.sub),
      login: user.preferred_username,
      names: { first: user.given_name, last: user.family_name },
      emails: [{ value: user.email, confirmed: user.email_verified ?? false }],
      avatar: user.picture,
    },
  }),
): Promise<FakeIdp> {
  const grants = new Map<string, Grant>()
  const tokens = new Map<string, FakeUser>()
  const idp = {
    clientId: `client-${crypto.randomUUID().slice(0, 8)}`,
    clientSecret: `secret-${crypto.randomUUID()}`,
    tamper: {} as Tamper,
    log: [] as string[],
    lastTokenRequest: null as FakeIdp['lastTokenRequest'],
    loginAs: null as FakeUser | null,
  }
  const server = serveLocal({
    async fetch(req: Request): Promise<Response> {
      const url = new URL(req.url)
      idp.log.push(`${req.method} ${url.pathname}`)
      switch (`${req.method} ${url.pathname}`) {
        case 'POST /login/oauth/access_token': {
          const form = new URLSearchParams(await req.text())
          idp.lastTokenRequest = { form, authorization: req.headers.get('authorization') }
          if (!clientAuthenticated(req, form, idp.clientId, idp.clientSecret))
            return json({ error: 'invalid_client' }, 401)
          const grant = redeem(grants, form)
          if ('error' in grant) return json(grant, 400)
          const accessToken = crypto.randomUUID()
          tokens.set(accessToken, grant.user)
          return json({ access_token: accessToken, token_type: 'bearer', scope: 'profile' })
        }
        case 'GET /api/me': {
          const user = tokens.get((req.headers.get('authorization') ?? '').replace(/^Bearer /i, ''))
          return user ? json(profileOf(user)) : json({ message: 'Requires authentication' }, 401)
        }
        default:
          return new Response('not found', { status: 404 })
      }
    },
  })
  const base = `http://127.0.0.1:${server.port}`
  return Object.assign(idp, {
    issuer: base,
    authorize: (authorizationUrl: string, user: FakeUser) => issueCode(grants, authorizationUrl, user),
    stop: () => void server.stop(),
  })
}
