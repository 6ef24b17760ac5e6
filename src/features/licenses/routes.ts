import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { callerOf } from '../../platform/http/caller'
import { listQuery } from '../../platform/http/pagination'
import { requestMeta } from '../../platform/http/request-meta'
import { tenantGuards } from '../tenants/guards'
import * as TenantsService from '../tenants/service'
import * as Model from './model'
import { activate, deactivate, deactivateById, LicenseKeys, Products, validate } from './service'

const scope = 'license_keys:manage'

/** Backend API products (API.md §18): CRUD; `license_keys:manage`. */
export const productRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/products', tags: ['Licenses'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        return Products.create(deps, tenant, body, backend)
      },
      { secretKey: scope, body: Model.productCreateBody, detail: { summary: 'Create a product' } },
    )
    .get('', ({ tenant, query }) => Products.list(deps, tenant, query), {
      secretKey: scope,
      query: listQuery,
      detail: { summary: 'List products, newest first' },
    })
    .get('/:id', ({ tenant, params }) => Products.get(deps, tenant, params.id), {
      secretKey: scope,
      params: Model.idParams,
      detail: { summary: 'Get a product' },
    })
    .patch('/:id', ({ tenant, backend, params, body }) => Products.update(deps, tenant, params.id, body, backend), {
      secretKey: scope,
      params: Model.idParams,
      body: Model.productUpdateBody,
      detail: { summary: 'Update a product' },
    })
    .delete('/:id', ({ tenant, backend, params }) => Products.remove(deps, tenant, params.id, backend), {
      secretKey: scope,
      params: Model.idParams,
      detail: { summary: 'Delete a product without keys (else 409 resource_in_use)' },
    })

/** Backend API license keys (API.md §18): CRUD, revoke, activations, verify; `license_keys:manage`. */
export const licenseKeyRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/license-keys', tags: ['Licenses'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        return LicenseKeys.create(deps, tenant, body, backend)
      },
      {
        secretKey: scope,
        body: Model.licenseCreateBody,
        detail: { summary: 'Issue a license key (the key is in this response only)' },
      },
    )
    .post('/verify', ({ tenant, body }) => validate(deps, tenant, body, null), {
      secretKey: scope,
      body: Model.validateBody,
      detail: { summary: 'Validate a license key (as the public validate route, without its rate limits)' },
    })
    .get('', ({ tenant, query }) => LicenseKeys.list(deps, tenant, query), {
      secretKey: scope,
      query: Model.licenseListQuery,
      detail: { summary: 'List license keys, newest first (filters: product, user or organization, status)' },
    })
    .get('/:id', ({ tenant, params }) => LicenseKeys.get(deps, tenant, params.id), {
      secretKey: scope,
      params: Model.idParams,
      detail: { summary: 'Get a license key' },
    })
    .patch('/:id', ({ tenant, backend, params, body }) => LicenseKeys.update(deps, tenant, params.id, body, backend), {
      secretKey: scope,
      params: Model.idParams,
      body: Model.licenseUpdateBody,
      detail: { summary: 'Update a license key' },
    })
    .delete('/:id', ({ tenant, backend, params }) => LicenseKeys.remove(deps, tenant, params.id, backend), {
      secretKey: scope,
      params: Model.idParams,
      detail: { summary: 'Delete a license key and its activations' },
    })
    .post('/:id/revoke', ({ tenant, backend, params }) => LicenseKeys.revoke(deps, tenant, params.id, backend), {
      secretKey: scope,
      params: Model.idParams,
      detail: { summary: 'Revoke a license key: validation says revoked, no device activates it' },
    })
    .get('/:id/activations', ({ tenant, params, query }) => LicenseKeys.activations(deps, tenant, params.id, query), {
      secretKey: scope,
      params: Model.idParams,
      query: listQuery,
      detail: { summary: 'List the devices that activated a license key' },
    })
    .delete(
      '/:id/activations/:act',
      ({ tenant, backend, params }) => deactivateById(deps, tenant, params.id, params.act, backend),
      {
        secretKey: scope,
        params: Model.activationParams,
        detail: { summary: 'Deactivate a device, freeing its slot' },
      },
    )

/**
 * The public license routes (API.md §18) under the tenant's issuer: no credential and no client (the key is
 * in the body), so neither the Frontend API's client nor its Origin rule applies.
 */
export const publicLicenseRoutes = (deps: Deps) => {
  const context = async (request: Request, server: Parameters<Deps['peerOf']>[1], slug: string) => {
    const tenant = await TenantsService.resolveSlug(deps, slug)
    requestMeta(request).tenantId = tenant.id
    return { tenant, caller: callerOf(request, deps.peerOf(request, server), deps.trustedProxies) }
  }
  const params = t.Object({ tenant: t.String({ maxLength: 63 }) })
  return new Elysia({ prefix: '/t/:tenant/v1/licenses', tags: ['Licenses'] })
    .post(
      '/activate',
      async ({ request, server, params, body, set }) => {
        const { tenant, caller } = await context(request, server, params.tenant)
        const result = await activate(deps, tenant, body, caller)
        set.status = result.status
        return result.body
      },
      {
        params,
        body: Model.activateBody,
        detail: { summary: 'Activate a license key on a device: a token verifiable offline with the JWKS' },
      },
    )
    .post(
      '/validate',
      async ({ request, server, params, body }) => {
        const { tenant, caller } = await context(request, server, params.tenant)
        return validate(deps, tenant, body, caller)
      },
      { params, body: Model.validateBody, detail: { summary: 'Validate a license key (and a device’s activation)' } },
    )
    .post(
      '/deactivate',
      async ({ request, server, params, body }) => {
        const { tenant, caller } = await context(request, server, params.tenant)
        return deactivate(deps, tenant, body, caller)
      },
      { params, body: Model.deactivateBody, detail: { summary: 'Deactivate a device, freeing its slot' } },
    )
}
