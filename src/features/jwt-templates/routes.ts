import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import { listQuery } from '../../platform/http/pagination'
import { fapiGuard } from '../sessions/fapi-guard'
import { sessionAuth } from '../sessions/session-guard'
import { tenantGuards } from '../tenants/guards'
import * as JwtTemplateModel from './model'
import * as JwtTemplatesService from './service'

/** Backend API JWT templates (API.md §14): CRUD and minting for a user. */
export const jwtTemplateRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1', tags: ['JWT templates'] })
    .use(tenantGuards(deps))
    .post(
      '/jwt-templates',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        return JwtTemplatesService.create(deps, tenant, body, backend)
      },
      {
        secretKey: 'jwt_templates:manage',
        body: JwtTemplateModel.createBody,
        detail: { summary: 'Create a JWT template' },
      },
    )
    .get('/jwt-templates', ({ tenant, query }) => JwtTemplatesService.list(deps, tenant, query), {
      secretKey: 'jwt_templates:manage',
      query: listQuery,
      detail: { summary: 'List JWT templates, newest first' },
    })
    .get('/jwt-templates/:id', ({ tenant, params }) => JwtTemplatesService.get(deps, tenant, params.id), {
      secretKey: 'jwt_templates:manage',
      params: JwtTemplateModel.idParams,
      detail: { summary: 'Get a JWT template' },
    })
    .patch(
      '/jwt-templates/:id',
      ({ tenant, backend, params, body }) => JwtTemplatesService.update(deps, tenant, params.id, body, backend),
      {
        secretKey: 'jwt_templates:manage',
        params: JwtTemplateModel.idParams,
        body: JwtTemplateModel.updateBody,
        detail: { summary: 'Update a JWT template; signing_key null goes back to the tenant key' },
      },
    )
    .delete(
      '/jwt-templates/:id',
      async ({ tenant, backend, params }) => {
        await JwtTemplatesService.remove(deps, tenant, params.id, backend)
        return { object: 'jwt_template', id: params.id, deleted: true }
      },
      {
        secretKey: 'jwt_templates:manage',
        params: JwtTemplateModel.idParams,
        detail: { summary: 'Delete a JWT template' },
      },
    )
    .post(
      '/users/:id/jwt-templates/:name/tokens',
      async ({ tenant, params, body, set }) => {
        set.headers['cache-control'] = 'no-store'
        return JwtTemplatesService.mintForUser(deps, tenant, {
          userId: params.id,
          name: params.name,
          sessionId: body?.session_id,
          organizationId: body?.organization_id,
        })
      },
      {
        secretKey: 'sessions:write',
        params: JwtTemplateModel.userMintParams,
        body: JwtTemplateModel.userMintBody,
        detail: { summary: 'Mint a token from a JWT template for a user' },
      },
    )

/**
 * Frontend API: a template token for one of the client's sessions (API.md §14), asked with the
 * client AND that session's token: the client credential alone (long-lived in native apps) must
 * not mint tokens for a session it could not refresh.
 */
export const clientJwtTemplateRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/v1/client/sessions', tags: ['Frontend API'] })
    .use(fapiGuard(deps))
    .use(sessionAuth(deps))
    .post(
      '/:id/tokens/:name',
      async ({ fapi, me, params, body, set }) => {
        set.headers['cache-control'] = 'no-store'
        if (me.sessionId !== params.id) throw new AppError('resource_not_found')
        return JwtTemplatesService.mintForClient(deps, fapi.tenant, {
          clientId: fapi.client.id,
          sessionId: params.id,
          name: params.name,
          organizationId: body?.organization_id,
        })
      },
      {
        client: true,
        session: true,
        params: JwtTemplateModel.clientMintParams,
        body: JwtTemplateModel.clientMintBody,
        detail: { summary: 'Mint a token from a JWT template for this session (nothing rotates)' },
      },
    )
