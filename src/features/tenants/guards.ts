import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { sha256Hex, hashesEqual } from '../../platform/crypto/tokens'
import { AppError } from '../../platform/errors'
import { bearerToken } from '../../platform/http/bearer'
import { requestMeta } from '../../platform/http/request-meta'
import * as TenantsService from './service'

/**
 * Route guards as Elysia macros: `{ platform: true }` for the operator's key,
 * `{ secretKey: true }` for a tenant's backend, `{ tenantSlug: true }` for `/t/:tenant/...`.
 */
export function tenantGuards(deps: Deps) {
  const platformHash = sha256Hex(deps.config.platformApiKey)
  return new Elysia({ name: 'tenant-guards' }).macro({
    platform: {
      async resolve({ request }) {
        const token = bearerToken(request)
        const presented = await sha256Hex(token ?? '')
        if (!token || !hashesEqual(presented, await platformHash)) throw new AppError('authentication_invalid')
        return { actor: { type: 'platform' as const, id: 'platform' } }
      },
    },
    secretKey: {
      async resolve({ request }) {
        const token = bearerToken(request)
        const tenant = token ? await TenantsService.authenticateSecretKey(deps, token) : null
        if (!tenant) throw new AppError('authentication_invalid')
        requestMeta(request).tenantId = tenant.id
        return { tenant }
      },
    },
    tenantSlug: {
      async resolve({ request, params }) {
        const slug = (params as Record<string, string | undefined>).tenant ?? ''
        const tenant = await TenantsService.resolveSlug(deps, slug)
        requestMeta(request).tenantId = tenant.id
        return { tenant }
      },
    },
  })
}
