import { appendAudit, type AuditEntry } from './audit'
import type { AuditKey } from './audit-key'
import type { Clock } from './clock'
import type { Tx } from './db/client'
import { append, eventMessage } from './outbox'

/**
 * A Backend API resource's change as customers see it (API.md §9, §13): the webhook event
 * `<type>.created|updated|deleted` with the public object (or `{ object, id, deleted }`) and the
 * audit entry of who did it, in the change's transaction.
 */
export async function recordResourceChange(
  deps: { auditKey: AuditKey; clock: Clock },
  tx: Tx,
  tenantId: string,
  change: { type: string; actor: AuditEntry['actor']; data: { object: string; id: string } },
): Promise<void> {
  const now = deps.clock.now()
  await append(tx, tenantId, [eventMessage(change.type, change.data)], now)
  await appendAudit(
    deps.auditKey,
    tx,
    tenantId,
    { action: change.type, actor: change.actor, target: { type: change.data.object, id: change.data.id } },
    now,
  )
}
