import type { Configuration } from 'openid-client'
import type { Deps } from '../../deps'
import { sha256Hex } from '../../platform/crypto/tokens'
import type { Tx } from '../../platform/db/client'
import { discoverOidc, oidcSecretAuth } from '../oauth-providers/service'
import type { SamlConnection } from '../saml/service'
import type { TenantRow } from '../tenants/service'
import { type EnterpriseConnectionConfig, secretContext, toConfig } from './config'
import * as Repo from './repo'

/**
 * What the sign-in flow (issue #19) reads of enterprise connections, re-exported by service.ts:
 * lookups inside the caller's tenant transaction, the SAML replay cache, and the OIDC client. No
 * sign-in rules live here.
 */
type Tenant = Pick<TenantRow, 'id' | 'slug' | 'customHost'>

/** The connection, active or not, or null (another tenant's id is null too). */
export async function findById(
  deps: Deps,
  tx: Tx,
  tenant: Tenant,
  id: string,
): Promise<EnterpriseConnectionConfig | null> {
  const row = await Repo.find(tx, tenant.id, id)
  return row && toConfig(row, deps.config.publicUrl, tenant)
}

/**
 * The active connection that holds an email address's domain (case-insensitive, a trailing dot
 * ignored), or null. Pass the part after the last `@`.
 */
export async function findActiveForEmailDomain(
  deps: Deps,
  tx: Tx,
  tenant: Tenant,
  domain: string,
): Promise<EnterpriseConnectionConfig | null> {
  const name = domain.trim().toLowerCase().replace(/\.$/, '')
  if (name.length === 0 || name.length > 253) return null
  const row = await Repo.findActiveByDomain(tx, tenant.id, name)
  return row && toConfig(row, deps.config.publicUrl, tenant)
}

/** What saml/sp.ts takes for a SAML connection (throws for an OIDC one: a caller's bug). */
export function samlConnectionOf(config: EnterpriseConnectionConfig): SamlConnection {
  if (!config.saml) throw new Error(`connection ${config.id} is not a SAML connection`)
  return {
    spEntityId: config.saml.spEntityId,
    acsUrl: config.saml.acsUrl,
    idpEntityId: config.saml.idpEntityId,
    idpSsoUrl: config.saml.idpSsoUrl,
    idpCertificates: config.saml.idpCertificates,
    allowIdpInitiated: config.allowIdpInitiated,
  }
}

/** Ids this long are stored hashed (a signed assertion's ID attribute has no length limit). */
const MAX_STORED_ID = 256

/**
 * Records a SAML assertion id in the replay cache every node shares, until `keepUntil` (epoch ms);
 * true when it is new, false when it was seen (a replay). Atomic: of two nodes racing on one id,
 * exactly one gets true. As sp.ts's `seen`: `(id, keepUntil) => rememberAssertion(...).then((n) => !n)`.
 */
export async function rememberAssertion(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  connectionId: string,
  assertionId: string,
  keepUntil: number,
): Promise<boolean> {
  const stored = assertionId.length > MAX_STORED_ID ? `sha256:${await sha256Hex(assertionId)}` : assertionId
  return Repo.rememberAssertion(
    tx,
    { tenantId, connectionId, assertionId: stored, expiresAt: new Date(keepUntil) },
    new Date(deps.clock.now()),
  )
}

/** The OIDC client secret, opened for one use (a token request); never log or store it. */
export async function oidcClientSecretOf(deps: Deps, config: EnterpriseConnectionConfig): Promise<string> {
  if (!config.oidc) throw new Error(`connection ${config.id} is not an OIDC connection`)
  return deps.box.open(config.oidc.clientSecretSealed, secretContext(config.tenantId, config.id))
}

/**
 * The openid-client configuration of an OIDC connection: discovery (cached per node a few minutes)
 * and every later request through outboundRequest, client_secret_basic (or _post when that is all
 * the IdP offers) with the unsealed secret. Throws when the IdP is unreachable or misconfigured.
 */
export async function oidcConfigurationOf(deps: Deps, config: EnterpriseConnectionConfig): Promise<Configuration> {
  const secret = await oidcClientSecretOf(deps, config)
  return discoverOidc(deps, new URL(config.oidc!.discoveryUrl), config.oidc!.clientId, oidcSecretAuth(secret))
}
