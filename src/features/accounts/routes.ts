import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { tenantGuards } from '../tenants/guards'
import * as RolesModel from '../roles/model'
import * as UserModel from '../users/model'
import { requestMeta } from '../../platform/http/request-meta'
import * as AccountsService from './service'

/** The import formats POST /v1/users accepts (issue #16); README "Import and export users" says the same. */
const IMPORT_DOC = [
  'Import from another system: `password_digest` with `password_hasher` (not with `password`), verified at the',
  "first sign-in and then rehashed with the tenant's argon2id. Digest formats:",
  '`bcrypt` `$2a$|$2b$|$2y$<cost 04..14>$<53 chars>` (the first 72 bytes of a password count, as in bcrypt);',
  '`argon2id`/`argon2i` PHC `$argon2id$v=19$m=<KiB ≤ 65536>,t=<≤ 10>,p=<≤ 16>$<b64 salt>$<b64 hash>`;',
  '`scrypt` `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<b64 salt>$<b64 hash>` (N·r ≤ 2^19, N·r·p ≤ 2^20);',
  '`pbkdf2_sha256`/`pbkdf2_sha512` Django form `pbkdf2_sha256$<iterations ≤ 2000000>$<salt>$<b64 hash>`.',
  'Base64 may be standard, URL-safe or passlib-adapted, padded or not. `totp_secret`: Base32, 80..640 bits,',
  'active at once. `backup_codes`: up to 20 codes of 8..32 letters and digits, each usable once.',
  'A malformed or unreasonable value → 422 `form_param_format_invalid` naming the parameter.',
].join(' ')

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
        detail: { summary: 'Create a user (given addresses count as verified)', description: IMPORT_DOC },
      },
    )
    .post(
      '/bulk',
      ({ tenant, backend, body, request }) =>
        AccountsService.bulkCreate(deps, tenant, body.users, backend, requestMeta(request).traceId),
      {
        secretKey: 'users:write',
        body: UserModel.bulkCreateBody,
        detail: {
          summary: 'Create up to 100 users, each on its own (per-row results; a bad row fails alone)',
          description:
            'Each of `users` is a POST /v1/users body. The answer is `{ data: [{ index, status: "created", user } | ' +
            '{ index, status: "error", errors: [{ code, message, long_message, meta }] }] }`, one per row in order.',
        },
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
    .delete(
      '/:id/passkeys/:passkey_id',
      ({ tenant, backend, params }) =>
        AccountsService.removePasskey(deps, tenant, params.id, params.passkey_id, backend),
      {
        secretKey: 'users:write',
        params: UserModel.passkeyParams,
        detail: { summary: 'Remove one of the user’s passkeys; returns the user' },
      },
    )
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
