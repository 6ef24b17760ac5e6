import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { callerOf } from '../../platform/http/caller'
import type { AuditBy } from '../audit/service'
import { tenantGuards } from '../tenants/guards'
import { OPERATOR_ROLES } from './model'
import * as OperatorsService from './service'

const role = t.Union(OPERATOR_ROLES.map((r) => t.Literal(r)))
const params = t.Object({ id: t.String({ maxLength: 64 }) })

/** Platform API operators (issue #21): who may sign in to `/console`, and as what. */
export const operatorRoutes = (deps: Deps) => {
  const byPlatform = (request: Request, server: Parameters<Deps['peerOf']>[1]): AuditBy => ({
    actor: { type: 'platform', id: 'platform' },
    caller: callerOf(request, deps.peerOf(request, server), deps.trustedProxies),
  })
  return new Elysia({ prefix: '/platform/v1/operators', tags: ['Platform'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ body, set, request, server }) => {
        set.status = 201
        return OperatorsService.create(deps, body, byPlatform(request, server))
      },
      {
        platform: true,
        body: t.Object(
          { email_address: t.String({ minLength: 1, maxLength: 320 }), role },
          { additionalProperties: false },
        ),
        detail: {
          summary: 'Add an operator (a console user): made in the platform tenant and mailed where to sign in',
        },
      },
    )
    .get('', () => OperatorsService.list(deps), { platform: true, detail: { summary: 'List the operators' } })
    .get('/:id', ({ params }) => OperatorsService.get(deps, params.id), {
      platform: true,
      params,
      detail: { summary: 'Get an operator' },
    })
    .patch(
      '/:id',
      ({ params, body, request, server }) =>
        OperatorsService.update(deps, params.id, body.role, byPlatform(request, server)),
      {
        platform: true,
        params,
        body: t.Object({ role }, { additionalProperties: false }),
        detail: { summary: 'Change an operator’s role (the last super admin stays one)' },
      },
    )
    .delete(
      '/:id',
      ({ params, request, server }) => OperatorsService.remove(deps, params.id, byPlatform(request, server)),
      {
        platform: true,
        params,
        detail: { summary: 'Remove an operator and their account (never the last super admin)' },
      },
    )
}
