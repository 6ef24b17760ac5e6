import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import { appendAudit, type AuditEntry } from '../../platform/audit'
import { CredentialCache, lookupOf, newCredential } from '../../platform/credential-cache'
import type { Db, Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import { append, eventSubject } from '../../platform/outbox'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import * as ApiKeyModel from './model'
import type { PublicApiKey } from './model'
import * as ApiKeysRepo from './repo'
import type { ApiKeyRow } from './repo'

/** `last_used_at` is written at most this often per key and node, never once per request. */
const USE_MARK_MS = 60_000

/** A service key as a node caches it; `markedAt` is when this node last wrote `last_used_at`. */
export interface CachedApiKey {
  id: string
  hash: string
  tenant: TenantRow
  scopes: string[]
  expiresAt: number | null
  markedAt: number | null
}

export type ApiKeyCache = CredentialCache<CachedApiKey>

/** The node's cache of service keys; deps.ts invalidates a tenant's entries from the change feed. */
export const createApiKeyCache = (db: Db): ApiKeyCache =>
  new CredentialCache(async (lookup) => {
    const row = await ApiKeysRepo.findUnrevoked(db, lookup)
    const tenant = row && (await TenantsService.findLive(db, row.tenantId))
    if (!row || !tenant) return null
    return {
      id: row.id,
      hash: row.keyHash,
      tenant,
      scopes: row.scopes,
      expiresAt: row.expiresAt?.getTime() ?? null,
      markedAt: row.lastUsedAt?.getTime() ?? null,
    }
  })

/**
 * A presented service key → its tenant and scopes, or null when it is unknown, revoked (every
 * node drops it from its cache through the change feed) or expired.
 */
export async function authenticate(
  deps: Deps,
  presented: string,
): Promise<{ tenant: TenantRow; scopes: string[]; keyId: string } | null> {
  const key = await deps.apiKeys.verify(presented, lookupOf('tk', presented))
  const now = deps.clock.now()
  if (!key || (key.expiresAt !== null && now >= key.expiresAt)) return null
  if (key.markedAt === null || now - key.markedAt >= USE_MARK_MS) {
    key.markedAt = now // before the write, so concurrent requests do not all write
    await ApiKeysRepo.markUsed(deps.db, key.tenant.id, key.id, new Date(now), USE_MARK_MS)
  }
  return { tenant: key.tenant, scopes: key.scopes, keyId: key.id }
}

function checkedScopes(scopes: string[]): string[] {
  const unknown = scopes.findIndex((s) => !ApiKeyModel.isScope(s))
  if (unknown >= 0) throw new AppError('form_param_format_invalid', { param_name: `scopes.${unknown}` })
  return [...new Set(scopes)]
}

const event = (type: string, key: PublicApiKey) => ({ type, subject: eventSubject(type), payload: { data: key } })

type Actor = AuditEntry['actor']

/** The secret key, which the Backend API's key routes take (the console names its own actor). */
const bySecretKey = (tenantId: string): Actor => ({ type: 'secret_key', id: tenantId })

async function record(
  deps: Deps,
  tx: Tx,
  row: ApiKeyRow,
  action: string,
  eventType: string,
  now: number,
  actor: Actor,
) {
  await appendAudit(deps.auditKey, tx, row.tenantId, { action, actor, target: { type: 'api_key', id: row.id } }, now)
  await append(tx, row.tenantId, [event(eventType, ApiKeyModel.toPublic(row, now))], now)
}

/** Creates a service key; the key itself is in this answer only (the database keeps its SHA-256). */
export async function create(
  deps: Deps,
  tenant: TenantRow,
  body: Static<typeof ApiKeyModel.createBody>,
  actor: Actor = bySecretKey(tenant.id),
): Promise<PublicApiKey & { key: string }> {
  const scopes = checkedScopes(body.scopes)
  const now = deps.clock.now()
  const expiresAt = body.expires_at ?? null
  if (expiresAt !== null && expiresAt <= now)
    throw new AppError('form_param_format_invalid', { param_name: 'expires_at', reason: 'in_the_past' })
  const { key, lookup, hash } = await newCredential('tk')
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const row = await ApiKeysRepo.insert(tx, {
      id: newId('ak', now),
      tenantId: tenant.id,
      name: body.name,
      scopes,
      lookup,
      keyHash: hash,
      expiresAt: expiresAt === null ? null : new Date(expiresAt),
      createdAt: new Date(now),
      updatedAt: new Date(now),
    })
    await record(deps, tx, row, 'api_key.created', 'apiKey.created', now, actor)
    return row
  })
  return { ...ApiKeyModel.toPublic(row, now), key }
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicApiKey>> {
  const scope = `api_keys:${tenant.id}`
  const limit = pageSize(query.limit)
  const after = await deps.cursors.decode(scope, query.cursor)
  const rows = await withTenant(deps.db, tenant.id, (tx) => ApiKeysRepo.list(tx, tenant.id, limit + 1, after))
  const now = deps.clock.now()
  return deps.cursors.page(scope, rows, limit, (row) => ApiKeyModel.toPublic(row, now))
}

export async function get(deps: Deps, tenant: TenantRow, id: string): Promise<PublicApiKey> {
  const row = await withTenant(deps.db, tenant.id, (tx) => ApiKeysRepo.find(tx, tenant.id, id))
  if (!row) throw new AppError('resource_not_found')
  return ApiKeyModel.toPublic(row, deps.clock.now())
}

/** Revokes a key: every node refuses it within a poll of the change feed. Revoking twice changes nothing. */
export async function revoke(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  actor: Actor = bySecretKey(tenant.id),
): Promise<PublicApiKey> {
  const now = deps.clock.now()
  const { row, change } = await withTenant(deps.db, tenant.id, async (tx) => {
    const current = await ApiKeysRepo.find(tx, tenant.id, id, true)
    if (!current) throw new AppError('resource_not_found')
    if (current.revokedAt) return { row: current, change: null }
    const row = (await ApiKeysRepo.revoke(tx, tenant.id, id, new Date(now)))!
    await record(deps, tx, row, 'api_key.revoked', 'apiKey.updated', now, actor)
    return { row, change: await deps.changes.record(tx, tenant.id, 'api_key', id) }
  })
  if (change) deps.changes.announce(change)
  return ApiKeyModel.toPublic(row, now)
}
