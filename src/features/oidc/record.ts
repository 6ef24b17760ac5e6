import type { Deps } from '../../deps'
import { appendAudit, type AuditEntry } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { append, eventSubject } from '../../platform/outbox'

/** What one OAuth change leaves behind in its own transaction: a webhook event, an audit entry, or both. */
export interface Recorded {
  /** Webhook event type (API.md §9), whose `data` is `data`. */
  event?: string
  /** Audit action; the entry carries `auditData` when given. */
  action?: string
  actor: AuditEntry['actor']
  target: { type: string; id: string }
  data?: unknown
  auditData?: Record<string, unknown>
}

export async function recordInTx(deps: Deps, tx: Tx, tenantId: string, r: Recorded): Promise<void> {
  const now = deps.clock.now()
  if (r.event)
    await append(tx, tenantId, [{ type: r.event, subject: eventSubject(r.event), payload: { data: r.data } }], now)
  if (r.action)
    await appendAudit(
      deps.auditKey,
      tx,
      tenantId,
      { action: r.action, actor: r.actor, target: r.target, ...(r.auditData ? { data: r.auditData } : {}) },
      now,
    )
}
