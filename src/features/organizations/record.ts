import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { append, eventMessage } from '../../platform/outbox'
import type { AuditBy } from '../audit/service'
import type { Audience } from './model'

/**
 * Who acts: the tenant's backend (secret key) or a member through the frontend. `audience`
 * decides what answers show (the frontend never sees private metadata).
 */
export interface Acting {
  by: AuditBy
  audience: Audience
}

/** The Backend API acting: the secret key, or the service key used (API.md §11). */
export const BACKEND = (actor: AuditBy['actor']): Acting => ({ by: { actor }, audience: 'backend' })

/** What the server does on its own (a domain's enrollment): no person or key asked for it. */
export const SYSTEM: Acting = { by: { actor: { type: 'system', id: null } }, audience: 'backend' }

export interface Change {
  action: string
  target: {
    type:
      | 'organization'
      | 'organization_membership'
      | 'organization_invitation'
      | 'organization_domain'
      | 'organization_suggestion'
      | 'organization_membership_request'
    id: string
  }
  data?: Record<string, unknown>
  /** The webhook event's data: the backend's view of the object, or `{ object, id, deleted }`; none: audit only. */
  event?: Record<string, unknown>
}

/** The audit entry and webhook event of one change, in its transaction (events named as API.md §9). */
export async function record(deps: Deps, tx: Tx, tenantId: string, acting: Acting, change: Change): Promise<void> {
  const now = deps.clock.now()
  await appendAudit(
    deps.auditKey,
    tx,
    tenantId,
    {
      action: change.action,
      actor: acting.by.actor,
      target: change.target,
      ip: acting.by.caller?.ip,
      userAgent: acting.by.caller?.userAgent,
      data: change.data,
    },
    now,
  )
  if (change.event) await append(tx, tenantId, [eventMessage(change.action, change.event)], now)
}
