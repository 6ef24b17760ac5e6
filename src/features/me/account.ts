import type { Deps } from '../../deps'
import * as AuditService from '../audit/service'
import type { AuditEvent } from '../audit/model'
import type { Session } from '../sessions/model'
import * as SessionsService from '../sessions/service'
import type { SessionAuth } from '../sessions/session-guard'
import * as AccountsService from '../accounts/service'
import type { MeUser } from './model'
import * as MeService from './service'
import { requireStepUp } from './step-up'

/** The user's own account as a whole (API.md §6, GDPR): a copy of everything held, and erasure. */
export interface UserExport {
  object: 'user_export'
  exported_at: number
  /** As `/me` shows it: private metadata is the backend's, never shown to the user (API.md §7). */
  user: MeUser
  sessions: Session[]
  audit_events: AuditEvent[]
}

/** GET /me/export: the account, every session (ended ones too) and every audit event by or about the user. */
export async function exportAccount(deps: Deps, me: SessionAuth): Promise<UserExport> {
  const [user, sessions, auditEvents] = await Promise.all([
    MeService.get(deps, me),
    SessionsService.allForUser(deps, me.tenant, me.userId),
    AuditService.concerning(deps, me.tenant.id, me.userId),
  ])
  return { object: 'user_export', exported_at: deps.clock.now(), user, sessions, audit_events: auditEvents }
}

/**
 * DELETE /me: erasure, as the Backend API's user deletion does it (personal fields cleared,
 * addresses and passkeys deleted, every session revoked, `user.deleted`), audited with the user
 * as actor. A sensitive action: it needs a factor verified within 10 minutes.
 */
export async function eraseAccount(
  deps: Deps,
  me: SessionAuth,
): Promise<{ object: 'user'; id: string; deleted: true }> {
  await requireStepUp(deps, me)
  await AccountsService.remove(deps, me.tenant, me.userId, {
    actor: { type: 'user', id: me.userId },
    caller: me.caller,
  })
  return { object: 'user', id: me.userId, deleted: true }
}
