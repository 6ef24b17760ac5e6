import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { tenantGuards } from '../tenants/guards'
import * as CustomDomainsService from './service'

const params = t.Object({ id: t.String({ maxLength: 64 }) })

/** Backend API custom domains (API.md §1, §18): one per tenant, verified by a TXT record; `settings:manage`. */
export const customDomainRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/custom-domains', tags: ['Custom domains'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        return CustomDomainsService.create(deps, tenant, body.host, backend)
      },
      {
        secretKey: 'settings:manage',
        body: t.Object({ host: t.String({ minLength: 1, maxLength: 253 }) }, { additionalProperties: false }),
        detail: { summary: 'Add the tenant’s custom domain: publish the TXT record it returns, then verify' },
      },
    )
    .get('', ({ tenant }) => CustomDomainsService.list(deps, tenant), {
      secretKey: 'settings:manage',
      detail: { summary: 'The tenant’s custom domain (at most one)' },
    })
    .get('/:id', ({ tenant, params }) => CustomDomainsService.get(deps, tenant, params.id), {
      secretKey: 'settings:manage',
      params,
      detail: { summary: 'Get the custom domain' },
    })
    .post(
      '/:id/verify',
      ({ tenant, backend, params }) => CustomDomainsService.verify(deps, tenant, params.id, backend),
      {
        secretKey: 'settings:manage',
        params,
        detail: {
          summary: 'Check the TXT record: the domain then serves the tenant’s routes, and the issuer is https://{host}',
        },
      },
    )
    .delete('/:id', ({ tenant, backend, params }) => CustomDomainsService.remove(deps, tenant, params.id, backend), {
      secretKey: 'settings:manage',
      params,
      detail: { summary: 'Remove the custom domain (the issuer is back under PUBLIC_URL)' },
    })
