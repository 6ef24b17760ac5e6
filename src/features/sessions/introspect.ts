import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import * as KeysService from '../keys/service'
import { canWrite, consoleRoleOf } from '../operators/model'
import * as OrganizationsService from '../organizations/service'
import type { TenantRow } from '../tenants/service'
import { keyOwner } from '../tenants/service'
import * as UsersService from '../users/service'
import * as RolesService from '../roles/service'
import type { CachedSession, LiveUser, UserSummary } from './cache'
import * as SessionsRepo from './repo'
import type { SessionActor } from './schema'

export type Introspection =
  | { active: false }
  | {
      active: true
      sub: string
      sid: string | null
      user: UserSummary
      org_id: string | null
      org_slug: string | null
      org_role: string | null
      /** The organization's plan key while its subscription entitles it (API.md §13, §18). */
      plan: string | null
      permissions: string[]
      roles: string[]
      amr: string[]
      iat: number
      exp: number
      /** An impersonation session's actor (RFC 8693), only then. */
      act?: { iss?: string; sub: string }
    }

const INACTIVE = { active: false } as const

async function sessionState(deps: Deps, tenantId: string, sid: string): Promise<CachedSession | null> {
  const cached = deps.sessions.getSession(tenantId, sid)
  if (cached !== undefined) return cached
  const epoch = deps.sessions.epoch
  const row = await withTenant(deps.db, tenantId, (tx) => SessionsRepo.findSession(tx, tenantId, sid))
  const state = row
    ? { status: row.status, userId: row.userId, abandonAt: row.abandonAt.getTime(), actor: row.actor }
    : null
  deps.sessions.setSession(tenantId, sid, state, epoch)
  return state
}

/** The live user (summary and tenant roles) from the per-node cache, read once on a miss. */
export async function userState(deps: Deps, tenantId: string, userId: string): Promise<LiveUser | null> {
  const cached = deps.sessions.getUser(tenantId, userId)
  if (cached !== undefined) return cached
  const epoch = deps.sessions.epoch
  const live = await withTenant(deps.db, tenantId, async (tx) => {
    const loaded = await UsersService.loadUser(tx, tenantId, userId)
    if (!loaded || loaded.user.deletedAt || loaded.user.banned) return null
    return {
      summary: UsersService.userSummary(loaded.user, loaded.identifications),
      roles: (await RolesService.tenantRoleKeys(tx, tenantId, [userId])).get(userId) ?? [],
    }
  })
  deps.sessions.setUser(tenantId, userId, live, epoch)
  return live
}

/**
 * The live user behind a verified session token, or null: the session must be active, belong
 * to `sub` and not be past its absolute end, and the user must exist and not be banned. Both
 * reads come from the per-node cache (introspection and the `/me` guard share it).
 */
export async function activeSessionUser(
  deps: Deps,
  tenantId: string,
  sub: string,
  sid: string,
): Promise<LiveUser | null> {
  const session = await sessionState(deps, tenantId, sid)
  if (!session || session.status !== 'active' || session.userId !== sub || deps.clock.now() >= session.abandonAt)
    return null
  if (session.actor && !(await actorMayAct(deps, session.actor))) return null
  return userState(deps, tenantId, sub)
}

/** The session's actor when it is an impersonation, else null (from the per-node cache). */
export const actorOfSession = async (deps: Deps, tenantId: string, sid: string): Promise<SessionActor | null> =>
  (await sessionState(deps, tenantId, sid))?.actor ?? null

/**
 * An impersonation lives only while its actor may act (issue #21): a console admin's own session still active
 * (signing out of the console, a ban or a revocation ends it) and a console role that writes (a demotion ends it). All from
 * the per-node caches, which the change feed keeps current; an actor's session never vouches for another.
 */
export async function actorMayAct(deps: Deps, actor: SessionActor): Promise<boolean> {
  // A Backend API caller vouches for its own actor; the session itself is theirs to revoke.
  if (actor.kind === 'backend') return true
  const own = await sessionState(deps, actor.tenant_id, actor.sid)
  if (!own || own.actor) return false
  const home = await deps.tenants.bySlugOrNull(actor.tenant_slug)
  if (!home || home.id !== actor.tenant_id || (home.kind === 'platform') !== (actor.kind === 'operator')) return false
  const live = await activeSessionUser(deps, actor.tenant_id, actor.sub, actor.sid)
  const role = live && consoleRoleOf(home, live.roles)
  return !!role && canWrite(role)
}

/**
 * POST /v1/tokens/introspect (API.md §5): the signature, issuer and expiry are checked with the
 * in-memory keys, then the session and user from the per-node cache, which the change feed
 * invalidates on every node within a second of an end, revoke, ban or refresh-token reuse.
 * The user's tenant `roles` are the current ones, and the organization (`organizationId`, else the
 * token's `org_id`) is described by the current membership, not by the token: a member removed,
 * suspended or given another role is seen at once, from the per-node claims cache that the change
 * feed invalidates the same way (null and no permissions for a non-member). A warm cache means no
 * database round trip.
 */
export async function introspect(
  deps: Deps,
  tenant: TenantRow,
  token: string,
  organizationId?: string,
): Promise<Introspection> {
  const verified = await KeysService.verifyToken(deps, keyOwner(deps, tenant), token)
  if (!verified.ok) return INACTIVE
  const { sub, sid, amr, iat, exp, org_id, act } = verified.claims as Record<string, unknown>
  if (typeof sub !== 'string' || typeof sid !== 'string') return INACTIVE
  const live = await activeSessionUser(deps, tenant.id, sub, sid)
  if (!live) return INACTIVE
  const described = await describe(deps, tenant, live, {
    sub,
    sid,
    organizationId: organizationId ?? (typeof org_id === 'string' ? org_id : null),
    amr: Array.isArray(amr) ? (amr as string[]) : [],
    iat: Number(iat),
    exp: Number(exp),
  })
  // An impersonation session's token says who acts (RFC 8693 `act`): a backend must be able to tell.
  return described.active && act && typeof act === 'object'
    ? { ...described, act: act as { iss?: string; sub: string } }
    : described
}

/**
 * The active answer for a live user: the current tenant roles and the member's current claims in
 * the organization (null and no permissions once removed or suspended). OAuth access tokens (the oidc
 * feature) are answered in this same shape.
 */
export async function describe(
  deps: Deps,
  tenant: TenantRow,
  live: LiveUser,
  token: { sub: string; sid: string | null; organizationId: string | null; amr: string[]; iat: number; exp: number },
): Promise<Introspection> {
  const orgId = token.organizationId
  const org = orgId ? await OrganizationsService.memberClaims(deps, tenant.id, orgId, token.sub) : null
  return {
    active: true,
    sub: token.sub,
    sid: token.sid,
    user: live.summary,
    org_id: org?.id ?? null,
    org_slug: org?.slug ?? null,
    org_role: org?.role ?? null,
    plan: org?.plan?.key ?? null,
    permissions: org?.permissions ?? [],
    roles: live.roles,
    amr: token.amr,
    iat: token.iat,
    exp: token.exp,
  }
}
