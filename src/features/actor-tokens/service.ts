import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import { appendAudit, type AuditEntry } from '../../platform/audit'
import { randomToken, sha256Hex } from '../../platform/crypto/tokens'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { serialiseCookie } from '../../platform/http/cookies'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import type { FapiContext } from '../sessions/fapi-guard'
import * as SessionsService from '../sessions/service'
import type { SessionActor } from '../sessions/service'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import * as Model from './model'
import * as Repo from './repo'
import type { ActorTokenRow } from './repo'

/**
 * Actor tokens (issue #21, after Clerk's): single-use tickets to open a session as a user on someone's behalf,
 * redeemed at `{issuer}/impersonate?ticket=` — a GET that shows whom it acts as and spends nothing, then its
 * form. The Backend API makes them for an actor it names (`POST /v1/actor-tokens`); the console for the admin
 * using it, bound to that admin's browser by a cookie and valid a minute. Only the token's hash is stored.
 */
type Actor = AuditEntry['actor']

const DEFAULT_TTL_S = 3600
const CONSOLE_TTL_S = 60

/** The cookie binding a console's ticket to the admin's browser: sent to the impersonation page only. */
export const BINDING_COOKIE = '__impersonation'

const audit = (deps: Deps, tx: Tx, tenantId: string, action: string, row: ActorTokenRow, by: Actor) =>
  appendAudit(
    deps.auditKey,
    tx,
    tenantId,
    {
      action,
      actor: by,
      target: { type: 'actor_token', id: row.id },
      data: { user_id: row.userId, actor: { sub: row.actor.sub, kind: row.actor.kind } },
    },
    deps.clock.now(),
  )

async function issue(
  deps: Deps,
  tenant: TenantRow,
  input: { userId: string; actor: SessionActor; ttlS: number; browserHash: string | null; by: Actor },
): Promise<{ row: ActorTokenRow; token: string }> {
  const token = randomToken(32)
  const now = deps.clock.now()
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const user = await UsersService.loadUser(tx, tenant.id, input.userId)
    if (!user || user.user.banned || user.user.deletedAt) throw new AppError('resource_not_found')
    const row = await Repo.insert(tx, {
      id: newId('actt', now),
      tenantId: tenant.id,
      userId: input.userId,
      actor: input.actor,
      createdBy: input.by,
      tokenHash: await sha256Hex(token),
      browserHash: input.browserHash,
      status: 'pending',
      expiresAt: new Date(now + input.ttlS * 1000),
      createdAt: new Date(now),
      updatedAt: new Date(now),
    })
    await audit(deps, tx, tenant.id, 'actor_token.created', row, input.by)
    return row
  })
  return { row, token }
}

/** `POST /v1/actor-tokens`: a ticket for `actor` (the caller's own name for them), shown once as `url`. */
export async function create(
  deps: Deps,
  tenant: TenantRow,
  body: Static<typeof Model.createBody>,
  by: Actor,
): Promise<Model.PublicActorToken> {
  const { row, token } = await issue(deps, tenant, {
    userId: body.user_id,
    actor: { kind: 'backend', sub: body.actor.sub },
    ttlS: body.expires_in_seconds ?? DEFAULT_TTL_S,
    browserHash: null,
    by,
  })
  const issuer = TenantsService.keyOwner(deps, tenant).issuer
  return { ...Model.toPublic(row, deps.clock.now()), url: `${issuer}/impersonate?ticket=${token}` }
}

/**
 * The console's ticket for the admin using it: the URL to send their browser to and the cookie that binds the
 * ticket to that browser (so a URL seen elsewhere — history, a shared screen, a proxy log — opens nothing).
 */
export async function issueForConsole(deps: Deps, tenant: TenantRow, userId: string, actor: SessionActor, by: Actor) {
  const binding = randomToken(32)
  const { token } = await issue(deps, tenant, {
    userId,
    actor,
    ttlS: CONSOLE_TTL_S,
    browserHash: await sha256Hex(binding),
    by,
  })
  const page = `/t/${tenant.slug}/impersonate`
  return {
    url: `${deps.config.publicUrl}${page}?ticket=${token}`,
    cookie: serialiseCookie(BINDING_COOKIE, binding, {
      path: page,
      httpOnly: true,
      secure: deps.config.publicUrl.startsWith('https:'),
      maxAgeS: CONSOLE_TTL_S,
    }),
  }
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  query: { cursor?: string; limit?: string },
): Promise<Page<Model.PublicActorToken>> {
  const scope = `actor_tokens:${tenant.id}`
  const limit = pageSize(query.limit)
  const after = await deps.cursors.decode(scope, query.cursor)
  const rows = await withTenant(deps.db, tenant.id, (tx) => Repo.list(tx, tenant.id, limit + 1, after))
  const now = deps.clock.now()
  return deps.cursors.page(scope, rows, limit, (row) => Model.toPublic(row, now))
}

/** `POST /v1/actor-tokens/{id}/revoke`: a pending ticket opens nothing any more; any other is 422. */
export async function revoke(deps: Deps, tenant: TenantRow, id: string, by: Actor): Promise<Model.PublicActorToken> {
  const now = deps.clock.now()
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    if (!(await Repo.find(tx, tenant.id, id))) throw new AppError('resource_not_found')
    const revoked = await Repo.settle(tx, tenant.id, id, 'revoked', new Date(now))
    if (!revoked) throw new AppError('form_param_format_invalid', { param_name: 'id', reason: 'not_pending' })
    await audit(deps, tx, tenant.id, 'actor_token.revoked', revoked, by)
    return revoked
  })
  return Model.toPublic(row, now)
}

/** The pending, unexpired ticket a page shows (null otherwise): reading it spends nothing. */
export async function peek(deps: Deps, tenant: TenantRow, token: string): Promise<ActorTokenRow | null> {
  const row = await withTenant(deps.db, tenant.id, async (tx) => Repo.findByHash(tx, tenant.id, await sha256Hex(token)))
  return row && row.status === 'pending' && row.expiresAt.getTime() > deps.clock.now() ? row : null
}

/**
 * Redeems a ticket in this browser: the impersonation session (see sessions/impersonation.ts), its tokens in this
 * answer's cookies. Refused (403): an unknown, used, revoked or expired ticket; a console's ticket in another
 * browser; a console admin who may no longer act. Two redemptions at once: one session, the other refused.
 */
export async function redeem(deps: Deps, fapi: FapiContext, token: string, binding: string | null): Promise<void> {
  const row = await peek(deps, fapi.tenant, token)
  if (!row) throw new AppError('permission_denied', { reason: 'ticket_invalid' })
  if (row.browserHash !== null && (binding === null || (await sha256Hex(binding)) !== row.browserHash))
    throw new AppError('permission_denied', { reason: 'other_browser' })
  if (!(await SessionsService.actorMayAct(deps, row.actor)))
    throw new AppError('permission_denied', { reason: 'actor' })
  const now = deps.clock.now()
  const sessionId = newId('sess', now)
  const opened = await withTenant(deps.db, fapi.tenant.id, async (tx) => {
    const input = { sessionId, userId: row.userId, actor: row.actor, by: row.createdBy }
    const made = await SessionsService.openImpersonationInTx(deps, tx, fapi, input)
    // After the session (the token names it): the loser of a race rolls its session back with this refusal.
    if (!(await Repo.settle(tx, fapi.tenant.id, row.id, 'accepted', new Date(now), sessionId)))
      throw new AppError('permission_denied', { reason: 'ticket_used' })
    return made
  })
  await SessionsService.impersonationResponse(deps, fapi, opened)
}
