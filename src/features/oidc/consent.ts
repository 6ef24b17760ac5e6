import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import * as HostedService from './hosted'
import * as OrganizationsService from '../organizations/service'
import * as UsersService from '../users/service'
import { withTenant } from '../../platform/db/tx'
import type { TenantRow } from '../tenants/service'
import { RedirectableError } from './auth-params'
import {
  consentSession,
  deny,
  errorAnswer,
  issueCode,
  loadRequest,
  organizationFor,
  paramsOf,
  proceed,
  type AuthorizeOutcome,
} from './authorize'
import { browserSession } from './browser-session'
import { applicationOf } from './client-auth'
import { OAuthError } from './errors'
import { formActionOf } from './redirect-uris'
import type { AuthRequestRow } from './repo'

const { escapeHtml } = HostedService

export type ConsentView = { kind: 'page'; html: string; formActions: string[]; images: string[] } | AuthorizeOutcome

const expired = (): AuthorizeOutcome => ({
  kind: 'error_page',
  error: new OAuthError('invalid_request', 'This sign-in request has expired. Start again from the application.'),
})

/**
 * The browser's session that the pipeline sent to consent — it met the request's prompt, max_age and
 * account choice. Any other (signed out since, another account, a page opened without the pipeline)
 * goes back through the pipeline instead.
 */
async function consenting(deps: Deps, tenant: TenantRow, request: Request, row: AuthRequestRow) {
  const pinned = consentSession(row)
  if (!pinned) return null
  const browser = await browserSession(deps, tenant, request, row.createdAt.getTime(), pinned)
  return browser?.session?.id === pinned ? { clientId: browser.clientId, session: browser.session } : null
}

/**
 * `GET {issuer}/consent?auth_request=` (API.md §15): names the application, the account and what it
 * asks; one form whose POST allows or denies. Without a signed-in browser it goes back to the
 * authorization pipeline (which sends it to sign in).
 */
export async function consentPage(
  deps: Deps,
  tenant: TenantRow,
  request: Request,
  authRequestId: string,
  nonce: string,
): Promise<ConsentView> {
  const row = await loadRequest(deps, tenant, authRequestId, request)
  if (!row) return expired()
  const params = paramsOf(row)
  const app = await applicationOf(deps, tenant, params.client_id)
  const browser = await consenting(deps, tenant, request, row)
  if (!app || !browser) return proceed(deps, tenant, request, row)
  const who = await withTenant(deps.db, tenant.id, (tx) =>
    UsersService.loadUser(tx, tenant.id, browser.session!.userId),
  )
  const email = who?.identifications.find((i) => i.id === who.user.primaryEmailAddressId)?.value
  const account = email ?? who?.user.username ?? browser.session.userId
  const org = params.organization
    ? await OrganizationsService.get(deps, tenant, params.organization, 'frontend').catch(() => null)
    : null
  const csrf = await HostedService.issueCsrf(deps, browser.clientId)
  const logo = app.logoUrl ? `<img class="logo" src="${escapeHtml(app.logoUrl)}" alt="">` : ''
  const body =
    `${logo}<p><strong>${escapeHtml(app.name)}</strong> wants to access your account ` +
    `<strong>${escapeHtml(account)}</strong>${org ? ` in <strong>${escapeHtml(org.name)}</strong>` : ''}.</p>` +
    `<p>It will be able to:</p>${HostedService.scopeList(params.scopes)}` +
    (params.resource ? `<p>Its access will be for <strong>${escapeHtml(params.resource)}</strong>.</p>` : '') +
    `<p class="note">You can withdraw this access at any time from your account.</p>` +
    `<form method="post" action="">${HostedService.hidden('csrf', csrf)}` +
    HostedService.hidden('auth_request', row.id) +
    `<button type="submit" name="decision" value="allow" autofocus>Allow</button>` +
    `<button type="submit" class="secondary" name="decision" value="deny">Deny</button></form>`
  return {
    kind: 'page',
    html: HostedService.renderPage({ tenant, title: `Allow ${app.name}?`, body, nonce }),
    formActions: [formActionOf(params.redirect_uri)],
    images: app.logoUrl ? [new URL(app.logoUrl).origin] : [],
  }
}

/**
 * `POST {issuer}/consent`: CSRF-checked (token bound to the browser's client, and Origin); allow records
 * the grant and issues the code, deny answers `access_denied`. The request completes once: a replayed
 * form finds it answered.
 */
export async function decide(
  deps: Deps,
  tenant: TenantRow,
  request: Request,
  form: Record<string, string | undefined>,
): Promise<AuthorizeOutcome> {
  HostedService.checkFormOrigin(deps, tenant, request)
  const row = await loadRequest(deps, tenant, form.auth_request ?? '', request)
  if (!row) return expired()
  const browser = await consenting(deps, tenant, request, row)
  if (!browser) return proceed(deps, tenant, request, row)
  await HostedService.checkFormPost(deps, tenant, request, browser.clientId, form.csrf)
  if (form.decision === 'deny') return deny(deps, tenant, row)
  if (form.decision !== 'allow') throw new AppError('form_param_format_invalid', { param_name: 'decision' })
  const params = paramsOf(row)
  const app = await applicationOf(deps, tenant, params.client_id)
  if (!app) return expired()
  try {
    // The membership was checked when the pipeline sent the browser here; it may have changed since.
    const organizationId = await organizationFor(deps, tenant, params, browser.session)
    return await issueCode(deps, tenant, app, row, browser.session, organizationId)
  } catch (err) {
    if (err instanceof RedirectableError) return errorAnswer(deps, tenant, params, err)
    throw err
  }
}
