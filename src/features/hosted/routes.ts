import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { servePage } from './page'
import * as SignInPage from './sign-in-page'
import * as ImpersonatePage from './impersonate-page'
import { signedInPage } from './signed-in-page'
import * as SignUpPage from './sign-up-page'

/** The hosted pages' forms, the only other paths that take urlencoded bodies (see httpPlatform). */
export const hostedFormPaths = [/^\/t\/[^/]+\/(sign-(in|up)|impersonate)$/]

const tenantParams = t.Object({ tenant: t.String({ maxLength: 63 }) })
// Pages read their inputs by hand (form.ts): a schema's failure would answer JSON, not a page.
const hide = { hide: true }

/**
 * Server-rendered pages at the issuer (API.md §1 Hosted pages): `/sign-in` and `/sign-up`, where
 * an OAuth/OIDC authorization request sends a signed-out browser, and `/signed-in`, where they
 * end without a return_to. GETs only show; each form POST is one step of the client's attempt.
 */
export const hostedRoutes = (deps: Deps) =>
  new Elysia()
    .get(
      '/t/:tenant/impersonate',
      ({ params, query, request, server, set }) =>
        servePage(deps, { request, server, set, slug: params.tenant, input: query }, (p, fields) =>
          ImpersonatePage.show(deps, p, fields),
        ),
      { params: tenantParams, detail: hide },
    )
    .post(
      '/t/:tenant/impersonate',
      ({ params, body, request, server, set }) =>
        servePage(deps, { request, server, set, slug: params.tenant, input: body }, (p, fields) =>
          ImpersonatePage.submit(deps, p, fields),
        ),
      { params: tenantParams, detail: hide },
    )
    .get(
      '/t/:tenant/sign-in',
      ({ params, query, request, server, set }) =>
        servePage(deps, { request, server, set, slug: params.tenant, input: query }, (p, fields) =>
          SignInPage.show(deps, p, fields),
        ),
      { params: tenantParams, detail: hide },
    )
    .post(
      '/t/:tenant/sign-in',
      ({ params, body, request, server, set }) =>
        servePage(deps, { request, server, set, slug: params.tenant, input: body }, (p, fields) =>
          SignInPage.submit(deps, p, fields),
        ),
      { params: tenantParams, detail: hide },
    )
    .get(
      '/t/:tenant/sign-up',
      ({ params, query, request, server, set }) =>
        servePage(deps, { request, server, set, slug: params.tenant, input: query }, (p, fields) =>
          SignUpPage.show(deps, p, fields),
        ),
      { params: tenantParams, detail: hide },
    )
    .post(
      '/t/:tenant/sign-up',
      ({ params, body, request, server, set }) =>
        servePage(deps, { request, server, set, slug: params.tenant, input: body }, (p, fields) =>
          SignUpPage.submit(deps, p, fields),
        ),
      { params: tenantParams, detail: hide },
    )
    .get('/t/:tenant/signed-in', ({ params, request, set }) => signedInPage(deps, request, set, params.tenant), {
      params: tenantParams,
      detail: hide,
    })
