import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { callerOf } from '../../platform/http/caller'
import { fapiGuard, type FapiContext } from '../sessions/fapi-guard'
import { BAPI_OWNER, type FlowContext } from '../flows/service'
import { tenantGuards } from '../tenants/guards'
import type { TenantRow } from '../tenants/service'
import * as SignUpModel from './model'
import * as SignUpService from './service'

const fapiFlow = (fapi: FapiContext): FlowContext => ({
  tenant: fapi.tenant,
  owner: fapi.client.id,
  clientId: fapi.client.id,
  caller: fapi.caller,
  native: fapi.native,
})

const read = async (deps: Deps, ctx: FlowContext, id: string): Promise<SignUpService.Completion> => ({
  row: await SignUpService.load(deps, ctx, id),
  issued: null,
})

// Documented choice (API.md is silent): with sign_up.enabled false every step answers 403 permission_denied.
const disabled =
  'With the tenant setting sign_up.enabled false: 403 permission_denied (meta.reason "sign_up_disabled").'
const fieldsDoc =
  `${disabled} Identifiers already used by a live user: 409 form_identifier_exists ` +
  '(meta.param_name). When every required field is present and verified, the user and a session are created and ' +
  'the response carries `session` and its tokens.'

/** Frontend API sign-ups (API.md §4), owned by the calling client. */
export const clientSignUpRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/v1/client/sign-ups', tags: ['Frontend API'] })
    .use(fapiGuard(deps))
    .post(
      '',
      async ({ fapi, body }) =>
        SignUpService.respond(deps, fapiFlow(fapi), await SignUpService.create(deps, fapiFlow(fapi), body), fapi),
      {
        client: true,
        body: SignUpModel.createBody,
        detail: {
          summary: 'Start a sign-up (with an invitation `ticket`, joins its organization)',
          description: fieldsDoc,
        },
      },
    )
    .get(
      '/:id',
      async ({ fapi, params }) =>
        SignUpService.respond(deps, fapiFlow(fapi), await read(deps, fapiFlow(fapi), params.id), fapi),
      {
        client: true,
        params: SignUpModel.fapiParams,
        detail: { summary: 'Get a sign-up attempt (claims its tokens once after an email link completed it)' },
      },
    )
    .patch(
      '/:id',
      async ({ fapi, params, body }) =>
        SignUpService.respond(
          deps,
          fapiFlow(fapi),
          await SignUpService.update(deps, fapiFlow(fapi), params.id, body),
          fapi,
        ),
      {
        client: true,
        params: SignUpModel.fapiParams,
        body: SignUpModel.fieldsBody,
        detail: { summary: 'Set or change sign-up fields', description: fieldsDoc },
      },
    )
    .post(
      '/:id/challenges',
      async ({ fapi, params, body, set }) => {
        const challenge = await SignUpService.startChallenge(deps, fapiFlow(fapi), params.id, body.strategy)
        set.status = 201
        return challenge
      },
      {
        client: true,
        params: SignUpModel.fapiParams,
        body: SignUpModel.challengeBody,
        detail: {
          summary: 'Verify the email or phone (sends a code or link to the value on the attempt)',
          description: disabled,
        },
      },
    )
    .post(
      '/:id/challenges/:cid/answer',
      async ({ fapi, params, body }) =>
        SignUpService.respond(
          deps,
          fapiFlow(fapi),
          await SignUpService.answer(deps, fapiFlow(fapi), params.id, params.cid, body),
          fapi,
        ),
      {
        client: true,
        params: SignUpModel.fapiChallengeParams,
        body: SignUpModel.answerBody,
        detail: { summary: 'Answer a verification code', description: disabled },
      },
    )

/** Backend API sign-ups: the same machine, owned by the secret key; completion returns tokens. */
export const backendSignUpRoutes = (deps: Deps) => {
  const flow = (tenant: TenantRow, request: Request, server: Parameters<Deps['peerOf']>[1]): FlowContext => ({
    tenant,
    owner: BAPI_OWNER,
    clientId: null,
    caller: callerOf(request, deps.peerOf(request, server), deps.trustedProxies),
  })
  return new Elysia({ prefix: '/v1/sign-ups', tags: ['Sign-up (backend)'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, body, request, server }) => {
        const ctx = flow(tenant, request, server)
        return SignUpService.respond(deps, ctx, await SignUpService.create(deps, ctx, body), null)
      },
      {
        secretKey: 'sessions:write',
        body: SignUpModel.createBody,
        detail: { summary: 'Start a server-driven sign-up', description: fieldsDoc },
      },
    )
    .get(
      '/:id',
      async ({ tenant, params, request, server }) => {
        const ctx = flow(tenant, request, server)
        return SignUpService.respond(deps, ctx, await read(deps, ctx, params.id), null)
      },
      {
        secretKey: 'sessions:write',
        params: SignUpModel.bapiParams,
        detail: { summary: 'Get a server-driven sign-up' },
      },
    )
    .patch(
      '/:id',
      async ({ tenant, params, body, request, server }) => {
        const ctx = flow(tenant, request, server)
        return SignUpService.respond(deps, ctx, await SignUpService.update(deps, ctx, params.id, body), null)
      },
      {
        secretKey: 'sessions:write',
        params: SignUpModel.bapiParams,
        body: SignUpModel.fieldsBody,
        detail: { summary: 'Set or change server-driven sign-up fields', description: fieldsDoc },
      },
    )
    .post(
      '/:id/challenges',
      async ({ tenant, params, body, request, server, set }) => {
        const challenge = await SignUpService.startChallenge(
          deps,
          flow(tenant, request, server),
          params.id,
          body.strategy,
        )
        set.status = 201
        return challenge
      },
      {
        secretKey: 'sessions:write',
        params: SignUpModel.bapiParams,
        body: SignUpModel.challengeBody,
        detail: { summary: 'Verify the email or phone', description: disabled },
      },
    )
    .post(
      '/:id/challenges/:cid/answer',
      async ({ tenant, params, body, request, server }) => {
        const ctx = flow(tenant, request, server)
        return SignUpService.respond(
          deps,
          ctx,
          await SignUpService.answer(deps, ctx, params.id, params.cid, body),
          null,
        )
      },
      {
        secretKey: 'sessions:write',
        params: SignUpModel.bapiChallengeParams,
        body: SignUpModel.answerBody,
        detail: { summary: 'Answer a verification code', description: disabled },
      },
    )
}
