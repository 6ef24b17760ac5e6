import type { ExternalStrategy } from '../../../machines/shared/types'
import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { Caller } from '../../platform/http/caller'
import { perIpKey } from '../../platform/http/ip-key'
import * as RateLimit from '../../platform/rate-limit'
import * as ChallengesService from '../challenges/service'
import * as EnterpriseConnectionsService from '../enterprise-connections/service'
import * as ExternalAccountsService from '../external-accounts/service'
import type { ExternalIdentity } from '../external-accounts/service'
import { callbackUrl, verifierContext } from '../flows/service'
import * as OAuthProvidersService from '../oauth-providers/service'
import type { OAuthProviderConfig } from '../oauth-providers/service'
import * as SessionsService from '../sessions/service'
import * as SignInService from '../sign-in/service'
import * as SignUpService from '../sign-up/service'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import { enterpriseAccount } from './enterprise'
import { handOff } from './native'
import { Refused, type CallbackError } from './refused'

/**
 * `{issuer}/v1/oauth-callback/{provider | connection id}` (API.md §16): where a social provider or an
 * enterprise OIDC connection sends the browser back. The pipeline, in order: the `state` names a
 * pending external challenge; the browser is the client that started it (its `__client` cookie: a
 * callback replayed in another browser is refused; none at all is an app's system browser, handed
 * off to the app in native.ts); the provider or connection is the challenge's; the code is exchanged
 * (PKCE verifier, nonce, ID token checks in the protocol client); the identity resolves to an account
 * (the linking rules, or the connection's provisioning); the attempt advances. Every outcome is a
 * redirect to the attempt's `redirect_url`, failures with `error=<code>`, and an audit entry
 * `sso.succeeded` or `sso.failed` with the reason.
 */
export interface CallbackOutcome {
  /** Where to send the browser; null when the attempt named none (a page says what happened). */
  location: string | null
  error: CallbackError | null
  /** The sign-up an unknown account became, when it did. */
  signUpId?: string
  /** A value to bind the next step to this browser (set as a cookie on the redirect). */
  binding?: string
}

export const withError = (url: string | null, error: CallbackError | null) => {
  if (url === null || error === null) return url
  const next = new URL(url)
  next.searchParams.set('error', error)
  return next.toString()
}

/**
 * Callbacks are unauthenticated and every refusal is audited: they are counted per IP (IPv6 per /64,
 * `rate_limits.per_ip_per_minute`, 0 turns it off) before anything else, so that a flood of made-up
 * ones can neither fill the audit trail nor hold up the tenant's audit chain, which sign-ins wait on.
 */
export async function limitCallbacks(deps: Deps, tenant: TenantRow, caller: Caller): Promise<void> {
  if (!caller.ip) return
  const limit = tenant.settings.rate_limits.per_ip_per_minute
  await RateLimit.consume(deps.db, tenant.id, `sso_callback:${perIpKey(caller.ip)}`, limit, deps.clock.now())
}

async function pendingChallenge(deps: Deps, tenant: TenantRow, state: string | undefined) {
  const challenge =
    state === undefined
      ? null
      : await withTenant(deps.db, tenant.id, (tx) => ChallengesService.findByExternalState(tx, tenant.id, state))
  // A social provider may also answer a link from /me (identification) or a sign-up started with it.
  const social = challenge !== null && challenge.strategy !== 'enterprise_sso'
  const purposes = social ? ['sign_in', 'identification', 'sign_up'] : ['sign_in']
  if (!challenge || !purposes.includes(challenge.purpose)) throw new Refused('oauth_callback_invalid', 'unknown_state')
  return challenge
}

/** Where the browser goes back to: the attempt's redirect_url, or the one a link from /me named. */
const redirectOf = (deps: Deps, tenant: TenantRow, challenge: ChallengesService.ChallengeRow) =>
  challenge.purpose === 'sign_in'
    ? SignInService.redirectUrlOf(deps, tenant.id, challenge.ownerId)
    : challenge.purpose === 'sign_up'
      ? SignUpService.redirectUrlOf(deps, tenant.id, challenge.ownerId)
      : Promise.resolve(challenge.external?.redirect_url ?? null)

/**
 * Marks an external challenge answered outside a sign-in's machine (a sign-up, a link): the provider's
 * answer counts once, and a concurrent second use loses on the challenge's version (409).
 */
async function spendInTx(deps: Deps, tx: Tx, challenge: ChallengesService.ChallengeRow): Promise<void> {
  await ChallengesService.save(
    deps,
    tx,
    challenge,
    await ChallengesService.answerStep(deps, challenge, {}, async () => true),
  )
}

/**
 * A sign-up started with the provider: an account that exists already is refused (sign in instead);
 * otherwise the challenge is spent and the attempt takes what the provider said.
 */
async function proveSignUp(
  deps: Deps,
  tenant: TenantRow,
  challenge: ChallengesService.ChallengeRow,
  identity: ExternalIdentity,
  input: { asker: string; caller: Caller },
): Promise<void> {
  if ((await accountOf(deps, tenant, identity)) !== null) throw new Refused('external_account_exists', 'account_exists')
  await withTenant(deps.db, tenant.id, (tx) => spendInTx(deps, tx, challenge))
  const ctx = { tenant, owner: input.asker, clientId: input.asker, caller: input.caller }
  const strategy = challenge.strategy as ExternalStrategy
  await SignUpService.proveExternal(deps, ctx, challenge.ownerId, { strategy, identity })
  await audit(deps, tenant, 'sso.succeeded', { strategy, sign_up_id: challenge.ownerId })
}

/**
 * Links the provider's account to the user who asked from /me (their challenge's owner): refused when
 * another user holds it; the challenge is spent in the same transaction, so a callback counts once.
 */
async function link(
  deps: Deps,
  tenant: TenantRow,
  challenge: ChallengesService.ChallengeRow,
  identity: ExternalIdentity,
): Promise<void> {
  // The session that asked must still be signed in, and its user allowed (a revoked session links nothing).
  const sessionId = challenge.requestedBy?.sessionId
  const session = sessionId
    ? await SessionsService.findForUser(deps, tenant, challenge.ownerId, sessionId).catch(() => null)
    : null
  if (!session || session.status !== 'active') throw new Refused('oauth_callback_invalid', 'session_ended')
  await withTenant(deps.db, tenant.id, async (tx) => {
    const user = await UsersService.loadUser(tx, tenant.id, challenge.ownerId)
    if (!user || user.user.banned || user.user.deletedAt) throw new Refused('oauth_access_denied', 'user_refused')
    const holder = await ExternalAccountsService.linkedUserInTx(tx, tenant.id, identity)
    if (holder !== null && holder !== challenge.ownerId) throw new Refused('external_account_exists', 'held_by_another')
    await spendInTx(deps, tx, challenge)
    await ExternalAccountsService.linkInTx(deps, tx, tenant.id, challenge.ownerId, identity)
  })
  await audit(deps, tenant, 'sso.succeeded', { strategy: challenge.strategy, user_id: challenge.ownerId, linked: true })
}

async function providerOf(deps: Deps, tenant: TenantRow, name: string, strategy: string) {
  const provider = await withTenant(deps.db, tenant.id, (tx) =>
    OAuthProvidersService.findByCallbackName(deps, tx, tenant, name),
  )
  if (!provider || provider.strategy !== strategy) throw new Refused('oauth_callback_invalid', 'wrong_provider')
  return provider
}

function identityOf(provider: OAuthProviderConfig, profile: OAuthProvidersService.ExternalProfile): ExternalIdentity {
  return {
    provider: provider.key === null ? provider.provider : `custom_${provider.key}`,
    strategy: provider.strategy,
    connectionId: provider.id,
    ...profile,
  }
}

/**
 * The account the identity signs in to by the linking rules (null: none, a sign-up); a banned one is
 * refused. An address at an enterprise connection's domain is that IdP's to vouch for (home realm
 * discovery): a social provider's claim to it links no one and signs no one up, or a person the IdP
 * deprovisioned (or whoever once verified the address at the provider) would have a way around it, and
 * a user signed up that way would be the one the IdP's first sign-in links the real person into.
 */
async function accountOf(deps: Deps, tenant: TenantRow, identity: ExternalIdentity): Promise<string | null> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    const resolution = await ExternalAccountsService.resolveInTx(tx, tenant, identity)
    if (resolution.kind === 'link_required') throw new Refused('external_account_link_required', 'link_required')
    if (
      resolution.kind !== 'linked' &&
      identity.emailAddress !== null &&
      (await SignInService.ssoDomainInTx(deps, tx, tenant, identity.emailAddress))
    )
      throw new Refused('external_account_link_required', 'sso_domain')
    if (resolution.kind === 'new') return null
    const user = await UsersService.loadUser(tx, tenant.id, resolution.userId)
    if (!user || user.user.banned || user.user.deletedAt) throw new Refused('oauth_access_denied', 'user_refused')
    // A linked social account never outlives its user's enterprise IdP: an SSO-domain user signs in there.
    if (await SignInService.ssoUserInTx(deps, tx, tenant, user.identifications))
      throw new Refused('external_account_link_required', 'sso_domain')
    return resolution.userId
  })
}

/**
 * An unknown account becomes a sign-up on the same client (API.md §16). The sign-in's challenge is
 * spent first (one callback, one outcome: a replayed one finds it verified), then the attempt made.
 */
async function signUp(
  deps: Deps,
  tenant: TenantRow,
  challenge: ChallengesService.ChallengeRow,
  identity: ExternalIdentity,
  input: { clientId: string; caller: Caller; redirect: string | null },
) {
  await withTenant(deps.db, tenant.id, (tx) => spendInTx(deps, tx, challenge))
  const ctx = { tenant, owner: input.clientId, clientId: input.clientId, caller: input.caller }
  const strategy = challenge.strategy as ExternalStrategy
  return SignUpService.createFromExternal(deps, ctx, { strategy, identity, redirectUrl: input.redirect })
}

/** What a provider's answer proved: the identity, and its account (null: none yet, a sign-up). */
export interface Answered {
  identity: ExternalIdentity
  userId: string | null
}

async function socialIdentity(
  deps: Deps,
  tenant: TenantRow,
  challenge: ChallengesService.ChallengeRow,
  input: { name: string; params: Record<string, string> },
): Promise<ExternalIdentity> {
  const provider = await providerOf(deps, tenant, input.name, challenge.strategy)
  if (input.params.error !== undefined) throw new Refused('oauth_access_denied', 'provider_denied')
  const hold = challenge.external!
  const result = await OAuthProvidersService.exchange(deps, provider, {
    code: input.params.code ?? '',
    codeVerifier: await deps.box.open(hold.code_verifier_sealed, verifierContext(hold.nonce)),
    redirectUri: callbackUrl(deps.config.publicUrl, tenant, provider.callbackName),
    nonce: hold.nonce,
    callbackParams: input.params,
  })
  if (!result.ok)
    throw new Refused(
      result.reason === 'access_denied' ? 'oauth_access_denied' : 'oauth_callback_invalid',
      result.reason,
    )
  return identityOf(provider, result.profile)
}

async function enterpriseAnswer(
  deps: Deps,
  tenant: TenantRow,
  challenge: ChallengesService.ChallengeRow,
  input: { name: string; params: Record<string, string> },
): Promise<Answered> {
  const hold = challenge.external!
  const conn = await withTenant(deps.db, tenant.id, (tx) =>
    EnterpriseConnectionsService.findById(deps, tx, tenant, hold.connection_id ?? ''),
  )
  if (!conn?.oidc || !conn.active || conn.id !== input.name)
    throw new Refused('oauth_callback_invalid', 'wrong_connection')
  if (input.params.error !== undefined) throw new Refused('oauth_access_denied', 'provider_denied')
  const result = await EnterpriseConnectionsService.oidcAnswer(deps, conn, {
    code: input.params.code ?? '',
    codeVerifier: await deps.box.open(hold.code_verifier_sealed, verifierContext(hold.nonce)),
    nonce: hold.nonce,
    callbackParams: input.params,
  })
  if (!result.ok)
    throw new Refused(
      result.reason === 'access_denied' ? 'oauth_access_denied' : 'oauth_callback_invalid',
      result.reason,
    )
  return enterpriseAccount(
    deps,
    tenant,
    conn,
    result.profile,
    await SignInService.identifiedUserOf(deps, tenant.id, challenge.ownerId),
  )
}

/**
 * The provider sent the browser to the registered callback (under the issuer), but the attempt was started at the
 * tenant's other address (PUBLIC_URL while it has a custom domain, or the reverse), where the browser's client is:
 * the same callback there, before anything is read or spent. At that host the base matches, so it never loops.
 */
function elsewhere(challenge: ChallengesService.ChallengeRow, input: CallbackInput): string | null {
  const started = challenge.requestedBy?.base
  if (!started || input.clientId !== null || started === input.caller.base) return null
  return `${started}/v1/oauth-callback/${encodeURIComponent(input.name)}?${new URLSearchParams(input.params)}`
}

type CallbackInput = { name: string; params: Record<string, string>; clientId: string | null; caller: Caller }

export async function handleCallback(deps: Deps, tenant: TenantRow, input: CallbackInput): Promise<CallbackOutcome> {
  const { params } = input
  await limitCallbacks(deps, tenant, input.caller)
  let redirect: string | null = null
  let strategy: string | null = null
  try {
    const challenge = await pendingChallenge(deps, tenant, params.state)
    strategy = challenge.strategy
    redirect = await redirectOf(deps, tenant, challenge)
    if (ChallengesService.statusOf(challenge, deps.clock.now()) !== 'pending')
      throw new Refused('oauth_callback_invalid', 'challenge_not_pending')
    const asker = challenge.requestedBy?.clientId ?? null
    // A native app's attempt: the system browser holds no client of the app, the app completes it (native.ts).
    const handedOff = challenge.requestedBy?.native === true && challenge.purpose === 'sign_in'
    const there = handedOff ? null : elsewhere(challenge, input)
    if (there) return { location: there, error: null }
    if (asker === null || (asker !== input.clientId && !handedOff))
      throw new Refused('oauth_callback_invalid', 'other_client')
    if (challenge.purpose === 'identification') {
      await link(deps, tenant, challenge, await socialIdentity(deps, tenant, challenge, input))
      return { location: redirect, error: null }
    }
    if (challenge.purpose === 'sign_up') {
      const identity = await socialIdentity(deps, tenant, challenge, input)
      await proveSignUp(deps, tenant, challenge, identity, { asker, caller: input.caller })
      return { location: redirect, error: null }
    }
    let answered: Answered
    if (strategy === 'enterprise_sso') answered = await enterpriseAnswer(deps, tenant, challenge, input)
    else {
      const identity = await socialIdentity(deps, tenant, challenge, input)
      answered = { identity, userId: await accountOf(deps, tenant, identity) }
    }
    if (handedOff) {
      await audit(deps, tenant, 'sso.handed_off', { strategy, user_id: answered.userId })
      return await handOff(deps, challenge, answered, { state: params.state!, redirect })
    }
    return await conclude(deps, tenant, challenge, answered, {
      state: params.state!,
      asker,
      caller: input.caller,
      redirect,
    })
  } catch (err) {
    const refused =
      err instanceof Refused ? err : err instanceof AppError ? new Refused('oauth_callback_invalid', err.code) : null
    if (!refused) throw err
    await audit(deps, tenant, 'sso.failed', { strategy, reason: refused.reason })
    return { location: withError(redirect, refused.error), error: refused.error }
  }
}

/** The attempt advances for the account the answer named, or a sign-up starts for a new one. */
export async function conclude(
  deps: Deps,
  tenant: TenantRow,
  challenge: ChallengesService.ChallengeRow,
  answered: Answered,
  input: { state: string; asker: string; caller: Caller; redirect: string | null },
): Promise<CallbackOutcome> {
  const { identity, userId } = answered
  const strategy = challenge.strategy
  if (userId === null) {
    const { row } = await signUp(deps, tenant, challenge, identity, {
      clientId: input.asker,
      caller: input.caller,
      redirect: input.redirect,
    })
    await audit(deps, tenant, 'sso.succeeded', { strategy, sign_up_id: row.id })
    return { location: input.redirect, error: null, signUpId: row.id }
  }
  await SignInService.verifyOpened(
    deps,
    tenant,
    challenge,
    { token: input.state, external: { userId, identity } },
    input.caller,
  )
  await audit(deps, tenant, 'sso.succeeded', { strategy, user_id: userId })
  return { location: input.redirect, error: null }
}

export async function audit(deps: Deps, tenant: TenantRow, action: string, data: Record<string, unknown>) {
  await withTenant(deps.db, tenant.id, (tx) =>
    appendAudit(deps.auditKey, tx, tenant.id, { action, actor: { type: 'system', id: null }, data }, deps.clock.now()),
  )
}
