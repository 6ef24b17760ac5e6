import {
  allowInsecureRequests,
  AuthorizationResponseError,
  authorizationCodeGrant,
  buildAuthorizationUrl,
  type ClientAuth,
  ClientSecretBasic,
  ClientSecretPost,
  Configuration,
  customFetch,
  discovery,
  enableNonRepudiationChecks,
  getJwksCache,
  None,
  ResponseBodyError,
  setJwksCache,
  skipStateCheck,
} from 'openid-client'
import type { Deps } from '../../deps'
import type { OAuthProviderConfig } from './config'
import { ProviderUnreachable, providerFetch } from './fetch'
import { isOidc, presetOf } from './presets'
import { readProfile } from './profile-fetch'
import type { ExternalProfile } from './profiles'
import { presentedSecret } from './secrets'

/**
 * The protocol side of social login, for the sign-in and sign-up flows: the authorization URL to
 * send the browser to, and the code exchange that returns a checked profile. openid-client does
 * the protocol (PKCE, ID token signature, issuer, audience, nonce, expiry); every request it
 * makes goes through `providerFetch`, i.e. outboundRequest. No sign-in rules live here.
 */
export interface AuthorizationInput {
  redirectUri: string
  state: string
  nonce: string
  /** BASE64URL(SHA-256(code_verifier)), RFC 7636 S256. */
  codeChallenge: string
}

export interface ExchangeInput {
  code: string
  codeVerifier: string
  redirectUri: string
  nonce: string
  /** Every parameter the callback received (query, or the form body of Apple's form_post); `state` is the caller's to check. */
  callbackParams: Record<string, string>
}

export type ExchangeFailure =
  | 'access_denied'
  | 'callback_invalid'
  | 'provider_unreachable'
  | 'misconfigured'
  | 'token_exchange_failed'
  | 'id_token_invalid'
  | 'profile_unavailable'

export type ExchangeResult = { ok: true; profile: ExternalProfile } | { ok: false; reason: ExchangeFailure }

const TIMEOUT_S = 10
const JWKS_CACHE_MAX = 1_000
/** Per node, by jwks_uri: openid-client refreshes a set itself when a token names an unknown key. */
const jwksCaches = new Map<string, NonNullable<ReturnType<typeof getJwksCache>>>()

/**
 * Client authentication at the token endpoint. OpenID providers get client_secret_basic (the
 * default of OpenID Connect Discovery) unless their metadata offers only client_secret_post, as
 * Apple's does; plain OAuth 2 presets and custom OAuth 2 providers get client_secret_post.
 */
async function clientAuth(deps: Deps, p: OAuthProviderConfig): Promise<ClientAuth> {
  const secret = await presentedSecret(deps, p)
  return isOidc(p.provider) ? oidcSecretAuth(secret) : ClientSecretPost(secret)
}

/**
 * client_secret_basic, the default of OpenID Connect Discovery, unless the provider's metadata
 * offers only client_secret_post (shared with enterprise OIDC connections).
 */
export function oidcSecretAuth(secret: string): ClientAuth {
  const basic = ClientSecretBasic(secret)
  const post = ClientSecretPost(secret)
  return (as, client, body, headers) => {
    const methods = as.token_endpoint_auth_methods_supported
    const postOnly =
      Array.isArray(methods) && methods.includes('client_secret_post') && !methods.includes('client_secret_basic')
    return (postOnly ? post : basic)(as, client, body, headers)
  }
}

/**
 * OpenID Connect discovery (an issuer or its `/.well-known/` URL) into an openid-client configuration
 * whose every request goes through providerFetch, i.e. outboundRequest (API.md §12); plain http only
 * to loopback under WEBHOOK_ALLOW_PRIVATE=1. Shared with enterprise OIDC connections.
 */
export function discoverOidc(deps: Deps, server: URL, clientId: string, auth: ClientAuth): Promise<Configuration> {
  const execute = deps.config.webhookAllowPrivate ? [allowInsecureRequests] : []
  return discovery(server, clientId, undefined, auth, {
    [customFetch]: providerFetch(deps),
    execute,
    timeout: TIMEOUT_S,
  })
}

/** The provider's openid-client configuration; discovery documents come from the per-node cache of providerFetch. */
async function configuration(deps: Deps, p: OAuthProviderConfig, auth: ClientAuth): Promise<Configuration> {
  if (isOidc(p.provider)) {
    const preset = presetOf(p.provider)
    return discoverOidc(deps, new URL(preset?.kind === 'oidc' ? preset.issuer : p.discoveryUrl!), p.clientId, auth)
  }
  const fetcher = providerFetch(deps)
  const execute = deps.config.webhookAllowPrivate ? [allowInsecureRequests] : []
  const preset = presetOf(p.provider)
  const endpoints =
    preset?.kind === 'oauth2'
      ? { authorization_endpoint: preset.authorizationUrl, token_endpoint: preset.tokenUrl }
      : { authorization_endpoint: p.authorizationUrl!, token_endpoint: p.tokenUrl! }
  // Plain OAuth 2 has no issuer; the authorization server's origin stands in (RFC 9207 `iss` is compared to it).
  const server = { issuer: new URL(endpoints.authorization_endpoint).origin, ...endpoints }
  const config = new Configuration(server, p.clientId, undefined, auth)
  config[customFetch] = fetcher
  config.timeout = TIMEOUT_S
  for (const extension of execute) extension(config)
  return config
}

/** Scopes to ask for: the configured ones, with `openid` for OpenID providers (no ID token without it). */
function scopeOf(p: OAuthProviderConfig): string {
  const scopes = isOidc(p.provider) && !p.scopes.includes('openid') ? ['openid', ...p.scopes] : p.scopes
  return scopes.join(' ')
}

/**
 * The provider's authorization URL with `state`, PKCE S256, the scopes and (OpenID providers)
 * `nonce`; Apple answers with form_post. Fetches the discovery document (cached per node) of
 * OpenID providers, so it may throw when the provider is unreachable or misconfigured.
 */
export async function authorizationUrl(deps: Deps, p: OAuthProviderConfig, input: AuthorizationInput): Promise<string> {
  const config = await configuration(deps, p, None())
  const params: Record<string, string> = {
    redirect_uri: input.redirectUri,
    response_type: 'code',
    scope: scopeOf(p),
    state: input.state,
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
  }
  if (isOidc(p.provider)) params.nonce = input.nonce
  const preset = presetOf(p.provider)
  if (preset?.kind === 'oidc' && preset.responseMode) params.response_mode = preset.responseMode
  return buildAuthorizationUrl(config, params).href
}

function messagesOf(err: unknown): string {
  const parts: string[] = []
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) parts.push(e.message)
  return parts.join(' | ')
}

const unreachable = (err: unknown): boolean => {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (e instanceof ProviderUnreachable || (e as { code?: string }).code === 'OAUTH_TIMEOUT') return true
  return false
}

const ID_TOKEN_CODES = new Set([
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
  'OAUTH_KEY_SELECTION_FAILED',
])

export function reasonOf(err: unknown, stage: 'setup' | 'token' | 'profile'): ExchangeFailure {
  if (unreachable(err)) return 'provider_unreachable'
  if (err instanceof AuthorizationResponseError)
    return err.error === 'access_denied' ? 'access_denied' : 'callback_invalid'
  if (stage === 'setup') return 'misconfigured'
  if (stage === 'profile') return 'profile_unavailable'
  if (err instanceof ResponseBodyError) return 'token_exchange_failed'
  const messages = messagesOf(err)
  if (/"iss" \(issuer\) (response parameter|missing)|"state" response parameter/.test(messages))
    return 'callback_invalid'
  if (ID_TOKEN_CODES.has((err as { code?: string }).code ?? '') || /JWT|ID Token|signature/i.test(messages))
    return 'id_token_invalid'
  return 'token_exchange_failed'
}

/**
 * The code grant of a callback (PKCE verifier; with a nonce, an ID token is required and checked: issuer,
 * audience, nonce, expiry, and its signature against the provider's JWKS). Throws what openid-client
 * throws; `reasonOf` names it. Shared with enterprise OIDC connections.
 */
export async function redeemCode(
  config: Configuration,
  input: {
    redirectUri: string
    code: string
    codeVerifier: string
    nonce: string | null
    callbackParams: Record<string, string>
  },
) {
  // OIDC Core §3.1.3.7 lets a client skip the signature of an ID token fetched over TLS; we check it
  // against the provider's JWKS all the same (API.md §16), so a token endpoint answer cannot be forged.
  if (input.nonce !== null) enableNonRepudiationChecks(config)
  const jwksUri = config.serverMetadata().jwks_uri
  const cached = jwksUri ? jwksCaches.get(jwksUri) : undefined
  if (cached) setJwksCache(config, cached)
  const current = new URL(input.redirectUri)
  current.search = ''
  current.hash = ''
  for (const [name, value] of Object.entries(input.callbackParams))
    if (name !== 'user' && name !== 'code') current.searchParams.set(name, value)
  current.searchParams.set('code', input.code)
  const tokens = await authorizationCodeGrant(config, current, {
    pkceCodeVerifier: input.codeVerifier,
    expectedState: skipStateCheck,
    ...(input.nonce !== null ? { expectedNonce: input.nonce, idTokenExpected: true } : {}),
  })
  const refreshed = getJwksCache(config)
  if (jwksUri && refreshed) {
    if (jwksCaches.size >= JWKS_CACHE_MAX) jwksCaches.clear()
    jwksCaches.set(jwksUri, refreshed)
  }
  return tokens
}

/**
 * Exchanges the callback's code (PKCE verifier, the nonce sent) and returns the provider's profile
 * with `emailVerified` per API.md §16, or why not. Never throws for anything the provider or the
 * callback did; the caller has already matched `state` to its attempt.
 */
export async function exchange(deps: Deps, p: OAuthProviderConfig, input: ExchangeInput): Promise<ExchangeResult> {
  let stage: 'setup' | 'token' | 'profile' = 'setup'
  try {
    const config = await configuration(deps, p, await clientAuth(deps, p))
    stage = 'token'
    const tokens = await redeemCode(config, { ...input, nonce: isOidc(p.provider) ? input.nonce : null })
    stage = 'profile'
    const profile = await readProfile(config, p, tokens, input.callbackParams)
    return profile ? { ok: true, profile } : { ok: false, reason: 'profile_unavailable' }
  } catch (err) {
    const reason = reasonOf(err, stage)
    deps.log.info('oauth provider exchange refused', {
      tenant_id: p.tenantId,
      oauth_provider_id: p.id,
      reason,
      code: (err as { code?: unknown }).code ?? null,
    })
    return { ok: false, reason }
  }
}
