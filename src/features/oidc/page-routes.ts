import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { servePage } from '../hosted/page'
import { accountChooser } from './account-chooser'
import { consentPage, decide } from './consent'
import { devicePage } from './device-page'
import { confirmLogout, logout } from './end-session'
import { formOf, queryOf } from './form'
import * as HostedService from './hosted'
import { anyBody, errorPage, render, tenantOf, tenantParams } from './outcome'

/** The OAuth flow's hosted pages (API.md §1, §15): consent, device, account chooser, logout. */
export const oidcPageRoutes = (deps: Deps) =>
  new Elysia({ tags: ['Hosted pages'] })
    .get(
      '/t/:tenant/oauth/end_session',
      async ({ params, request, set }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        const outcome = await confirmLogout(deps, tenant, request, queryOf(request.url))
        if (outcome.kind === 'error_page') return errorPage(set, tenant, outcome.error)
        const nonce = HostedService.newNonce()
        HostedService.pageHeaders(set, nonce, tenant, { formActions: outcome.formActions })
        return HostedService.renderPage({ tenant, title: outcome.title, body: outcome.body, nonce })
      },
      { params: tenantParams, detail: { summary: 'RP-initiated logout: a confirmation page' } },
    )
    .post(
      '/t/:tenant/oauth/end_session',
      async ({ params, request, set, body, server }) => {
        const tenant = await tenantOf(deps, request, params.tenant)
        const outcome = await logout(deps, tenant, request, server, formOf(body))
        if (outcome.kind === 'page') {
          const nonce = HostedService.newNonce()
          HostedService.pageHeaders(set, nonce, tenant)
          return HostedService.renderPage({ tenant, title: outcome.title, body: outcome.body, nonce })
        }
        if (outcome.kind === 'error_page') return errorPage(set, tenant, outcome.error)
        set.status = 303
        set.headers.location = outcome.location
        return ''
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
