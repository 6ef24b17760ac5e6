import type { Deps } from '../../../deps'
import { withTenant } from '../../../platform/db/tx'
import * as SessionsService from '../../sessions/service'
import type { TenantRow } from '../../tenants/service'
import * as DeviceRepo from '../device-repo'
import { OAuthError } from '../errors'
import type { Form } from '../form'
import { insertFamilyInTx, mintTokens, type TokenResponse } from '../issue'
import { pollRefusal } from '../poll'
import { CIBA_GRANT } from '../model'
import type { ApplicationRow } from '../repo'

/**
 * `grant_type=urn:openid:params:grant-type:ciba` (CIBA Core §10.1, poll mode). The user authenticated
 * when approving (a factor within 10 minutes), so `auth_time` is the approval and `amr` the session's.
 */
export async function pollCiba(
  deps: Deps,
  tenant: TenantRow,
  app: ApplicationRow,
  form: Form,
  dpopJkt: string | null,
): Promise<TokenResponse> {
  const id = form.auth_req_id
  if (!id) throw new OAuthError('invalid_request', 'auth_req_id is required.')
  const now = deps.clock.now()
  const outcome = await withTenant(deps.db, tenant.id, async (tx) => {
    const row = /^ciba_[0-9A-Z]{26}$/.test(id) ? await DeviceRepo.lockCiba(tx, tenant.id, id) : null
    if (!row || row.applicationId !== app.id) return { error: new OAuthError('invalid_grant', 'Unknown auth_req_id.') }
    const refusal = pollRefusal(row, now, row.intervalS)
    if (refusal) {
      await DeviceRepo.updateCiba(tx, tenant.id, row.id, { lastPolledAt: new Date(now) })
      return { error: refusal }
    }
    await DeviceRepo.updateCiba(tx, tenant.id, row.id, { status: 'consumed', lastPolledAt: new Date(now) })
    return { row }
  })
  if ('error' in outcome) throw outcome.error
  const { row } = outcome
  const session = row.sessionId ? await SessionsService.get(deps, tenant, row.sessionId).catch(() => null) : null
  const issued = await withTenant(deps.db, tenant.id, (tx) =>
    insertFamilyInTx(deps, tx, tenant, {
      app,
      grantId: row.grantId,
      userId: row.userId,
      sessionId: row.sessionId,
      organizationId: null,
      scopes: row.scopes,
      resource: null,
      authTime: row.updatedAt.getTime(),
      amr: session?.factors ?? [],
      dpopJkt,
      grantType: CIBA_GRANT,
    }),
  )
  return mintTokens(deps, tenant, issued.family, app, { refreshToken: issued.refreshToken, withIdToken: true })
}
