import type { Deps } from '../../deps'
import { sha256Hex } from '../../platform/crypto/tokens'
import { withTenant } from '../../platform/db/tx'
import { keyOwner, type TenantRow } from '../tenants/service'
import { liveAccessToken } from './access-token'
import { authenticateClient } from './client-auth'
import type { Form } from './form'
import { OAuthError } from './errors'
import { revokeFamiliesInTx } from './families'
import * as TokenRepo from './token-repo'

/**
 * `POST /oauth/revoke` (RFC 7009): the client revokes a token it was issued. A refresh token takes its
 * whole family (every access token of the same authorization, §2.1); an access token likewise, since
 * a JWT cannot be recalled alone. A token of another client, unknown or already dead: 200 all the same
 * (§2.2), so the endpoint tells nothing about tokens it does not own.
 */
export async function revoke(deps: Deps, tenant: TenantRow, request: Request, form: Form): Promise<void> {
  const app = await authenticateClient(deps, tenant, keyOwner(deps, tenant).issuer, request, form)
  const token = form.token
  if (!token) throw new OAuthError('invalid_request', 'token is required.')
  let familyId: string | null = null
  if (form.token_type_hint !== 'refresh_token') {
    const live = await liveAccessToken(deps, tenant, token)
    if (live?.family.applicationId === app.id) familyId = live.family.id
  }
  if (!familyId && token.length <= 128) {
    const hash = await sha256Hex(token)
    const found = await withTenant(deps.db, tenant.id, (tx) => TokenRepo.findRefreshToken(tx, tenant.id, hash))
    if (found?.family.applicationId === app.id) familyId = found.family.id
  }
  if (!familyId) return
  const id = familyId
  await withTenant(deps.db, tenant.id, (tx) => revokeFamiliesInTx(deps, tx, tenant.id, { ids: [id] }))
}
