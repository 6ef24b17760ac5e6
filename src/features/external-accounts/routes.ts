import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { sessionAuth } from '../sessions/session-guard'
import * as Manage from './manage'

const tenantParams = t.Object({ tenant: t.String({ maxLength: 63 }) })
const idParams = t.Object({ tenant: t.String({ maxLength: 63 }), id: t.String({ maxLength: 64 }) })

/** `/t/{tenant}/v1/me/external-accounts` (API.md §16): the signed-in user's social and enterprise accounts. */
export const externalAccountRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/v1/me/external-accounts', tags: ['Current user'] })
    .use(sessionAuth(deps))
    .get(
      '',
      async ({ me }) => {
        const data = await Manage.list(deps, me)
        return { data, meta: { next_cursor: null, total_count: data.length } }
      },
      { session: true, params: tenantParams, detail: { summary: 'List the user’s external accounts' } },
    )
    .post(
      '',
      async ({ me, body, set }) => {
        const challenge = await Manage.startLink(deps, me, body)
        set.status = 201
        return challenge
      },
      {
        session: true,
        params: tenantParams,
        body: t.Object(
          {
            strategy: t.String({ pattern: '^oauth_[a-z0-9_]{1,48}$' }),
            redirect_url: t.Optional(t.String({ maxLength: 2048 })),
          },
          { additionalProperties: false },
        ),
        detail: {
          summary: 'Link an account at a social provider (a factor within 10 minutes)',
          description: 'Send the browser to the challenge’s `external_redirect_url`; the callback links the account.',
        },
      },
    )
    .delete(
      '/:id',
      async ({ me, params }) => {
        await Manage.remove(deps, me, params.id)
        return { object: 'external_account', id: params.id, deleted: true }
      },
      {
        session: true,
        params: idParams,
        detail: { summary: 'Unlink an external account (a factor within 10 minutes; not the last way to sign in)' },
      },
    )
