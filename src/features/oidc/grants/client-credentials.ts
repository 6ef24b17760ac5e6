import type { Deps } from '../../../deps'
import { withTenant } from '../../../platform/db/tx'
import type { TenantRow } from '../../tenants/service'
import type { Form } from '../form'
import { OAuthError } from '../errors'
import { family as familyOf, familyUsable } from '../families'
import { insertFamilyInTx, mintTokens, type TokenResponse } from '../issue'
import type { ApplicationRow } from '../repo'
import { resourceFor } from '../resource'

/** Scopes that describe a user: meaningless for a client acting as itself. */
const USER_SCOPES = new Set([
  'openid',
  'offline_access',
  'profile',
  'email',
  'phone',
  'organization',
  'public_metadata',
])

/**
 * The family that client-credentials tokens of one (application, scopes, resource) share, per node:
 * a steady stream of client-credentials calls writes nothing (the hot path of machine-to-machine
 * auth). Revoking one such token revokes the family; the next call starts a new one.
 */
const shared = new WeakMap<Deps, Map<string, string>>()

/** `grant_type=client_credentials` (RFC 6749 §4.4): `sub` is the client_id; no user, no ID token. */
export async function clientCredentials(
  deps: Deps,
  tenant: TenantRow,
  app: ApplicationRow,
  form: Form,
  dpopJkt: string | null,
): Promise<TokenResponse> {
  if (app.public) throw new OAuthError('unauthorized_client', 'A public client cannot use client credentials.')
  const scopes = [...new Set((form.scope ?? '').split(' ').filter(Boolean))].sort()
  const bad = scopes.find((s) => USER_SCOPES.has(s) || !app.scopes.includes(s))
  if (bad) throw new OAuthError('invalid_scope', `Scope ${bad} is not available to client credentials.`)
  const resource = resourceFor(app, form.resource)
  const key = `${tenant.id}:${app.id}:${scopes.join(' ')}:${resource ?? ''}:${dpopJkt ?? ''}`
  let families = shared.get(deps)
  if (!families) shared.set(deps, (families = new Map()))
  const known = families.get(key)
  let family = known ? await familyOf(deps, tenant.id, known) : null
  // Renewed while a whole access token lifetime is left, so no token outlives its family.
  if (!familyUsable(family, deps.clock.now() + tenant.settings.oauth.access_token_lifetime_s * 1000)) {
    family = (
      await withTenant(deps.db, tenant.id, (tx) =>
        insertFamilyInTx(deps, tx, tenant, {
          app,
          grantId: null,
          userId: null,
          sessionId: null,
          organizationId: null,
          scopes,
          resource,
          authTime: null,
          amr: [],
          dpopJkt,
          grantType: 'client_credentials',
        }),
      )
    ).family
    families.set(key, family.id)
  }
  return mintTokens(deps, tenant, family!, app, { refreshToken: null, withIdToken: false })
}
