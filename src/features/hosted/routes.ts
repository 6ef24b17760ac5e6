import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import type { Fields } from './form'
import { servePage, type PageContext, type PageResult } from './page'
import * as SignInPage from './sign-in-page'
import * as ImpersonatePage from './impersonate-page'
import { signedInPage } from './signed-in-page'
import * as SignUpPage from './sign-up-page'

/** The hosted pages' forms, the only other paths that take urlencoded bodies (see httpPlatform). */
export const hostedFormPaths = [/^\/t\/[^/]+\/(sign-(in|up)|impersonate)$/]

const tenantParams = t.Object({ tenant: t.String({ maxLength: 63 }) })
// Pages read their inputs by hand (form.ts): a schema's failure would answer JSON, not a page.
const hide = { hide: true }

type Step = (deps: Deps, p: PageContext, fields: Fields) => Promise<PageResult>
interface PageHandler {
  show: Step
  submit: Step
}

/**
 * Server-rendered pages at the issuer (API.md §1 Hosted pages): `/sign-in` and `/sign-up`, where
 * an OAuth/OIDC authorization request sends a signed-out browser, and `/signed-in`, where they
 * end without a return_to. GETs only show; each form POST is one step of the client's attempt.
 */
export const hostedRoutes = (deps: Deps) => {
  /** A page and its form: the GET shows it from the query, the POST takes one step from the body. */
  const page = (path: string, handler: PageHandler) =>
    new Elysia()
      .get(
        `/t/:tenant/${path}`,
        ({ params, query, request, server, set }) =>
          servePage(deps, { request, server, set, slug: params.tenant, input: query }, (p, fields) =>
            handler.show(deps, p, fields),
          ),
        { params: tenantParams, detail: hide },
      )
      .post(
        `/t/:tenant/${path}`,
        ({ params, body, request, server, set }) =>
          servePage(deps, { request, server, set, slug: params.tenant, input: body }, (p, fields) =>
            handler.submit(deps, p, fields),
          ),
        { params: tenantParams, detail: hide },
      )
  return new Elysia()
    .use(page('impersonate', ImpersonatePage))
    .use(page('sign-in', SignInPage))
    .use(page('sign-up', SignUpPage))
    .get('/t/:tenant/signed-in', ({ params, request, set }) => signedInPage(deps, request, set, params.tenant), {
      params: tenantParams,
      detail: hide,
    })
}
