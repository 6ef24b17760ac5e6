import type { Deps } from '../../../deps'
import { sha256Hex } from '../../../platform/crypto/tokens'
import { withTenant } from '../../../platform/db/tx'
import type { TenantRow } from '../../tenants/service'
import * as DeviceRepo from '../device-repo'
import { OAuthError } from '../errors'
import type { Form } from '../form'
import { insertFamilyInTx, mintTokens, type TokenResponse } from '../issue'
import { POLL_INTERVAL_S, pollRefusal } from '../poll'
import { DEVICE_GRANT } from '../model'
import type { ApplicationRow } from '../repo'

interface Approved {
  resource: string | null
  amr: string[]
  authTime: number
}

/** `grant_type=urn:ietf:params:oauth:grant-type:device_code` (RFC 8628 §3.4–3.5): poll until answered. */
export async function pollDevice(
  deps: Deps,
  tenant: TenantRow,
  app: ApplicationRow,
  form: Form,
  dpopJkt: string | null,
): Promise<TokenResponse> {
  if (!form.device_code) throw new OAuthError('invalid_request', 'device_code is required.')
  const hash = await sha256Hex(form.device_code)
  const now = deps.clock.now()
  const outcome = await withTenant(deps.db, tenant.id, async (tx) => {
    const row = await DeviceRepo.lockDevice(tx, tenant.id, hash)
    if (!row || row.applicationId !== app.id) return { error: new OAuthError('invalid_grant', 'Unknown device_code.') }
    const refusal = pollRefusal(row, now, POLL_INTERVAL_S)
    if (refusal) {
      await DeviceRepo.updateDevice(tx, tenant.id, row.id, { lastPolledAt: new Date(now) })
      return { error: refusal }
    }
    const approved = row.params as unknown as Approved
    const issued = await insertFamilyInTx(deps, tx, tenant, {
      app,
      grantId: row.grantId,
      userId: row.userId,
      sessionId: row.sessionId,
      organizationId: null,
      scopes: row.scopes,
      resource: approved.resource,
      authTime: approved.authTime,
      amr: approved.amr,
      dpopJkt,
      grantType: DEVICE_GRANT,
    })
    await DeviceRepo.updateDevice(tx, tenant.id, row.id, { status: 'consumed', lastPolledAt: new Date(now) })
    return { issued }
  })
  if ('error' in outcome) throw outcome.error
  return mintTokens(deps, tenant, outcome.issued.family, app, {
    refreshToken: outcome.issued.refreshToken,
    withIdToken: true,
  })
}
