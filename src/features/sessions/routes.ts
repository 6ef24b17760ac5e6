import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { callerOf } from '../../platform/http/caller'
import { readCookie } from '../../platform/http/cookies'
import * as OidcService from '../oidc/service'
import { tenantGuards } from '../tenants/guards'
import { fapiGuard } from './fapi-guard'
import { introspect } from './introspect'
import * as SessionModel from './model'
import { sessionCookies } from './session-cookies'
import * as SessionsService from './service'

const sidParams = SessionModel.sessionParams

/** Frontend API: the client's sessions (API.md §5 FAPI). */
export const clientSessionRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/v1/client/sessions', tags: ['Frontend API'] })
    .use(fapiGuard(deps))
    .post(
      '/:id/tokens',
      async ({ fapi, params, body, request, set }) => {
        const presented = fapi.native ? body?.refresh_token : (body?.refresh_token ?? readCookie(request, '__refresh'))
        const issued = await SessionsService.refreshForClient(deps, fapi.tenant, {
          refreshToken: presented,
          sessionId: params.id,
          clientId: fapi.client.id,
          caller: fapi.caller,
          organizationId: body?.organization_id,
        })
        if (fapi.native) return { object: 'token', jwt: issued.session_token, refresh_token: issued.refresh_token }
        fapi.cookies.push(...sessionCookies(deps, fapi.tenant, issued))
        set.headers['cache-control'] = 'no-store'
        return { object: 'token', jwt: issued.session_token }
      },
      {
        client: true,
        params: SessionModel.clientSessionParams,
        body: SessionModel.tokensBody,
        detail: { summary: 'Refresh: a new session token (and rotated refresh token)' },
      },
    )
    .patch(
      '/:id/active-organization',
      ({ fapi, params, body }) =>
        SessionsService.setActiveOrganization(deps, fapi.tenant, {
          clientId: fapi.client.id,
          sessionId: params.id,
          organizationId: body.organization_id,
        }),
      {
        client: true,
        params: SessionModel.clientSessionParams,
        body: SessionModel.activeOrganizationBody,
        detail: { summary: 'Switch the session’s active organization (its next token carries it), or none' },
      },
    )
    .post(
      '/:id/end',
      async ({ fapi, params }) => {
        const session = await SessionsService.findForClient(deps, fapi.tenant, fapi.client.id, params.id)
        return SessionsService.endForClient(deps, fapi.tenant, fapi.client.id, session.id, session.userId, fapi.caller)
      },
      {
        client: true,
        params: SessionModel.clientSessionParams,
        detail: { summary: 'End one of this client’s sessions' },
      },
    )
    .delete(
      '',
      async ({ fapi }) => ({ data: await SessionsService.endAllForClient(deps, fapi.tenant, fapi.client.id) }),
      { client: true, detail: { summary: 'End every session of this client' } },
    )

/** Backend API: sessions, refresh and introspection (API.md §5 BAPI). */
export const backendSessionRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1', tags: ['Sessions'] })
    .use(tenantGuards(deps))
    .post(
      '/sessions/refresh',
      async ({ tenant, body, request, server }) =>
        SessionsService.refresh(deps, tenant, {
          refreshToken: body.refresh_token,
          caller: callerOf(request, deps.peerOf(request, server), deps.trustedProxies),
        }),
      {
        secretKey: 'sessions:write',
        body: SessionModel.refreshBody,
        detail: { summary: 'Rotate a refresh token: new session token and refresh token' },
      },
    )
    .get('/sessions', ({ tenant, query }) => SessionsService.list(deps, tenant, query), {
      secretKey: 'sessions:read',
      query: SessionModel.listQuery,
      detail: { summary: 'List sessions, newest first' },
    })
    .get('/sessions/:id', ({ tenant, params }) => SessionsService.get(deps, tenant, params.id), {
      secretKey: 'sessions:read',
      params: sidParams,
      detail: { summary: 'Get a session' },
    })
    .post(
      '/sessions/:id/revoke',
      ({ tenant, backend, params, request, server }) =>
        SessionsService.revoke(
          deps,
          tenant,
          params.id,
          backend,
          callerOf(request, deps.peerOf(request, server), deps.trustedProxies),
        ),
      {
        secretKey: 'sessions:write',
        params: sidParams,
        detail: { summary: 'Revoke a session (introspection answers active:false at once)' },
      },
    )
    .post(
      '/tokens/introspect',
      async ({ tenant, body }) => {
        const session = await introspect(deps, tenant, body.token, body.organization_id)
        if (session.active) return session
        return (await OidcService.introspectForBackend(deps, tenant, body.token, body.organization_id)) ?? session
      },
      {
        secretKey: 'sessions:introspect',
        body: SessionModel.introspectBody,
        detail: { summary: 'Introspect a session token or an OAuth access token of this tenant' },
      },
    )
