import type { Deps } from '../../deps'
import type { AuditEntry } from '../../platform/audit'
import { sha256Hex } from '../../platform/crypto/tokens'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { serialiseCookie } from '../../platform/http/cookies'
import { newId } from '../../platform/ids'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import { sessionEvent } from './events'
import type { FapiContext } from './fapi-guard'
import { actorMayAct } from './introspect'
import type { SessionActor } from './schema'
import { createSessionInTx, sessionResponse } from './service'
import { tokensFor } from './tokens'

/**
 * Impersonation (issue #21): a console admin opens a session as one of the tenant's users in their own browser.
 * The console makes a sealed, single-use ticket (60 s) bound to that browser by a cookie; the tenant's hosted
 * page `{issuer}/impersonate?ticket=` shows whom it acts as (a GET that spends nothing) and its form redeems it.
 * The session's tokens carry `act` (RFC 8693), it lives an hour at most and only while its actor may act (see
 * actorMayAct), it never serves an authorization request nor a step-up, and the user sees it among their sessions.
 */
const TICKET_TTL_MS = 60_000
const sealContext = (tenantId: string) => `impersonation:${tenantId}`

interface ImpersonationTicket {
  /** The session it makes: created at most once (its id is the ticket's single use). */
  session_id: string
  /** SHA-256 of the binding cookie set in the admin's browser with it: only that browser redeems it. */
  browser: string
  user_id: string
  actor: SessionActor
  expires_at: number
}

/** A ticket to act as `userId`, and the value of the cookie that binds it to the actor's browser. */
export async function impersonationTicket(
  deps: Deps,
  tenant: TenantRow,
  userId: string,
  actor: SessionActor,
): Promise<{ ticket: string; binding: string }> {
  const now = deps.clock.now()
  const binding = crypto.randomUUID()
  const ticket: ImpersonationTicket = {
    session_id: newId('sess', now),
    browser: await sha256Hex(binding),
    user_id: userId,
    actor,
    expires_at: now + TICKET_TTL_MS,
  }
  return { ticket: await deps.box.seal(JSON.stringify(ticket), sealContext(tenant.id)), binding }
}

/** The cookie binding a ticket to the actor's browser, sent to the impersonation page only, as long as the ticket. */
export const IMPERSONATION_COOKIE = '__impersonation'
export const impersonationCookie = (deps: Deps, tenant: TenantRow, binding: string) =>
  serialiseCookie(IMPERSONATION_COOKIE, binding, {
    path: `/t/${tenant.slug}/impersonate`,
    httpOnly: true,
    secure: deps.config.publicUrl.startsWith('https:'),
    maxAgeS: TICKET_TTL_MS / 1000,
  })

/** The ticket, or null when it does not open or has expired (what the confirmation page shows). */
export async function openImpersonation(deps: Deps, tenant: TenantRow, sealed: string) {
  try {
    const ticket = JSON.parse(await deps.box.open(sealed, sealContext(tenant.id))) as ImpersonationTicket
    return deps.clock.now() < ticket.expires_at ? ticket : null
  } catch {
    return null
  }
}

/**
 * Redeems a ticket in the browser it was made for: the session (factor `impersonation`) with its actor, audited
 * `session.impersonated` as the actor, its tokens in this answer's cookies. A second use (the session id exists),
 * another browser, a banned or deleted user and an actor who may no longer act are refused.
 */
export async function impersonate(deps: Deps, fapi: FapiContext, sealed: string, binding: string | null) {
  const ticket = await openImpersonation(deps, fapi.tenant, sealed)
  if (!ticket) throw new AppError('permission_denied', { reason: 'ticket_invalid' })
  // Another browser holding the URL (history, a shared screen, a proxy log) has no binding cookie.
  if (binding === null || (await sha256Hex(binding)) !== ticket.browser)
    throw new AppError('permission_denied', { reason: 'other_browser' })
  if (!(await actorMayAct(deps, ticket.actor))) throw new AppError('permission_denied', { reason: 'actor' })
  const now = deps.clock.now()
  const created = await withTenant(deps.db, fapi.tenant.id, async (tx) => {
    const user = await UsersService.loadUser(tx, fapi.tenant.id, ticket.user_id)
    if (!user || user.user.banned || user.user.deletedAt) throw new AppError('resource_not_found')
    const made = await createSessionInTx(deps, tx, fapi.tenant, {
      id: ticket.session_id,
      userId: ticket.user_id,
      clientId: fapi.client.id,
      factors: ['impersonation'],
      firstFactorVerifiedAt: now,
      secondFactorVerifiedAt: null,
      caller: fapi.caller,
      actor: ticket.actor,
    })
    const actor: AuditEntry['actor'] =
      ticket.actor.kind === 'operator'
        ? { type: 'platform', id: ticket.actor.sub }
        : { type: 'user', id: ticket.actor.sub }
    await sessionEvent(deps, tx, fapi.tenant.id, 'session.impersonated', made.session, actor, fapi.caller)
    return made
  }).catch((err: unknown) => {
    if (isUniqueViolation(err)) throw new AppError('permission_denied', { reason: 'ticket_used' })
    throw err
  })
  // Minted after the commit: an impersonation's tokens are never minted inside a transaction (see tokens.ts).
  const tokens = await tokensFor(deps, fapi.tenant, created.session, created.refreshToken!)
  await sessionResponse(deps, fapi.tenant, created.session.id, tokens, fapi)
}
