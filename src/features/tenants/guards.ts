import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { sha256Hex, hashesEqual } from '../../platform/crypto/tokens'
import { AppError } from '../../platform/errors'
import { bearerToken } from '../../platform/http/bearer'
import { requestMeta } from '../../platform/http/request-meta'
import * as TenantsService from './service'
import type { TenantRow } from './repo'

/**
 * Route guards as Elysia macros: `{ platform: true }` for the operator's key,
 * `{ secretKey: true }` for a tenant's backend, `{ tenantSlug: true }` for `/t/:tenant/...`.
 * They authenticate in `transform`, which runs before schema validation, so an
 * unauthenticated caller learns nothing about a route's parameters; `resolve` then hands
 * the result to the handler.
 */
const resolved = new WeakMap<Request, TenantRow>()

const tenantOf = (request: Request): TenantRow => {
  const tenant = resolved.get(request)
  if (!tenant) throw new Error('guard did not run')
  return tenant
}

export function tenantGuards(deps: Deps) {
  const platformHash = sha256Hex(deps.config.platformApiKey)
  return new Elysia({ name: 'tenant-guards' }).macro({
    platform: {
      async transform({ request }) {
        const token = bearerToken(request)
        const presented = await sha256Hex(token ?? '')
        if (!token || !hashesEqual(presented, await platformHash)) throw new AppError('authentication_invalid')
      },
      resolve: () => ({ actor: { type: 'platform' as const, id: 'platform' } }),
    },
    secretKey: {
      async transform({ request }) {
        const token = bearerToken(request)
        const tenant = token ? await TenantsService.authenticateSecretKey(deps, token) : null
        if (!tenant) throw new AppError('authentication_invalid')
        requestMeta(request).tenantId = tenant.id
        resolved.set(request, tenant)
      },
      resolve: ({ request }) => ({ tenant: tenantOf(request) }),
    },
    tenantSlug: {
      async transform({ request, params }) {
        const slug = (params as Record<string, string | undefined>).tenant ?? ''
        const tenant = await TenantsService.resolveSlug(deps, slug)
        requestMeta(request).tenantId = tenant.id
        resolved.set(request, tenant)
      },
      resolve: ({ request }) => ({ tenant: tenantOf(request) }),
    },
  })
}
