import type { Deps } from '../../deps'
import { outboundRequest } from '../../platform/net/outbound'
import { loadAppleKey } from './apple'
import type { OAuthProviderConfig } from './config'
import type { ConnectionCheck, ConnectionTest } from './model'
import { isOidc, OIDC_PRESETS, presetOf } from './presets'
import { secretContext } from './secrets'
import { checkProviderUrl } from './urls'

/**
 * `POST /v1/oauth-providers/{id}/test` (API.md §16): what can be checked without a user. OpenID
 * providers: the discovery document answers, names the expected issuer, has the endpoints and a
 * JWKS, and supports PKCE S256; OAuth 2 providers: their endpoints answer HTTP at all. Every call
 * goes through outboundRequest, fresh (never from the discovery cache), and sends no secret.
 */
const WELL_KNOWN = '/.well-known/openid-configuration'

const check = (name: string, ok: boolean, detail: string): ConnectionCheck => ({ name, ok, detail })

async function request(deps: Deps, url: string, method: 'GET' | 'POST', body?: string) {
  const verdict = checkProviderUrl(url, deps.config.webhookAllowPrivate)
  if (verdict !== 'ok') return { ok: false as const, detail: `URL refused: ${verdict}` }
  const res = await outboundRequest(url, {
    method,
    headers: {
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body,
    allowPrivate: deps.config.webhookAllowPrivate,
    resolve: deps.resolveHost,
    timeoutMs: 5_000,
    maxBodyBytes: 512 * 1024,
  })
  if (!res.ok) return { ok: false as const, detail: `request failed: ${res.error}` }
  return { ok: true as const, status: res.status, body: Buffer.from(res.body).toString('utf8') }
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

async function credentialCheck(deps: Deps, p: OAuthProviderConfig): Promise<ConnectionCheck> {
  let secret: string
  try {
    secret = await deps.box.open(p.clientSecretSealed, secretContext(p.tenantId, p.id))
  } catch {
    return check('client_credentials', false, 'the stored client secret cannot be opened')
  }
  if (p.provider !== 'apple')
    return check('client_credentials', secret.length > 0, 'client_id and client_secret are set')
  const ok = (await loadAppleKey(secret)) !== null && !!p.appleTeamId && !!p.appleKeyId
  return check(
    'client_credentials',
    ok,
    ok ? 'the .p8 key loads (ES256)' : 'the .p8 key, team id or key id is unusable',
  )
}

/** Discovery URL and the issuer it must name (Entra ID's multi-tenant issuer is a template). */
function discoveryTarget(p: OAuthProviderConfig): { url: string; issuer: string } {
  if (p.provider !== 'custom_oidc') {
    const preset = OIDC_PRESETS[p.provider as keyof typeof OIDC_PRESETS]
    return { url: preset.issuer + WELL_KNOWN, issuer: 'tokenIssuer' in preset ? preset.tokenIssuer : preset.issuer }
  }
  const given = p.discoveryUrl!
  if (given.includes('/.well-known/')) return { url: given, issuer: given.slice(0, given.indexOf('/.well-known/')) }
  return { url: given.replace(/\/$/, '') + WELL_KNOWN, issuer: given }
}

const sameIssuer = (a: string, b: string) => a.replace(/\/$/, '') === b.replace(/\/$/, '')

async function oidcChecks(deps: Deps, p: OAuthProviderConfig): Promise<ConnectionCheck[]> {
  const target = discoveryTarget(p)
  const res = await request(deps, target.url, 'GET')
  const doc = res.ok && res.status === 200 ? parseObject(res.body) : null
  if (!doc)
    return [
      check('discovery', false, res.ok ? `${target.url} answered HTTP ${res.status}, not a JSON document` : res.detail),
    ]
  const checks = [check('discovery', true, `${target.url} answered`)]
  const issuer = typeof doc.issuer === 'string' ? doc.issuer : ''
  checks.push(
    check('issuer', sameIssuer(issuer, target.issuer), `expected ${target.issuer}, found ${issuer || 'none'}`),
  )
  const endpoint = (name: string) => {
    const value = doc[name]
    return typeof value === 'string' && checkProviderUrl(value, deps.config.webhookAllowPrivate) === 'ok' ? value : null
  }
  const missing = ['authorization_endpoint', 'token_endpoint', 'jwks_uri'].filter((n) => endpoint(n) === null)
  checks.push(
    check(
      'endpoints',
      missing.length === 0,
      missing.length ? `missing or not allowed: ${missing.join(', ')}` : 'authorization, token and JWKS endpoints',
    ),
  )
  const methods = doc.code_challenge_methods_supported
  const pkce = !Array.isArray(methods) || methods.includes('S256')
  checks.push(check('pkce', pkce, Array.isArray(methods) ? `methods: ${methods.join(', ')}` : 'not advertised'))
  const jwksUri = endpoint('jwks_uri')
  if (jwksUri) {
    const jwks = await request(deps, jwksUri, 'GET')
    const keys = jwks.ok && jwks.status === 200 ? parseObject(jwks.body)?.keys : undefined
    const ok = Array.isArray(keys) && keys.length > 0
    checks.push(
      check(
        'jwks',
        ok,
        ok ? `${(keys as unknown[]).length} key(s)` : jwks.ok ? `HTTP ${jwks.status}, no keys` : jwks.detail,
      ),
    )
  }
  return checks
}

/** An OAuth 2 endpoint is reachable when it answers HTTP below 500 (a request without credentials is refused, as it should be). */
async function reachable(deps: Deps, name: string, url: string, method: 'GET' | 'POST', body?: string) {
  const res = await request(deps, url, method, body)
  return res.ok ? check(name, res.status < 500, `${url} answered HTTP ${res.status}`) : check(name, false, res.detail)
}

async function oauth2Checks(deps: Deps, p: OAuthProviderConfig): Promise<ConnectionCheck[]> {
  const preset = presetOf(p.provider)
  const urls =
    preset?.kind === 'oauth2'
      ? { authorization: preset.authorizationUrl, token: preset.tokenUrl, userinfo: preset.userinfoUrl }
      : { authorization: p.authorizationUrl!, token: p.tokenUrl!, userinfo: p.userinfoUrl! }
  const badUrl = checkProviderUrl(urls.authorization, deps.config.webhookAllowPrivate)
  const probeBody = new URLSearchParams({
    grant_type: 'authorization_code',
    code: 'connection_test',
    client_id: p.clientId,
  })
  return [
    check('authorization_endpoint', badUrl === 'ok', badUrl === 'ok' ? urls.authorization : `URL refused: ${badUrl}`),
    await reachable(deps, 'token_endpoint', urls.token, 'POST', probeBody.toString()),
    await reachable(deps, 'userinfo_endpoint', urls.userinfo, 'GET'),
  ]
}

export async function probe(deps: Deps, p: OAuthProviderConfig): Promise<ConnectionTest> {
  const checks = [
    await credentialCheck(deps, p),
    ...(isOidc(p.provider) ? await oidcChecks(deps, p) : await oauth2Checks(deps, p)),
  ]
  return { object: 'connection_test', ok: checks.every((c) => c.ok), checks }
}
