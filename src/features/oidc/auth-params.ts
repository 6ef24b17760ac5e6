import { OAuthError } from './errors'
import { matchesRegistered } from './redirect-uris'
import { resourceFor } from './resource'
import type { ApplicationRow } from './repo'

/** The validated parameters of an authorization request, as stored on its row. */
export interface AuthParams {
  client_id: string
  redirect_uri: string
  scopes: string[]
  state: string | null
  nonce: string | null
  code_challenge: string | null
  prompt: string[]
  max_age: number | null
  login_hint: string | null
  acr_values: string | null
  ui_locales: string | null
  resource: string | null
  organization: string | null
}

export type RawParams = Record<string, string | undefined>

/** A failure that may be sent back to the client (its redirect URI is known to be registered). */
export class RedirectableError extends OAuthError {}

const PROMPTS = new Set(['none', 'login', 'consent', 'select_account'])
const MAX_PARAM = 2048

/**
 * Step 1 (never redirected): the client and the redirect URI. An unknown client or an unregistered
 * redirect URI must not be redirected to (RFC 6749 §4.1.2.1): the caller shows an error page.
 */
export function redirectTarget(app: ApplicationRow | null, raw: RawParams): string {
  if (!app) throw new OAuthError('invalid_client', 'Unknown client_id.')
  if (!app.grantTypes.includes('authorization_code'))
    throw new OAuthError('unauthorized_client', 'This client may not use the authorization code flow.')
  const given = raw.redirect_uri
  if (given === undefined) {
    // OIDC Core requires it; OAuth lets a client with exactly one registered URI leave it out.
    if (app.redirectUris.length === 1 && !(raw.scope ?? '').split(' ').includes('openid')) return app.redirectUris[0]!
    throw new OAuthError('invalid_redirect_uri', 'redirect_uri is required.')
  }
  if (!matchesRegistered(app.redirectUris, given))
    throw new OAuthError('invalid_redirect_uri', 'redirect_uri is not registered for this client.')
  return given
}

const fail = (error: ConstructorParameters<typeof OAuthError>[0], description: string) =>
  new RedirectableError(error, description)

function bounded(raw: RawParams, name: string): string | null {
  const value = raw[name]
  if (value === undefined || value === '') return null
  if (value.length > MAX_PARAM) throw fail('invalid_request', `${name} is too long.`)
  return value
}

/** Step 2 (redirected on failure): every other parameter of OIDC Core §3.1.2.1, RFC 7636 and RFC 8707. */
export function authParams(app: ApplicationRow, redirectUri: string, raw: RawParams): AuthParams {
  if (raw.request !== undefined) throw fail('invalid_request', 'Request objects are not supported; use PAR.')
  for (const unsupported of ['claims', 'registration'])
    if (raw[unsupported] !== undefined) throw fail('invalid_request', `${unsupported} is not supported.`)
  if (raw.response_type !== 'code') throw fail('unsupported_response_type', 'Only response_type=code is supported.')
  if (raw.response_mode !== undefined && raw.response_mode !== 'query')
    throw fail('invalid_request', 'Only response_mode=query is supported.')
  const scopes = [...new Set((bounded(raw, 'scope') ?? '').split(' ').filter(Boolean))]
  if (scopes.length === 0) throw fail('invalid_scope', 'scope is required.')
  const unknown = scopes.find((s) => !app.scopes.includes(s))
  if (unknown) throw fail('invalid_scope', `Scope ${unknown} is not allowed for this client.`)
  const challenge = bounded(raw, 'code_challenge')
  const method = raw.code_challenge_method
  if (challenge) {
    if (method !== 'S256') throw fail('invalid_request', 'code_challenge_method must be S256.')
    if (!/^[A-Za-z0-9_-]{43,128}$/.test(challenge)) throw fail('invalid_request', 'code_challenge is malformed.')
  } else if (app.public) throw fail('invalid_request', 'PKCE (code_challenge with S256) is required.')
  else if (method !== undefined) throw fail('invalid_request', 'code_challenge is missing.')
  const prompt = [...new Set((bounded(raw, 'prompt') ?? '').split(' ').filter(Boolean))]
  if (prompt.some((p) => !PROMPTS.has(p))) throw fail('invalid_request', 'Unsupported prompt value.')
  if (prompt.includes('none') && prompt.length > 1) throw fail('invalid_request', 'prompt=none cannot be combined.')
  const maxAgeRaw = bounded(raw, 'max_age')
  if (maxAgeRaw !== null && !/^\d{1,9}$/.test(maxAgeRaw)) throw fail('invalid_request', 'max_age is not a number.')
  let resource: string | null
  try {
    resource = resourceFor(app, bounded(raw, 'resource'))
  } catch (err) {
    throw err instanceof OAuthError ? fail(err.error, err.description) : err
  }
  return {
    client_id: app.clientId,
    redirect_uri: redirectUri,
    scopes,
    state: bounded(raw, 'state'),
    nonce: bounded(raw, 'nonce'),
    code_challenge: challenge,
    prompt,
    max_age: maxAgeRaw === null ? null : Number(maxAgeRaw),
    login_hint: bounded(raw, 'login_hint'),
    acr_values: bounded(raw, 'acr_values'),
    ui_locales: bounded(raw, 'ui_locales'),
    resource,
    organization: bounded(raw, 'organization'),
  }
}
