import type { Deps } from '../../deps'
import { keyOwner, type TenantRow } from '../tenants/service'
import { ACR_VALUES } from './claims'
import { DPOP_ALGS } from './dpop'
import { AUTH_METHODS, GRANT_TYPES, SCOPES } from './model'

/** Claims the provider can put in ID tokens and userinfo (OIDC Discovery `claims_supported`). */
const CLAIMS = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'acr',
  'amr',
  'azp',
  'sid',
  'at_hash',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'updated_at',
  'email',
  'email_verified',
  'phone_number',
  'phone_number_verified',
  'public_metadata',
  'org_id',
  'org_slug',
  'org_role',
  'org_permissions',
]

/**
 * `{issuer}/.well-known/openid-configuration` (OIDC Discovery 1.0, RFC 8414, API.md §15): every value
 * is what the endpoints do — nothing listed that is not implemented.
 */
export function openIdConfiguration(deps: Deps, tenant: TenantRow) {
  const issuer = keyOwner(deps, tenant).issuer
  const oauth = `${issuer}/oauth`
  const registration = tenant.settings.oauth.dynamic_registration !== 'off'
  return {
    issuer,
    authorization_endpoint: `${oauth}/authorize`,
    token_endpoint: `${oauth}/token`,
    userinfo_endpoint: `${oauth}/userinfo`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    ...(registration ? { registration_endpoint: `${oauth}/register` } : {}),
    introspection_endpoint: `${oauth}/introspect`,
    revocation_endpoint: `${oauth}/revoke`,
    pushed_authorization_request_endpoint: `${oauth}/par`,
    device_authorization_endpoint: `${oauth}/device_authorization`,
    backchannel_authentication_endpoint: `${oauth}/bc-authorize`,
    end_session_endpoint: `${oauth}/end_session`,
    scopes_supported: [...SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...GRANT_TYPES],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: [...AUTH_METHODS],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    introspection_endpoint_auth_methods_supported: AUTH_METHODS.filter((m) => m !== 'none'),
    revocation_endpoint_auth_methods_supported: [...AUTH_METHODS],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [tenant.settings.signing_algorithm],
    claims_supported: CLAIMS,
    claims_parameter_supported: false,
    acr_values_supported: ACR_VALUES,
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    authorization_response_iss_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: true,
    require_request_uri_registration: false,
    require_pushed_authorization_requests: tenant.settings.oauth.require_par,
    backchannel_token_delivery_modes_supported: ['poll'],
    backchannel_user_code_parameter_supported: false,
    dpop_signing_alg_values_supported: DPOP_ALGS,
    frontchannel_logout_supported: false,
    backchannel_logout_supported: false,
  }
}
