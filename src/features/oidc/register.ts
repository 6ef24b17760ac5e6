import type { Deps } from '../../deps'
import type { AuditEntry } from '../../platform/audit'
import { AppError } from '../../platform/errors'
import { bearerToken } from '../../platform/http/bearer'
import type { Caller } from '../../platform/http/caller'
import { perIpKey } from '../../platform/http/ip-key'
import * as RateLimit from '../../platform/rate-limit'
import * as ApiKeyModel from '../api-keys/model'
import * as ApiKeysService from '../api-keys/service'
import type { TenantRow } from '../tenants/service'
import * as Applications from './applications'
import { OAuthError } from './errors'
import { AUTH_METHODS, DEVICE_GRANT } from './model'

const metadataError = (why: string) => new OAuthError('invalid_client_metadata', why)

/**
 * What a self-registered client may use: flows where a person signs in and consents. Client
 * credentials and CIBA act without anyone's consent at that moment (CIBA even pushes prompts to any
 * user it names), so only an operator registers those.
 */
const REGISTRABLE_GRANTS = ['authorization_code', 'refresh_token', DEVICE_GRANT]

/** Who may register (API.md §15): nobody (404), a service key with `oauth_applications:manage`, or anyone. */
async function registrant(
  deps: Deps,
  tenant: TenantRow,
  request: Request,
  caller: Caller,
): Promise<AuditEntry['actor']> {
  const mode = tenant.settings.oauth.dynamic_registration
  if (mode === 'off') throw new AppError('resource_not_found')
  if (mode === 'open') {
    const limit = tenant.settings.rate_limits.per_ip_per_minute
    await RateLimit.consume(deps.db, tenant.id, `oauth_register:${perIpKey(caller.ip ?? '')}`, limit, deps.clock.now())
    return { type: 'system', id: null }
  }
  const presented = bearerToken(request)
  const key = presented ? await ApiKeysService.authenticate(deps, presented) : null
  if (!key || key.tenant.id !== tenant.id || !ApiKeyModel.grants(key.scopes, 'oauth_applications:manage'))
    throw new OAuthError('invalid_token', 'An initial access token with oauth_applications:manage is required.')
  return { type: 'api_key', id: key.keyId }
}

const strings = (value: unknown, name: string): string[] | undefined => {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw metadataError(`${name} must be strings.`)
  return value as string[]
}
const optionalString = (value: unknown, name: string): string | undefined => {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw metadataError(`${name} must be a string.`)
  return value
}

/**
 * `POST /oauth/register` (RFC 7591): a third-party application that always asks consent; its secret is
 * in this answer only and never expires (`client_secret_expires_at: 0`). Metadata this server does not
 * know is ignored (§2); metadata it cannot honour is `invalid_client_metadata`.
 */
export async function register(deps: Deps, tenant: TenantRow, request: Request, caller: Caller, body: unknown) {
  const actor = await registrant(deps, tenant, request, caller)
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new OAuthError('invalid_request', 'Send the client metadata as a JSON object.')
  const m = body as Record<string, unknown>
  const responseTypes = strings(m.response_types, 'response_types') ?? ['code']
  if (responseTypes.some((r) => r !== 'code')) throw metadataError('Only the code response type is supported.')
  const method = optionalString(m.token_endpoint_auth_method, 'token_endpoint_auth_method') ?? 'client_secret_basic'
  if (!(AUTH_METHODS as readonly string[]).includes(method))
    throw metadataError('Unsupported token_endpoint_auth_method.')
  const grantTypes = strings(m.grant_types, 'grant_types') ?? ['authorization_code']
  if (grantTypes.some((g) => !REGISTRABLE_GRANTS.includes(g)))
    throw metadataError(`grant_types may only name ${REGISTRABLE_GRANTS.join(', ')}.`)
  const scope = optionalString(m.scope, 'scope')
  const input = {
    name: optionalString(m.client_name, 'client_name') ?? 'Unnamed application',
    redirect_uris: strings(m.redirect_uris, 'redirect_uris') ?? [],
    post_logout_redirect_uris: strings(m.post_logout_redirect_uris, 'post_logout_redirect_uris'),
    grant_types: grantTypes,
    scopes: scope === undefined ? undefined : scope.split(' ').filter(Boolean),
    public: method === 'none',
    token_endpoint_auth_method: method as (typeof AUTH_METHODS)[number],
    jwks_uri: optionalString(m.jwks_uri, 'jwks_uri'),
    logo_url: optionalString(m.logo_uri, 'logo_uri'),
  }
  let created: Awaited<ReturnType<typeof Applications.create>>
  try {
    created = await Applications.create(deps, tenant, input, actor, { dynamic: true })
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 422) throw err
    const param = String(err.meta.param_name ?? '')
    if (param.includes('redirect_uris')) throw new OAuthError('invalid_redirect_uri', `${param} is not acceptable.`)
    throw metadataError(`${param || 'The metadata'} is not acceptable.`)
  }
  return {
    client_id: created.client_id,
    ...(created.client_secret ? { client_secret: created.client_secret, client_secret_expires_at: 0 } : {}),
    client_id_issued_at: Math.floor(created.created_at / 1000),
    client_name: created.name,
    redirect_uris: created.redirect_uris,
    post_logout_redirect_uris: created.post_logout_redirect_uris,
    grant_types: created.grant_types,
    response_types: ['code'],
    token_endpoint_auth_method: created.token_endpoint_auth_method,
    scope: created.scopes.join(' '),
    ...(created.jwks_uri ? { jwks_uri: created.jwks_uri } : {}),
    ...(created.logo_url ? { logo_uri: created.logo_url } : {}),
  }
}
