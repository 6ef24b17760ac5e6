import { buildAuthorizationUrl } from 'openid-client'
import type { Deps } from '../../deps'
import { reasonOf, redeemCode, type ExchangeFailure } from '../oauth-providers/service'
import { authnRequestUrl, validateResponse, type SpRefusal } from '../saml/service'
import type { EnterpriseConnectionConfig } from './config'
import { oidcConfigurationOf, rememberAssertion, samlConnectionOf } from './lookup'
import { NAME_ID } from './model'
import type { Tx } from '../../platform/db/client'

/**
 * The protocol side of an enterprise sign-in (API.md §16), for the flow: where to send the browser,
 * and what the IdP's answer says of the person, read through the connection's attribute mapping.
 * OIDC by openid-client (PKCE, nonce, the ID token's signature against the IdP's JWKS), SAML by the
 * SAML core (signature, audience, destination, validity, InResponseTo, replay). No sign-in rules here.
 */
export interface EnterpriseProfile {
  providerUserId: string
  emailAddress: string | null
  firstName: string | null
  lastName: string | null
  groups: string[]
}

export type EnterpriseResult =
  | { ok: true; profile: EnterpriseProfile }
  | { ok: false; reason: ExchangeFailure | SpRefusal | 'profile_unavailable' }

/** The IdP's sign-in URL and what the answer must match (OIDC nonce, or the SAML AuthnRequest id). */
export async function startSignIn(
  deps: Deps,
  conn: EnterpriseConnectionConfig,
  input: { state: string; nonce: string; codeChallenge: string },
): Promise<{ url: string; expect: string }> {
  if (conn.saml) {
    const { url, requestId } = await authnRequestUrl(samlConnectionOf(conn), { relayState: input.state })
    return { url, expect: requestId }
  }
  const config = await oidcConfigurationOf(deps, conn)
  const url = buildAuthorizationUrl(config, {
    redirect_uri: conn.oidc!.redirectUri,
    response_type: 'code',
    scope: conn.oidc!.scopes.join(' '),
    state: input.state,
    nonce: input.nonce,
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
  })
  return { url: url.href, expect: input.nonce }
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 320) : null
const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value])
    .map((v) => text(v))
    .filter((v): v is string => v !== null)
    .slice(0, 200)

function profileOf(conn: EnterpriseConnectionConfig, read: (name: string) => unknown): EnterpriseProfile | null {
  const m = conn.attributeMapping
  const subject = text(read(m.user_id))
  if (subject === null) return null
  return {
    providerUserId: subject,
    emailAddress: text(read(m.email_address)),
    firstName: text(read(m.first_name)),
    lastName: text(read(m.last_name)),
    groups: list(read(m.groups)),
  }
}

/** The OIDC callback's code, exchanged and read: the ID token's claims, through the mapping. */
export async function oidcAnswer(
  deps: Deps,
  conn: EnterpriseConnectionConfig,
  input: { code: string; codeVerifier: string; nonce: string; callbackParams: Record<string, string> },
): Promise<EnterpriseResult> {
  let stage: 'setup' | 'token' = 'setup'
  try {
    const config = await oidcConfigurationOf(deps, conn)
    stage = 'token'
    const tokens = await redeemCode(config, { ...input, redirectUri: conn.oidc!.redirectUri })
    const claims: Record<string, unknown> = tokens.claims() ?? {}
    const profile = profileOf(conn, (name) => claims[name])
    return profile ? { ok: true, profile } : { ok: false, reason: 'profile_unavailable' }
  } catch (err) {
    return { ok: false, reason: reasonOf(err, stage) }
  }
}

/** A POSTed SAMLResponse, validated (the assertion id is remembered only once everything else held). */
export async function samlAnswer(
  deps: Deps,
  tx: Tx,
  conn: EnterpriseConnectionConfig,
  input: { samlResponse: string; expectedInResponseTo: string | null },
): Promise<EnterpriseResult> {
  const result = await validateResponse(samlConnectionOf(conn), input.samlResponse, {
    expectedInResponseTo: input.expectedInResponseTo,
    now: deps.clock.now(),
    seen: async (id, keepUntil) => !(await rememberAssertion(deps, tx, conn.tenantId, conn.id, id, keepUntil)),
  })
  if (!result.ok) return { ok: false, reason: result.reason }
  const read = (name: string) => (name === NAME_ID ? result.nameId : result.attributes[name])
  const first = (name: string) => {
    const value = read(name)
    return Array.isArray(value) ? value[0] : value
  }
  const profile = profileOf(conn, (name) => (name === conn.attributeMapping.groups ? read(name) : first(name)))
  return profile ? { ok: true, profile } : { ok: false, reason: 'profile_unavailable' }
}
