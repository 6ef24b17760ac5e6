import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { tenantGuards } from '../tenants/guards'
import * as UserModel from './model'
import * as UsersService from './service'

/** Backend API users (API.md §7): the tenant's backend manages its users with its secret key. */
export const userRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/users', tags: ['Users'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, body, set }) => {
        set.status = 201
        return UsersService.create(deps, tenant, body)
      },
      {
        secretKey: true,
        body: UserModel.createBody,
        detail: { summary: 'Create a user (given addresses count as verified)' },
      },
    )
    .get('', ({ tenant, query }) => UsersService.list(deps, tenant, query), {
      secretKey: true,
      query: UserModel.listUsersQuery,
      detail: { summary: 'List users, newest first, with filters' },
    })
    .get('/:id', ({ tenant, params }) => UsersService.get(deps, tenant, params.id), {
      secretKey: true,
      params: UserModel.idParams,
      detail: { summary: 'Get a user' },
    })
    .patch('/:id', ({ tenant, params, body }) => UsersService.update(deps, tenant, params.id, body), {
      secretKey: true,
      params: UserModel.idParams,
      body: UserModel.updateBody,
      detail: { summary: 'Update a user; each metadata object given replaces the stored one' },
    })
    .delete(
      '/:id',
      async ({ tenant, params }) => {
        await UsersService.remove(deps, tenant, params.id)
        return { object: 'user', id: params.id, deleted: true }
      },
      {
        secretKey: true,
        params: UserModel.idParams,
        detail: { summary: 'Delete a user: erase personal data and revoke sessions' },
      },
    )
    .post('/:id/ban', ({ tenant, params }) => UsersService.ban(deps, tenant, params.id), {
      secretKey: true,
      params: UserModel.idParams,
      detail: { summary: 'Ban a user and revoke all of their sessions' },
    })
    .post('/:id/unban', ({ tenant, params }) => UsersService.unban(deps, tenant, params.id), {
      secretKey: true,
      params: UserModel.idParams,
      detail: { summary: 'Lift a ban' },
    })
    .post('/:id/lock', ({ tenant, params }) => UsersService.lock(deps, tenant, params.id), {
      secretKey: true,
      params: UserModel.idParams,
      detail: { summary: 'Lock a user until unlocked' },
    })
    .post('/:id/unlock', ({ tenant, params }) => UsersService.unlock(deps, tenant, params.id), {
      secretKey: true,
      params: UserModel.idParams,
      detail: { summary: 'Unlock a user and reset failed password attempts' },
    })
    .post(
      '/:id/verify-password',
      ({ tenant, params, body }) => UsersService.verifyPassword(deps, tenant, params.id, body.password),
      {
        secretKey: true,
        params: UserModel.idParams,
        body: UserModel.verifyPasswordBody,
        detail: { summary: 'Check a user’s password' },
      },
    )
