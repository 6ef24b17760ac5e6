import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { callerOf } from '../../platform/http/caller'
import { readCookie, serialiseCookie } from '../../platform/http/cookies'
import { requestMeta } from '../../platform/http/request-meta'
import { browserClient } from '../hosted/browser-client'
import { newNonce, pageHeaders, renderPage } from '../hosted/layout'
import { fapiGuard } from '../sessions/fapi-guard'
import { findClient } from '../sessions/service'
import * as TenantsService from '../tenants/service'
import { handleCallback, type CallbackOutcome } from './callback'
import * as Native from './native-complete'
import * as SamlAcs from './saml-acs'

type PageSet = { status?: number | string; headers: Record<string, string | number> }

const params = t.Object({ tenant: t.String({ maxLength: 63 }), name: t.String({ maxLength: 64 }) })
// Every parameter the provider sends is passed on (the provider client reads what its protocol defines).
const callbackParams = t.Record(t.String({ maxLength: 64 }), t.String({ maxLength: 8192 }))

/**
 * `{issuer}/v1/oauth-callback/{provider}` (API.md §16): GET for the usual redirect, POST for
 * providers that answer with `response_mode=form_post` (Apple). The browser leaves with a 303 to
 * the attempt's redirect_url, or sees a short page when the attempt named none.
 */
export const ssoRoutes = (deps: Deps) => {
  const callback = async (
    request: Request,
    server: Parameters<Deps['peerOf']>[1],
    set: PageSet,
    slug: string,
    name: string,
    given: Record<string, string>,
  ) => {
    const tenant = await TenantsService.resolveSlug(deps, slug)
    requestMeta(request).tenantId = tenant.id
    const client = await findClient(deps, tenant, readCookie(request, '__client'))
    const outcome = await handleCallback(deps, tenant, {
      name,
      params: given,
      clientId: client?.id ?? null,
      caller: {
        ...callerOf(request, deps.peerOf(request, server), deps.trustedProxies),
        base: TenantsService.browserBaseOf(deps, tenant, request),
      },
    })
    return answer(set, tenant, outcome)
  }
  const answer = (set: PageSet, tenant: TenantsService.TenantRow, outcome: CallbackOutcome) => {
    if (outcome.location) {
      set.status = 303
      set.headers.location = outcome.location
      return ''
    }
    const nonce = newNonce()
    pageHeaders(set, nonce, tenant)
    set.status = outcome.error ? 400 : 200
    const body = outcome.error
      ? `<p role="alert" class="error">The sign-in could not be completed (${outcome.error}). ` +
        'Go back and try again.</p>'
      : '<p class="note">You are signed in. You can close this tab and return to the application.</p>'
    return renderPage({ tenant, title: outcome.error ? 'Sign-in failed' : 'Signed in', body, nonce })
  }
  const acsParams = t.Object({ tenant: t.String({ maxLength: 63 }), id: t.String({ maxLength: 64 }) })
  const external = new Elysia({ prefix: '/t/:tenant/v1/client/sign-ins', tags: ['Frontend API'] })
    .use(fapiGuard(deps))
    .post('/:id/external', ({ fapi, params, body }) => Native.completeForClient(deps, fapi, params.id, body.token), {
      client: true,
      params: t.Object({ tenant: t.String({ maxLength: 63 }), id: t.String({ maxLength: 64 }) }),
      body: t.Object({ token: t.String({ maxLength: 8192 }) }, { additionalProperties: false }),
      detail: {
        summary: 'Complete an external sign-in in a native app with the callback’s `external_token`',
        description:
          'Only the client that started the attempt may; answers the sign-in, or the sign-up an unknown account ' +
          'became, with its tokens.',
      },
    })
  return new Elysia({ tags: ['Frontend API'] })
    .use(external)
    .get(
      '/t/:tenant/v1/oauth-callback/:name',
      ({ request, server, set, params, query }) => callback(request, server, set, params.tenant, params.name, query),
      { params, query: callbackParams, detail: { summary: 'Callback of a social provider (redirect)' } },
    )
    .post(
      '/t/:tenant/v1/oauth-callback/:name',
      // A provider's form_post is a cross-site POST, which carries no SameSite cookie: the callback is
      // taken by the GET this redirects to, a top-level navigation that does (and names the client).
      async ({ request, set, params, body }) => {
        const tenant = await TenantsService.resolveSlug(deps, params.tenant)
        const next = new URL(`${TenantsService.browserBaseOf(deps, tenant, request)}/v1/oauth-callback/${params.name}`)
        for (const [name, value] of Object.entries(body)) next.searchParams.set(name, value)
        set.status = 303
        set.headers.location = next.toString()
        return ''
      },
      {
        params,
        body: callbackParams,
        detail: { summary: 'Callback of a social provider by form_post: 303 to the GET, which carries the cookies' },
      },
    )
    .post(
      '/t/:tenant/saml/:id/acs',
      async ({ request, server, set, params, body }) => {
        const tenant = await TenantsService.resolveSlug(deps, params.tenant)
        requestMeta(request).tenantId = tenant.id
        const caller = callerOf(request, deps.peerOf(request, server), deps.trustedProxies)
        const base = TenantsService.browserBaseOf(deps, tenant, request)
        const outcome = await SamlAcs.receive(deps, tenant, params.id, body, { ...caller, base })
        // Set by the answer to the IdP's cross-site form POST (a top-level navigation, where SameSite=Lax
        // cookies are stored), and sent with the GET it redirects to.
        if (outcome.binding)
          set.headers['set-cookie'] = serialiseCookie(SamlAcs.BINDING_COOKIE, outcome.binding, {
            path: `/t/${tenant.slug}/saml/${params.id}/acs`,
            httpOnly: true,
            secure: deps.config.publicUrl.startsWith('https:'),
            maxAgeS: 120,
          })
        return answer(set, tenant, outcome)
      },
      {
        params: acsParams,
        body: t.Object(
          {
            SAMLResponse: t.Optional(t.String({ maxLength: 1_000_000 })),
            RelayState: t.Optional(t.String({ maxLength: 256 })),
          },
          { additionalProperties: true },
        ),
        detail: { summary: 'SAML assertion consumer service of an enterprise connection (HTTP-POST)' },
      },
    )
    .get(
      '/t/:tenant/saml/:id/acs',
      async ({ request, server, set, params, query }) => {
        const tenant = await TenantsService.resolveSlug(deps, params.tenant)
        requestMeta(request).tenantId = tenant.id
        const client = await findClient(deps, tenant, readCookie(request, '__client'))
        const outcome = await SamlAcs.complete(deps, tenant, params.id, {
          token: query.continue,
          clientId: client?.id ?? null,
          binding: readCookie(request, SamlAcs.BINDING_COOKIE),
          // An IdP-initiated sign-in may be this browser's first visit: it gets a client (and its cookie).
          async ensureClient() {
            if (client) return client.id
            const made = await browserClient(deps, tenant, request, server, null)
            set.headers['set-cookie'] = made.cookies as unknown as string
            return made.client.id
          },
          caller: callerOf(request, deps.peerOf(request, server), deps.trustedProxies),
          base: TenantsService.browserBaseOf(deps, tenant, request),
        })
        return answer(set, tenant, outcome)
      },
      {
        params: acsParams,
        query: t.Object({ continue: t.String({ maxLength: 8192 }) }),
        detail: { summary: 'The browser’s step of a SAML sign-in (bound to the client that started it)' },
      },
    )
}
