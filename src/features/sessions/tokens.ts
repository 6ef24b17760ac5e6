import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { randomToken } from '../../platform/crypto/tokens'
import { AppError } from '../../platform/errors'
import type { KeyOwner } from '../keys/service'
import * as KeysService from '../keys/service'
import * as OrganizationsService from '../organizations/service'
import * as RolesService from '../roles/service'
import { keyOwner, type TenantRow } from '../tenants/service'
import { activeSessionUser, userState } from './introspect'
import { toPublic, type Session } from './model'
import type { SessionRow } from './repo'
import type { SessionActor } from './schema'

export interface IssuedTokens {
  session: Session
  session_token: string
  refresh_token: string
}

export const lifetimes = (tenant: TenantRow) => tenant.settings.session
export const newRefreshToken = () => randomToken(32)

/** `tx`: the open transaction, when minting inside one (the user's roles are read through it). */
export type MintOptions = KeysService.SignOptions & { tx?: Tx }

/** The organization claims of a member's active organization (API.md §13a); none when not a member (any more). */
const organizationClaims = (org: OrganizationsService.MemberClaims | null) =>
  org ? OrganizationsService.tokenClaimsOf(org) : {}

/**
 * The session token (API.md §5): a short-lived JWT signed with the tenant's current key.
 * `fva` is [minutes since the first factor, since the second factor or -1]; `amr` lists the
 * strategies used; `roles` the user's tenant roles, sorted, and the `org_*` claims the member's
 * role in the session's active organization, as they are at minting.
 */
export async function mintSessionToken(
  deps: Deps,
  owner: KeyOwner,
  session: SessionRow,
  lifetimeS: number,
  { tx, ...options }: MintOptions = {},
): Promise<string> {
  const { tenantId, userId, lastActiveOrganizationId: orgId } = session
  // An impersonation whose actor may no longer act gets no more tokens (issue #21). The check reads the caches
  // outside any transaction, so an impersonation's tokens are never minted inside one.
  if (session.actor && (tx || !(await activeSessionUser(deps, tenantId, userId, session.id))))
    throw new AppError('authentication_invalid')
  // Inside a transaction (a sign-in completing) the claims are read through it; otherwise (a
  // refresh) from the node's caches, which the change feed keeps current: no database round trip.
  const { roles, org } = tx
    ? {
        roles: (await RolesService.tenantRoleKeys(tx, tenantId, [userId])).get(userId),
        org: orgId ? await OrganizationsService.memberClaims(deps, tenantId, orgId, userId, tx) : null,
      }
    : {
        roles: (await userState(deps, tenantId, userId))?.roles,
        org: orgId ? await OrganizationsService.memberClaims(deps, tenantId, orgId, userId) : null,
      }
  const now = options.issuedAt ?? deps.clock.now()
  const minutes = (at: Date | null) => (at ? Math.floor((now - at.getTime()) / 60_000) : -1)
  return KeysService.signToken(
    deps,
    owner,
    {
      sub: session.userId,
      sid: session.id,
      ...(session.azp ? { azp: session.azp } : {}),
      amr: session.factors,
      fva: [minutes(session.firstFactorVerifiedAt), minutes(session.secondFactorVerifiedAt)],
      roles: roles ?? [],
      ...organizationClaims(org),
      // RFC 8693 §4.1: someone else acts as the subject (an impersonation session).
      ...(session.actor ? { act: actClaim(session.actor) } : {}),
    },
    lifetimeS,
    options,
  )
}

/** RFC 8693 §4.1 `act`: who acts as the subject (a console admin by their issuer and their id there). */
export const actClaim = (actor: SessionActor) =>
  actor.kind === 'backend' ? { sub: actor.sub } : { iss: actor.iss, sub: actor.sub }

/**
 * The session and its token pair. `options.key`: fetched before a transaction, when minting inside
 * one (see KeysService.currentKey); `options.issuedAt`: to mint again a token issued earlier.
 */
export async function tokensFor(
  deps: Deps,
  tenant: TenantRow,
  session: SessionRow,
  refreshToken: string,
  options: MintOptions = {},
): Promise<IssuedTokens> {
  const now = deps.clock.now()
  return {
    session: toPublic(session, lifetimes(tenant), now),
    session_token: await mintSessionToken(
      deps,
      keyOwner(deps, tenant),
      session,
      lifetimes(tenant).token_lifetime_s,
      options,
    ),
    refresh_token: refreshToken,
  }
}
