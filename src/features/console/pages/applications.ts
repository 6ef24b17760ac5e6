import type { Deps } from '../../../deps'
import * as OidcService from '../../oidc/service'
import type { TenantRow } from '../../tenants/service'
import { canWrite } from '../access'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { field, postForm, table, tenantTabs, text, when } from './kit'

/** The tenant's OpenID Connect applications (API.md §15); admins register one (a confidential one's secret once). */
export async function applicationsPage(deps: Deps, viewer: Viewer, tenant: TenantRow, csrf: string) {
  const apps = await OidcService.listApplications(deps, tenant, { limit: '100' })
  const rows = apps.data.map((a) => [
    text(a.name),
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
