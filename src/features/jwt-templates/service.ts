import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import { appendAudit, type AuditEntry } from '../../platform/audit'
import type { Tx } from '../../platform/db/client'
import { isUniqueViolation } from '../../platform/db/pg-errors'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import { append, eventSubject } from '../../platform/outbox'
import type { TenantRow } from '../tenants/service'
import * as UsersService from '../users/service'
import * as JwtTemplateModel from './model'
import type { PublicJwtTemplate, TemplateAlgorithm } from './model'
import * as JwtTemplatesRepo from './repo'
import type { JwtTemplateRow } from './repo'
import { keySealContext, loadCustomKey, signsWith } from './signing'

/** Who acts through the Backend API: the secret key, or a service key (API.md §11). */
type Actor = AuditEntry['actor']

export { mintForClient, mintForUser, shortcodeSources } from './mint'
export { type ShortcodeSources, substitute, unknownShortcodes } from './shortcodes'

/** Claims the server sets on every template token (API.md §14); a template may not name them. */
const RESERVED_CLAIMS = ['iss', 'sub', 'iat', 'exp', 'nbf', 'sid', 'jti', 'azp']

type KeyFields = Pick<typeof JwtTemplateModel.createBody.static, 'signing_algorithm' | 'signing_key'>
type KeyColumns = Pick<JwtTemplateRow, 'signingAlgorithm' | 'signingKeySealed'>

const present = (tenant: TenantRow, row: JwtTemplateRow) =>
  JwtTemplateModel.toPublic(row, tenant.settings.signing_algorithm)

/** §12 metadata limits (8 KiB, 10 levels), and none of the server's own claims. */
function checkedClaims(claims: unknown): Record<string, unknown> {
  const checked = UsersService.checkMetadata('claims', claims)
  const reserved = RESERVED_CLAIMS.find((name) => Object.hasOwn(checked, name))
  if (reserved)
    throw new AppError('form_param_format_invalid', { param_name: `claims.${reserved}`, reason: 'reserved' })
  return checked
}

/**
 * The key columns after a write. Without a custom key the template follows the tenant's key and
 * algorithm (another algorithm is refused). With one, the algorithm and key must fit together: a
 * new key is checked against the algorithm given (or kept), a new algorithm against the stored key.
 */
async function keyColumns(
  deps: Deps,
  tenant: TenantRow,
  templateId: string,
  body: KeyFields,
  current: KeyColumns,
): Promise<KeyColumns> {
  const newKey = typeof body.signing_key === 'string' ? body.signing_key : null
  const custom = newKey !== null || (body.signing_key === undefined && current.signingKeySealed !== null)
  if (!custom) {
    if (body.signing_algorithm !== undefined && body.signing_algorithm !== tenant.settings.signing_algorithm)
      throw new AppError('form_param_format_invalid', {
        param_name: 'signing_algorithm',
        reason: 'not_tenant_algorithm',
      })
    return { signingAlgorithm: null, signingKeySealed: null }
  }
  const alg = (body.signing_algorithm ?? current.signingAlgorithm) as TemplateAlgorithm | null
  if (!alg) throw new AppError('form_param_missing', { param_name: 'signing_algorithm' })
  const context = keySealContext(tenant.id, templateId)
  const material = newKey ?? (await deps.box.open(current.signingKeySealed!, context))
  const key = await loadCustomKey(alg, material)
  if (!key || !(await signsWith(alg, key)))
    throw new AppError('form_param_format_invalid', {
      param_name: newKey !== null ? 'signing_key' : 'signing_algorithm',
      reason: 'key_invalid',
    })
  return {
    signingAlgorithm: alg,
    signingKeySealed: newKey !== null ? await deps.box.seal(newKey, context) : current.signingKeySealed,
  }
}

/** The webhook event and the audit entry of one change, in its transaction (API.md §13: `jwtTemplate.*`). */
async function recordChange(
  deps: Deps,
  tx: Tx,
  tenantId: string,
  type: 'jwtTemplate.created' | 'jwtTemplate.updated' | 'jwtTemplate.deleted',
  data: PublicJwtTemplate | { object: 'jwt_template'; id: string; deleted: true },
  now: number,
  actor: Actor,
) {
  await append(tx, tenantId, [{ type, subject: eventSubject(type), payload: { data } }], now)
  await appendAudit(
    deps.auditKey,
    tx,
    tenantId,
    { action: type, actor, target: { type: 'jwt_template', id: data.id } },
    now,
  )
}

/** A name taken by another template of the tenant: 409 duplicate_record (the unique index decides races). */
async function uniqueName<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (isUniqueViolation(err, JwtTemplatesRepo.NAME_CONSTRAINT))
      throw new AppError('duplicate_record', { param_name: 'name' })
    throw err
  }
}

/** Creates a template; a custom signing key is sealed and never shown again. */
export async function create(
  deps: Deps,
  tenant: TenantRow,
  body: Static<typeof JwtTemplateModel.createBody>,
  actor: Actor,
): Promise<PublicJwtTemplate> {
  const now = deps.clock.now()
  const id = newId('jwtt', now)
  const claims = checkedClaims(body.claims)
  const key = await keyColumns(deps, tenant, id, body, { signingAlgorithm: null, signingKeySealed: null })
  const row = await uniqueName(() =>
    withTenant(deps.db, tenant.id, async (tx) => {
      const row = await JwtTemplatesRepo.insert(tx, {
        id,
        tenantId: tenant.id,
        name: body.name,
        claims,
        lifetimeS: body.lifetime_s ?? 60,
        allowedClockSkewS: body.allowed_clock_skew_s ?? 5,
        ...key,
        createdAt: new Date(now),
        updatedAt: new Date(now),
      })
      await recordChange(deps, tx, tenant.id, 'jwtTemplate.created', present(tenant, row), now, actor)
      return row
    }),
  )
  return present(tenant, row)
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicJwtTemplate>> {
  const scope = `jwt_templates:${tenant.id}`
  const limit = pageSize(query.limit)
  const after = await deps.cursors.decode(scope, query.cursor)
  const rows = await withTenant(deps.db, tenant.id, (tx) => JwtTemplatesRepo.list(tx, tenant.id, limit + 1, after))
  return deps.cursors.page(scope, rows, limit, (row) => present(tenant, row))
}

export async function get(deps: Deps, tenant: TenantRow, id: string): Promise<PublicJwtTemplate> {
  const row = await withTenant(deps.db, tenant.id, (tx) => JwtTemplatesRepo.find(tx, tenant.id, id))
  if (!row) throw new AppError('resource_not_found')
  return present(tenant, row)
}

/** Changes the fields given; `signing_key: null` goes back to the tenant's key. */
export async function update(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  body: Static<typeof JwtTemplateModel.updateBody>,
  actor: Actor,
): Promise<PublicJwtTemplate> {
  const now = deps.clock.now()
  const claims = body.claims === undefined ? undefined : checkedClaims(body.claims)
  const changesKey = body.signing_key !== undefined || body.signing_algorithm !== undefined
  const row = await uniqueName(() =>
    withTenant(deps.db, tenant.id, async (tx) => {
      const current = await JwtTemplatesRepo.find(tx, tenant.id, id, { forUpdate: true })
      if (!current) throw new AppError('resource_not_found')
      const row = await JwtTemplatesRepo.update(tx, tenant.id, id, {
        name: body.name,
        claims,
        lifetimeS: body.lifetime_s,
        allowedClockSkewS: body.allowed_clock_skew_s,
        ...(changesKey ? await keyColumns(deps, tenant, id, body, current) : {}),
        updatedAt: new Date(now),
      })
      await recordChange(deps, tx, tenant.id, 'jwtTemplate.updated', present(tenant, row!), now, actor)
      return row!
    }),
  )
  return present(tenant, row)
}

export async function remove(deps: Deps, tenant: TenantRow, id: string, actor: Actor): Promise<void> {
  const now = deps.clock.now()
  await withTenant(deps.db, tenant.id, async (tx) => {
    if (!(await JwtTemplatesRepo.remove(tx, tenant.id, id))) throw new AppError('resource_not_found')
    await recordChange(
      deps,
      tx,
      tenant.id,
      'jwtTemplate.deleted',
      { object: 'jwt_template', id, deleted: true },
      now,
      actor,
    )
  })
}
