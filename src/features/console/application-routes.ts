import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import * as OidcService from '../oidc/service'
import type { TenantRow } from '../tenants/service'
import { requireWrite, tenantFor } from './access'
import { consoleHandlers, hide } from './handlers'
import { applicationCreated, applicationPage, applicationsPage } from './pages/applications'

const NOTICES: Record<string, string> = { revoked: 'Grant revoked: its tokens are refused.' }

/** A tenant's OpenID Connect applications (API.md §15) and the grants people gave them. */
export const applicationRoutes = (deps: Deps) => {
  const { page, action, by, required } = consoleHandlers(deps)
  const base = (tenant: TenantRow, id: string) => `/console/tenants/${tenant.id}/applications/${id}`
  /** The application to change: the console's own is repaired at every console sign-in, never changed here. */
  const changeable = async (tenant: TenantRow, id: string) => {
    const app = await OidcService.getApplication(deps, tenant, id)
    if (app.client_id === OidcService.CONSOLE_CLIENT_ID)
      throw new AppError('permission_denied', { reason: 'system_resource' })
    return app
  }
  return new Elysia({ prefix: '/console', detail: hide })
    .get(
      '/tenants/:id/applications',
      page(async (x, viewer, csrf) =>
        applicationsPage(deps, viewer, await tenantFor(deps, viewer, x.params.id!), csrf),
      ),
    )
    .post(
      '/tenants/:id/applications',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const body = {
          name: required(fields, 'name'),
          redirect_uris: [required(fields, 'redirect_uri')],
          public: fields.public === 'true',
        }
        return applicationCreated(tenant, await OidcService.createApplication(deps, tenant, body, by(x, viewer).actor))
      }),
    )
    .get(
      '/tenants/:id/applications/:app',
      page(async (x, viewer, csrf) => {
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        return applicationPage(deps, viewer, tenant, csrf, x.params.app!, NOTICES[x.query.done ?? ''] ?? null)
      }),
    )
    .post(
      '/tenants/:id/applications/:app/grants/:grant/revoke',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const app = await changeable(tenant, x.params.app!)
        await OidcService.revokeGrant(deps, tenant, x.params.grant!, { applicationId: app.id }, by(x, viewer).actor)
        return `${base(tenant, app.id)}?done=revoked`
      }),
    )
    .post(
      '/tenants/:id/applications/:app/rotate-secret',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const app = await changeable(tenant, x.params.app!)
        return applicationCreated(
          tenant,
          await OidcService.rotateApplicationSecret(deps, tenant, app.id, by(x, viewer).actor),
        )
      }),
    )
    .post(
      '/tenants/:id/applications/:app/delete',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const app = await changeable(tenant, x.params.app!)
        await OidcService.removeApplication(deps, tenant, app.id, by(x, viewer).actor)
        return `/console/tenants/${tenant.id}/applications`
      }),
    )
}
