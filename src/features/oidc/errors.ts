import { AppError } from '../../platform/errors'

/** RFC 6749 §5.2, OIDC Core §3.1.2.6, RFC 8628 §3.5, CIBA §11, RFC 9449 §7 and RFC 7591 §3.2.2 error codes. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'invalid_request_uri'
  | 'access_denied'
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'login_required'
  | 'consent_required'
  | 'account_selection_required'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  | 'unknown_user_id'
  | 'invalid_binding_message'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'server_error'
  | 'temporarily_unavailable'

/**
 * The one error of the protocol endpoints, rendered as RFC 6749 JSON (`{ error, error_description }`)
 * rather than the API envelope: OAuth clients read only these fields.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status = error === 'invalid_client' || error === 'invalid_token' ? 401 : 400,
  ) {
    super(description)
  }
}

/**
 * Renders any error raised under `/t/:tenant/oauth/` as RFC 6749 JSON. An AppError of the platform
 * (malformed body, rate limit, NUL byte) keeps its status; a 5xx says nothing more than server_error.
 */
function renderOAuthError(error: unknown, fallback: AppError, headers: Record<string, string>): Response {
  const oauth =
    error instanceof OAuthError
      ? error
      : fallback.status >= 500
        ? new OAuthError('server_error', 'The server could not complete the request.', 500)
        : new OAuthError(
            fallback.status === 429 ? 'temporarily_unavailable' : 'invalid_request',
            fallback.message,
            fallback.status,
          )
  const extra: Record<string, string> = error instanceof OAuthError ? {} : { ...fallback.headers }
  if (oauth.status === 401 && oauth.error === 'invalid_dpop_proof')
    extra['www-authenticate'] = `DPoP error="invalid_dpop_proof", algs="ES256 RS256 EdDSA"`
  else if (oauth.status === 401 && oauth.error === 'invalid_token')
    extra['www-authenticate'] =
      `Bearer error="invalid_token", error_description="${oauth.description.replace(/"/g, "'")}"`
  else if (oauth.status === 401) extra['www-authenticate'] = 'Basic realm="oauth"'
  return new Response(JSON.stringify({ error: oauth.error, error_description: oauth.description }), {
    status: oauth.status,
    headers: { ...headers, ...extra, 'content-type': 'application/json', 'cache-control': 'no-store' },
  })
}

/** The renderer of every path under `/t/:tenant/oauth/` (see platform/http/platform.ts). */
export const oauthProtocolErrors = {
  path: /^\/t\/[^/]+\/oauth\//,
  owns: (error: unknown) => error instanceof OAuthError,
  render: renderOAuthError,
}
