import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { tenantGuards } from '../tenants/guards'
import * as RolesModel from '../roles/model'
import * as UserModel from '../users/model'
import * as AccountsService from './service'

/** Backend API users (API.md §7): the tenant's backend manages its users with its secret key. */
export const userRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/users', tags: ['Users'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        return AccountsService.create(deps, tenant, body, backend)
      },
      {
        secretKey: 'users:write',
        body: UserModel.createBody,
        detail: { summary: 'Create a user (given addresses count as verified)' },
      },
    )
    .get('', ({ tenant, query }) => AccountsService.list(deps, tenant, query), {
      secretKey: 'users:read',
      query: UserModel.listUsersQuery,
      detail: { summary: 'List users, newest first, with filters' },
    })
    .get('/:id', ({ tenant, params }) => AccountsService.get(deps, tenant, params.id), {
      secretKey: 'users:read',
      params: UserModel.idParams,
      detail: { summary: 'Get a user' },
    })
    .patch(
      '/:id',
      ({ tenant, backend, params, body }) => AccountsService.update(deps, tenant, params.id, body, backend),
      {
        secretKey: 'users:write',
        params: UserModel.idParams,
        body: UserModel.updateBody,
        detail: { summary: 'Update a user; each metadata object given replaces the stored one' },
      },
    )
    .delete(
      '/:id',
      async ({ tenant, backend, params }) => {
        await AccountsService.remove(deps, tenant, params.id, { actor: backend })
        return { object: 'user', id: params.id, deleted: true }
      },
      {
        secretKey: 'users:write',
        params: UserModel.idParams,
        detail: { summary: 'Delete a user: erase personal data and revoke sessions' },
      },
    )
    .post('/:id/ban', ({ tenant, backend, params }) => AccountsService.ban(deps, tenant, params.id, backend), {
      secretKey: 'users:write',
      params: UserModel.idParams,
      detail: { summary: 'Ban a user and revoke all of their sessions' },
    })
    .post('/:id/unban', ({ tenant, backend, params }) => AccountsService.unban(deps, tenant, params.id, backend), {
      secretKey: 'users:write',
      params: UserModel.idParams,
      detail: { summary: 'Lift a ban' },
    })
    .post('/:id/lock', ({ tenant, backend, params }) => AccountsService.lock(deps, tenant, params.id, backend), {
      secretKey: 'users:write',
      params: UserModel.idParams,
      detail: { summary: 'Lock a user until unlocked' },
    })
    .post('/:id/unlock', ({ tenant, backend, params }) => AccountsService.unlock(deps, tenant, params.id, backend), {
      secretKey: 'users:write',
      params: UserModel.idParams,
      detail: { summary: 'Unlock a user and reset failed password attempts' },
    })
    .post(
      '/:id/verify-password',
      ({ tenant, params, body }) => AccountsService.verifyPassword(deps, tenant, params.id, body.password),
      {
        secretKey: 'users:write',
        params: UserModel.idParams,
        body: UserModel.verifyPasswordBody,
        detail: { summary: 'Check a user’s password' },
      },
    )
    .put(
      '/:id/roles',
      ({ tenant, backend, params, body }) => AccountsService.setRoles(deps, tenant, params.id, body.roles, backend),
      {
        secretKey: 'roles:manage',
        params: UserModel.idParams,
        body: RolesModel.userRolesBody,
        detail: { summary: 'Replace the user’s tenant roles (the session token’s `roles` claim)' },
      },
    )
