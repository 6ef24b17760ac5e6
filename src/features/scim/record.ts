import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { append, eventMessage } from '../../platform/outbox'
import type { AuditBy } from '../audit/service'
import type { ScimCaller } from './admin'

/** The SCIM token acting, as audit entries and events name it (actor type `scim`). */
export const byToken = (caller: ScimCaller): AuditBy => ({ actor: { type: 'scim', id: caller.tokenId } })

/**
 * The audit entry and event of one SCIM change (`scimUser.*`, `scimGroup.*`, API.md §9), in its
 * transaction: webhooks and the audit log see what the identity provider did.
 */
export async function recordScim(
  deps: Deps,
  tx: Tx,
  caller: ScimCaller,
  type: string,
  target: { type: 'scim_user' | 'scim_group'; id: string },
  data: Record<string, unknown>,
): Promise<void> {
  const now = deps.clock.now()
  await appendAudit(
    deps.auditKey,
    tx,
    caller.tenant.id,
    { action: type, actor: byToken(caller).actor, target, data: { organization_id: caller.organizationId } },
    now,
  )
  await append(
    tx,
    caller.tenant.id,
    [eventMessage(type, { object: target.type, id: target.id, organization_id: caller.organizationId, ...data })],
    now,
  )
}
