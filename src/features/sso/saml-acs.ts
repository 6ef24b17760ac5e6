import type { Deps } from '../../deps'
import { randomToken, sha256Hex } from '../../platform/crypto/tokens'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { Caller } from '../../platform/http/caller'
import * as ChallengesService from '../challenges/service'
import * as EnterpriseConnectionsService from '../enterprise-connections/service'
import type { EnterpriseProfile } from '../enterprise-connections/service'
import * as SessionsService from '../sessions/service'
import * as SignInService from '../sign-in/service'
import * as TenantsService from '../tenants/service'
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
 * sign-in, and only then provisions or links the account and signs it in.
 *
 * A response no pending request asked for (its RelayState names no challenge) is IdP-initiated: refused
 * unless the connection has `allow_idp_initiated`, and then it must carry no InResponseTo at all. Its
 * GET, which may come from a browser that never visited us, signs in on that browser's client (made if
 * it has none) through a sign-in attempt of its own, once: the sealed outcome is spent in the replay
 * cache. It goes to the RelayState when that is an allowed redirect URL, else the hosted sign-in page.
 * Such a sign-in cannot be bound to the browser that asked (none did): see the README on login CSRF.
 */
const SEAL_CONTEXT = 'saml_acs'
const CONTINUE_TTL_MS = 60_000

interface SealedAnswer {
  challenge_id: string
  state: string
  profile: EnterpriseProfile
  expires_at: number
}

/**
 * An IdP-initiated response's outcome: `once` is spent by the GET, `browser` is the hash of the cookie the
 * POST's answer set (a continue URL minted outside a browser, then sent as a link, takes nobody anywhere),
 * `redirect_url` is already checked.
 */
interface SealedUnsolicited {
  idp_initiated: true
  once: string
  browser: string
  redirect_url: string | null
  profile: EnterpriseProfile
  expires_at: number
}

type Sealed = SealedAnswer | SealedUnsolicited

/** The pending challenge the RelayState names, or null when it names none (IdP-initiated). */
async function challengeFor(deps: Deps, tenant: TenantRow, connectionId: string, state: string | undefined) {
  const challenge =
    state === undefined || state === ''
      ? null
      : await withTenant(deps.db, tenant.id, (tx) => ChallengesService.findByExternalState(tx, tenant.id, state))
  if (challenge === null) return null
  if (
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

/** The connection a response came to, while it is an active SAML one. */
async function samlConnection(deps: Deps, tenant: TenantRow, connectionId: string) {
  const conn = await withTenant(deps.db, tenant.id, (tx) =>
    EnterpriseConnectionsService.findById(deps, tx, tenant, connectionId),
  )
  if (!conn?.saml || !conn.active) throw new Refused('sso_response_invalid', 'wrong_connection')
  return conn
}

/** Validates the response in one transaction with its replay cache entry; the profile it carries. */
async function answerOf(
  deps: Deps,
  tenant: TenantRow,
  connectionId: string,
  samlResponse: string,
  expected: string | null,
) {
  const conn = await samlConnection(deps, tenant, connectionId)
  if (expected === null && !conn.allowIdpInitiated) throw new Refused('sso_response_invalid', 'unsolicited')
  const result = await withTenant(deps.db, tenant.id, (tx) =>
    EnterpriseConnectionsService.samlAnswer(deps, tx, conn, { samlResponse, expectedInResponseTo: expected }),
  )
  if (!result.ok) throw new Refused('sso_response_invalid', result.reason)
  return result.profile
}

/**
 * An IdP-initiated response's RelayState, when it is a redirect URL the tenant allows (else ignored) and
 * not one of our own tenant routes: an unsolicited sign-in must not chain into an authorization or SAML
 * request that would carry its session on to another application.
 */
function relayRedirectOf(deps: Deps, tenant: TenantRow, relayState: string | undefined): string | null {
  if (!relayState || !/^https?:\/\//i.test(relayState)) return null
  let checked: string | null
  try {
    checked = TenantsService.checkRedirectUrl(deps, tenant, relayState)
  } catch {
    return null
  }
  if (checked === null) return null
  const own = tenant.customHost !== null && new URL(checked).host === tenant.customHost
  return own || checked.startsWith(`${deps.config.publicUrl}/t/`) ? null : checked
}

/** The cookie that binds an IdP-initiated continue URL to the browser the IdP's form was posted from. */
export const BINDING_COOKIE = '__saml_acs'

/** The GET of the ACS at the host the IdP posted to (`base`), where the binding cookie is that host's. */
const continueUrl = async (deps: Deps, base: string, connectionId: string, sealed: Sealed) => {
  const token = await deps.box.seal(JSON.stringify(sealed), `${SEAL_CONTEXT}:${connectionId}`)
  const next = new URL(`${base}/saml/${connectionId}/acs`)
  next.searchParams.set('continue', token)
  return next.toString()
}

/**
 * The IdP's POST: validates, then sends the browser to the GET with the sealed outcome. `base`: where this
 * browser reaches the tenant (tenants' browserBaseOf).
 */
export async function receive(
  deps: Deps,
  tenant: TenantRow,
  connectionId: string,
  form: { SAMLResponse?: string; RelayState?: string },
  caller: Caller & { base: string },
): Promise<CallbackOutcome> {
  await limitCallbacks(deps, tenant, caller)
  let redirect: string | null = null
  try {
    const challenge = await challengeFor(deps, tenant, connectionId, form.RelayState)
    const samlResponse = form.SAMLResponse ?? ''
    if (challenge === null) {
      redirect = relayRedirectOf(deps, tenant, form.RelayState)
      const profile = await answerOf(deps, tenant, connectionId, samlResponse, null)
      const binding = randomToken(24)
      const sealed: SealedUnsolicited = {
        idp_initiated: true,
        once: randomToken(24),
        browser: await sha256Hex(binding),
        redirect_url: redirect,
        profile,
        expires_at: deps.clock.now() + CONTINUE_TTL_MS,
      }
      return { location: await continueUrl(deps, caller.base, connectionId, sealed), error: null, binding }
    }
    redirect = await redirectOf(deps, tenant, challenge)
    checkPending(deps, challenge)
    const profile = await answerOf(deps, tenant, connectionId, samlResponse, challenge.external!.nonce)
    const sealed: SealedAnswer = {
      challenge_id: challenge.id,
      state: form.RelayState!,
      profile,
      expires_at: deps.clock.now() + CONTINUE_TTL_MS,
    }
    // To the host the sign-in was started at, where the client that started it has its cookie.
    const base = challenge.requestedBy?.base ?? caller.base
    return { location: await continueUrl(deps, base, connectionId, sealed), error: null }
  } catch (err) {
    return refusedOutcome(deps, tenant, err, redirect)
  }
}

interface CompleteInput {
  token: string
  /** The client of the browser's `__client` cookie, if any. */
  clientId: string | null
  /** The browser's client, made (its cookie set on the response) when it has none. */
  ensureClient: () => Promise<string>
  /** The browser's BINDING_COOKIE, if any. */
  binding: string | null
  caller: Caller
  /** Where this browser reaches the tenant (tenants' browserBaseOf). */
  base: string
}

/** The browser's GET: this client started the sign-in, so the account is provisioned and signed in. */
async function completeAnswer(
  deps: Deps,
  tenant: TenantRow,
  connectionId: string,
  sealed: SealedAnswer,
  input: CompleteInput,
): Promise<CallbackOutcome> {
  let redirect: string | null = null
  try {
    const challenge = await challengeFor(deps, tenant, connectionId, sealed.state)
    if (challenge === null) throw new Refused('sso_response_invalid', 'unsolicited')
    redirect = await redirectOf(deps, tenant, challenge)
    checkPending(deps, challenge)
    if (challenge.id !== sealed.challenge_id || deps.clock.now() > sealed.expires_at)
      throw new Refused('sso_response_invalid', 'continue_expired')
    const asker = challenge.requestedBy?.clientId ?? null
    if (asker === null || asker !== input.clientId) throw new Refused('sso_response_invalid', 'other_client')
    const conn = await samlConnection(deps, tenant, connectionId)
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

/**
 * The browser's GET of an IdP-initiated response: in the browser the IdP posted from, spent once; then a
 * sign-in attempt of the browser's client is made (its limits checked) and answered for the account the
 * response names. A browser already signed in as someone else is refused rather than given a second
 * session of another person's that its applications would take for the current one.
 */
async function completeUnsolicited(
  deps: Deps,
  tenant: TenantRow,
  connectionId: string,
  sealed: SealedUnsolicited,
  input: CompleteInput,
): Promise<CallbackOutcome> {
  const redirect = sealed.redirect_url ?? `${input.base}/sign-in?resume=1`
  try {
    if (deps.clock.now() >= sealed.expires_at) throw new Refused('sso_response_invalid', 'continue_expired')
    if (input.binding === null || (await sha256Hex(input.binding)) !== sealed.browser)
      throw new Refused('sso_response_invalid', 'other_browser')
    const conn = await samlConnection(deps, tenant, connectionId)
    if (!conn.allowIdpInitiated) throw new Refused('sso_response_invalid', 'unsolicited')
    // Kept past the expiry (the GET refuses from `expires_at` on), so the mark outlives the token.
    const fresh = await withTenant(deps.db, tenant.id, (tx) =>
      EnterpriseConnectionsService.rememberAssertion(
        deps,
        tx,
        tenant.id,
        connectionId,
        `continue:${sealed.once}`,
        sealed.expires_at + CONTINUE_TTL_MS,
      ),
    )
    if (!fresh) throw new Refused('sso_response_invalid', 'replayed')
    const clientId = await input.ensureClient()
    const ctx = { tenant, owner: clientId, clientId, caller: input.caller }
    const { challenge, state } = await SignInService.startIdpInitiated(deps, ctx, {
      connectionId,
      redirectUrl: sealed.redirect_url,
    })
    const answered = await enterpriseAccount(deps, tenant, conn, sealed.profile, null)
    const signedIn = await SessionsService.activeForClient(deps, tenant, clientId)
    if (signedIn.some((s) => s.user_id !== answered.userId))
      throw new Refused('sso_response_invalid', 'signed_in_as_another')
    return await conclude(deps, tenant, challenge, answered, {
      state,
      asker: clientId,
      caller: input.caller,
      redirect,
    })
  } catch (err) {
    return refusedOutcome(deps, tenant, err, redirect)
  }
}

export async function complete(
  deps: Deps,
  tenant: TenantRow,
  connectionId: string,
  input: CompleteInput,
): Promise<CallbackOutcome> {
  await limitCallbacks(deps, tenant, input.caller)
  let sealed: Sealed
  try {
    sealed = JSON.parse(await deps.box.open(input.token, `${SEAL_CONTEXT}:${connectionId}`)) as Sealed
  } catch {
    return refusedOutcome(deps, tenant, new Refused('sso_response_invalid', 'continue_invalid'), null)
  }
  return 'idp_initiated' in sealed
    ? completeUnsolicited(deps, tenant, connectionId, sealed, input)
    : completeAnswer(deps, tenant, connectionId, sealed, input)
}
