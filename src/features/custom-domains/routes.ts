import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { tenantGuards } from '../tenants/guards'
import * as CustomDomainsService from './service'

const params = t.Object({ id: t.String({ maxLength: 64 }) })

/**
 * `GET /tls/allowed?domain=`: 200 for PUBLIC_URL's host and verified custom domains, else 404. What a TLS
 * terminator that issues certificates on demand asks first (Caddy's `on_demand_tls { ask … }`), so that a
 * certificate is requested only for a domain Tessera serves, never for any name pointed at it. Public: which
 * domains are verified is public already (their `_tessera-challenge` TXT records).
 */
const tlsAllowedRoute = (deps: Deps) => {
  const installationHost = new URL(deps.config.publicUrl).hostname
  return new Elysia({ tags: ['Service'] }).get(
    '/tls/allowed',
    async ({ query, set }) => {
      const domain = query.domain.trim().toLowerCase().replace(/\.+$/, '')
      const allowed = domain === installationHost || (await deps.tenants.byHostOrNull(domain)) !== null
      set.status = allowed ? 200 : 404
      return { allowed }
    },
    {
      query: t.Object({ domain: t.String({ minLength: 1, maxLength: 253 }) }),
      detail: { summary: 'May a TLS certificate be issued for this domain (on-demand TLS `ask`)' },
    },
  )
}

/** Backend API custom domains (API.md §1, §18): one per tenant, verified by a TXT record; `settings:manage`. */
const backendRoutes = (deps: Deps) =>
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

export const customDomainRoutes = (deps: Deps) => new Elysia().use(tlsAllowedRoute(deps)).use(backendRoutes(deps))
