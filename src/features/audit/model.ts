import { t } from 'elysia'
import type { AuditRow } from './repo'
import type { AuditEntry } from '../../platform/audit'
import { cursorParam, limitParam } from '../../platform/http/pagination'

/** An audit event as both APIs show it (API.md §11). */
export interface AuditEvent {
  object: 'audit_event'
  id: string
  action: string
  actor: AuditEntry['actor']
  target: { type: string; id: string } | null
  ip: string | null
  user_agent: string | null
  data: Record<string, unknown>
  created_at: number
}

export interface VerifyResult {
  valid: boolean
  /** Rows examined, including the first broken one when there is one. */
  checked: number
  first_broken_id: string | null
}

const strict = { additionalProperties: false } as const
/**
 * Unix ms as a decimal string. A pattern rather than t.Numeric so a bad value answers 422 with
 * `meta.param_name` (Numeric's decoder loses the name) and "1e3" or "-5" are refused, not coerced.
 */
const msParam = (description: string) => t.Optional(t.String({ pattern: '^[0-9]{1,15}$', description }))

export const filterProperties = {
  action: t.Optional(t.String({ minLength: 1, maxLength: 64, description: 'Exact action, e.g. sign_in.failed' })),
  actor_id: t.Optional(t.String({ minLength: 1, maxLength: 128 })),
  target_id: t.Optional(t.String({ minLength: 1, maxLength: 128 })),
  since: msParam('Unix ms; events created at or after it'),
  until: msParam('Unix ms; events created before it (exclusive)'),
  cursor: cursorParam,
  limit: limitParam,
}

export const listQuery = t.Object(filterProperties, strict)

/** The operator may read any tenant's chain; without tenant_id, the platform's own. */
const tenantIdParam = t.Optional(
  t.String({ minLength: 1, maxLength: 64, description: 'Read this tenant’s chain instead of the platform’s' }),
)
export const platformListQuery = t.Object({ ...filterProperties, tenant_id: tenantIdParam }, strict)
export const platformVerifyQuery = t.Object({ tenant_id: tenantIdParam }, strict)

export type ListQuery = typeof listQuery.static

export function toPublic(row: AuditRow): AuditEvent {
  return {
    object: 'audit_event',
    id: row.id,
    action: row.action,
    // Only AuditEntry's actor types are ever written (platform/audit.ts is the one writer).
    actor: { type: row.actorType as AuditEntry['actor']['type'], id: row.actorId },
    target: row.targetType !== null && row.targetId !== null ? { type: row.targetType, id: row.targetId } : null,
    ip: row.ip,
    user_agent: row.userAgent,
    data: row.data,
    created_at: row.createdAt.getTime(),
  }
}
