import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { listQuery } from '../../platform/http/pagination'
import { sessionAuth } from '../sessions/session-guard'
import { eraseAccount, exportAccount } from './account'
import * as Identifications from './identifications'
import * as MeModel from './model'
import { changePassword } from './password'
import * as MeService from './service'

const { idParams, challengeParams } = MeModel
const listOf = <T>(data: T[]) => ({ data, meta: { next_cursor: null, total_count: data.length } })

/**
 * Frontend API, current user (API.md §6): authenticated by a session token (`session: true`),
 * never by the client token alone. Unknown ids, and other users' ids, are 404.
 */
export const meRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/v1/me', tags: ['Current user'] })
    .use(sessionAuth(deps))
    .get('', ({ me }) => MeService.get(deps, me), {
      session: true,
      params: MeModel.tenantParams,
      detail: { summary: 'The signed-in user' },
    })
    .patch('', ({ me, body }) => MeService.update(deps, me, body), {
      session: true,
      params: MeModel.tenantParams,
      body: MeModel.patchBody,
      detail: { summary: 'Update names, username, unsafe_metadata or primary addresses (verified ones only)' },
    })
    .delete('', ({ me }) => eraseAccount(deps, me), {
      session: true,
      params: MeModel.tenantParams,
      detail: { summary: 'Delete the account (GDPR erasure); needs a factor verified within 10 minutes' },
    })
    .get('/export', ({ me }) => exportAccount(deps, me), {
      session: true,
      params: MeModel.tenantParams,
      detail: { summary: 'Everything held on the user, as JSON (GDPR)' },
    })

    .get(
      '/email-addresses',
      async ({ me }) => listOf((await Identifications.list(deps, me, 'email_address')).map(MeModel.toEmailAddress)),
      { session: true, params: MeModel.tenantParams, detail: { summary: 'List the user’s email addresses' } },
    )
    .post(
      '/email-addresses',
      async ({ me, body, set }) => {
        const row = await Identifications.add(deps, me, 'email_address', body.email_address)
        set.status = 201
        return MeModel.toEmailAddress(row)
      },
      {
        session: true,
        params: MeModel.tenantParams,
        body: MeModel.addEmailBody,
        detail: { summary: 'Add an unverified email address' },
      },
    )
    .post(
      '/email-addresses/:id/challenges',
      async ({ me, params, body, set }) => {
        const challenge = await Identifications.startChallenge(deps, me, 'email_address', params.id, body?.strategy)
        set.status = 201
        return challenge
      },
      {
        session: true,
        params: idParams,
        body: MeModel.emailChallengeBody,
        detail: { summary: 'Send a verification code (or link) to the address' },
      },
    )
    .post(
      '/email-addresses/:id/challenges/:cid/answer',
      async ({ me, params, body }) =>
        MeModel.toEmailAddress(
          await Identifications.answer(deps, me, 'email_address', params.id, params.cid, body.code),
        ),
      {
        session: true,
        params: challengeParams,
        body: MeModel.answerBody,
        detail: { summary: 'Verify the address with the code sent to it' },
      },
    )
    .delete(
      '/email-addresses/:id',
      async ({ me, params }) => {
        await Identifications.remove(deps, me, 'email_address', params.id)
        return { object: 'email_address', id: params.id, deleted: true }
      },
      {
        session: true,
        params: idParams,
        detail: {
          summary:
            'Delete an email address (not the primary while another verified one exists, nor the last way to sign in)',
        },
      },
    )

    .get(
      '/phone-numbers',
      async ({ me }) => listOf((await Identifications.list(deps, me, 'phone_number')).map(MeModel.toPhoneNumber)),
      { session: true, params: MeModel.tenantParams, detail: { summary: 'List the user’s phone numbers' } },
    )
    .post(
      '/phone-numbers',
      async ({ me, body, set }) => {
        const row = await Identifications.add(deps, me, 'phone_number', body.phone_number)
        set.status = 201
        return MeModel.toPhoneNumber(row)
      },
      {
        session: true,
        params: MeModel.tenantParams,
        body: MeModel.addPhoneBody,
        detail: { summary: 'Add an unverified phone number (E.164)' },
      },
    )
    .post(
      '/phone-numbers/:id/challenges',
      async ({ me, params, body, set }) => {
        const challenge = await Identifications.startChallenge(deps, me, 'phone_number', params.id, body?.strategy)
        set.status = 201
        return challenge
      },
      {
        session: true,
        params: idParams,
        body: MeModel.phoneChallengeBody,
        detail: { summary: 'Send a verification code by SMS' },
      },
    )
    .post(
      '/phone-numbers/:id/challenges/:cid/answer',
      async ({ me, params, body }) =>
        MeModel.toPhoneNumber(await Identifications.answer(deps, me, 'phone_number', params.id, params.cid, body.code)),
      {
        session: true,
        params: challengeParams,
        body: MeModel.answerBody,
        detail: { summary: 'Verify the number with the code sent to it' },
      },
    )
    .patch(
      '/phone-numbers/:id',
      async ({ me, params, body }) =>
        MeModel.toPhoneNumber(await Identifications.reserve(deps, me, params.id, body.reserved_for_second_factor)),
      {
        session: true,
        params: idParams,
        body: MeModel.phonePatchBody,
        detail: { summary: 'Reserve a verified phone for the second factor (needs a recent factor)' },
      },
    )
    .delete(
      '/phone-numbers/:id',
      async ({ me, params }) => {
        await Identifications.remove(deps, me, 'phone_number', params.id)
        return { object: 'phone_number', id: params.id, deleted: true }
      },
      { session: true, params: idParams, detail: { summary: 'Delete a phone number' } },
    )

    .post('/password', ({ me, body }) => changePassword(deps, me, body), {
      session: true,
      params: MeModel.tenantParams,
      body: MeModel.passwordBody,
      detail: { summary: 'Set or change the password (current password, or a factor within 10 minutes)' },
    })

    .get('/sessions', ({ me, query }) => MeService.listSessions(deps, me, query), {
      session: true,
      params: MeModel.tenantParams,
      query: listQuery,
      detail: { summary: 'The user’s active sessions on every client' },
    })
    .post('/sessions/:id/revoke', ({ me, params }) => MeService.revokeSession(deps, me, params.id), {
      session: true,
      params: idParams,
      detail: { summary: 'Revoke one of the user’s sessions' },
    })
