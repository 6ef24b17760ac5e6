import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import type { Deps } from '../../deps'
import { hashesEqual, sha256Hex } from '../../platform/crypto/tokens'
import { withTenant } from '../../platform/db/tx'
import { outboundRequest } from '../../platform/net/outbound'
import type { TenantRow } from '../tenants/service'
import { oauthCache } from './cache'
import { OAuthError } from './errors'
import type { Form } from './form'
import * as OAuthRepo from './repo'
import type { ApplicationRow } from './repo'

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const JWKS_TTL_MS = 300_000
const ASSERTION_LEEWAY_S = 60

/** The application of a client_id, from the node's cache when warm. */
export async function applicationOf(deps: Deps, tenant: TenantRow, clientId: string): Promise<ApplicationRow | null> {
  if (!clientId || clientId.length > 128) return null
  const cache = oauthCache(deps)
  const cached = cache.app(tenant.id, clientId)
  if (cached !== undefined) return cached
  const epoch = cache.epoch
  const row = await withTenant(deps.db, tenant.id, (tx) => OAuthRepo.findByClientId(tx, tenant.id, clientId))
  cache.setApp(tenant.id, clientId, row, epoch)
  return row
}

const invalidClient = () => new OAuthError('invalid_client', 'Client authentication failed.')

/** RFC 6749 §2.3.1: the Basic credentials are form-urlencoded before base64. */
function basicCredentials(request: Request): { id: string; secret: string } | null {
  const header = request.headers.get('authorization')
  if (!header?.toLowerCase().startsWith('basic ')) return null
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return null
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    }
  } catch {
    return null
  }
}

const JWKS_FAILURE_TTL_MS = 60_000
const JWKS_CACHE_MAX = 1_000
/** Per node; a failed fetch is remembered too, so assertions sent in a loop cannot make us fetch in a loop. */
const jwksCache = new Map<string, { at: number; set: ReturnType<typeof createLocalJWKSet> | null }>()

function remember(uri: string, at: number, set: ReturnType<typeof createLocalJWKSet> | null) {
  if (jwksCache.size >= JWKS_CACHE_MAX) jwksCache.clear()
  jwksCache.set(uri, { at, set })
  return set
}

/** The client's JWKS, fetched through the SSRF-guarded outbound path and kept for 5 minutes. */
async function clientKeys(deps: Deps, uri: string) {
  const now = deps.clock.now()
  const hit = jwksCache.get(uri)
  if (hit?.set && now - hit.at < JWKS_TTL_MS) return hit.set
  if (hit && !hit.set && now - hit.at < JWKS_FAILURE_TTL_MS) throw invalidClient()
  const res = await outboundRequest(uri, {
    method: 'GET',
    headers: { accept: 'application/json' },
    allowPrivate: deps.config.webhookAllowPrivate,
    resolve: deps.resolveHost,
    timeoutMs: 5_000,
    maxBodyBytes: 256 * 1024,
  })
  let set: ReturnType<typeof createLocalJWKSet> | null = null
  try {
    if (res.ok && res.status === 200)
      set = createLocalJWKSet(JSON.parse(Buffer.from(res.body).toString('utf8')) as JSONWebKeySet)
  } catch {}
  const kept = remember(uri, now, set)
  if (!kept) throw invalidClient()
  return kept
}

/**
 * RFC 7523 §3: iss = sub = client_id, aud names this server, signed by a key of the client's JWKS, at
 * most 10 minutes to live, and its `jti` used once (on every node: the table decides).
 */
async function verifyAssertion(deps: Deps, tenant: TenantRow, app: ApplicationRow, assertion: string, issuer: string) {
  if (!app.jwksUri) throw invalidClient()
  let jti: string
  let exp: number
  try {
    const { payload } = await jwtVerify(assertion, await clientKeys(deps, app.jwksUri), {
      issuer: app.clientId,
      subject: app.clientId,
      audience: [issuer, `${issuer}/oauth/token`],
      currentDate: new Date(deps.clock.now()),
      requiredClaims: ['exp', 'jti'],
      algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      // Clients' clocks drift: an `iat` a little ahead of ours is no forgery (RFC 7523 §3 allows leeway).
      clockTolerance: ASSERTION_LEEWAY_S,
    })
    jti = String(payload.jti)
    exp = Number(payload.exp) * 1000
  } catch {
    throw invalidClient()
  }
  if (exp - deps.clock.now() > 600_000 || jti.length > 256) throw invalidClient()
  const fresh = await withTenant(deps.db, tenant.id, (tx) =>
    OAuthRepo.rememberAssertion(tx, { tenantId: tenant.id, applicationId: app.id, jti, expireAt: new Date(exp) }),
  )
  if (!fresh) throw invalidClient()
}

/**
 * Authenticates the client of a token, introspection, revocation, PAR or CIBA request by the one
 * method it registered (RFC 6749 §2.3, RFC 7523): a client that authenticates another way, or
 * presents two credentials, is refused. Public clients (`none`) only name themselves.
 */
export async function authenticateClient(
  deps: Deps,
  tenant: TenantRow,
  issuer: string,
  request: Request,
  form: Form,
): Promise<ApplicationRow> {
  const basic = basicCredentials(request)
  const assertion = form.client_assertion
  const methods = [basic, form.client_secret, assertion].filter((m) => m !== undefined && m !== null)
  if (methods.length > 1) throw new OAuthError('invalid_request', 'Use exactly one client authentication method.')
  if (basic && form.client_id && form.client_id !== basic.id) throw invalidClient()
  const clientId = basic?.id ?? form.client_id
  if (!clientId) throw invalidClient()
  const app = await applicationOf(deps, tenant, clientId)
  if (!app) throw invalidClient()
  const method = app.tokenEndpointAuthMethod
  if (method === 'none') {
    if (methods.length) throw invalidClient()
    return app
  }
  if (method === 'private_key_jwt') {
    if (!assertion || form.client_assertion_type !== ASSERTION_TYPE) throw invalidClient()
    await verifyAssertion(deps, tenant, app, assertion, issuer)
    return app
  }
  const secret = method === 'client_secret_basic' ? basic?.secret : form.client_secret
  if (!secret || !app.secretHash || !hashesEqual(await sha256Hex(secret), app.secretHash)) throw invalidClient()
  return app
}
