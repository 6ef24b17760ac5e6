import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import type { Change } from '../../platform/changes'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { Caller } from '../../platform/http/caller'
import type { Page } from '../../platform/http/pagination'
import { append } from '../../platform/outbox'
import type { Session } from '../sessions/model'
import * as SessionsService from '../sessions/service'
import type { SessionAuth } from '../sessions/session-guard'
import type { TenantRow } from '../tenants/service'
import * as AccountsService from '../accounts/service'
import { userEvent } from '../users/model'
import * as UsersService from '../users/service'
import type { IdentificationRow, UserPatch, UserRow } from '../users/service'
import { toMe, type MeUser, type patchBody } from './model'
import { requireStepUp } from './step-up'
import { keepsWayInTx } from './ways-in'

/** Other features' step-up checks (passkeys, MFA) are /me's: a recent factor of this session. */
export { requireStepUp }
export { keepsWayInTx } from './ways-in'
/** The email-link page (verification) verifies a new address of the user through it. */
export { verifyLink } from './identifications'

/**
 * The current user's own account (API.md §6): every change goes through `changeSelf`, so each
 * one locks the user row, writes an audit entry with the user as actor, emits `user.updated`
 * and invalidates the introspection caches of every node.
 */
export interface Actor {
  tenant: TenantRow
  userId: string
  caller: Caller
}

export interface Locked {
  user: UserRow
  identifications: IdentificationRow[]
}

export interface Edit<T> {
  result: T
  patch?: UserPatch
  /** The audit entry's target; the user by default. */
  target?: { type: string; id: string }
  data?: Record<string, unknown>
  /** Further changes to announce after commit (ended sessions). */
  changes?: Change[]
}

/**
 * The one path for a user changing their own account: row lock, the change, `updated_at`,
 * change feed (introspection caches user summaries), audit, outbox `user.updated` — one
 * transaction; the changes are announced only after it commits.
 */
export async function changeSelf<T>(
  deps: Deps,
  actor: Actor,
  action: string,
  apply: (tx: Tx, current: Locked) => Promise<Edit<T>>,
): Promise<{ user: MeUser; result: T }> {
  const tenantId = actor.tenant.id
  const now = deps.clock.now()
  const done = await withTenant(deps.db, tenantId, async (tx) => {
    const current = await UsersService.lockUser(tx, tenantId, actor.userId)
    if (!current) throw new AppError('resource_not_found')
    const edit = await apply(tx, current)
    const row = await UsersService.patchUser(tx, tenantId, actor.userId, { ...edit.patch, updatedAt: new Date(now) })
    const identifications = (await UsersService.loadUser(tx, tenantId, actor.userId))?.identifications ?? []
    const changes = [await deps.changes.record(tx, tenantId, 'user', actor.userId), ...(edit.changes ?? [])]
    await appendAudit(
      deps.auditKey,
      tx,
      tenantId,
      {
        action,
        actor: { type: 'user', id: actor.userId },
        target: edit.target ?? { type: 'user', id: actor.userId },
        ip: actor.caller.ip,
        userAgent: actor.caller.userAgent,
        data: edit.data,
      },
      now,
    )
    const user = await AccountsService.presentUser(tx, tenantId, row!, identifications, now)
    await append(tx, tenantId, [userEvent('user.updated', { ...user })], now)
    return { user, result: edit.result, changes }
  })
  for (const change of done.changes) deps.changes.announce(change)
  return { user: toMe(done.user), result: done.result }
}

/** The user as they see themselves; 404 if deleted since the token was checked. */
export async function loadSelf(deps: Deps, actor: Actor): Promise<Locked> {
  const loaded = await withTenant(deps.db, actor.tenant.id, (tx) =>
    UsersService.loadUser(tx, actor.tenant.id, actor.userId),
  )
  if (!loaded) throw new AppError('resource_not_found')
  return loaded
}

export async function get(deps: Deps, me: SessionAuth): Promise<MeUser> {
  const { user, identifications } = await loadSelf(deps, me)
  const now = deps.clock.now()
  return toMe(
    await withTenant(deps.db, me.tenant.id, (tx) =>
      AccountsService.presentUser(tx, me.tenant.id, user, identifications, now),
    ),
  )
}

/** PATCH /me: names, username, unsafe_metadata (replaces the stored one), primary addresses. */
export async function update(deps: Deps, me: SessionAuth, body: Static<typeof patchBody>): Promise<MeUser> {
  const unsafeMetadata =
    body.unsafe_metadata === undefined ? undefined : UsersService.checkMetadata('unsafe_metadata', body.unsafe_metadata)
  const { user } = await changeSelf(deps, me, 'user.updated', async (tx, current) => {
    const { identifications } = current
    // Changing where codes go is a way in (API.md §12).
    if (body.primary_email_address_id !== undefined || body.primary_phone_number_id !== undefined)
      await requireStepUp(deps, me, { tx })
    const patch: UserPatch = {}
    if (body.first_name !== undefined) patch.firstName = body.first_name
    if (body.last_name !== undefined) patch.lastName = body.last_name
    if (unsafeMetadata !== undefined) patch.unsafeMetadata = unsafeMetadata
    if (body.username !== undefined) {
      // Clearing the username must not leave the account without any way to sign in.
      if (body.username === null && !(await keepsWayInTx(tx, me.tenant, current, { clearsUsername: true })))
        throw new AppError('form_param_format_invalid', { param_name: 'username', reason: 'last_sign_in_method' })
      patch.username = body.username
    }
    Object.assign(patch, UsersService.primaryPatch(identifications, body))
    return { result: null, patch, data: { fields: Object.keys(body).sort() } }
  })
  return user
}

/** GET /me/sessions: the user's active sessions on every client, newest first. */
export async function listSessions(
  deps: Deps,
  me: SessionAuth,
  query: { cursor?: string; limit?: string },
): Promise<Page<Session>> {
  const page = await SessionsService.list(deps, me.tenant, { ...query, user_id: me.userId, status: 'active' })
  // A row still marked active may be past its inactivity end: it reads as expired, so it is left out.
  return { ...page, data: page.data.filter((s) => s.status === 'active') }
}

/** Ids of the user's other active sessions, for "sign out other sessions". */
export async function otherSessionIds(deps: Deps, me: SessionAuth): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | undefined
  do {
    const page = await SessionsService.list(deps, me.tenant, {
      user_id: me.userId,
      status: 'active',
      limit: '100',
      cursor,
    })
    ids.push(...page.data.map((s) => s.id).filter((id) => id !== me.sessionId))
    cursor = page.meta.next_cursor ?? undefined
  } while (cursor)
  return ids
}

/** POST /me/sessions/{id}/revoke: only the user's own sessions; another user's id is 404. */
export async function revokeSession(deps: Deps, me: SessionAuth, id: string): Promise<Session> {
  const session = await SessionsService.get(deps, me.tenant, id)
  if (session.user_id !== me.userId) throw new AppError('resource_not_found')
  return SessionsService.revoke(deps, me.tenant, id, { type: 'user', id: me.userId }, me.caller)
}
