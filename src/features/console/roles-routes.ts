import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import * as RolesModel from '../roles/model'
import * as RolesService from '../roles/service'
import { requireWrite, tenantFor } from './access'
import { checked, consoleHandlers, hide } from './handlers'
import { permissionsFrom, roleEditFrom, roleFrom, rolePage, rolesPage } from './pages/roles'

/** A tenant's roles and permissions (API.md §14), each change through the roles service as the API makes it. */
export const rolesRoutes = (deps: Deps) => {
  const { page, action, by, required } = consoleHandlers(deps)
  const roles = (tenantId: string) => `/console/tenants/${tenantId}/roles`
  return new Elysia({ prefix: '/console', detail: hide })
    .get(
      '/tenants/:id/roles',
      page(async (x, viewer, csrf) => rolesPage(deps, viewer, await tenantFor(deps, viewer, x.params.id!), csrf)),
    )
    .post(
      '/tenants/:id/roles',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const body = checked(RolesModel.createRoleBody, roleFrom(fields))
        await RolesService.createRole(deps, tenant, body, by(x, viewer).actor)
        return roles(tenant.id)
      }),
    )
    .post(
      '/tenants/:id/roles/permissions',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const body = checked(RolesModel.createPermissionBody, {
          key: required(fields, 'key'),
          name: required(fields, 'name'),
        })
        await RolesService.createPermission(deps, tenant, body, by(x, viewer).actor)
        return roles(tenant.id)
      }),
    )
    .get(
      '/tenants/:id/roles/:role',
      page(async (x, viewer, csrf) =>
        rolePage(deps, viewer, await tenantFor(deps, viewer, x.params.id!), csrf, x.params.role!),
      ),
    )
    .post(
      '/tenants/:id/roles/:role',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const body = checked(RolesModel.updateRoleBody, roleEditFrom(fields))
        await RolesService.updateRole(deps, tenant, x.params.role!, body, by(x, viewer).actor)
        return `${roles(tenant.id)}/${x.params.role}`
      }),
    )
    .post(
      '/tenants/:id/roles/:role/permissions',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const body = checked(RolesModel.rolePermissionsBody, { permissions: permissionsFrom(fields) })
        await RolesService.setRolePermissions(deps, tenant, x.params.role!, body.permissions, by(x, viewer).actor)
        return `${roles(tenant.id)}/${x.params.role}`
      }),
    )
    .post(
      '/tenants/:id/roles/:role/delete',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        await RolesService.removeRole(deps, tenant, x.params.role!, by(x, viewer).actor)
        return roles(tenant.id)
      }),
    )
}
