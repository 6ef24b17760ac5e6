import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { servePage } from '../hosted/page'
import { accountChooser } from './account-chooser'
import { consentPage, decide } from './consent'
import { devicePage } from './device-page'
import { confirmLogout, logout, type EndSessionOutcome } from './end-session'
import { formOf, queryOf } from './form'
import * as HostedService from './hosted'
import type { TenantRow } from '../tenants/service'
import { anyBody, render, tenantOf, tenantParams, type Set } from './outcome'

/** A logout outcome: a page of ours, a redirect, or the error page. */
function pageOf(
  set: Set,
  tenant: TenantRow,
  outcome: EndSessionOutcome & { formActions?: string[] },
  status: 302 | 303,
) {
  if (outcome.kind !== 'page') return render(set, tenant, outcome, status)
  const nonce = HostedService.newNonce()
  HostedService.pageHeaders(set, nonce, tenant, { formActions: outcome.formActions ?? [] })
  return HostedService.renderPage({ tenant, title: outcome.title, body: outcome.body, nonce })
}

/** The OAuth flow's hosted pages (API.md §1, §15): consent, device, account chooser, logout. */
export const oidcPageRoutes = (deps: Deps) =>
  new Elysia({ tags: ['Hosted pages'] })
    .get(
      '/t/:tenant/oauth/end_session',
      async ({ params, request, set, server }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        const outcome = await confirmLogout(deps, tenant, request, server, queryOf(request.url))
        return pageOf(set, tenant, outcome, 302)
      },
      {
        params: tenantParams,
        detail: { summary: 'RP-initiated logout: with a valid id_token_hint at once, else a confirmation page' },
      },
    )
    .post(
      '/t/:tenant/oauth/end_session',
      async ({ params, request, set, body, server }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        return pageOf(set, tenant, await logout(deps, tenant, request, server, formOf(body)), 303)
      },
      { params: tenantParams, body: anyBody, detail: { summary: 'RP-initiated logout: sign out and go back' } },
    )
    .get(
      '/t/:tenant/device',
      ({ params, request, server, set, query }) =>
        servePage(deps, { request, server, set, slug: params.tenant, input: query }, (p, fields) =>
          devicePage(deps, p, fields, false),
        ),
      { params: tenantParams, detail: { summary: 'Hosted device verification page (RFC 8628 §3.3)' } },
    )
    .post(
      '/t/:tenant/device',
      ({ params, request, server, set, body }) =>
        servePage(deps, { request, server, set, slug: params.tenant, input: body }, (p, fields) =>
          devicePage(deps, p, fields, true),
        ),
      { params: tenantParams, body: anyBody, detail: { summary: 'Hosted device verification: code, allow, deny' } },
    )
    .get(
      '/t/:tenant/select-account',
      ({ params, request, server, set, query }) =>
        servePage(deps, { request, server, set, slug: params.tenant, input: query }, (p, fields) =>
          accountChooser(deps, p, fields, request),
        ),
      { params: tenantParams, detail: { summary: 'Hosted account chooser (prompt=select_account)' } },
    )
    .post(
      '/t/:tenant/select-account',
      ({ params, request, server, set, body }) =>
        servePage(deps, { request, server, set, slug: params.tenant, input: body }, (p, fields) =>
          accountChooser(deps, p, fields, request),
        ),
      { params: tenantParams, body: anyBody, detail: { summary: 'Hosted account chooser: pick an account' } },
    )
    .get(
      '/t/:tenant/consent',
      async ({ params, request, set }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        const nonce = HostedService.newNonce()
        const view = await consentPage(deps, tenant, request, queryOf(request.url).auth_request ?? '', nonce)
        if (view.kind !== 'page') return render(set, tenant, view)
        HostedService.pageHeaders(set, nonce, tenant, { formActions: view.formActions, images: view.images })
        return view.html
      },
      { params: tenantParams, detail: { summary: 'Hosted consent page' } },
    )
    .post(
      '/t/:tenant/consent',
      async ({ params, request, set, body }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        return render(set, tenant, await decide(deps, tenant, request, formOf(body)), 303)
      },
      { params: tenantParams, body: anyBody, detail: { summary: 'Hosted consent: allow or deny' } },
    )
