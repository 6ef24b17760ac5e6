import type { Deps } from '../../../deps'
import * as OidcService from '../../oidc/service'
import type { TenantRow } from '../../tenants/service'
import { canWrite } from '../access'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { field, link, postForm, table, tenantTabs, text, when } from './kit'

/** The tenant's OpenID Connect applications (API.md §15); admins register one (a confidential one's secret once). */
export async function applicationsPage(deps: Deps, viewer: Viewer, tenant: TenantRow, csrf: string) {
  const apps = await OidcService.listApplications(deps, tenant, { limit: '100' })
  const rows = apps.data.map((a) => [
    link(`/console/tenants/${tenant.id}/applications/${a.id}`, a.name),
    `<code>${text(a.client_id)}</code>`,
    a.public ? 'public (PKCE)' : 'confidential',
    a.first_party ? 'first-party' : 'third-party',
    text(a.redirect_uris.join(' ')),
    when(a.created_at),
  ])
  const kind =
    '<label for="f-public">Kind</label><select id="f-public" name="public">' +
    '<option value="false">Confidential (a server keeps a secret)</option>' +
    '<option value="true">Public (a browser or mobile app, PKCE)</option></select>'
  const page: ConsolePage = {
    title: `${tenant.name}: applications`,
    body:
      tenantTabs(tenant.id) +
      table(['Name', 'Client id', 'Kind', 'Party', 'Redirect URIs', 'Created'], rows, 'No applications.') +
      (canWrite(viewer)
        ? '<h2>Register an application</h2>' +
          postForm(`/console/tenants/${tenant.id}/applications`, csrf, 'Register', {
            fields: field('Name', 'name') + field('Redirect URI', 'redirect_uri', 'url') + kind,
          })
        : ''),
  }
  return page
}

/** The answer to "Register": its client id, and a confidential one's secret shown this once. */
export const applicationCreated = (
  tenant: TenantRow,
  app: { name: string; client_id: string; client_secret?: string },
): ConsolePage => ({
  title: `Application ${app.name} registered`,
  body:
    tenantTabs(tenant.id) +
    `<p>Client id: <code>${text(app.client_id)}</code></p>` +
    (app.client_secret ? `<p>Client secret, shown this once: <code>${text(app.client_secret)}</code></p>` : ''),
})

/**
 * One application: its settings, the grants people gave it (each revocable, which ends the tokens it issued), a
 * new secret for a confidential one, and deletion. The console's own application is shown, never changed here.
 */
export async function applicationPage(
  deps: Deps,
  viewer: Viewer,
  tenant: TenantRow,
  csrf: string,
  id: string,
  notice: string | null,
): Promise<ConsolePage> {
  const app = await OidcService.getApplication(deps, tenant, id)
  const grants = await OidcService.listGrants(deps, tenant, { applicationId: app.id }, { limit: '100' })
  const base = `/console/tenants/${tenant.id}/applications/${app.id}`
  const write = canWrite(viewer) && app.client_id !== OidcService.CONSOLE_CLIENT_ID
  const grantRows = grants.data.map((g) => [
    link(`/console/tenants/${tenant.id}/users/${g.user_id}`, g.user_id),
    text(g.scopes.join(' ')),
    text(g.organization_id ?? '—'),
    when(g.last_used_at),
    write ? postForm(`${base}/grants/${g.id}/revoke`, csrf, 'Revoke', { inline: true, danger: true }) : '',
  ])
  return {
    title: `Application ${app.name}`,
    body:
      tenantTabs(tenant.id) +
      (notice ? `<p role="status" class="ok">${text(notice)}</p>` : '') +
      table(
        ['Field', 'Value'],
        [
          ['Client id', `<code>${text(app.client_id)}</code>`],
          ['Kind', app.public ? 'public (PKCE)' : 'confidential'],
          ['Redirect URIs', text(app.redirect_uris.join(' ') || '—')],
          ['Grant types', text(app.grant_types.join(' '))],
          ['Scopes', text(app.scopes.join(' '))],
          ['Consent', app.consent_required ? 'asked' : 'not asked'],
          ['Created', when(app.created_at)],
        ],
        '',
      ) +
      `<h2>Grants</h2>${table(['User', 'Scopes', 'Organization', 'Last used', ''], grantRows, 'No grants yet.')}` +
      (write
        ? (app.public ? '' : postForm(`${base}/rotate-secret`, csrf, 'New client secret (the old one stops)')) +
          postForm(`${base}/delete`, csrf, 'Delete application (ends its tokens)', { danger: true })
        : ''),
  }
}
