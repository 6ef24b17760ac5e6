import type { Deps } from '../../deps'
import { keyOwner, type TenantRow } from '../tenants/service'
import { liveAccessToken } from './access-token'
import { userClaims } from './claims'
import { dpopThumbprint } from './dpop'
import { OAuthError } from './errors'

const invalidToken = (why: string) => new OAuthError('invalid_token', why)

/** RFC 6750 §2.1/§2.2 and RFC 9449 §7.1: the header, or the `access_token` form field of a POST; never the query. */
function presented(request: Request, form: Record<string, string | undefined> | null) {
  const header = request.headers.get('authorization')
  const fromForm = form?.access_token
  if (header && fromForm) throw new OAuthError('invalid_request', 'Present the access token once.')
  if (header) {
    const [scheme, value, extra] = header.split(' ')
    if (!value || extra !== undefined) throw invalidToken('Malformed Authorization header.')
    const kind = scheme?.toLowerCase()
    if (kind !== 'bearer' && kind !== 'dpop') throw invalidToken('Use the Bearer or DPoP scheme.')
    return { token: value, scheme: kind }
  }
  if (fromForm) return { token: fromForm, scheme: 'bearer' as const }
  throw invalidToken('An access token is required.')
}

/**
 * `GET|POST /oauth/userinfo` (OIDC Core §5.3): the claims of the granted scopes, as the user is now.
 * A DPoP-bound token needs the DPoP scheme and a proof of its key for this request (with `ath`).
 */
export async function userinfo(
  deps: Deps,
  tenant: TenantRow,
  request: Request,
  form: Record<string, string | undefined> | null,
) {
  const { token, scheme } = presented(request, form)
  const live = await liveAccessToken(deps, tenant, token)
  if (!live || !live.family.userId) throw invalidToken('The access token is invalid or has expired.')
  // A token for another resource (RFC 8707) is that resource's, not the UserInfo endpoint's.
  const { issuer, acceptedIssuers } = keyOwner(deps, tenant)
  const audiences = Array.isArray(live.claims.aud) ? live.claims.aud : [live.claims.aud]
  if (!audiences.some((aud) => acceptedIssuers.includes(aud as string)))
    throw invalidToken('This access token is meant for another resource.')
  const jkt = live.family.dpopJkt
  if (jkt) {
    const url = `${issuer}/oauth/userinfo`
    const target = { method: request.method, url, accessToken: token }
    // RFC 9449 §7.1: a resource answers a bad proof with 401 and a DPoP challenge.
    const proof =
      scheme === 'dpop'
        ? await dpopThumbprint(deps, tenant.id, live.family.applicationId, request, target).catch((err) => {
            throw err instanceof OAuthError ? new OAuthError(err.error, err.description, 401) : err
          })
        : null
    if (proof !== jkt) throw invalidToken('This token is DPoP-bound: present it with a proof of its key.')
  } else if (scheme === 'dpop') throw invalidToken('This token is not DPoP-bound.')
  const scopes = String(live.claims.scope ?? '').split(' ')
  if (!scopes.includes('openid')) throw new OAuthError('insufficient_scope', 'The openid scope is required.', 403)
  const claims = await userClaims(deps, tenant.id, live.family.userId, scopes, live.family.organizationId)
  if (!claims) throw invalidToken('The user no longer exists.')
  return claims
}
