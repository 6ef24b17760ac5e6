import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import * as ApiKeysService from '../api-keys/service'
import * as LicensesService from '../licenses/service'
import * as TemplatesService from '../templates/service'
import { AppError } from '../../platform/errors'
import { textOf } from '../hosted/form'
import * as TenantsService from '../tenants/service'
import { refuseLockingOut, requireOperator, requireWrite, tenantFor } from './access'
import { consoleHandlers, hide } from './handlers'
import { auditPage, tenantTrail } from './pages/audit'
import { keyCreated, keysPage, scopesFrom } from './pages/keys'
import { licensesPage } from './pages/licenses'
import { draftFrom, templatePage, templatesPage } from './pages/templates'
import { overviewPage } from './pages/overview'
import { tenantCreated, tenantsPage } from './pages/tenants'
import { secretKeyRotated, settingsPage, settingsPatchFrom } from './pages/settings'

/** Tenants (operators), and a tenant's settings, keys, deletion and audit log. */
export const tenantRoutes = (deps: Deps) => {
  const { page, action, by, required } = consoleHandlers(deps)
  return new Elysia({ prefix: '/console', detail: hide })
    .get(
      '/tenants',
      page(async (x, viewer, csrf) => {
        requireOperator(viewer)
        return tenantsPage(deps, viewer, csrf, x.query.cursor)
      }),
    )
    .post(
      '/tenants',
      action(async (x, viewer, fields) => {
        requireOperator(viewer)
        requireWrite(viewer)
        const { actor, caller } = by(x, viewer)
        return tenantCreated(await TenantsService.create(deps, { name: required(fields, 'name') }, { actor, caller }))
      }),
    )
    .get(
      '/tenants/:id/overview',
      page(async (x, viewer) => overviewPage(deps, await tenantFor(deps, viewer, x.params.id!))),
    )
    .get(
      '/tenants/:id/service-keys',
      page(async (x, viewer, csrf) => {
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        return keysPage(deps, viewer, tenant, csrf, x.query.done === 'revoked' ? 'Key revoked: refused at once.' : null)
      }),
    )
    .post(
      '/tenants/:id/service-keys',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const body = { name: required(fields, 'name'), scopes: scopesFrom(fields) }
        return keyCreated(tenant, await ApiKeysService.create(deps, tenant, body, by(x, viewer).actor))
      }),
    )
    .post(
      '/tenants/:id/service-keys/:key/revoke',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        await ApiKeysService.revoke(deps, tenant, x.params.key!, by(x, viewer).actor)
        return `/console/tenants/${tenant.id}/service-keys?done=revoked`
      }),
    )
    .get(
      '/tenants/:id/licenses',
      page(async (x, viewer, csrf) => {
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const notice = x.query.done === 'revoked' ? 'License key revoked.' : null
        return licensesPage(deps, viewer, tenant, csrf, notice)
      }),
    )
    .post(
      '/tenants/:id/licenses/:key/revoke',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        await LicensesService.LicenseKeys.revoke(deps, tenant, x.params.key!, by(x, viewer).actor)
        return `/console/tenants/${tenant.id}/licenses?done=revoked`
      }),
    )
    .get(
      '/tenants/:id/templates',
      page(async (x, viewer) => templatesPage(deps, await tenantFor(deps, viewer, x.params.id!))),
    )
    .get(
      '/tenants/:id/templates/:slug',
      page(async (x, viewer, csrf) => {
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const notice =
          x.query.done === 'saved' ? 'Template saved.' : x.query.done === 'reverted' ? 'Back to the default.' : null
        return templatePage(deps, viewer, tenant, csrf, x.params.slug!, { notice })
      }),
    )
    .post(
      '/tenants/:id/templates/:slug',
      action(async (x, viewer, fields, csrf) => {
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const draft = draftFrom(fields)
        // "Preview" changes nothing: the draft is rendered with sample values and shown again.
        if (fields.intent !== 'save')
          return templatePage(deps, viewer, tenant, csrf, x.params.slug!, { draft, preview: true })
        requireWrite(viewer)
        await TemplatesService.put(deps, tenant, 'email', x.params.slug!, draft, by(x, viewer).actor)
        return `/console/tenants/${tenant.id}/templates/${x.params.slug}?done=saved`
      }),
    )
    .post(
      '/tenants/:id/templates/:slug/revert',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        await TemplatesService.revert(deps, tenant, 'email', x.params.slug!, undefined, by(x, viewer).actor)
        return `/console/tenants/${tenant.id}/templates/${x.params.slug}?done=reverted`
      }),
    )
    .get(
      '/tenants/:id/settings',
      page(async (x, viewer, csrf) => {
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const notices: Record<string, string> = {
          saved: 'Settings saved.',
          keys: 'Signing-key rotation started: the new key signs after the overlap.',
        }
        return settingsPage(viewer, tenant, csrf, notices[x.query.done ?? ''] ?? null)
      }),
    )
    .post(
      '/tenants/:id/settings',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const settings = TenantsService.settingsPatchOf(settingsPatchFrom(fields))
        await refuseLockingOut(deps, viewer, tenant, settings)
        await TenantsService.update(deps, tenant.id, { settings }, by(x, viewer))
        return `/console/tenants/${tenant.id}/settings?done=saved`
      }),
    )
    .post(
      '/tenants/:id/settings/preview',
      action(async (x, viewer, fields, csrf) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        // The form as it was filled in, shown on the tenant as it would be; nothing is saved.
        const previewed = TenantsService.previewSettings(deps, tenant, settingsPatchFrom(fields))
        return settingsPage(viewer, previewed, csrf, 'Preview: nothing is saved until you save the settings.')
      }),
    )
    .post(
      '/tenants/:id/:operation',
      action(async (x, viewer, fields) => {
        requireOperator(viewer, ['super_admin', 'admin'])
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const acting = by(x, viewer)
        switch (x.params.operation) {
          case 'rotate-secret-key':
            return secretKeyRotated(tenant, await TenantsService.rotateSecretKey(deps, tenant.id, acting))
          case 'rotate-signing-keys':
            await TenantsService.rotateKeys(deps, tenant.id, acting)
            return `/console/tenants/${tenant.id}/settings?done=keys`
          case 'delete':
            // Typed, not clicked: the slug confirms which tenant goes.
            if (textOf(fields, 'confirm') !== tenant.slug)
              throw new AppError('form_param_format_invalid', { param_name: 'confirm', reason: 'type_the_slug' })
            await TenantsService.remove(deps, tenant.id, acting)
            return '/console/tenants'
          default:
            throw new AppError('resource_not_found')
        }
      }),
    )
    .get(
      '/tenants/:id/audit',
      page(async (x, viewer, csrf) =>
        auditPage(deps, tenantTrail(await tenantFor(deps, viewer, x.params.id!)), csrf, x.query),
      ),
    )
    .post(
      '/tenants/:id/audit/verify',
      action(async (x, viewer, _fields, csrf) =>
        auditPage(deps, tenantTrail(await tenantFor(deps, viewer, x.params.id!)), csrf, {}, true),
      ),
    )
}
