import type { Deps } from '../../deps'
import { keyOwner, type TenantRow } from '../tenants/service'
import { authenticateClient } from './client-auth'
import type { Form } from './form'
import { dpopThumbprint } from './dpop'
import { OAuthError } from './errors'
import { redeemCode } from './grants/authorization-code'
import { clientCredentials } from './grants/client-credentials'
import { refreshTokens } from './grants/refresh-token'
import type { TokenResponse } from './issue'
import { CIBA_GRANT, DEVICE_GRANT, GRANT_TYPES } from './model'
import { pollCiba } from './grants/ciba'
import { pollDevice } from './grants/device-code'
import type { ApplicationRow } from './repo'

type GrantHandler = (
  deps: Deps,
  tenant: TenantRow,
  app: ApplicationRow,
  form: Form,
  dpopJkt: string | null,
) => Promise<TokenResponse>

const HANDLERS: Record<(typeof GRANT_TYPES)[number], GrantHandler> = {
  authorization_code: redeemCode,
  refresh_token: refreshTokens,
  client_credentials: clientCredentials,
  [DEVICE_GRANT]: pollDevice,
  [CIBA_GRANT]: pollCiba,
}

/**
 * `POST /oauth/token` (RFC 6749 §3.2): authenticate the client, check that it may use the grant type,
 * read an optional DPoP proof (RFC 9449: the tokens are then bound to its key), run the grant.
 */
export async function token(deps: Deps, tenant: TenantRow, request: Request, form: Form): Promise<TokenResponse> {
  const issuer = keyOwner(deps, tenant).issuer
  const app = await authenticateClient(deps, tenant, issuer, request, form)
  const type = form.grant_type
  if (!type) throw new OAuthError('invalid_request', 'grant_type is required.')
  const handler = (HANDLERS as Record<string, GrantHandler | undefined>)[type]
  if (!handler) throw new OAuthError('unsupported_grant_type', 'This grant type is not supported.')
  if (!app.grantTypes.includes(type)) throw new OAuthError('unauthorized_client', 'This client may not use this grant.')
  const jkt = await dpopThumbprint(deps, tenant.id, app.id, request, { method: 'POST', url: `${issuer}/oauth/token` })
  return handler(deps, tenant, app, form, jkt)
}
