import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { sha256Hex, hashesEqual } from '../../platform/crypto/tokens'
import { AppError } from '../../platform/errors'
import { bearerToken } from '../../platform/http/bearer'
import { requestMeta } from '../../platform/http/request-meta'
import { grants, type Scope } from '../api-keys/model'
import * as ApiKeysService from '../api-keys/service'
import * as TenantsService from './service'
import type { TenantRow } from './repo'

/**
 * Route guards as Elysia macros: `{ platform: true }` for the operator's key,
 * `{ secretKey: true }` for a tenant's secret key only, `{ secretKey: '<scope>' }` for the secret
 * key or a service key holding that scope (API.md §14), `{ tenantSlug: true }` for `/t/:tenant/...`.
 * They authenticate in `transform`, which runs before schema validation, so an
 * unauthenticated caller learns nothing about a route's parameters; `resolve` then hands
 * the result to the handler.
 */
/** Who acts through the Backend API, as the audit trail names it (API.md §11). */
export type BackendActor = { type: 'secret_key' | 'api_key'; id: string }

const resolved = new WeakMap<Request, { tenant: TenantRow; actor: BackendActor | null }>()

const resolvedOf = (request: Request) => {
  const found = resolved.get(request)
  if (!found) throw new Error('guard did not run')
  return found
}
const tenantOf = (request: Request): TenantRow => resolvedOf(request).tenant

/**
 * The BAPI caller: the tenant secret key (Bearer only, API.md §12) with every right (`scopes`
 * null), or a service key from Bearer or X-API-Key (§13) with its scopes. Both headers present
 * and different is refused rather than choosing one.
 */
async function backendCredential(
  deps: Deps,
  request: Request,
): Promise<{ tenant: TenantRow; scopes: string[] | null; actor: BackendActor } | null> {
  const bearer = bearerToken(request)
  const apiKey = request.headers.get('x-api-key')
  if (apiKey !== null && bearer !== null && apiKey !== bearer) return null
  const presented = apiKey ?? bearer
  if (presented === null) return null
  if (apiKey !== null || presented.startsWith('tk_')) {
    const key = await ApiKeysService.authenticate(deps, presented)
    return key && { tenant: key.tenant, scopes: key.scopes, actor: { type: 'api_key', id: key.keyId } }
  }
  const tenant = await TenantsService.authenticateSecretKey(deps, presented)
  return tenant && { tenant, scopes: null, actor: { type: 'secret_key', id: tenant.id } }
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
    secretKey(required: true | Scope) {
      return {
        async transform({ request }: { request: Request }) {
          const credential = await backendCredential(deps, request)
          if (!credential) throw new AppError('authentication_invalid')
          requestMeta(request).tenantId = credential.tenant.id
          if (credential.scopes !== null) {
            if (required === true) throw new AppError('permission_denied', { reason: 'secret_key_required' })
            if (!grants(credential.scopes, required))
              throw new AppError('permission_denied', { required_scope: required })
          }
          resolved.set(request, { tenant: credential.tenant, actor: credential.actor })
        },
        resolve: ({ request }: { request: Request }) => ({
          tenant: tenantOf(request),
          /** Who acts, for the audit trail: the secret key, or the service key used. */
          backend: resolvedOf(request).actor!,
        }),
      }
    },
    tenantSlug: {
      async transform({ request, params }) {
        const slug = (params as Record<string, string | undefined>).tenant ?? ''
        const tenant = await TenantsService.resolveSlug(deps, slug)
        requestMeta(request).tenantId = tenant.id
        resolved.set(request, { tenant, actor: null })
      },
      resolve: ({ request }) => ({ tenant: tenantOf(request) }),
    },
  })
}
