import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { Caller } from '../../platform/http/caller'
import * as ChallengesService from '../challenges/service'
import * as EnterpriseConnectionsService from '../enterprise-connections/service'
import type { EnterpriseProfile } from '../enterprise-connections/service'
import * as SignInService from '../sign-in/service'
import type { TenantRow } from '../tenants/service'
import { audit, conclude, limitCallbacks, withError, type CallbackOutcome } from './callback'
import { enterpriseAccount } from './enterprise'
import { Refused } from './refused'

/**
 * `{issuer}/saml/{connection}/acs` (API.md §16), in two steps because the IdP posts cross-site, where
 * the browser's SameSite cookies are not sent: the POST validates the response (signature, audience,
 * destination, validity ±60 s, InResponseTo of the pending challenge, an unseen assertion id) and
 * answers a 303 to this same URL with the outcome sealed for a minute; the GET, a top-level
 * navigation that carries the cookies, checks that this browser is the client that started the
 * sign-in, and only then provisions or links the account and signs it in. IdP-initiated responses
 * (no pending request) are refused: `allow_idp_initiated` is not supported yet.
 */
const SEAL_CONTEXT = 'saml_acs'
const CONTINUE_TTL_MS = 60_000

interface Sealed {
  challenge_id: string
  state: string
  profile: EnterpriseProfile
  expires_at: number
}

async function challengeFor(deps: Deps, tenant: TenantRow, connectionId: string, state: string | undefined) {
  const challenge =
    state === undefined
      ? null
      : await withTenant(deps.db, tenant.id, (tx) => ChallengesService.findByExternalState(tx, tenant.id, state))
  if (
    !challenge ||
    challenge.purpose !== 'sign_in' ||
    challenge.strategy !== 'enterprise_sso' ||
    challenge.external?.connection_id !== connectionId
  )
    throw new Refused('sso_response_invalid', 'unsolicited')
  return challenge
}

/** A response to a challenge already answered (a replay) or expired is refused, naming its attempt's redirect. */
function checkPending(deps: Deps, challenge: ChallengesService.ChallengeRow): void {
  if (ChallengesService.statusOf(challenge, deps.clock.now()) !== 'pending')
    throw new Refused('sso_response_invalid', 'challenge_not_pending')
}

const redirectOf = (deps: Deps, tenant: TenantRow, challenge: ChallengesService.ChallengeRow | null) =>
  challenge ? SignInService.redirectUrlOf(deps, tenant.id, challenge.ownerId) : Promise.resolve(null)

async function refusedOutcome(deps: Deps, tenant: TenantRow, err: unknown, redirect: string | null) {
  const refused =
    err instanceof Refused ? err : err instanceof AppError ? new Refused('sso_response_invalid', err.code) : null
  if (!refused) throw err
  await audit(deps, tenant, 'sso.failed', { strategy: 'enterprise_sso', reason: refused.reason })
  return { location: withError(redirect, refused.error), error: refused.error }
}

/** The IdP's POST: validates, then sends the browser to the GET with the sealed outcome. */
export async function receive(
  deps: Deps,
  tenant: TenantRow,
  connectionId: string,
  form: { SAMLResponse?: string; RelayState?: string },
  caller: Caller,
): Promise<CallbackOutcome> {
  await limitCallbacks(deps, tenant, caller)
  let redirect: string | null = null
  try {
    const challenge = await challengeFor(deps, tenant, connectionId, form.RelayState)
    redirect = await redirectOf(deps, tenant, challenge)
    checkPending(deps, challenge)
    const result = await withTenant(deps.db, tenant.id, async (tx) => {
      const conn = await EnterpriseConnectionsService.findById(deps, tx, tenant, connectionId)
      if (!conn?.saml || !conn.active) throw new Refused('sso_response_invalid', 'wrong_connection')
      return EnterpriseConnectionsService.samlAnswer(deps, tx, conn, {
        samlResponse: form.SAMLResponse ?? '',
        expectedInResponseTo: challenge.external!.nonce,
      })
    })
    if (!result.ok) throw new Refused('sso_response_invalid', result.reason)
    const sealed: Sealed = {
      challenge_id: challenge.id,
      state: form.RelayState!,
      profile: result.profile,
      expires_at: deps.clock.now() + CONTINUE_TTL_MS,
    }
    const token = await deps.box.seal(JSON.stringify(sealed), `${SEAL_CONTEXT}:${connectionId}`)
    const next = new URL(`${deps.config.publicUrl}/t/${tenant.slug}/saml/${connectionId}/acs`)
    next.searchParams.set('continue', token)
    return { location: next.toString(), error: null }
  } catch (err) {
    return refusedOutcome(deps, tenant, err, redirect)
  }
}

/** The browser's GET: this client started the sign-in, so the account is provisioned and signed in. */
export async function complete(
  deps: Deps,
  tenant: TenantRow,
  connectionId: string,
  input: { token: string; clientId: string | null; caller: Caller },
): Promise<CallbackOutcome> {
  await limitCallbacks(deps, tenant, input.caller)
  let redirect: string | null = null
  try {
    let sealed: Sealed
    try {
      sealed = JSON.parse(await deps.box.open(input.token, `${SEAL_CONTEXT}:${connectionId}`)) as Sealed
    } catch {
      throw new Refused('sso_response_invalid', 'continue_invalid')
    }
    const challenge = await challengeFor(deps, tenant, connectionId, sealed.state)
    redirect = await redirectOf(deps, tenant, challenge)
    checkPending(deps, challenge)
    if (challenge.id !== sealed.challenge_id || deps.clock.now() > sealed.expires_at)
      throw new Refused('sso_response_invalid', 'continue_expired')
    const asker = challenge.requestedBy?.clientId ?? null
    if (asker === null || asker !== input.clientId) throw new Refused('sso_response_invalid', 'other_client')
    const conn = await withTenant(deps.db, tenant.id, (tx) =>
      EnterpriseConnectionsService.findById(deps, tx, tenant, connectionId),
    )
    if (!conn?.saml || !conn.active) throw new Refused('sso_response_invalid', 'wrong_connection')
    const expected = await SignInService.identifiedUserOf(deps, tenant.id, challenge.ownerId)
    const answered = await enterpriseAccount(deps, tenant, conn, sealed.profile, expected)
    return await conclude(deps, tenant, challenge, answered, {
      state: sealed.state,
      asker,
      caller: input.caller,
      redirect,
    })
  } catch (err) {
    return refusedOutcome(deps, tenant, err, redirect)
  }
}
