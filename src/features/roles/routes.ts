import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { listQuery } from '../../platform/http/pagination'
import { tenantGuards } from '../tenants/guards'
import * as RolesModel from './model'
import * as RolesService from './service'

/** Backend API permissions (API.md §14). */
export const permissionRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/permissions', tags: ['Roles'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        return RolesService.createPermission(deps, tenant, body, backend)
      },
      {
        secretKey: 'roles:manage',
        body: RolesModel.createPermissionBody,
        detail: { summary: 'Create a permission (`org:<feature>:<action>`)' },
      },
    )
    .get('', ({ tenant, query }) => RolesService.listPermissions(deps, tenant, query), {
      secretKey: 'roles:manage',
      query: listQuery,
      detail: { summary: 'List permissions, system ones included, newest first' },
    })
    .get('/:id', ({ tenant, params }) => RolesService.getPermission(deps, tenant, params.id), {
      secretKey: 'roles:manage',
      params: RolesModel.idParams,
      detail: { summary: 'Get a permission' },
    })
    .patch(
      '/:id',
      ({ tenant, backend, params, body }) => RolesService.updatePermission(deps, tenant, params.id, body, backend),
      {
        secretKey: 'roles:manage',
        params: RolesModel.idParams,
        body: RolesModel.updatePermissionBody,
        detail: { summary: 'Rename or describe a custom permission' },
      },
    )
    .delete(
      '/:id',
      async ({ tenant, backend, params }) => {
        await RolesService.removePermission(deps, tenant, params.id, backend)
        return { object: 'permission', id: params.id, deleted: true }
      },
      {
        secretKey: 'roles:manage',
        params: RolesModel.idParams,
        detail: { summary: 'Delete a custom permission; roles that had it lose it' },
      },
    )

/** Backend API roles (API.md §14): organization roles with levels and permissions, and tenant roles. */
export const roleRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/roles', tags: ['Roles'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        return RolesService.createRole(deps, tenant, body, backend)
      },
      { secretKey: 'roles:manage', body: RolesModel.createRoleBody, detail: { summary: 'Create a role' } },
    )
    .get('', ({ tenant, query }) => RolesService.listRoles(deps, tenant, query), {
      secretKey: 'roles:manage',
      query: RolesModel.rolesQuery,
      detail: { summary: 'List roles, newest first, optionally of one scope' },
    })
    .get('/:id', ({ tenant, params }) => RolesService.getRole(deps, tenant, params.id), {
      secretKey: 'roles:manage',
      params: RolesModel.idParams,
      detail: { summary: 'Get a role' },
    })
    .patch(
      '/:id',
      ({ tenant, backend, params, body }) => RolesService.updateRole(deps, tenant, params.id, body, backend),
      {
        secretKey: 'roles:manage',
        params: RolesModel.idParams,
        body: RolesModel.updateRoleBody,
        detail: { summary: 'Update a role; a system role keeps its key and level' },
      },
    )
    .delete(
      '/:id',
      async ({ tenant, backend, params }) => {
        await RolesService.removeRole(deps, tenant, params.id, backend)
        return { object: 'role', id: params.id, deleted: true }
      },
      {
        secretKey: 'roles:manage',
        params: RolesModel.idParams,
        detail: { summary: 'Delete a custom role that nobody holds' },
      },
    )
    .put(
      '/:id/permissions',
      ({ tenant, backend, params, body }) =>
        RolesService.setRolePermissions(deps, tenant, params.id, body.permissions, backend),
      {
        secretKey: 'roles:manage',
        params: RolesModel.idParams,
        body: RolesModel.rolePermissionsBody,
        detail: { summary: 'Replace an organization role’s permissions' },
      },
    )
