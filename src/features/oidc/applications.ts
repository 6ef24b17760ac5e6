import type { Deps } from '../../deps'
import type { AuditEntry } from '../../platform/audit'
import { randomToken, sha256Hex } from '../../platform/crypto/tokens'
import type { Tx } from '../../platform/db/client'
import { afterCommit, withTenant } from '../../platform/db/tx'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import type { TenantRow } from '../tenants/service'
import { APPLICATION_TOPIC } from './cache'
import { revokeFamiliesInTx } from './families'
import * as Model from './model'
import type { ApplicationInput, ApplicationPatch, PublicApplication } from './model'
import { absoluteWithoutFragment, registrable } from './redirect-uris'
import { recordInTx } from './record'
import * as OAuthRepo from './repo'
import type { ApplicationRow } from './repo'
import type { TokenEndpointAuthMethod } from './schema'

type Actor = AuditEntry['actor']
type Columns = Omit<typeof import('./schema').oauthApplications.$inferInsert, 'id' | 'tenantId' | 'clientId'>

const bad = (param: string, reason?: string) =>
  new AppError('form_param_format_invalid', { param_name: param, ...(reason ? { reason } : {}) })

/** https, or http to a loopback IP only (the keys of a client must not travel in clear over a network). */
function secureOrLoopback(raw: string): boolean {
  try {
    const url = new URL(raw)
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', '[::1]'].includes(url.hostname))
  } catch {
    return false
  }
}

/** Every rule the schema cannot express, on the merged result of create or update. */
function checked(app: Omit<Columns, 'createdAt' | 'updatedAt'>): void {
  app.redirectUris.forEach((u, i) => {
    if (!registrable(u)) throw bad(`redirect_uris.${i}`, 'invalid_redirect_uri')
  })
  app.postLogoutRedirectUris.forEach((u, i) => {
    if (!registrable(u)) throw bad(`post_logout_redirect_uris.${i}`, 'invalid_redirect_uri')
  })
  app.scopes.forEach((s, i) => {
    if (!(Model.SCOPES as readonly string[]).includes(s)) throw bad(`scopes.${i}`)
  })
  app.grantTypes.forEach((g, i) => {
    if (!(Model.GRANT_TYPES as readonly string[]).includes(g)) throw bad(`grant_types.${i}`)
    if (app.public && (g === 'client_credentials' || g === Model.CIBA_GRANT))
      throw bad(`grant_types.${i}`, 'public_client')
  })
  if (app.grantTypes.includes('authorization_code') && app.redirectUris.length === 0)
    throw new AppError('form_param_missing', { param_name: 'redirect_uris' })
  const method = app.tokenEndpointAuthMethod
  if (app.public !== (method === 'none')) throw bad('token_endpoint_auth_method')
  if (method === 'private_key_jwt' && !app.jwksUri) throw new AppError('form_param_missing', { param_name: 'jwks_uri' })
  if (app.jwksUri && !secureOrLoopback(app.jwksUri)) throw bad('jwks_uri')
  for (const [i, r] of (app.allowedResources ?? []).entries())
    if (!absoluteWithoutFragment(r)) throw bad(`allowed_resources.${i}`)
  if (app.logoUrl && !/^https?:\/\//.test(app.logoUrl)) throw bad('logo_url')
}

const recordChange = <D extends { id: string }>(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  type: string,
  data: D,
  actor: Actor,
) =>
  recordInTx(deps, tx, tenantId, {
    event: type,
    action: type,
    actor,
    target: { type: 'oauth_application', id: data.id },
    data,
  })

/** Every node drops the application from its cache within a second of the commit (secret, redirect URIs…). */
async function announceChange(deps: Deps, tx: Tx, tenantId: string, id: string) {
  const change = await deps.changes.record(tx, tenantId, APPLICATION_TOPIC, id)
  afterCommit(() => deps.changes.announce(change))
}

async function newSecret(): Promise<{ secret: string; hash: string }> {
  const secret = randomToken(32)
  return { secret, hash: await sha256Hex(secret) }
}

/** Creates an application; a confidential one's secret is in this answer only. */
export async function create(
  deps: Deps,
  tenant: TenantRow,
  body: ApplicationInput,
  actor: Actor,
  options: { dynamic?: boolean } = {},
): Promise<PublicApplication & { client_secret?: string }> {
  const isPublic = body.public ?? false
  const firstParty = options.dynamic ? false : (body.first_party ?? false)
  const columns = {
    name: body.name,
    public: isPublic,
    firstParty,
    redirectUris: [...new Set(body.redirect_uris)],
    postLogoutRedirectUris: body.post_logout_redirect_uris ?? [],
    scopes: [...new Set(body.scopes ?? ['openid', 'profile', 'email'])],
    grantTypes: [...new Set(body.grant_types ?? ['authorization_code', 'refresh_token'])],
    tokenEndpointAuthMethod: (body.token_endpoint_auth_method ??
      (isPublic ? 'none' : 'client_secret_basic')) as TokenEndpointAuthMethod,
    jwksUri: body.jwks_uri ?? null,
    consentRequired: options.dynamic ? true : (body.consent_required ?? !firstParty),
    accessTokenFormat: body.access_token_format ?? 'jwt',
    logoUrl: body.logo_url ?? null,
    allowedResources: [...new Set(body.allowed_resources ?? [])],
    dynamic: options.dynamic ?? false,
  }
  checked(columns)
  const credential = isPublic ? null : await newSecret()
  const now = new Date(deps.clock.now())
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const row = await OAuthRepo.insertApplication(tx, {
      ...columns,
      id: newId('app', now.getTime()),
      tenantId: tenant.id,
      clientId: randomToken(18),
      secretHash: credential?.hash ?? null,
      createdAt: now,
      updatedAt: now,
    })
    await recordChange(deps, tx, tenant.id, 'oauthApplication.created', Model.toPublic(row), actor)
    return row
  })
  return { ...Model.toPublic(row), ...(credential ? { client_secret: credential.secret } : {}) }
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicApplication>> {
  const scope = `oauth_applications:${tenant.id}`
  const limit = pageSize(query.limit)
  const after = await deps.cursors.decode(scope, query.cursor)
  const rows = await withTenant(deps.db, tenant.id, (tx) => OAuthRepo.listApplications(tx, tenant.id, limit + 1, after))
  return deps.cursors.page(scope, rows, limit, Model.toPublic)
}

export async function find(deps: Deps, tenant: TenantRow, id: string): Promise<ApplicationRow> {
  const row = await withTenant(deps.db, tenant.id, (tx) => OAuthRepo.findApplication(tx, tenant.id, id))
  if (!row) throw new AppError('resource_not_found')
  return row
}

export const get = async (deps: Deps, tenant: TenantRow, id: string) => Model.toPublic(await find(deps, tenant, id))

export async function update(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  body: ApplicationPatch,
  actor: Actor,
): Promise<PublicApplication> {
  const current = await find(deps, tenant, id)
  if (body.public !== undefined && body.public !== current.public) throw bad('public', 'immutable')
  const merged = {
    ...current,
    name: body.name ?? current.name,
    firstParty: body.first_party ?? current.firstParty,
    redirectUris: body.redirect_uris ? [...new Set(body.redirect_uris)] : current.redirectUris,
    postLogoutRedirectUris: body.post_logout_redirect_uris ?? current.postLogoutRedirectUris,
    scopes: body.scopes ? [...new Set(body.scopes)] : current.scopes,
    grantTypes: body.grant_types ? [...new Set(body.grant_types)] : current.grantTypes,
    tokenEndpointAuthMethod: body.token_endpoint_auth_method ?? current.tokenEndpointAuthMethod,
    jwksUri: body.jwks_uri === undefined ? current.jwksUri : body.jwks_uri,
    consentRequired: body.consent_required ?? current.consentRequired,
    accessTokenFormat: body.access_token_format ?? current.accessTokenFormat,
    logoUrl: body.logo_url === undefined ? current.logoUrl : body.logo_url,
    allowedResources: body.allowed_resources ? [...new Set(body.allowed_resources)] : current.allowedResources,
  }
  checked(merged)
  const { id: _id, tenantId: _t, clientId: _c, secretHash: _s, createdAt: _a, ...patch } = merged
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const row = await OAuthRepo.updateApplication(tx, tenant.id, id, {
      ...patch,
      updatedAt: new Date(deps.clock.now()),
    })
    if (!row) throw new AppError('resource_not_found')
    await announceChange(deps, tx, tenant.id, id)
    await recordChange(deps, tx, tenant.id, 'oauthApplication.updated', Model.toPublic(row), actor)
    return row
  })
  return Model.toPublic(row)
}

/** Deletes the application with its grants, and ends every token it holds on every node. */
export async function remove(deps: Deps, tenant: TenantRow, id: string, actor: Actor) {
  await withTenant(deps.db, tenant.id, async (tx) => {
    await revokeFamiliesInTx(deps, tx, tenant.id, { applicationId: id })
    if (!(await OAuthRepo.deleteApplication(tx, tenant.id, id))) throw new AppError('resource_not_found')
    await announceChange(deps, tx, tenant.id, id)
    await recordChange(
      deps,
      tx,
      tenant.id,
      'oauthApplication.deleted',
      { object: 'oauth_application', id, deleted: true },
      actor,
    )
  })
  return { object: 'oauth_application' as const, id, deleted: true as const }
}

/** A new client secret, in this answer only; the old one is refused from now on. */
export async function rotateSecret(deps: Deps, tenant: TenantRow, id: string, actor: Actor) {
  const current = await find(deps, tenant, id)
  if (current.public) throw bad('id', 'public_client')
  const credential = await newSecret()
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const row = await OAuthRepo.updateApplication(tx, tenant.id, id, {
      secretHash: credential.hash,
      updatedAt: new Date(deps.clock.now()),
    })
    if (!row) throw new AppError('resource_not_found')
    await announceChange(deps, tx, tenant.id, id)
    await recordInTx(deps, tx, tenant.id, {
      action: 'oauth_application.secret_rotated',
      actor,
      target: { type: 'oauth_application', id },
    })
    return row
  })
  return { ...Model.toPublic(row), client_secret: credential.secret }
}

/** The client id of the console's application in every tenant it signs people in to (issue #21). */
export const CONSOLE_CLIENT_ID = 'tessera_console'

/** What the console's application is, whatever a tenant or an earlier PUBLIC_URL made of it. */
const consoleColumns = (redirectUri: string) => ({
  name: 'Tessera console',
  secretHash: null,
  public: true,
  firstParty: true,
  redirectUris: [redirectUri],
  postLogoutRedirectUris: [],
  scopes: ['openid', 'profile', 'email'],
  grantTypes: ['authorization_code'],
  tokenEndpointAuthMethod: 'none' as const,
  jwksUri: null,
  consentRequired: false,
  accessTokenFormat: 'jwt' as const,
  logoUrl: null,
  allowedResources: [],
  dynamic: false,
})

const drifted = (row: ApplicationRow, want: ReturnType<typeof consoleColumns>) =>
  (Object.keys(want) as (keyof typeof want)[]).some((key) => JSON.stringify(row[key]) !== JSON.stringify(want[key]))

/**
 * The console's application in `tenant` (issue #21): public (PKCE), first-party (no consent screen), redirecting
 * only to `redirectUri` — `{PUBLIC_URL}/console/callback`, the installation's own address, so allowed whatever
 * its scheme (PUBLIC_URL may be http on a developer's machine). Like Keycloak's admin-console client it is
 * listed with the tenant's applications. Made on first use, and put back as it must be at each console sign-in:
 * after PUBLIC_URL changed, or if the tenant deleted or edited it (its redirect URIs can only ever be ours).
 */
export async function ensureConsoleApplication(deps: Deps, tenant: TenantRow, redirectUri: string): Promise<void> {
  const want = consoleColumns(redirectUri)
  const system = { type: 'system' as const, id: null }
  const now = new Date(deps.clock.now())
  try {
    await withTenant(deps.db, tenant.id, async (tx) => {
      const found = await OAuthRepo.findByClientId(tx, tenant.id, CONSOLE_CLIENT_ID)
      if (found && !drifted(found, want)) return
      if (found) {
        const row = await OAuthRepo.updateApplication(tx, tenant.id, found.id, { ...want, updatedAt: now })
        await recordChange(deps, tx, tenant.id, 'oauthApplication.updated', Model.toPublic(row!), system)
        await announceChange(deps, tx, tenant.id, found.id)
        return
      }
      const row = await OAuthRepo.insertApplication(tx, {
        ...want,
        id: newId('app', now.getTime()),
        tenantId: tenant.id,
        clientId: CONSOLE_CLIENT_ID,
        createdAt: now,
        updatedAt: now,
      })
      await recordChange(deps, tx, tenant.id, 'oauthApplication.created', Model.toPublic(row), system)
      // An earlier lookup of the client id may have been remembered as unknown.
      await announceChange(deps, tx, tenant.id, row.id)
    })
  } catch (err) {
    // Two first sign-ins at once: the other one made it.
    if (!isUniqueViolation(err, 'oauth_applications_tenant_id_client_id_uq')) throw err
  }
}
