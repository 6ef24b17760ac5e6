import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { Caller } from '../../platform/http/caller'
import { timingSafeEqual } from 'node:crypto'
import * as ChallengesService from '../challenges/service'
import * as MeService from '../me/service'
import * as SignInService from '../sign-in/service'
import * as SignUpService from '../sign-up/service'
import type { TenantRow } from '../tenants/service'

/**
 * Email links (API.md §4): opening one (GET) changes nothing, so mail scanners and previews
 * cannot use it; the page's form confirms (POST). By default only the client that asked may
 * confirm — in its browser (the `__client` cookie) or, for a native app, with its client token —
 * so a victim's click cannot complete an attacker's attempt. A tenant may opt into cross-device
 * links (`email_link.require_same_client: false`); the session is then still created on the
 * client that asked, never on the device that confirmed.
 */
export type LinkOutcome =
  /** Verified by the client that asked: its browser may follow the attempt's redirect_url. */
  | { kind: 'verified'; redirect: string | null }
  /** Verified from another device (cross-device tenants only): the device that asked is signed in. */
  | { kind: 'verified_elsewhere' }
  /** Not verified: only the client that asked may confirm. */
  | { kind: 'other_device' }

/** The link's challenge while it can still be confirmed; else 422 (unknown, used, failed) or expired. */
export async function pendingLink(
  deps: Deps,
  tenant: TenantRow,
  token: string,
): Promise<ChallengesService.ChallengeRow> {
  const challenge = await withTenant(deps.db, tenant.id, (tx) =>
    ChallengesService.findByLinkToken(tx, tenant.id, token),
  )
  if (!challenge) throw new AppError('verification_failed', { reason: 'unknown_link' })
  const status = ChallengesService.statusOf(challenge, deps.clock.now())
  if (status === 'expired') throw new AppError('verification_expired')
  if (status !== 'pending')
    throw new AppError('verification_failed', { reason: status === 'verified' ? 'already_verified' : status })
  return challenge
}

/** The CSRF token of the confirmation form, bound to its link: recomputable by any node. */
export const csrfFor = (deps: Deps, token: string) => deps.mac.sign(`email-link-csrf:${token}`)

async function csrfMatches(deps: Deps, token: string, given: string): Promise<boolean> {
  const expected = Buffer.from(await csrfFor(deps, token))
  const actual = Buffer.from(given)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

/** Verifies the challenge and completes what it belongs to; the attempt's redirect_url, if any. */
function verify(
  deps: Deps,
  tenant: TenantRow,
  challenge: ChallengesService.ChallengeRow,
  token: string,
  caller: Caller,
) {
  if (challenge.purpose === 'sign_in') return SignInService.verifyLink(deps, tenant, challenge, token, caller)
  if (challenge.purpose === 'sign_up') return SignUpService.verifyLink(deps, tenant, challenge, token, caller)
  return MeService.verifyLink(deps, tenant, challenge, token, caller)
}

/**
 * The confirmation form posted from a browser. `clientId`: the client its `__client` cookie
 * names, if any. A CSRF token that does not match the link is 403 and changes nothing.
 */
export async function confirm(
  deps: Deps,
  tenant: TenantRow,
  input: { token: string; csrf: string; clientId: string | null; caller: Caller },
): Promise<LinkOutcome> {
  const challenge = await pendingLink(deps, tenant, input.token)
  if (!(await csrfMatches(deps, input.token, input.csrf)))
    throw new AppError('permission_denied', { reason: 'csrf_token_invalid' })
  const asker = challenge.requestedBy?.clientId ?? null
  const sameClient = asker !== null && asker === input.clientId
  if (!sameClient && tenant.settings.email_link.require_same_client) return { kind: 'other_device' }
  const redirect = await verify(deps, tenant, challenge, input.token, input.caller)
  return sameClient ? { kind: 'verified', redirect } : { kind: 'verified_elsewhere' }
}

/**
 * POST /client/verify { token }: a native app completes the link it received as an app link, with
 * its own client token. Another client's link is 404, whatever the tenant's cross-device setting.
 */
export async function confirmForClient(
  deps: Deps,
  tenant: TenantRow,
  clientId: string,
  token: string,
  caller: Caller,
): Promise<ChallengesService.ChallengeRow> {
  const challenge = await withTenant(deps.db, tenant.id, (tx) =>
    ChallengesService.findByLinkToken(tx, tenant.id, token),
  )
  if (!challenge || challenge.requestedBy?.clientId !== clientId) throw new AppError('resource_not_found')
  await pendingLink(deps, tenant, token)
  await verify(deps, tenant, challenge, token, caller)
  return challenge
}
