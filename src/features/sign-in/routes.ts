import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { callerOf } from '../../platform/http/caller'
import { fapiGuard, type FapiContext } from '../sessions/fapi-guard'
import type { TenantRow } from '../tenants/service'
import { tenantGuards } from '../tenants/guards'
import { answer, createAndStart } from './answer'
import { BAPI_OWNER, type FlowContext } from './context'
import * as SignInModel from './model'
import { respond } from './respond'
import * as SignInService from './service'

const fapiFlow = (fapi: FapiContext): FlowContext => ({ tenant: fapi.tenant, owner: fapi.client.id, clientId: fapi.client.id, caller: fapi.caller })

/** Frontend API sign-ins (API.md §4), owned by the calling client. */
export const clientSignInRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/v1/client/sign-ins', tags: ['Frontend API'] })
    .use(fapiGuard(deps))
    .post('', async ({ fapi, body }) => respond(deps, fapiFlow(fapi), await createAndStart(deps, fapiFlow(fapi), body), fapi),
      { client: true, body: SignInModel.createBody, detail: { summary: 'Start a sign-in (identifier + password in one call may complete it)' } })
    .get('/:id', async ({ fapi, params }) => respond(deps, fapiFlow(fapi), { row: await SignInService.load(deps, fapiFlow(fapi), params.id), issued: null }, fapi),
      { client: true, params: SignInModel.fapiParams, detail: { summary: 'Get a sign-in attempt' } })
    .patch('/:id', async ({ fapi, params, body }) => respond(deps, fapiFlow(fapi), { row: await SignInService.identify(deps, fapiFlow(fapi), params.id, body.identifier), issued: null }, fapi),
      { client: true, params: SignInModel.fapiParams, body: SignInModel.patchBody, detail: { summary: 'Identify (or re-identify) the attempt' } })
    .post('/:id/challenges', async ({ fapi, params, body, set }) => {
      const challenge = await SignInService.startChallenge(deps, fapiFlow(fapi), params.id, body?.strategy)
      set.status = 201
      return SignInService.getChallenge(deps, fapiFlow(fapi), params.id, challenge.id)
    }, { client: true, params: SignInModel.fapiParams, body: SignInModel.challengeBody, detail: { summary: 'Start a challenge for the current step (sends a code or link)' } })
    .get('/:id/challenges/:cid', ({ fapi, params }) => SignInService.getChallenge(deps, fapiFlow(fapi), params.id, params.cid),
      { client: true, params: SignInModel.fapiChallengeParams, detail: { summary: 'Poll a challenge' } })
    .post('/:id/challenges/:cid/answer', async ({ fapi, params, body }) =>
      respond(deps, fapiFlow(fapi), await answer(deps, fapiFlow(fapi), params.id, params.cid, body), fapi),
    { client: true, params: SignInModel.fapiChallengeParams, body: SignInModel.answerBody, detail: { summary: 'Answer a challenge' } })

/** Backend API sign-ins: the same machines, owned by the secret key; completion returns tokens. */
export const backendSignInRoutes = (deps: Deps) => {
  const flow = (tenant: TenantRow, request: Request, server: Parameters<Deps['peerOf']>[1]): FlowContext =>
    ({ tenant, owner: BAPI_OWNER, clientId: null, caller: callerOf(request, deps.peerOf(request, server), deps.trustedProxies) })
  return new Elysia({ prefix: '/v1/sign-ins', tags: ['Sign-in (backend)'] })
    .use(tenantGuards(deps))
    .post('', async ({ tenant, body, request, server }) => {
      const ctx = flow(tenant, request, server)
      return respond(deps, ctx, await createAndStart(deps, ctx, body), null)
    }, { secretKey: true, body: SignInModel.createBody, detail: { summary: 'Start a server-driven sign-in' } })
    .get('/:id', async ({ tenant, params, request, server }) => {
      const ctx = flow(tenant, request, server)
      return respond(deps, ctx, { row: await SignInService.load(deps, ctx, params.id), issued: null }, null)
    }, { secretKey: true, params: SignInModel.bapiParams, detail: { summary: 'Get a server-driven sign-in' } })
    .patch('/:id', async ({ tenant, params, body, request, server }) => {
      const ctx = flow(tenant, request, server)
      return respond(deps, ctx, { row: await SignInService.identify(deps, ctx, params.id, body.identifier), issued: null }, null)
    }, { secretKey: true, params: SignInModel.bapiParams, body: SignInModel.patchBody, detail: { summary: 'Identify a server-driven sign-in' } })
    .post('/:id/challenges', async ({ tenant, params, body, request, server, set }) => {
      const ctx = flow(tenant, request, server)
      const challenge = await SignInService.startChallenge(deps, ctx, params.id, body?.strategy)
      set.status = 201
      return SignInService.getChallenge(deps, ctx, params.id, challenge.id)
    }, { secretKey: true, params: SignInModel.bapiParams, body: SignInModel.challengeBody, detail: { summary: 'Start a challenge' } })
    .post('/:id/challenges/:cid/answer', async ({ tenant, params, body, request, server }) => {
      const ctx = flow(tenant, request, server)
      return respond(deps, ctx, await answer(deps, ctx, params.id, params.cid, body), null)
    }, { secretKey: true, params: SignInModel.bapiChallengeParams, body: SignInModel.answerBody, detail: { summary: 'Answer a challenge' } })
}
