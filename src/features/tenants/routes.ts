import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import type { AuditEntry } from '../../platform/audit'
import { AppError } from '../../platform/errors'
import { callerOf } from '../../platform/http/caller'
import { listQuery } from '../../platform/http/pagination'
import type { AuditBy } from '../audit/service'
import { tenantGuards } from './guards'
import * as TenantModel from './model'
import * as TenantsService from './service'
import { TenantSettingsPatch } from './settings'

/**
 * Who opens the console (`settings.console`) is the secret key's to say: a service key scoped to settings could
 * otherwise make people it controls console admins, who may mint keys of any scope (API.md §14).
 */
function consoleRolesBySecretKeyOnly(body: TenantSettingsPatch, backend: AuditEntry['actor']): TenantSettingsPatch {
  if (body.console !== undefined && backend.type !== 'secret_key')
    throw new AppError('permission_denied', { required_permission: 'secret_key', param_name: 'console' })
  return body
}

/** Platform API (API.md §3): the operator manages tenants. */
export const tenantRoutes = (deps: Deps) => {
  const byPlatform = (request: Request, server: Parameters<Deps['peerOf']>[1]): AuditBy => ({
    actor: { type: 'platform', id: 'platform' },
    caller: callerOf(request, deps.peerOf(request, server), deps.trustedProxies),
  })
  return new Elysia({ prefix: '/platform/v1/tenants', tags: ['Platform'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ body, set, request, server }) => {
        set.status = 201
        return TenantsService.create(deps, body, byPlatform(request, server))
      },
      {
        platform: true,
        body: TenantModel.createBody,
        detail: { summary: 'Create a tenant (returns its secret key once)' },
      },
    )
    .get('', ({ query }) => TenantsService.list(deps, query), {
      platform: true,
      query: listQuery,
      detail: { summary: 'List tenants, newest first' },
    })
    .get(
      '/:id',
      async ({ params }) => TenantModel.toPublic(await TenantsService.get(deps, params.id), deps.config.publicUrl),
      { platform: true, params: TenantModel.idParams, detail: { summary: 'Get a tenant' } },
    )
    .patch(
      '/:id',
      async ({ params, body, request, server }) =>
        TenantModel.toPublic(
          await TenantsService.update(deps, params.id, body, byPlatform(request, server)),
          deps.config.publicUrl,
        ),
      {
        platform: true,
        params: TenantModel.idParams,
        body: TenantModel.updateBody,
        detail: { summary: 'Update a tenant’s name or settings' },
      },
    )
    .delete(
      '/:id',
      async ({ params, request, server }) => {
        await TenantsService.remove(deps, params.id, byPlatform(request, server))
        return { object: 'tenant', id: params.id, deleted: true }
      },
      {
        platform: true,
        params: TenantModel.idParams,
        detail: { summary: 'Delete a tenant; its keys stop working at once' },
      },
    )
    .post(
      '/:id/keys/rotate',
      async ({ params, request, server }) => {
        const { id, activateAt } = await TenantsService.rotateKeys(deps, params.id, byPlatform(request, server))
        return { object: 'signing_key', id, status: 'pending', activate_at: activateAt }
      },
      { platform: true, params: TenantModel.idParams, detail: { summary: 'Start a signing-key rotation' } },
    )
    .post(
      '/:id/secret-key/rotate',
      async ({ params, request, server }) => ({
        object: 'secret_key',
        secret_key: await TenantsService.rotateSecretKey(deps, params.id, byPlatform(request, server)),
      }),
      {
        platform: true,
        params: TenantModel.idParams,
        detail: { summary: 'Replace the tenant’s secret key (returned once; the old one stops at once)' },
      },
    )
}

/** Backend API: the tenant's own view of its settings. */
export const settingsRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/settings', tags: ['Settings'] })
    .use(tenantGuards(deps))
    .get('', ({ tenant }) => tenant.settings, {
      secretKey: 'settings:manage',
      detail: { summary: 'Read the tenant’s settings' },
    })
    .patch(
      '',
      async ({ tenant, backend, body, request, server }) =>
        (
          await TenantsService.update(
            deps,
            tenant.id,
            { settings: consoleRolesBySecretKeyOnly(body, backend) },
            {
              actor: backend,
              caller: callerOf(request, deps.peerOf(request, server), deps.trustedProxies),
            },
          )
        ).settings,
      {
        secretKey: 'settings:manage',
        body: TenantSettingsPatch,
        detail: { summary: 'Change the tenant’s settings (deep merge)' },
      },
    )
