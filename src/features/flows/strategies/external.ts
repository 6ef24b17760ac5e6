import type { ExternalStrategy } from '../../../../machines/shared/types'
import { randomToken } from '../../../platform/crypto/tokens'
import { AppError } from '../../../platform/errors'
import * as ChallengesService from '../../challenges/service'
import type { ChallengePlan } from '../../challenges/service'
import type { Deps } from '../../../deps'
import type { Tx } from '../../../platform/db/client'
import * as EnterpriseConnectionsService from '../../enterprise-connections/service'
import * as ExternalAccountsService from '../../external-accounts/service'
import type { TenantRow } from '../../tenants/service'
import * as OAuthProvidersService from '../../oauth-providers/service'
import { tenantIssuer, type TenantAddress } from '../../tenants/model'
import type { FactorStrategy } from '../strategy'

/**
 * A sign-in at another identity provider (API.md §16): the challenge holds the provider's
 * authorization URL (state, PKCE S256, nonce), and is answered only by the provider's callback,
 * never by a posted body (`token`: like an email link, it is opened). The callback handler
 * exchanges the code and resolves the identity; the answer carries the state and that identity,
 * and this check compares the state with the challenge's before the account it names counts.
 */
const LIFETIME_S = 600

const base64url = (bytes: ArrayBuffer) => Buffer.from(bytes).toString('base64url')

/** RFC 7636 S256: BASE64URL(SHA-256(code_verifier)). */
const codeChallengeOf = async (verifier: string) =>
  base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)))

/** The callback URL registered at the provider: `{issuer}/v1/oauth-callback/{provider|key}`. */
export const callbackUrl = (publicUrl: string, tenant: TenantAddress, callbackName: string) =>
  `${tenantIssuer(publicUrl, tenant)}/v1/oauth-callback/${callbackName}`

/** The sealed PKCE verifier's context: it opens only for the hold it was sealed for. */
export const verifierContext = (nonce: string) => `oauth_code_verifier:${nonce}`

type Start = { url: string; nonce: string; connectionId?: string }
type StartInput = { state: string; codeChallenge: string }

async function socialStart(deps: Deps, tx: Tx, tenant: TenantRow, id: string, input: StartInput): Promise<Start> {
  const provider = await OAuthProvidersService.findByStrategy(deps, tx, tenant, id)
  if (!provider) throw new AppError('strategy_not_allowed', { param_name: 'strategy' })
  const nonce = randomToken(24)
  const url = await OAuthProvidersService.authorizationUrl(deps, provider, {
    redirectUri: callbackUrl(deps.config.publicUrl, tenant, provider.callbackName),
    state: input.state,
    nonce,
    codeChallenge: input.codeChallenge,
  })
  return { url, nonce }
}

/** The connection an IdP-initiated response came through, while it still allows those (SAML only). */
async function idpInitiatedConnection(deps: Deps, tx: Tx, tenant: TenantRow, id: string) {
  const conn = await EnterpriseConnectionsService.findById(deps, tx, tenant, id)
  return conn?.saml && conn.active && conn.allowIdpInitiated ? conn : null
}

/**
 * The active connection of the identifier's email domain (home realm discovery), or the one an
 * IdP-initiated response came through; else 422.
 */
async function enterpriseStart(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  input: StartInput & { identifier: string | null; connectionId: string | null },
): Promise<Start> {
  const { identifier } = input
  const at = identifier?.lastIndexOf('@') ?? -1
  const conn =
    input.connectionId !== null
      ? await idpInitiatedConnection(deps, tx, tenant, input.connectionId)
      : identifier && at > 0
        ? await EnterpriseConnectionsService.findActiveForEmailDomain(deps, tx, tenant, identifier.slice(at + 1))
        : null
  if (!conn) throw new AppError('strategy_not_allowed', { param_name: 'strategy' })
  const { url, expect } = await EnterpriseConnectionsService.startSignIn(deps, conn, {
    state: input.state,
    nonce: randomToken(24),
    codeChallenge: input.codeChallenge,
  })
  return { url, nonce: expect, connectionId: conn.id }
}

export function externalStrategy(id: ExternalStrategy): FactorStrategy {
  return {
    id,
    steps: ['first'],
    answerField: 'token',
    channel: null,
    guessable: false,
    countsTowardLockout: false,
    // A lockout by wrong passwords does not close SSO (API.md §12).
    passesPasswordLockout: true,
    provesBothFactors: false,
    async plan({ deps, tx, tenant, identifier, returnTo, idpInitiated }): Promise<ChallengePlan> {
      if (idpInitiated && id !== 'enterprise_sso')
        throw new AppError('strategy_not_allowed', { param_name: 'strategy' })
      const state = idpInitiated?.state ?? randomToken(32)
      const verifier = randomToken(32)
      const codeChallenge = await codeChallengeOf(verifier)
      const connectionId = idpInitiated?.connectionId ?? null
      const {
        url,
        nonce,
        connectionId: held,
      } = id === 'enterprise_sso'
        ? await enterpriseStart(deps, tx, tenant, { identifier, connectionId, state, codeChallenge })
        : await socialStart(deps, tx, tenant, id, { state, codeChallenge })
      return {
        holds: 'external',
        state,
        hold: {
          authorization_url: url,
          nonce,
          code_verifier_sealed: await deps.box.seal(verifier, verifierContext(nonce)),
          ...(held ? { connection_id: held } : {}),
          ...(returnTo ? { redirect_url: returnTo } : {}),
        },
        lifetimeS: LIFETIME_S,
        maxAttempts: 1,
        wrongAnswer: 'verification_failed',
      }
    },
    async check({ deps, challenge, user, answer, discover }) {
      const external = answer.external
      if (!challenge || !external || !(await ChallengesService.externalStateMatches(challenge, answer.token)))
        return null
      // An identified attempt's account is the one the provider must name, never another's; when that
      // account is banned or deleted mid-attempt (`user` null, the attempt still naming it), no one's.
      if (!discover && user?.id !== external.userId) return null
      return {
        userId: external.userId,
        async spendInTx(tx) {
          await ExternalAccountsService.linkInTx(deps, tx, challenge.tenantId, external.userId, external.identity)
          return true
        },
      }
    },
  }
}
