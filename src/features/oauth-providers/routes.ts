import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { listQuery } from '../../platform/http/pagination'
import { tenantGuards } from '../tenants/guards'
import * as OAuthProviderModel from './model'
import * as OAuthProvidersService from './service'

/** Backend API social login providers (API.md §16): CRUD and a connection test; `connections:manage`. */
export const oauthProviderRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/oauth-providers', tags: ['OAuth providers'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        return OAuthProvidersService.create(deps, tenant, body, backend)
      },
      {
        secretKey: 'connections:manage',
        body: OAuthProviderModel.createBody,
        detail: { summary: 'Add a social login provider (the client secret is write-only)' },
      },
    )
    .get('', ({ tenant, query }) => OAuthProvidersService.list(deps, tenant, query), {
      secretKey: 'connections:manage',
      query: listQuery,
      detail: { summary: 'List social login providers, newest first' },
    })
    .get('/:id', ({ tenant, params }) => OAuthProvidersService.get(deps, tenant, params.id), {
      secretKey: 'connections:manage',
      params: OAuthProviderModel.idParams,
      detail: { summary: 'Get a social login provider' },
    })
    .patch(
      '/:id',
      ({ tenant, backend, params, body }) => OAuthProvidersService.update(deps, tenant, params.id, body, backend),
      {
        secretKey: 'connections:manage',
        params: OAuthProviderModel.idParams,
        body: OAuthProviderModel.updateBody,
        detail: { summary: 'Update a social login provider; provider and key cannot change' },
      },
    )
    .delete('/:id', ({ tenant, backend, params }) => OAuthProvidersService.remove(deps, tenant, params.id, backend), {
      secretKey: 'connections:manage',
      params: OAuthProviderModel.idParams,
      detail: { summary: 'Delete a social login provider' },
    })
    .post('/:id/test', ({ tenant, params }) => OAuthProvidersService.test(deps, tenant, params.id), {
      secretKey: 'connections:manage',
      params: OAuthProviderModel.idParams,
      detail: { summary: 'Test a provider’s configuration: discovery, issuer, endpoints, credentials' },
    })
