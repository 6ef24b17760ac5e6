import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { tenantGuards } from '../tenants/guards'
import * as Admin from './admin'
import * as Mappings from './mappings'
import * as Model from './model'

/** Backend API administration of an organization's SCIM (API.md §17); scope `scim:manage` for service keys. */
export const scimAdminRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/organizations/:id/scim', tags: ['SCIM administration'] })
    .use(tenantGuards(deps))
    .post(
      '/tokens',
      async ({ tenant, backend, params, body, set }) => {
        const created = await Admin.createToken(deps, tenant, params.id, body, { actor: backend })
        set.status = 201
        return created
      },
      {
        secretKey: 'scim:manage',
        params: Model.orgParams,
        body: Model.createTokenBody,
        detail: { summary: 'Create a SCIM token for the organization (`token` is in this answer only)' },
      },
    )
    .get('/tokens', ({ tenant, params, query }) => Admin.listTokens(deps, tenant, params.id, query), {
      secretKey: 'scim:manage',
      params: Model.orgParams,
      query: Model.listTokensQuery,
      detail: { summary: 'List the organization’s SCIM tokens, newest first' },
    })
    .post(
      '/tokens/:token_id/revoke',
      ({ tenant, backend, params }) => Admin.revokeToken(deps, tenant, params.id, params.token_id, { actor: backend }),
      {
        secretKey: 'scim:manage',
        params: Model.tokenParams,
        detail: { summary: 'Revoke a SCIM token: its next request answers 401, on every node' },
      },
    )
    .get('/endpoint', ({ tenant, params }) => Admin.endpoint(deps, tenant, params.id), {
      secretKey: 'scim:manage',
      params: Model.orgParams,
      detail: { summary: 'The SCIM base URL and usage of the organization' },
    })
    .get('/attribute-mappings', ({ tenant, params }) => Mappings.get(deps, tenant, params.id), {
      secretKey: 'scim:manage',
      params: Model.orgParams,
      detail: { summary: 'SCIM attribute and group → role mappings (defaults when never set)' },
    })
    .put(
      '/attribute-mappings',
      ({ tenant, backend, params, body }) => Mappings.put(deps, tenant, params.id, body, { actor: backend }),
      {
        secretKey: 'scim:manage',
        params: Model.orgParams,
        body: Model.putMappingsBody,
        detail: {
          summary: 'Replace the mappings (`{}` → defaults); members’ roles are recomputed',
          description:
            'Targets: email_address, first_name, last_name, username, phone_number, external_id, ' +
            'public_metadata.<key>, private_metadata.<key>; null drops a default. `active` cannot be mapped.',
        },
      },
    )
