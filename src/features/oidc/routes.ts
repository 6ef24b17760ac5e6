import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { callerOf } from '../../platform/http/caller'
import { listQuery } from '../../platform/http/pagination'
import { sessionAuth } from '../sessions/session-guard'
import { tenantGuards } from '../tenants/guards'
import * as Applications from './applications'
import { authorize } from './authorize'
import * as Ciba from './ciba'
import { backchannelAuthorize } from './ciba'
import { authorizeDevice } from './device'
import { openIdConfiguration } from './discovery'
import { formOf, queryOf } from './form'
import * as Grants from './grants'
import { introspect } from './introspect'
import * as Model from './model'
import { anyBody, render, tenantOf, tenantParams, type Set } from './outcome'
import { oidcPageRoutes } from './page-routes'
import { pushAuthorizationRequest } from './par'
import { register } from './register'
import { revoke } from './revoke'
import { token } from './token'
import { userinfo } from './userinfo'

/** `/t/:tenant/v1/me/…/:id` */
const meItemParams = t.Object({ tenant: t.String(), id: t.String({ maxLength: 64 }) })

/** CORS for protocol endpoints that browsers' public clients call: any origin, never credentials. */
const publicCors = (set: Set) => {
  set.headers['access-control-allow-origin'] = '*'
}

/** OAuth 2 / OpenID Connect endpoints under the tenant's issuer (API.md §10, §15), with their hosted pages. */
export const oidcProtocolRoutes = (deps: Deps) =>
  new Elysia({ tags: ['Protocols'] })
    .use(oidcPageRoutes(deps))
    .get(
      '/t/:tenant/.well-known/openid-configuration',
      async ({ params, request, set }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        set.headers['cache-control'] = 'public, max-age=300'
        publicCors(set)
        return openIdConfiguration(deps, tenant)
      },
      { params: tenantParams, detail: { summary: 'OpenID Provider metadata (OIDC Discovery, RFC 8414)' } },
    )
    .options(
      '/t/:tenant/oauth/*',
      ({ set }) => {
        set.status = 204
        publicCors(set)
        set.headers['access-control-allow-methods'] = 'GET, POST'
        set.headers['access-control-allow-headers'] = 'Authorization, Content-Type, DPoP'
        set.headers['access-control-max-age'] = '600'
        return ''
      },
      { detail: { hide: true } },
    )
    .get(
      '/t/:tenant/oauth/authorize',
      async ({ params, request, set }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        return render(set, tenant, await authorize(deps, tenant, request, queryOf(request.url)))
      },
      {
        params: tenantParams,
        detail: {
          summary: 'Authorization endpoint (code flow, PKCE S256, PAR request_uri)',
          description:
            'OIDC Core §3.1.2 with `resource` (RFC 8707), `organization` (id or slug) and PAR. An unknown ' +
            'client or unregistered redirect_uri shows an error page, never a redirect; every answer adds `iss`.',
        },
      },
    )
    .post(
      '/t/:tenant/oauth/authorize',
      async ({ params, request, set, body }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        return render(set, tenant, await authorize(deps, tenant, request, formOf(body)))
      },
      { params: tenantParams, body: anyBody, detail: { summary: 'Authorization endpoint (form POST)' } },
    )
    .post(
      '/t/:tenant/oauth/token',
      async ({ params, request, set, body }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        publicCors(set)
        set.headers.pragma = 'no-cache'
        return token(deps, tenant, request, formOf(body))
      },
      {
        params: tenantParams,
        body: anyBody,
        detail: { summary: 'Token endpoint: authorization_code, refresh_token, client_credentials, device, CIBA' },
      },
    )
    .get(
      '/t/:tenant/oauth/userinfo',
      async ({ params, request, set }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        publicCors(set)
        return userinfo(deps, tenant, request, null)
      },
      { params: tenantParams, detail: { summary: 'UserInfo (OIDC Core §5.3)' } },
    )
    .post(
      '/t/:tenant/oauth/userinfo',
      async ({ params, request, set, body }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        publicCors(set)
        return userinfo(deps, tenant, request, formOf(body))
      },
      { params: tenantParams, body: anyBody, detail: { summary: 'UserInfo by POST (header or access_token field)' } },
    )
    .post(
      '/t/:tenant/oauth/introspect',
      async ({ params, request, body }) =>
        introspect(deps, await tenantOf(deps, request, params.tenant), request, formOf(body)),
      { params: tenantParams, body: anyBody, detail: { summary: 'Token introspection (RFC 7662)' } },
    )
    .post(
      '/t/:tenant/oauth/revoke',
      async ({ params, request, set, body }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        publicCors(set)
        await revoke(deps, tenant, request, formOf(body))
        return ''
      },
      { params: tenantParams, body: anyBody, detail: { summary: 'Token revocation (RFC 7009)' } },
    )
    .post(
      '/t/:tenant/oauth/par',
      async ({ params, request, set, body }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        set.status = 201
        return pushAuthorizationRequest(deps, tenant, request, formOf(body))
      },
      { params: tenantParams, body: anyBody, detail: { summary: 'Pushed authorization request (RFC 9126)' } },
    )
    .post(
      '/t/:tenant/oauth/register',
      async ({ params, request, set, body, server }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        const caller = callerOf(request, deps.peerOf(request, server), deps.trustedProxies)
        const registered = await register(deps, tenant, request, caller, body)
        set.status = 201
        return registered
      },
      {
        params: tenantParams,
        body: anyBody,
        detail: { summary: 'Dynamic client registration (RFC 7591), when the tenant allows it' },
      },
    )
    .post(
      '/t/:tenant/oauth/device_authorization',
      async ({ params, request, body }) =>
        authorizeDevice(deps, await tenantOf(deps, request, params.tenant), request, formOf(body)),
      { params: tenantParams, body: anyBody, detail: { summary: 'Device authorization (RFC 8628)' } },
    )
    .post(
      '/t/:tenant/oauth/bc-authorize',
      async ({ params, request, body }) =>
        backchannelAuthorize(deps, await tenantOf(deps, request, params.tenant), request, formOf(body)),
      { params: tenantParams, body: anyBody, detail: { summary: 'CIBA backchannel authentication (poll mode)' } },
    )

/** Backend API applications and grants (API.md §15), and the user's own grants at `/me`. */
export const oauthApplicationRoutes = (deps: Deps) =>
  new Elysia({ tags: ['OAuth applications'] })
    .use(tenantGuards(deps))
    .use(sessionAuth(deps))
    .post(
      '/v1/oauth-applications',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        set.headers['cache-control'] = 'no-store'
        return Applications.create(deps, tenant, body, backend)
      },
      {
        secretKey: 'oauth_applications:manage',
        body: Model.createBody,
        detail: { summary: 'Create an OAuth application (client_secret in this answer only)' },
      },
    )
    .get('/v1/oauth-applications', ({ tenant, query }) => Applications.list(deps, tenant, query), {
      secretKey: 'oauth_applications:manage',
      query: listQuery,
      detail: { summary: 'List OAuth applications, newest first' },
    })
    .get('/v1/oauth-applications/:id', ({ tenant, params }) => Applications.get(deps, tenant, params.id), {
      secretKey: 'oauth_applications:manage',
      params: Model.idParams,
      detail: { summary: 'Get an OAuth application' },
    })
    .patch(
      '/v1/oauth-applications/:id',
      ({ tenant, backend, params, body }) => Applications.update(deps, tenant, params.id, body, backend),
      {
        secretKey: 'oauth_applications:manage',
        params: Model.idParams,
        body: Model.updateBody,
        detail: { summary: 'Update an OAuth application (`public` cannot change)' },
      },
    )
    .delete(
      '/v1/oauth-applications/:id',
      ({ tenant, backend, params }) => Applications.remove(deps, tenant, params.id, backend),
      {
        secretKey: 'oauth_applications:manage',
        params: Model.idParams,
        detail: { summary: 'Delete an OAuth application, its grants and its tokens' },
      },
    )
    .post(
      '/v1/oauth-applications/:id/rotate-secret',
      ({ tenant, backend, params, set }) => {
        set.headers['cache-control'] = 'no-store'
        return Applications.rotateSecret(deps, tenant, params.id, backend)
      },
      {
        secretKey: 'oauth_applications:manage',
        params: Model.idParams,
        detail: { summary: 'New client secret (once); the old one is refused at once' },
      },
    )
    .get(
      '/v1/oauth-applications/:id/authorization-grants',
      async ({ tenant, params, query }) => {
        await Applications.find(deps, tenant, params.id)
        return Grants.list(deps, tenant, { applicationId: params.id, userId: query.user_id }, query)
      },
      {
        secretKey: 'oauth_applications:manage',
        params: Model.idParams,
        query: Model.grantListQuery,
        detail: { summary: "List an application's authorization grants" },
      },
    )
    .delete(
      '/v1/oauth-applications/:id/authorization-grants/:gid',
      ({ tenant, backend, params }) => Grants.revoke(deps, tenant, params.gid, { applicationId: params.id }, backend),
      {
        secretKey: 'oauth_applications:manage',
        params: Model.grantParams,
        detail: { summary: 'Revoke a grant and every token it issued' },
      },
    )
    .get('/t/:tenant/v1/me/ciba-requests', ({ me, query }) => Ciba.listForUser(deps, me, query.status), {
      session: true,
      query: t.Object(
        {
          status: t.Optional(
            t.Union([t.Literal('pending'), t.Literal('approved'), t.Literal('denied'), t.Literal('expired')]),
          ),
        },
        { additionalProperties: false },
      ),
      detail: { summary: 'Backchannel (CIBA) requests waiting for this user, newest first' },
    })
    .post('/t/:tenant/v1/me/ciba-requests/:id/approve', ({ me, params }) => Ciba.answer(deps, me, params.id, true), {
      session: true,
      params: meItemParams,
      detail: { summary: 'Approve a CIBA request (a factor within 10 minutes, else 403 reverification_required)' },
    })
    .post('/t/:tenant/v1/me/ciba-requests/:id/deny', ({ me, params }) => Ciba.answer(deps, me, params.id, false), {
      session: true,
      params: meItemParams,
      detail: { summary: 'Deny a CIBA request' },
    })
    .get(
      '/t/:tenant/v1/me/authorization-grants',
      ({ me, query }) => Grants.list(deps, me.tenant, { userId: me.userId }, query),
      { session: true, query: listQuery, detail: { summary: 'The applications the user has granted access' } },
    )
    .get('/t/:tenant/v1/me/authorization-grants/:id', ({ me, params }) => Grants.getForUser(deps, me, params.id), {
      session: true,
      params: meItemParams,
      detail: { summary: 'One of the applications the user has granted access' },
    })
    .delete(
      '/t/:tenant/v1/me/authorization-grants/:id',
      ({ me, params }) =>
        Grants.revoke(deps, me.tenant, params.id, { userId: me.userId }, { type: 'user', id: me.userId }),
      {
        session: true,
        params: meItemParams,
        detail: { summary: "Withdraw an application's access and end its tokens" },
      },
    )
