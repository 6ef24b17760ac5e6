import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { callerOf } from '../../platform/http/caller'
import { fapiGuard, type FapiContext } from '../sessions/fapi-guard'
import type { TenantRow } from '../tenants/service'
import { tenantGuards } from '../tenants/guards'
import { BAPI_OWNER, type FlowContext } from '../flows/service'
import * as SignInModel from './model'
import * as SignInService from './service'

const fapiFlow = (fapi: FapiContext): FlowContext => ({
  tenant: fapi.tenant,
  owner: fapi.client.id,
  clientId: fapi.client.id,
  caller: fapi.caller,
  native: fapi.native,
})

const STATUS_DOC =
  'SignIn `status`: `needs_identifier`, `needs_first_factor`, `needs_second_factor` (prove one of ' +
  '`supported_second_factors`: `totp`, `phone_code`, `backup_code`, `passkey`), `needs_second_factor_enrollment` ' +
  '(MFA policy `required` and nothing enrolled: `supported_second_factors` lists what to enrol, ' +
  '`[{ strategy: "totp" }]`; see `POST …/totp`), `needs_new_password`, `complete`, `expired`, `locked`.'
const RESET_DOC =
  'Password reset (API.md §4): after a verified `reset_password_email_code` / `reset_password_phone_code` ' +
  'challenge the attempt is `needs_new_password`; the password policy applies (422 as at sign-up), the new ' +
  'password replaces the old at once (and lifts a lockout by wrong passwords), `sign_out_of_other_sessions` ' +
  'revokes the user’s sessions, and the attempt is `complete` or `needs_second_factor` when the user has MFA. ' +
  'Audit `user.password_reset`.'
const ENROLL_DOC =
  'Only while the attempt is `needs_second_factor_enrollment` (else 422 `strategy_not_allowed`). `POST …/totp` → ' +
  '201 `{ object: "totp", id, secret, otpauth_uri, qr_svg, verified: false }` (a new secret replaces an ' +
  'unconfirmed one); `POST …/totp/verify { code }` activates it and completes the attempt: the SignIn (status ' +
  '`complete`, with its session) plus `backup_codes`, 10 one-time codes shown only in this answer. A wrong code ' +
  'is 422 `form_code_incorrect` with `meta.attempts_remaining` (it counts toward the account lockout); amr is ' +
  '[first factor, "totp"].'

/** Frontend API sign-ins (API.md §4), owned by the calling client. */
export const clientSignInRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/v1/client/sign-ins', tags: ['Frontend API'] })
    .use(fapiGuard(deps))
    .post(
      '',
      async ({ fapi, body }) =>
        SignInService.respond(
          deps,
          fapiFlow(fapi),
          await SignInService.createAndStart(deps, fapiFlow(fapi), body),
          fapi,
        ),
      {
        client: true,
        body: SignInModel.createBody,
        detail: {
          summary: 'Start a sign-in (identifier + password in one call may complete it)',
          description: STATUS_DOC,
        },
      },
    )
    .get(
      '/:id',
      async ({ fapi, params }) =>
        SignInService.respond(
          deps,
          fapiFlow(fapi),
          { row: await SignInService.load(deps, fapiFlow(fapi), params.id), issued: null },
          fapi,
        ),
      { client: true, params: SignInModel.fapiParams, detail: { summary: 'Get a sign-in attempt' } },
    )
    .patch(
      '/:id',
      async ({ fapi, params, body }) =>
        SignInService.respond(
          deps,
          fapiFlow(fapi),
          { row: await SignInService.identify(deps, fapiFlow(fapi), params.id, body.identifier), issued: null },
          fapi,
        ),
      {
        client: true,
        params: SignInModel.fapiParams,
        body: SignInModel.patchBody,
        detail: { summary: 'Identify (or re-identify) the attempt' },
      },
    )
    .post(
      '/:id/challenges',
      async ({ fapi, params, body, set }) => {
        const challenge = await SignInService.startChallenge(deps, fapiFlow(fapi), params.id, body?.strategy)
        set.status = 201
        return SignInService.getChallenge(deps, fapiFlow(fapi), params.id, challenge.id)
      },
      {
        client: true,
        params: SignInModel.fapiParams,
        body: SignInModel.challengeBody,
        detail: { summary: 'Start a challenge for the current step (sends a code or link)' },
      },
    )
    .get(
      '/:id/challenges/:cid',
      ({ fapi, params }) => SignInService.getChallenge(deps, fapiFlow(fapi), params.id, params.cid),
      { client: true, params: SignInModel.fapiChallengeParams, detail: { summary: 'Poll a challenge' } },
    )
    .post(
      '/:id/challenges/:cid/answer',
      async ({ fapi, params, body }) =>
        SignInService.respond(
          deps,
          fapiFlow(fapi),
          await SignInService.answer(deps, fapiFlow(fapi), params.id, params.cid, body),
          fapi,
        ),
      {
        client: true,
        params: SignInModel.fapiChallengeParams,
        body: SignInModel.answerBody,
        detail: { summary: 'Answer a challenge' },
      },
    )
    .post(
      '/:id/totp',
      async ({ fapi, params, set }) => {
        const enrollment = await SignInService.beginTotp(deps, fapiFlow(fapi), params.id)
        set.status = 201
        return enrollment
      },
      {
        client: true,
        params: SignInModel.fapiParams,
        detail: { summary: 'Enrol TOTP inside the attempt (MFA required, nothing enrolled)', description: ENROLL_DOC },
      },
    )
    .post(
      '/:id/totp/verify',
      async ({ fapi, params, body }) => {
        const done = await SignInService.verifyTotp(deps, fapiFlow(fapi), params.id, body.code)
        return { ...(await SignInService.respond(deps, fapiFlow(fapi), done, fapi)), backup_codes: done.backupCodes }
      },
      {
        client: true,
        params: SignInModel.fapiParams,
        body: SignInModel.totpVerifyBody,
        detail: {
          summary: 'Confirm the TOTP enrolment: completes the attempt, returns backup codes once',
          description: ENROLL_DOC,
        },
      },
    )
    .post(
      '/:id/reset-password',
      async ({ fapi, params, body }) =>
        SignInService.respond(
          deps,
          fapiFlow(fapi),
          await SignInService.resetPassword(deps, fapiFlow(fapi), params.id, body),
          fapi,
        ),
      {
        client: true,
        params: SignInModel.fapiParams,
        body: SignInModel.resetPasswordBody,
        detail: { summary: 'Set a new password after a verified reset code', description: RESET_DOC },
      },
    )

/** Backend API sign-ins: the same machines, owned by the secret key; completion returns tokens. */
export const backendSignInRoutes = (deps: Deps) => {
  const flow = (tenant: TenantRow, request: Request, server: Parameters<Deps['peerOf']>[1]): FlowContext => ({
    tenant,
    owner: BAPI_OWNER,
    clientId: null,
    caller: callerOf(request, deps.peerOf(request, server), deps.trustedProxies),
  })
  return new Elysia({ prefix: '/v1/sign-ins', tags: ['Sign-in (backend)'] })
    .use(tenantGuards(deps))
    .post(
      '',
      async ({ tenant, body, request, server }) => {
        const ctx = flow(tenant, request, server)
        return SignInService.respond(deps, ctx, await SignInService.createAndStart(deps, ctx, body), null)
      },
      {
        secretKey: 'sessions:write',
        body: SignInModel.createBody,
        detail: { summary: 'Start a server-driven sign-in' },
      },
    )
    .get(
      '/:id',
      async ({ tenant, params, request, server }) => {
        const ctx = flow(tenant, request, server)
        return SignInService.respond(
          deps,
          ctx,
          { row: await SignInService.load(deps, ctx, params.id), issued: null },
          null,
        )
      },
      {
        secretKey: 'sessions:write',
        params: SignInModel.bapiParams,
        detail: { summary: 'Get a server-driven sign-in' },
      },
    )
    .patch(
      '/:id',
      async ({ tenant, params, body, request, server }) => {
        const ctx = flow(tenant, request, server)
        return SignInService.respond(
          deps,
          ctx,
          { row: await SignInService.identify(deps, ctx, params.id, body.identifier), issued: null },
          null,
        )
      },
      {
        secretKey: 'sessions:write',
        params: SignInModel.bapiParams,
        body: SignInModel.patchBody,
        detail: { summary: 'Identify a server-driven sign-in' },
      },
    )
    .post(
      '/:id/challenges',
      async ({ tenant, params, body, request, server, set }) => {
        const ctx = flow(tenant, request, server)
        const challenge = await SignInService.startChallenge(deps, ctx, params.id, body?.strategy)
        set.status = 201
        return SignInService.getChallenge(deps, ctx, params.id, challenge.id)
      },
      {
        secretKey: 'sessions:write',
        params: SignInModel.bapiParams,
        body: SignInModel.challengeBody,
        detail: { summary: 'Start a challenge' },
      },
    )
    .post(
      '/:id/challenges/:cid/answer',
      async ({ tenant, params, body, request, server }) => {
        const ctx = flow(tenant, request, server)
        return SignInService.respond(
          deps,
          ctx,
          await SignInService.answer(deps, ctx, params.id, params.cid, body),
          null,
        )
      },
      {
        secretKey: 'sessions:write',
        params: SignInModel.bapiChallengeParams,
        body: SignInModel.answerBody,
        detail: { summary: 'Answer a challenge' },
      },
    )
    .post(
      '/:id/totp',
      async ({ tenant, params, request, server, set }) => {
        const enrollment = await SignInService.beginTotp(deps, flow(tenant, request, server), params.id)
        set.status = 201
        return enrollment
      },
      {
        secretKey: 'sessions:write',
        params: SignInModel.bapiParams,
        detail: { summary: 'Enrol TOTP inside a server-driven attempt', description: ENROLL_DOC },
      },
    )
    .post(
      '/:id/totp/verify',
      async ({ tenant, params, body, request, server }) => {
        const ctx = flow(tenant, request, server)
        const done = await SignInService.verifyTotp(deps, ctx, params.id, body.code)
        return { ...(await SignInService.respond(deps, ctx, done, null)), backup_codes: done.backupCodes }
      },
      {
        secretKey: 'sessions:write',
        params: SignInModel.bapiParams,
        body: SignInModel.totpVerifyBody,
        detail: { summary: 'Confirm the TOTP enrolment of a server-driven attempt', description: ENROLL_DOC },
      },
    )
    .post(
      '/:id/reset-password',
      async ({ tenant, params, body, request, server }) => {
        const ctx = flow(tenant, request, server)
        return SignInService.respond(deps, ctx, await SignInService.resetPassword(deps, ctx, params.id, body), null)
      },
      {
        secretKey: 'sessions:write',
        params: SignInModel.bapiParams,
        body: SignInModel.resetPasswordBody,
        detail: { summary: 'Set a new password after a verified reset code (server-driven)', description: RESET_DOC },
      },
    )
}
