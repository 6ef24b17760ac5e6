import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { JWKS_MAX_AGE_S } from '../../platform/crypto/jwks'
import { listQuery } from '../../platform/http/pagination'
import { requestMeta } from '../../platform/http/request-meta'
import { escapeHtml } from '../hosted/html'
import { newNonce, pageHeaders, renderPage } from '../hosted/layout'
import * as SamlService from '../saml/service'
import { tenantGuards } from '../tenants/guards'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import * as Model from './model'
import * as SamlIdpService from './service'
import type { SsoOutcome } from './service'

/** Backend API SAML service providers (API.md §16 "SAML IdP"): CRUD; `connections:manage`. */
export const samlServiceProviderRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/saml-service-providers', tags: ['SAML service providers'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        return SamlIdpService.create(deps, tenant, body, backend)
      },
      {
        secretKey: 'connections:manage',
        body: Model.createBody,
        detail: { summary: 'Register a SAML service provider that users sign in to with this tenant' },
      },
    )
    .get('', ({ tenant, query }) => SamlIdpService.list(deps, tenant, query), {
      secretKey: 'connections:manage',
      query: listQuery,
      detail: { summary: 'List SAML service providers, newest first' },
    })
    .get('/:id', ({ tenant, params }) => SamlIdpService.get(deps, tenant, params.id), {
      secretKey: 'connections:manage',
      params: Model.idParams,
      detail: { summary: 'Get a SAML service provider' },
    })
    .patch(
      '/:id',
      ({ tenant, backend, params, body }) => SamlIdpService.update(deps, tenant, params.id, body, backend),
      {
        secretKey: 'connections:manage',
        params: Model.idParams,
        body: Model.updateBody,
        detail: { summary: 'Update a SAML service provider' },
      },
    )
    .delete('/:id', ({ tenant, backend, params }) => SamlIdpService.remove(deps, tenant, params.id, backend), {
      secretKey: 'connections:manage',
      params: Model.idParams,
      detail: { summary: 'Delete a SAML service provider' },
    })

type Set = { status?: number | string; headers: Record<string, string | number> }
const tenantParams = t.Object({ tenant: t.String({ maxLength: 63 }) })

async function tenantOf(deps: Deps, request: Request, slug: string): Promise<TenantRow> {
  const tenant = await TenantsService.resolveSlug(deps, slug)
  requestMeta(request).tenantId = tenant.id
  return tenant
}

/** Protocol parameters, each at most once (a repeated one could say one thing to the check and another to us). */
function paramsOf(entries: Iterable<[string, unknown]>): Record<string, string> | null {
  const out: Record<string, string> = {}
  for (const [key, value] of entries) {
    if (typeof value !== 'string' || Object.hasOwn(out, key)) return null
    out[key] = value
  }
  return out
}

/** The outcome as an HTTP answer: a redirect, the auto-POST page to the registered ACS URL, or an error page. */
function render(set: Set, tenant: TenantRow, outcome: SsoOutcome, status: 302 | 303 = 302): string {
  if (outcome.setCookie) set.headers['set-cookie'] = outcome.setCookie
  const nonce = newNonce()
  if (outcome.kind === 'redirect') {
    set.status = status
    set.headers.location = outcome.location
    set.headers['cache-control'] = 'no-store'
    return ''
  }
  if (outcome.kind === 'post') {
    // CSP form-action must admit the ACS origin, or the browser refuses to submit the form.
    pageHeaders(set, nonce, tenant, { formActions: [new URL(outcome.acsUrl).origin] })
    return SamlService.autoPostForm(outcome.acsUrl, outcome.samlResponse, outcome.relayState, nonce)
  }
  pageHeaders(set, nonce, tenant)
  set.status = outcome.status
  const body =
    `<p role="alert" class="error">${escapeHtml(outcome.message)}</p>` +
    '<p class="note">Go back to the application and try again.</p>'
  return renderPage({ tenant, title: 'This sign-in cannot be completed', body, nonce })
}

const malformed: SsoOutcome = { kind: 'error_page', status: 400, message: 'The sign-in request could not be read.' }

/** Tessera as a SAML IdP under the tenant's issuer (API.md §10, §16): metadata and single sign-on. */
export const samlIdpProtocolRoutes = (deps: Deps) =>
  new Elysia({ tags: ['Protocols'] })
    .get(
      '/t/:tenant/saml/idp/metadata',
      async ({ params, request, set }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        set.headers['content-type'] = 'application/samlmetadata+xml; charset=utf-8'
        // No longer than the JWKS: the shortest key overlap is that, and the next certificate must be seen in it.
        set.headers['cache-control'] = `public, max-age=${JWKS_MAX_AGE_S}`
        return SamlIdpService.metadata(deps, tenant)
      },
      { params: tenantParams, detail: { summary: 'SAML IdP metadata: entity id, signing certificate, SSO endpoints' } },
    )
    .get(
      '/t/:tenant/saml/idp/sso',
      async ({ params, request, set }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        const url = new URL(request.url)
        const q = paramsOf(url.searchParams.entries())
        if (!q) return render(set, tenant, malformed)
        if (q.pending !== undefined)
          return render(set, tenant, await SamlIdpService.continueSso(deps, tenant, request, q.pending))
        if (q.SAMLRequest === undefined) return render(set, tenant, malformed)
        const input = { binding: 'redirect' as const, SAMLRequest: q.SAMLRequest, rawQuery: url.search }
        const optional = { RelayState: q.RelayState, SigAlg: q.SigAlg, Signature: q.Signature }
        const outcome = await SamlIdpService.startSso(deps, tenant, request, { ...input, ...definedOnly(optional) })
        return render(set, tenant, outcome)
      },
      {
        params: tenantParams,
        detail: {
          summary: 'SAML single sign-on, HTTP-Redirect binding (SAMLRequest, RelayState, SigAlg, Signature)',
          description:
            'An unknown Issuer, a disabled SP, another ACS URL or a missing or bad required signature shows an ' +
            'error page. Without a session the browser signs in first; then an auto-POST page carries the signed ' +
            'Response to the registered ACS URL. IdP-initiated sign-in is not offered (API.md §18 settled points).',
        },
      },
    )
    .post(
      '/t/:tenant/saml/idp/sso',
      async ({ params, request, set, body }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        const form = body && typeof body === 'object' ? paramsOf(Object.entries(body)) : null
        if (!form || form.SAMLRequest === undefined) return render(set, tenant, malformed, 303)
        const input = { binding: 'post' as const, SAMLRequest: form.SAMLRequest }
        const outcome = await SamlIdpService.startSso(deps, tenant, request, {
          ...input,
          ...definedOnly({ RelayState: form.RelayState }),
        })
        return render(set, tenant, outcome, 303)
      },
      {
        params: tenantParams,
        body: t.Optional(t.Unknown()),
        detail: { summary: 'SAML single sign-on, HTTP-POST binding (SAMLRequest, RelayState form fields)' },
      },
    )

/** The fields that are present (exactOptionalPropertyTypes: absent, never `undefined`). */
function definedOnly<T extends Record<string, string | undefined>>(fields: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<
    Record<keyof T, string>
  >
}
