import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import * as EnterpriseConnectionsModel from '../enterprise-connections/model'
import * as EnterpriseConnectionsService from '../enterprise-connections/service'
import * as OAuthProvidersModel from '../oauth-providers/model'
import * as OAuthProvidersService from '../oauth-providers/service'
import type { TenantRow } from '../tenants/service'
import { requireWrite, tenantFor } from './access'
import { checked, consoleHandlers, hide } from './handlers'
import { enterpriseFrom, providersPage, socialFrom, testProvider } from './pages/providers'

type Actor = Parameters<typeof OAuthProvidersService.remove>[3]

/** Social providers (`social`) and enterprise connections (`enterprise`), each as their service changes them. */
const KINDS = {
  social: {
    switchTo: (deps: Deps, tenant: TenantRow, id: string, on: boolean, actor: Actor) =>
      OAuthProvidersService.update(deps, tenant, id, { enabled: on }, actor),
    remove: OAuthProvidersService.remove,
  },
  enterprise: {
    switchTo: (deps: Deps, tenant: TenantRow, id: string, on: boolean, actor: Actor) =>
      EnterpriseConnectionsService.update(deps, tenant, id, { active: on }, actor),
    remove: EnterpriseConnectionsService.remove,
  },
} as const

const kindOf = (value: string | undefined) => {
  if (value !== 'social' && value !== 'enterprise') throw new AppError('resource_not_found')
  return value
}

/** A tenant's sign-in providers (API.md §16): add, switch on or off, remove, and probe them. */
export const providerRoutes = (deps: Deps) => {
  const { page, action, by } = consoleHandlers(deps)
  const providers = (tenant: TenantRow) => `/console/tenants/${tenant.id}/providers`
  return new Elysia({ prefix: '/console', detail: hide })
    .get(
      '/tenants/:id/providers',
      page(async (x, viewer, csrf) => providersPage(deps, viewer, await tenantFor(deps, viewer, x.params.id!), csrf)),
    )
    .post(
      '/tenants/:id/providers/social',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const body = checked(OAuthProvidersModel.createBody, socialFrom(fields))
        await OAuthProvidersService.create(deps, tenant, body, by(x, viewer).actor)
        return providers(tenant)
      }),
    )
    .post(
      '/tenants/:id/providers/enterprise',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const body = checked(EnterpriseConnectionsModel.createBody, enterpriseFrom(fields))
        await EnterpriseConnectionsService.create(deps, tenant, body, by(x, viewer).actor)
        return providers(tenant)
      }),
    )
    .post(
      '/tenants/:id/providers/:kind/:provider/:change',
      action(async (x, viewer, _fields, csrf) => {
        // A probe reaches out to the provider: a change of the world outside, so admins only.
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const kind = kindOf(x.params.kind)
        const id = x.params.provider!
        const actor = by(x, viewer).actor
        switch (x.params.change) {
          case 'test':
            return providersPage(deps, viewer, tenant, csrf, { id, result: await testProvider(deps, tenant, kind, id) })
          case 'enable':
          case 'disable':
            await KINDS[kind].switchTo(deps, tenant, id, x.params.change === 'enable', actor)
            return providers(tenant)
          case 'remove':
            await KINDS[kind].remove(deps, tenant, id, actor)
            return providers(tenant)
          default:
            throw new AppError('resource_not_found')
        }
      }),
    )
}
