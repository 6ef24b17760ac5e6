import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { tenantGuards } from '../tenants/guards'
import * as AuditModel from './model'
import * as AuditService from './service'

const noQuery = t.Object({}, { additionalProperties: false })

/**
 * The audit trail (API.md §7, §11): read-only views of the hash-chained log. A tenant's backend
 * reads its own chain; the operator reads the platform chain, or any tenant's with `?tenant_id=`.
 */
export const auditRoutes = (deps: Deps) =>
  new Elysia({ tags: ['Audit'] })
    .use(tenantGuards(deps))
    .get('/v1/audit-events', ({ tenant, query }) => AuditService.list(deps, tenant.id, 'bapi', query), {
      secretKey: 'audit:read',
      query: AuditModel.listQuery,
      detail: { summary: 'List the tenant’s audit events, newest first, with filters' },
    })
    .get('/v1/audit-events/verify', ({ tenant }) => AuditService.verify(deps, tenant.id), {
      secretKey: 'audit:read',
      query: noQuery,
      detail: { summary: 'Recompute the tenant’s audit hash chain and report the first broken link' },
    })
    .get(
      '/platform/v1/audit-events',
      async ({ query }) => {
        const { tenant_id, ...filters } = query
        return AuditService.list(deps, await AuditService.platformChain(deps, tenant_id), 'platform', filters)
      },
      {
        platform: true,
        query: AuditModel.platformListQuery,
        detail: {
          tags: ['Platform'],
          summary: 'List platform audit events (or, with tenant_id, that tenant’s), newest first',
        },
      },
    )
    .get(
      '/platform/v1/audit-events/verify',
      async ({ query }) => AuditService.verify(deps, await AuditService.platformChain(deps, query.tenant_id)),
      {
        platform: true,
        query: AuditModel.platformVerifyQuery,
        detail: { tags: ['Platform'], summary: 'Verify the platform audit chain (or, with tenant_id, that tenant’s)' },
      },
    )
