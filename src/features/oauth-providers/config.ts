import type { ProviderType } from './presets'
import { callbackNameOf, isProviderType, strategyOf } from './presets'
import type { OAuthProviderRow } from './repo'
import type { AttributeMapping } from './schema'

/**
 * A provider as the sign-in and sign-up flows use it: the row without timestamps, its strategy
 * and callback name. The client secret stays sealed; only `exchange` opens it, for one request.
 */
export interface OAuthProviderConfig {
  id: string
  tenantId: string
  provider: ProviderType
  key: string | null
  /** `oauth_google`, `oauth_custom_<key>`. */
  strategy: string
  /** The last segment of `{issuer}/v1/oauth-callback/{name}`. */
  callbackName: string
  name: string
  enabled: boolean
  clientId: string
  clientSecretSealed: string
  appleTeamId: string | null
  appleKeyId: string | null
  scopes: string[]
  discoveryUrl: string | null
  authorizationUrl: string | null
  tokenUrl: string | null
  userinfoUrl: string | null
  attributeMapping: AttributeMapping | null
}

export function toConfig(row: OAuthProviderRow): OAuthProviderConfig | null {
  if (!isProviderType(row.provider)) return null
  return {
    id: row.id,
    tenantId: row.tenantId,
    provider: row.provider,
    key: row.key,
    strategy: strategyOf(row.provider, row.key),
    callbackName: callbackNameOf(row.provider, row.key),
    name: row.name,
    enabled: row.enabled,
    clientId: row.clientId,
    clientSecretSealed: row.clientSecretSealed,
    appleTeamId: row.appleTeamId,
    appleKeyId: row.appleKeyId,
    scopes: row.scopes,
    discoveryUrl: row.discoveryUrl,
    authorizationUrl: row.authorizationUrl,
    tokenUrl: row.tokenUrl,
    userinfoUrl: row.userinfoUrl,
    attributeMapping: row.attributeMapping,
  }
}
