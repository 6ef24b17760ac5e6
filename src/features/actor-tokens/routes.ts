import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { listQuery } from '../../platform/http/pagination'
import { tenantGuards } from '../tenants/guards'
import * as Model from './model'
import * as ActorTokensService from './service'

/**
 * Backend API actor tokens (issue #21, as Clerk's `/actor_tokens`): impersonation for a backend's own support
 * tooling, as the console offers it to admins. The secret key only.
 */
export const actorTokenRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/actor-tokens', tags: ['Sessions'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, backend, body, set }) => {
        set.status = 201
        // The URL holds the ticket: not to be kept by caches.
        set.headers['cache-control'] = 'no-store'
        return ActorTokensService.create(deps, tenant, body, backend)
      },
      {
        // Signing in as anyone is the secret key's alone: no service key scope grants it.
        secretKey: true,
        body: Model.createBody,
        detail: {
          summary: 'A single-use ticket to sign in as a user on behalf of `actor`',
          description:
            'Answers `url` (`{issuer}/impersonate?ticket=…`), once: the browser that opens it confirms and is ' +
            'signed in as the user, in a session whose tokens and introspection carry `act: { sub }` (RFC 8693), ' +
            'shown to the user with its `actor`. The session lasts an hour at most, never steps up and never ' +
            'answers an authorization request. `expires_in_seconds` (60..86400, default 3600) bounds the wait.',
        },
      },
    )
    .get('', ({ tenant, query }) => ActorTokensService.list(deps, tenant, query), {
      secretKey: true,
      query: listQuery,
      detail: { summary: 'Actor tokens, newest first (the console’s too)' },
    })
    .post('/:id/revoke', ({ tenant, backend, params }) => ActorTokensService.revoke(deps, tenant, params.id, backend), {
      secretKey: 'sessions:write',
      params: Model.idParams,
      detail: { summary: 'Revoke a pending actor token (else 422)' },
    })
