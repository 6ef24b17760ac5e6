import type { Deps } from '../../deps'
import { appendAudit } from '../../platform/audit'
import { randomToken, sha256Hex } from '../../platform/crypto/tokens'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import * as RateLimit from '../../platform/rate-limit'
import type { AuditBy } from '../audit/service'
import * as OrganizationsService from '../organizations/service'
import type { TenantRow } from '../tenants/service'
import * as Model from './model'
import type { PublicScimEndpoint, PublicScimToken } from './model'
import * as ScimRepo from './repo'
import type { ScimTokenRow } from './repo'

/**
 * SCIM administration on the Backend API (API.md §17): per-organization tokens (shown once, kept as
 * SHA-256, revoked → 401 on the next request of any node, since every SCIM request reads its token)
 * and the endpoint's description. Attribute mappings are in mappings.ts.
 */
export const TOKEN_PATTERN = /^scim_[A-Za-z0-9_-]{43}$/

export async function orgOf(tx: Tx, tenantId: string, orgId: string) {
  const org = await OrganizationsService.findInTx(tx, tenantId, orgId)
  if (!org) throw new AppError('resource_not_found')
  return org
}

async function audit(deps: Deps, tx: Tx, row: ScimTokenRow, action: string, by: AuditBy) {
  await appendAudit(
    deps.auditKey,
    tx,
    row.tenantId,
    {
      action,
      actor: by.actor,
      target: { type: 'scim_token', id: row.id },
      ip: by.caller?.ip,
      userAgent: by.caller?.userAgent,
      data: { organization_id: row.organizationId },
    },
    deps.clock.now(),
  )
}

/** A new token for the organization; the token itself is in this answer only. */
export async function createToken(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  body: { name?: string | null; expires_at?: number | null },
  by: AuditBy,
): Promise<PublicScimToken> {
  const now = deps.clock.now()
  if (body.expires_at != null && body.expires_at <= now)
    throw new AppError('form_param_format_invalid', { param_name: 'expires_at' })
  const token = `scim_${randomToken(32)}`
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const org = await orgOf(tx, tenant.id, orgId)
    const row = await ScimRepo.insertToken(tx, {
      id: newId('scimtok', now),
      tenantId: tenant.id,
      organizationId: org.id,
      name: body.name ?? null,
      tokenPrefix: token.slice(0, 9),
      tokenHash: await sha256Hex(token),
      expiresAt: body.expires_at == null ? null : new Date(body.expires_at),
      createdAt: new Date(now),
      updatedAt: new Date(now),
    })
    await audit(deps, tx, row, 'scim_token.created', by)
    return row
  })
  return { ...Model.toPublicToken(row, now), token }
}

export async function listTokens(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  query: { status?: PublicScimToken['status']; cursor?: string; limit?: string },
): Promise<Page<PublicScimToken>> {
  const limit = pageSize(query.limit)
  const scope = `scim_tokens:${tenant.id}:${orgId}:${query.status ?? ''}`
  const after = await deps.cursors.decode(scope, query.cursor)
  const now = deps.clock.now()
  const rows = await withTenant(deps.db, tenant.id, async (tx) => {
    const org = await orgOf(tx, tenant.id, orgId)
    return ScimRepo.listTokens(tx, tenant.id, org.id, {
      status: query.status,
      at: new Date(now),
      limit: limit + 1,
      after,
    })
  })
  return deps.cursors.page(scope, rows, limit, (row) => Model.toPublicToken(row, now))
}

/** Revokes a token (idempotent); the next request with it answers 401 on every node. */
export async function revokeToken(
  deps: Deps,
  tenant: TenantRow,
  orgId: string,
  tokenId: string,
  by: AuditBy,
): Promise<PublicScimToken> {
  const now = deps.clock.now()
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const org = await orgOf(tx, tenant.id, orgId)
    const found = await ScimRepo.findToken(tx, tenant.id, org.id, tokenId)
    if (!found) throw new AppError('resource_not_found')
    const revoked = await ScimRepo.revokeToken(tx, tenant.id, found.id, new Date(now))
    if (revoked) await audit(deps, tx, revoked, 'scim_token.revoked', by)
    return revoked ?? found
  })
  return Model.toPublicToken(row, now)
}

/**
 * The organization's SCIM users who are still members, oldest first: what `/Users` lists (API.md §17);
 * the row of a user who left or was removed waits for the provider's next read of it to be forgotten.
 */
export async function currentUserIds(tx: Tx, tenantId: string, orgId: string): Promise<string[]> {
  const ids = await ScimRepo.userIdsOf(tx, tenantId, orgId)
  const members = await OrganizationsService.memberIdsInTx(tx, tenantId, orgId, null)
  return ids.filter((id) => members.has(id))
}

export async function endpoint(deps: Deps, tenant: TenantRow, orgId: string): Promise<PublicScimEndpoint> {
  return withTenant(deps.db, tenant.id, async (tx) => {
    const org = await orgOf(tx, tenant.id, orgId)
    const last = await ScimRepo.lastRequestAt(tx, tenant.id, org.id)
    return {
      object: 'scim_endpoint',
      organization_id: org.id,
      base_url: Model.scimBaseUrl(deps.config.publicUrl, tenant),
      authentication_scheme: 'oauthbearertoken',
      users_count: (await currentUserIds(tx, tenant.id, org.id)).length,
      groups_count: await ScimRepo.countGroups(tx, tenant.id, org.id),
      last_request_at: last ? last.getTime() : null,
    }
  })
}

/** How often `last_used_at` is written: a busy provider must not turn every read into a write. */
const TOUCH_EVERY_MS = 5_000
/**
 * Requests per token and minute, on every node together. Okta and Entra stay far below (Entra runs
 * a cycle at a few requests a second); a leaked or runaway token must not monopolise the database.
 */
export const REQUESTS_PER_MINUTE = 1200

/** The token's organization, locked: every SCIM change of one organization queues here (quota, owners, names). */
export const lockedOrgOf = (tx: Tx, caller: ScimCaller) =>
  OrganizationsService.lockedOrg(tx, caller.tenant.id, caller.organizationId)

/** The caller of a SCIM request: the organization its token belongs to, and the token for audit. */
export interface ScimCaller {
  tenant: TenantRow
  organizationId: string
  tokenId: string
}

/**
 * The token of a SCIM request (Bearer only), checked against the database on every request so that
 * a revocation holds at once on every node; unknown, revoked, expired or another tenant's → null.
 */
export async function authenticate(deps: Deps, tenant: TenantRow, presented: string): Promise<ScimCaller | null> {
  if (!TOKEN_PATTERN.test(presented)) return null
  const hash = await sha256Hex(presented)
  const now = deps.clock.now()
  const caller = await withTenant(deps.db, tenant.id, async (tx) => {
    const row = await ScimRepo.findTokenByHash(tx, tenant.id, hash)
    if (!row || Model.tokenStatus(row, now) !== 'active') return null
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= TOUCH_EVERY_MS)
      await ScimRepo.touchToken(tx, tenant.id, row.id, new Date(now))
    return { tenant, organizationId: row.organizationId, tokenId: row.id }
  })
  if (caller) await RateLimit.consume(deps.db, tenant.id, `scim_token:${caller.tokenId}`, REQUESTS_PER_MINUTE, now)
  return caller
}
