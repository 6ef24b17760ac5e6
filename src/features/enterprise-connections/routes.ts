import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { listQuery } from '../../platform/http/pagination'
import { tenantGuards } from '../tenants/guards'
import * as EnterpriseConnectionModel from './model'
import * as EnterpriseConnectionsService from './service'

/** Backend API enterprise SSO connections (API.md §16): CRUD and a connection test; `connections:manage`. */
const backendRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/enterprise-connections', tags: ['Enterprise connections'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        return EnterpriseConnectionsService.create(deps, tenant, body, backend)
      },
      {
        secretKey: 'connections:manage',
        body: EnterpriseConnectionModel.createBody,
        detail: {
          summary:
            'Add an enterprise SSO connection (OIDC or SAML); oidc_client_secret and idp_metadata are write-only',
        },
      },
    )
    .get('', ({ tenant, query }) => EnterpriseConnectionsService.list(deps, tenant, query), {
      secretKey: 'connections:manage',
      query: listQuery,
      detail: { summary: 'List enterprise connections, newest first' },
    })
    .get('/:id', ({ tenant, params }) => EnterpriseConnectionsService.get(deps, tenant, params.id), {
      secretKey: 'connections:manage',
      params: EnterpriseConnectionModel.idParams,
      detail: { summary: 'Get an enterprise connection' },
    })
    .patch(
      '/:id',
      ({ tenant, backend, params, body }) =>
        EnterpriseConnectionsService.update(deps, tenant, params.id, body, backend),
      {
        secretKey: 'connections:manage',
        params: EnterpriseConnectionModel.idParams,
        body: EnterpriseConnectionModel.updateBody,
        detail: { summary: 'Update an enterprise connection; the protocol cannot change' },
      },
    )
    .delete(
      '/:id',
      ({ tenant, backend, params }) => EnterpriseConnectionsService.remove(deps, tenant, params.id, backend),
      {
        secretKey: 'connections:manage',
        params: EnterpriseConnectionModel.idParams,
        detail: { summary: 'Delete an enterprise connection' },
      },
    )
    .post('/:id/test', ({ tenant, params }) => EnterpriseConnectionsService.test(deps, tenant, params.id), {
      secretKey: 'connections:manage',
      params: EnterpriseConnectionModel.idParams,
      detail: { summary: 'Test a connection: OIDC discovery and JWKS; SAML metadata, certificates, SSO URL' },
    })

/** `{issuer}/saml/{id}/metadata` (API.md §10): public SP metadata of a SAML connection. */
const metadataRoutes = (deps: Deps) =>
  new Elysia({ tags: ['SAML'] }).get(
    '/t/:tenant/saml/:id/metadata',
    async ({ params, set }) => {
      const xml = await EnterpriseConnectionsService.spMetadata(deps, params.tenant, params.id)
      set.headers['content-type'] = 'application/samlmetadata+xml'
      return xml
    },
    {
      params: EnterpriseConnectionModel.metadataParams,
      detail: { summary: 'SAML SP metadata of an enterprise connection (entity id, ACS URL)' },
    },
  )

export const enterpriseConnectionRoutes = (deps: Deps) =>
  new Elysia().use(backendRoutes(deps)).use(metadataRoutes(deps))
