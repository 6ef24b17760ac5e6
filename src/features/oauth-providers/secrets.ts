import type { Deps } from '../../deps'
import { appleClientSecret } from './apple'
import type { OAuthProviderConfig } from './config'

/** Binds a sealed client secret to its row: moved to another provider or tenant, it no longer opens. */
export const secretContext = (tenantId: string, id: string) => `oauth_provider.client_secret:${tenantId}:${id}`

/** The client secret to present at the token endpoint; Apple's is an ES256 JWT signed now with the stored .p8 key. */
export async function presentedSecret(deps: Deps, p: OAuthProviderConfig): Promise<string> {
  const stored = await deps.box.open(p.clientSecretSealed, secretContext(p.tenantId, p.id))
  if (p.provider !== 'apple') return stored
  return appleClientSecret(
    stored,
    { teamId: p.appleTeamId ?? '', keyId: p.appleKeyId ?? '', clientId: p.clientId },
    deps.clock.now(),
  )
}
