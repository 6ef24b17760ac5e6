import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { listQuery } from '../../platform/http/pagination'
import { tenantGuards } from '../tenants/guards'
import * as ApiKeyModel from './model'
import * as ApiKeysService from './service'

/**
 * Backend API service keys (API.md §14). Only the tenant's secret key manages them: a service
 * key that could mint or revoke keys could widen its own scopes.
 */
export const apiKeyRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/api-keys', tags: ['Service keys'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, body, set }) => {
        set.status = 201
        return ApiKeysService.create(deps, tenant, body)
      },
      {
        secretKey: true,
        body: ApiKeyModel.createBody,
        detail: { summary: 'Create a service key with scopes (returns the key once)' },
      },
    )
    .get('', ({ tenant, query }) => ApiKeysService.list(deps, tenant, query), {
      secretKey: true,
      query: listQuery,
      detail: { summary: 'List service keys, newest first' },
    })
    .get('/:id', ({ tenant, params }) => ApiKeysService.get(deps, tenant, params.id), {
      secretKey: true,
      params: ApiKeyModel.idParams,
      detail: { summary: 'Get a service key' },
    })
    .post('/:id/revoke', ({ tenant, params }) => ApiKeysService.revoke(deps, tenant, params.id), {
      secretKey: true,
      params: ApiKeyModel.idParams,
      detail: { summary: 'Revoke a service key; every node refuses it within 2 s' },
    })
