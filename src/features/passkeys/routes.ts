import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { sessionAuth } from '../sessions/session-guard'
import * as Manage from './manage'
import * as PasskeysModel from './model'

const { tenantParams, idParams } = PasskeysModel

/** `/t/{tenant}/v1/me/passkeys` (API.md §6, §11): the signed-in user's passkeys. */
export const passkeyRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/v1/me/passkeys', tags: ['Current user'] })
    .use(sessionAuth(deps))
    .post('/registration-options', ({ me }) => Manage.registrationOptions(deps, me), {
      session: true,
      params: tenantParams,
      detail: { summary: 'WebAuthn creation options for startRegistration() (single use, 5 minutes)' },
    })
    .post(
      '',
      async ({ me, body, set }) => {
        const passkey = await Manage.register(deps, me, body)
        set.status = 201
        return passkey
      },
      {
        session: true,
        params: tenantParams,
        body: PasskeysModel.registerBody,
        detail: { summary: 'Register a passkey with startRegistration()’s response' },
      },
    )
    .get(
      '',
      async ({ me }) => {
        const data = await Manage.list(deps, me)
        return { data, meta: { next_cursor: null, total_count: data.length } }
      },
      { session: true, params: tenantParams, detail: { summary: 'List the user’s passkeys' } },
    )
    .patch('/:id', ({ me, params, body }) => Manage.rename(deps, me, params.id, body.name), {
      session: true,
      params: idParams,
      body: PasskeysModel.renameBody,
      detail: { summary: 'Rename a passkey' },
    })
    .delete(
      '/:id',
      async ({ me, params }) => {
        await Manage.remove(deps, me, params.id)
        return { object: 'passkey', id: params.id, deleted: true }
      },
      {
        session: true,
        params: idParams,
        detail: { summary: 'Delete a passkey (needs a factor within 10 minutes; not the last way to sign in)' },
      },
    )
