import type { Deps } from '../../deps'
import { randomToken } from '../../platform/crypto/tokens'
import { keyOwner, type TenantRow } from '../tenants/service'
import { authParams, redirectTarget } from './auth-params'
import { PAR_URN, saveRequest } from './authorize'
import { authenticateClient } from './client-auth'
import type { Form } from './form'
import { OAuthError } from './errors'

const PAR_LIFETIME_S = 60
const CLIENT_AUTH_FIELDS = ['client_secret', 'client_assertion', 'client_assertion_type']

/**
 * `POST /oauth/par` (RFC 9126): the client pushes its authorization parameters, authenticated, and
 * gets a `request_uri` usable once within 60 s at `/oauth/authorize`. Invalid parameters are
 * answered here as JSON, never later as a redirect.
 */
export async function pushAuthorizationRequest(deps: Deps, tenant: TenantRow, request: Request, form: Form) {
  const app = await authenticateClient(deps, tenant, keyOwner(deps, tenant).issuer, request, form)
  if (form.request_uri !== undefined) throw new OAuthError('invalid_request', 'request_uri cannot be pushed.')
  const raw = Object.fromEntries(Object.entries(form).filter(([k]) => !CLIENT_AUTH_FIELDS.includes(k)))
  const params = authParams(app, redirectTarget(app, { ...raw, client_id: app.clientId }), raw)
  const token = randomToken(32)
  await saveRequest(deps, tenant, app, params, { token, lifetimeMs: PAR_LIFETIME_S * 1000 }, null)
  return { request_uri: `${PAR_URN}${token}`, expires_in: PAR_LIFETIME_S }
}
