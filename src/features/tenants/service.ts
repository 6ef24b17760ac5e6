import { Value } from '@sinclair/typebox/value'
import type { Deps } from '../../deps'
import { newCredential, lookupOf } from '../../platform/credential-cache'
import { randomBase32 } from '../../platform/crypto/tokens'
import type { Db, Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import * as KeysService from '../keys/service'
import { BY_PLATFORM, recordTenantAction, type AuditBy } from '../audit/service'
import {
  acceptedIssuers,
  browserBaseOf as baseOf,
  tenantIssuer,
  toPublic,
  type Tenant,
  type TenantAddress,
} from './model'
import { checkFromAddress } from './sender'
import * as TenantsRepo from './repo'
import type { TenantRow } from './repo'
import {
  DEFAULT_SETTINGS,
  TenantSettingsPatch as TenantSettingsPatchSchema,
  mergeSettings,
  settingsProblem,
  type TenantSettings,
  type TenantSettingsPatch,
} from './settings'

export type { TenantRow, TenantSettingsPatch }
export { displayNameOf, emailSender, type Sender } from './sender'
export { themeOf, type Theme } from './theme'

/** The constraint that keeps a custom domain to one tenant (409 `duplicate_record` when taken). */
export const CUSTOM_HOST_CONSTRAINT = 'tenants_custom_host_uq'

/** Sets or clears the tenant's verified custom domain in the caller's transaction (custom-domains feature). */
export const setCustomHostInTx = (tx: Tx, tenantId: string, host: string | null, at: Date) =>
  TenantsRepo.setCustomHost(tx, tenantId, host, at)

/** The live tenant that holds `host` as its verified custom domain now (read from the database), or null. */
export const holderOfHost = (deps: Deps, host: string) => TenantsRepo.findLiveByCustomHost(deps.db, host)

/** Where this request's browser reaches the tenant (its custom domain or under PUBLIC_URL). */
export const browserBaseOf = (deps: Deps, row: TenantAddress, request: Request) =>
  baseOf(deps.config.publicUrl, row, request)

export const keyOwner = (deps: Deps, row: TenantRow): KeysService.KeyOwner => ({
  id: row.id,
  issuer: tenantIssuer(deps.config.publicUrl, row),
  acceptedIssuers: acceptedIssuers(deps.config.publicUrl, row),
  settings: row.settings,
})

function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
}

/**
 * A settings patch from somewhere other than a route schema (the console's form): checked against the same
 * schema, else 422 naming the first offending path.
 */
export function settingsPatchOf(value: unknown): TenantSettingsPatch {
  const [error] = Value.Errors(TenantSettingsPatchSchema, value)
  if (error)
    throw new AppError('form_param_format_invalid', { param_name: `settings${error.path.replaceAll('/', '.')}` })
  return value as TenantSettingsPatch
}

/** The tenant as it would be with `patch`, checked as an update checks it, saving nothing (the console's preview). */
export const previewSettings = (deps: Deps, tenant: TenantRow, patch: unknown): TenantRow => ({
  ...tenant,
  settings: checkedSettings(deps, tenant.settings, settingsPatchOf(patch)),
})

function checkedSettings(deps: Deps, base: TenantSettings, patch: TenantSettingsPatch | undefined): TenantSettings {
  checkFromAddress(deps.config, patch)
  const merged = mergeSettings(base, patch)
  const problem = settingsProblem(merged)
  if (problem) throw new AppError('form_param_format_invalid', { param_name: problem })
  return merged
}

/**
 * Creates a tenant with its first signing key and secret key, in one transaction.
 * The secret key is returned here only; the database keeps its SHA-256.
 */
export async function create(
  deps: Deps,
  input: { name: string; slug?: string; settings?: TenantSettingsPatch; kind?: 'platform' },
  by: AuditBy = BY_PLATFORM,
): Promise<Tenant & { secret_key: string }> {
  const settings = checkedSettings(deps, DEFAULT_SETTINGS, input.settings)
  const { key: secretKey, lookup, hash: secretHash } = await newCredential('sk')
  for (let attempt = 0; ; attempt++) {
    const slug =
      input.slug ?? ((attempt === 0 && slugify(input.name)) || `${slugify(input.name) || 'tenant'}-${randomBase32(6)}`)
    const now = new Date(deps.clock.now())
    const id = newId('ten', now.getTime())
    try {
      const row = await withTenant(deps.db, id, async (tx) => {
        if (await TenantsRepo.slugTaken(tx, slug)) return null
        const created = await TenantsRepo.insert(tx, {
          id,
          slug,
          name: input.name,
          settings,
          createdAt: now,
          updatedAt: now,
          kind: input.kind ?? 'customer',
        })
        const secretKeyId = newId('sk', now.getTime())
        await TenantsRepo.insertSecretKey(tx, { id: secretKeyId, tenantId: id, lookup, secretHash, createdAt: now })
        await KeysService.createInitialKey(deps, tx, id, settings.signing_algorithm)
        // Last in the transaction: the platform chain's lock is then held only until commit.
        await recordTenantAction(
          deps.auditKey,
          tx,
          id,
          by,
          { action: 'tenant.created', target: { type: 'tenant', id }, data: { slug, name: input.name } },
          now.getTime(),
        )
        await recordTenantAction(
          deps.auditKey,
          tx,
          id,
          by,
          { action: 'secret_key.created', target: { type: 'secret_key', id: secretKeyId } },
          now.getTime(),
        )
        return created
      })
      if (row) return { ...toPublic(row, deps.config.publicUrl), secret_key: secretKey }
    } catch (err) {
      if (!isUniqueViolation(err, 'tenants_slug_uq')) throw err
    }
    if (input.slug !== undefined) throw new AppError('form_identifier_exists', { param_name: 'slug' })
    if (attempt >= 3) throw new AppError('conflict')
  }
}

export async function list(deps: Deps, query: { cursor?: string; limit?: string }): Promise<Page<Tenant>> {
  const limit = pageSize(query.limit)
  const after = await deps.cursors.decode('platform:tenants', query.cursor)
  const rows = await TenantsRepo.list(deps.db, limit + 1, after)
  return deps.cursors.page('platform:tenants', rows, limit, (r) => toPublic(r, deps.config.publicUrl))
}

/** The platform tenant (its operators' tenant), or null before the first operator was made. */
export const findPlatform = (db: Db): Promise<TenantRow | null> => TenantsRepo.findPlatform(db)

/** A live tenant by id, or null; with no cache, so for lookups that are cached themselves. */
export const findLive = (db: Db, id: string): Promise<TenantRow | null> =>
  withTenant(db, id, (tx) => TenantsRepo.findLive(tx, id))

export async function get(deps: Deps, id: string): Promise<TenantRow> {
  const row = await findLive(deps.db, id)
  if (!row) throw new AppError('resource_not_found')
  return row
}

/** Name and settings; a new signing_algorithm starts a key rotation in the same transaction. */
export async function update(
  deps: Deps,
  id: string,
  patch: { name?: string; settings?: TenantSettingsPatch },
  by: AuditBy = BY_PLATFORM,
): Promise<TenantRow> {
  const { row, changes } = await withTenant(deps.db, id, async (tx) => {
    const current = await TenantsRepo.findLive(tx, id)
    if (!current) throw new AppError('resource_not_found')
    const settings = checkedSettings(deps, current.settings, patch.settings)
    // Operators are added, never signed up: an open platform tenant would let anyone hold an account there.
    if (current.kind === 'platform' && settings.sign_up.enabled)
      throw new AppError('form_param_format_invalid', {
        param_name: 'settings.sign_up.enabled',
        reason: 'platform_tenant',
      })
    const updated = await TenantsRepo.update(tx, id, {
      name: patch.name ?? current.name,
      settings,
      updatedAt: new Date(deps.clock.now()),
    })
    const changes = [await deps.changes.record(tx, id, 'tenant')]
    const now = deps.clock.now()
    const fields = [
      ...(patch.name !== undefined ? ['name'] : []),
      ...Object.keys(patch.settings ?? {}).map((k) => `settings.${k}`),
    ]
    await recordTenantAction(
      deps.auditKey,
      tx,
      id,
      by,
      { action: 'tenant.updated', target: { type: 'tenant', id }, data: { fields } },
      now,
    )
    if (settings.signing_algorithm !== current.settings.signing_algorithm) {
      const rotated = await KeysService.rotateInTx(deps, tx, keyOwner(deps, updated!))
      changes.push(rotated.change)
      await recordTenantAction(
        deps.auditKey,
        tx,
        id,
        by,
        {
          action: 'signing_key.rotated',
          target: { type: 'signing_key', id: rotated.id },
          data: { alg: settings.signing_algorithm, activate_at: rotated.activateAt },
        },
        now,
      )
    }
    return { row: updated!, changes }
  })
  for (const change of changes) deps.changes.announce(change)
  return row
}

/**
 * Soft delete: the tenant's routes answer 404 and its secret keys 401 at once, on every node.
 * The slug stays reserved so that tokens naming the old issuer can never match a new tenant.
 */
export async function remove(deps: Deps, id: string, by: AuditBy = BY_PLATFORM): Promise<void> {
  const change = await withTenant(deps.db, id, async (tx) => {
    const now = new Date(deps.clock.now())
    // The operators' tenant: deleting it would lock every operator out of the console.
    if ((await TenantsRepo.findLive(tx, id))?.kind === 'platform')
      throw new AppError('permission_denied', { reason: 'platform_tenant' })
    // Its custom domain is released: the domain's owner may give it to another tenant.
    const row = await TenantsRepo.update(tx, id, { deletedAt: now, updatedAt: now, customHost: null })
    if (!row) throw new AppError('resource_not_found')
    await TenantsRepo.revokeSecretKeys(tx, id, now)
    await recordTenantAction(
      deps.auditKey,
      tx,
      id,
      by,
      { action: 'tenant.deleted', target: { type: 'tenant', id }, data: { secret_keys_revoked: true } },
      now.getTime(),
    )
    return deps.changes.record(tx, id, 'tenant')
  })
  deps.changes.announce(change)
}

/** The audit entries commit with the rotation, so this rotates here rather than via KeysService.rotate. */
export async function rotateKeys(
  deps: Deps,
  id: string,
  by: AuditBy = BY_PLATFORM,
): Promise<{ id: string; activateAt: number }> {
  const owner = keyOwner(deps, await get(deps, id))
  const rotated = await withTenant(deps.db, id, async (tx) => {
    const result = await KeysService.rotateInTx(deps, tx, owner)
    await recordTenantAction(
      deps.auditKey,
      tx,
      id,
      by,
      {
        action: 'signing_key.rotated',
        target: { type: 'signing_key', id: result.id },
        data: { alg: owner.settings.signing_algorithm, activate_at: result.activateAt },
      },
      deps.clock.now(),
    )
    return result
  })
  deps.changes.announce(rotated.change)
  return { id: rotated.id, activateAt: rotated.activateAt }
}

/**
 * A new tenant secret key, returned once. It works at once; the old one is revoked in the same
 * transaction, and every node drops it from its cache through the change feed.
 */
export async function rotateSecretKey(deps: Deps, id: string, by: AuditBy = BY_PLATFORM): Promise<string> {
  const { key: secretKey, lookup, hash: secretHash } = await newCredential('sk')
  const change = await withTenant(deps.db, id, async (tx) => {
    if (!(await TenantsRepo.findLive(tx, id))) throw new AppError('resource_not_found')
    const now = new Date(deps.clock.now())
    await TenantsRepo.revokeSecretKeys(tx, id, now)
    const secretKeyId = newId('sk', now.getTime())
    await TenantsRepo.insertSecretKey(tx, { id: secretKeyId, tenantId: id, lookup, secretHash, createdAt: now })
    await recordTenantAction(
      deps.auditKey,
      tx,
      id,
      by,
      { action: 'secret_key.rotated', target: { type: 'secret_key', id: secretKeyId } },
      now.getTime(),
    )
    return deps.changes.record(tx, id, 'tenant')
  })
  deps.changes.announce(change)
  return secretKey
}

/** `/t/{slug}` → the live tenant, from the node's cache; unknown or deleted → 404. */
export async function resolveSlug(deps: Deps, slug: string): Promise<TenantRow> {
  const row = await deps.tenants.bySlugOrNull(slug)
  if (!row) throw new AppError('resource_not_found')
  return row
}

/**
 * A tenant secret key → its live tenant, or null. Same work whether the key exists or not,
 * except for the exact key already authenticated on this node (revoking it or changing the
 * tenant drops that through the change feed).
 */
export async function authenticateSecretKey(deps: Deps, presented: string): Promise<TenantRow | null> {
  const found = await deps.tenants.secretKeys.verify(presented, lookupOf('sk', presented))
  return found?.tenant ?? null
}

/**
 * A `redirect_url` for sign-in or sign-up (API.md §12): absolute http(s), no userinfo, and an
 * origin that is PUBLIC_URL's, an allowed origin, or that of a registered redirect URL.
 */
export function checkRedirectUrl(deps: Deps, tenant: TenantRow, value: string | undefined): string | null {
  if (value === undefined) return null
  const invalid = new AppError('form_param_format_invalid', { param_name: 'redirect_url' })
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw invalid
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) throw invalid
  const origins = new Set([
    deps.config.publicUrl,
    ...(tenant.customHost ? [`https://${tenant.customHost}`] : []),
    ...tenant.settings.allowed_origins,
    ...tenant.settings.redirect_urls.map((u) => new URL(u).origin),
  ])
  if (!origins.has(url.origin)) throw invalid
  return url.toString()
}
