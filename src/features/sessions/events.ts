import type { Deps } from '../../deps'
import { appendAudit, type AuditEntry } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import type { Caller } from '../../platform/http/caller'
import { append, eventSubject } from '../../platform/outbox'
import type { SessionRow } from './repo'

/** A session's lifecycle step as a webhook event and an audit entry of the same name, in the caller's transaction. */
export async function sessionEvent(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  type: string,
  session: SessionRow,
  actor: AuditEntry['actor'],
  caller: Caller | null,
) {
  const now = deps.clock.now()
  await append(
    tx,
    tenantId,
    [
      {
        type,
        subject: eventSubject(type),
        payload: { data: { id: session.id, user_id: session.userId, client_id: session.clientId } },
      },
    ],
    now,
  )
  await appendAudit(
    deps.auditKey,
    tx,
    tenantId,
    { action: type, actor, target: { type: 'session', id: session.id }, ip: caller?.ip, userAgent: caller?.userAgent },
    now,
  )
}
