import type { Deps } from '../../deps'
import { recordResourceChange } from '../../platform/resource-change'
import type { AuditEntry } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import type { CursorPosition, Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import type { TenantRow } from '../tenants/service'
import { type OAuthProviderConfig, toConfig } from './config'
import * as Model from './model'
import type { ConnectionTest, CreateBody, PublicOAuthProvider, UpdateBody } from './model'
import { defaultScopes, isPreset, strategyOf } from './presets'
import { probe } from './probe'
import * as Repo from './repo'
import type { OAuthProviderRow } from './repo'
import { secretContext } from './secrets'
import { checkDraft, checkSecret, defaultName, type Draft } from './validate'

export { authorizationUrl, discoverOidc, exchange, oidcSecretAuth, reasonOf, redeemCode } from './client'
export { ProviderUnreachable } from './fetch'
export { checkProviderUrl, type UrlVerdict } from './urls'
export type { AuthorizationInput, ExchangeFailure, ExchangeInput, ExchangeResult } from './client'
export type { OAuthProviderConfig } from './config'
export type { ProviderType } from './presets'
export type { ExternalProfile } from './profiles'

/** Who acts through the Backend API: the secret key, or a service key (API.md §11). */
type Actor = AuditEntry['actor']
type EventType = 'oauthProvider.created' | 'oauthProvider.updated' | 'oauthProvider.deleted'

const present = (deps: Deps, tenant: TenantRow, row: OAuthProviderRow) =>
  Model.toPublic(row, deps.config.publicUrl, tenant)

/** The webhook event and audit entry of one change, in its transaction; neither carries the secret. */
const recordChange = (
  deps: Deps,
  tx: Tx,
  tenantId: string,
  type: EventType,
  data: PublicOAuthProvider | { object: 'oauth_provider'; id: string; deleted: true },
  actor: Actor,
) => recordResourceChange(deps, tx, tenantId, { type, actor, data })

/** One row per preset and per custom key (the partial unique indexes decide races): 409 duplicate_record. */
async function unique<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (isUniqueViolation(err, Repo.PROVIDER_CONSTRAINT))
      throw new AppError('duplicate_record', { param_name: 'provider' })
    if (isUniqueViolation(err, Repo.KEY_CONSTRAINT)) throw new AppError('duplicate_record', { param_name: 'key' })
    throw err
  }
}

const draftOf = (body: CreateBody): Draft => ({
  provider: body.provider,
  key: body.key ?? null,
  appleTeamId: body.apple_team_id ?? null,
  appleKeyId: body.apple_key_id ?? null,
  discoveryUrl: body.discovery_url ?? null,
  authorizationUrl: body.authorization_url ?? null,
  tokenUrl: body.token_url ?? null,
  userinfoUrl: body.userinfo_url ?? null,
  attributeMapping: body.attribute_mapping ?? null,
})

/** Creates a provider; the client secret is sealed and never shown again. */
export async function create(
  deps: Deps,
  tenant: TenantRow,
  body: CreateBody,
  actor: Actor,
): Promise<PublicOAuthProvider> {
  const draft = draftOf(body)
  checkDraft(body, draft, deps.config.webhookAllowPrivate)
  await checkSecret(draft.provider, body.client_secret)
  const now = deps.clock.now()
  const id = newId('oap', now)
  const clientSecretSealed = await deps.box.seal(body.client_secret, secretContext(tenant.id, id))
  const row = await unique(() =>
    withTenant(deps.db, tenant.id, async (tx) => {
      const row = await Repo.insert(tx, {
        id,
        tenantId: tenant.id,
        ...draft,
        name: body.name ?? defaultName(draft.provider, draft.key),
        clientId: body.client_id,
        clientSecretSealed,
        scopes: [...new Set(body.scopes ?? defaultScopes(draft.provider))],
        enabled: body.enabled ?? true,
        createdAt: new Date(now),
        updatedAt: new Date(now),
      })
      await recordChange(deps, tx, tenant.id, 'oauthProvider.created', present(deps, tenant, row), actor)
      return row
    }),
  )
  return present(deps, tenant, row)
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicOAuthProvider>> {
  const scope = `oauth_providers:${tenant.id}`
  const read = (limit: number, after: CursorPosition | null) =>
    withTenant(deps.db, tenant.id, (tx) => Repo.list(tx, tenant.id, limit, after))
  return deps.cursors.list(scope, query, read, (row) => present(deps, tenant, row))
}

async function found(tx: Tx, tenantId: string, id: string, forUpdate = false): Promise<OAuthProviderRow> {
  const row = await Repo.find(tx, tenantId, id, forUpdate)
  if (!row) throw new AppError('resource_not_found')
  return row
}

export async function get(deps: Deps, tenant: TenantRow, id: string): Promise<PublicOAuthProvider> {
  return present(deps, tenant, await withTenant(deps.db, tenant.id, (tx) => found(tx, tenant.id, id)))
}

/** Applies the create fields given; `provider` and `key` cannot change (they name the strategy and callback). */
export async function update(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  body: UpdateBody,
  actor: Actor,
): Promise<PublicOAuthProvider> {
  const row = await unique(() =>
    withTenant(deps.db, tenant.id, async (tx) => {
      const current = await found(tx, tenant.id, id, true)
      if (body.provider !== undefined && body.provider !== current.provider)
        throw new AppError('form_param_format_invalid', { param_name: 'provider', reason: 'immutable' })
      if (body.key !== undefined && body.key !== current.key)
        throw new AppError('form_param_format_invalid', { param_name: 'key', reason: 'immutable' })
      const draft: Draft = {
        provider: current.provider as Draft['provider'],
        key: current.key,
        appleTeamId: body.apple_team_id ?? current.appleTeamId,
        appleKeyId: body.apple_key_id ?? current.appleKeyId,
        discoveryUrl: body.discovery_url ?? current.discoveryUrl,
        authorizationUrl: body.authorization_url ?? current.authorizationUrl,
        tokenUrl: body.token_url ?? current.tokenUrl,
        userinfoUrl: body.userinfo_url ?? current.userinfoUrl,
        attributeMapping: body.attribute_mapping ?? current.attributeMapping,
      }
      checkDraft(body, draft, deps.config.webhookAllowPrivate)
      const secret = body.client_secret
      if (secret !== undefined) await checkSecret(draft.provider, secret)
      const { provider: _p, key: _k, ...columns } = draft
      const row = await Repo.update(tx, tenant.id, id, {
        ...columns,
        name: body.name ?? current.name,
        clientId: body.client_id ?? current.clientId,
        ...(secret !== undefined
          ? { clientSecretSealed: await deps.box.seal(secret, secretContext(tenant.id, id)) }
          : {}),
        scopes: body.scopes ? [...new Set(body.scopes)] : current.scopes,
        enabled: body.enabled ?? current.enabled,
        updatedAt: new Date(deps.clock.now()),
      })
      await recordChange(deps, tx, tenant.id, 'oauthProvider.updated', present(deps, tenant, row!), actor)
      return row!
    }),
  )
  return present(deps, tenant, row)
}

export async function remove(deps: Deps, tenant: TenantRow, id: string, actor: Actor) {
  await withTenant(deps.db, tenant.id, async (tx) => {
    if (!(await Repo.remove(tx, tenant.id, id))) throw new AppError('resource_not_found')
    await recordChange(
      deps,
      tx,
      tenant.id,
      'oauthProvider.deleted',
      { object: 'oauth_provider', id, deleted: true },
      actor,
    )
  })
  return { object: 'oauth_provider' as const, id, deleted: true as const }
}

/** The connection test of API.md §16, enabled or not; its requests go through outboundRequest only. */
export async function test(deps: Deps, tenant: TenantRow, id: string): Promise<ConnectionTest> {
  const row = await withTenant(deps.db, tenant.id, (tx) => found(tx, tenant.id, id))
  const config = toConfig(row)
  if (!config) throw new AppError('resource_not_found')
  return probe(deps, config)
}

// ---- For the sign-in and sign-up flows (issue #19): reads inside the caller's tenant transaction. ----

const enabledConfig = (row: OAuthProviderRow | null): OAuthProviderConfig | null => {
  const config = row && toConfig(row)
  return config?.enabled ? config : null
}

const CUSTOM_PREFIX = 'oauth_custom_'

/**
 * The enabled provider behind a strategy (`oauth_google`, `oauth_custom_<key>`), or null when
 * the tenant has none or it is disabled.
 */
export async function findByStrategy(
  _deps: Deps,
  tx: Tx,
  tenant: Pick<TenantRow, 'id'>,
  strategy: string,
): Promise<OAuthProviderConfig | null> {
  if (strategy.startsWith(CUSTOM_PREFIX))
    return enabledConfig(await Repo.findByKey(tx, tenant.id, strategy.slice(CUSTOM_PREFIX.length)))
  if (!strategy.startsWith('oauth_')) return null
  const provider = strategy.slice('oauth_'.length)
  return isPreset(provider) ? enabledConfig(await Repo.findPreset(tx, tenant.id, provider)) : null
}

/** The enabled provider whose callback is `{issuer}/v1/oauth-callback/{name}` (a preset's name or a custom key). */
export async function findByCallbackName(
  _deps: Deps,
  tx: Tx,
  tenant: Pick<TenantRow, 'id'>,
  name: string,
): Promise<OAuthProviderConfig | null> {
  if (isPreset(name)) return enabledConfig(await Repo.findPreset(tx, tenant.id, name))
  return new RegExp(Model.KEY_PATTERN).test(name) ? enabledConfig(await Repo.findByKey(tx, tenant.id, name)) : null
}

/** The tenant's enabled providers, oldest first: their strategies and names (the hosted pages' buttons). */
export async function enabledProviders(
  _deps: Deps,
  tx: Tx,
  tenant: Pick<TenantRow, 'id'>,
): Promise<{ strategy: string; name: string }[]> {
  const rows = await Repo.listEnabled(tx, tenant.id)
  return rows.map((row) => ({ strategy: strategyOf(row.provider, row.key), name: row.name }))
}
