import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { serialiseCookie } from '../../platform/http/cookies'
import { cookiePath, fapiGuard } from '../sessions/fapi-guard'
import { sessionAuth } from '../sessions/session-guard'
import { tenantGuards } from '../tenants/guards'
import * as Backend from './backend'
import * as MfaModel from './model'
import * as Reverify from './reverify'
import * as Self from './self'

const RECENT =
  'Needs a factor verified within the last 10 minutes (token `fva`), else 403 `reverification_required`: ' +
  're-verify with `POST /t/{tenant}/v1/client/sessions/{sid}/reverify` and use the token it returns.'

/** Frontend API, the signed-in user's second factors (API.md §6, §11), with a session token. */
export const meMfaRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/v1/me', tags: ['Current user'] })
    .use(sessionAuth(deps))
    .post(
      '/totp',
      async ({ me, set }) => {
        const enrollment = await Self.enrolTotp(deps, me)
        set.status = 201
        return enrollment
      },
      {
        session: true,
        params: MfaModel.tenantParams,
        detail: {
          summary:
            'Start TOTP enrolment: { object: "totp", id, secret, otpauth_uri, qr_svg, verified: false }, shown once',
          description:
            'The secret counts only after POST /me/totp/verify. Issuer = tenant name, label = primary ' +
            `identifier; SHA-1, 6 digits, 30 s. 409 while TOTP is active. ${RECENT}`,
        },
      },
    )
    .post('/totp/verify', ({ me, body }) => Self.verifyTotp(deps, me, body.code), {
      session: true,
      params: MfaModel.tenantParams,
      body: MfaModel.codeBody,
      detail: { summary: 'Activate TOTP with a current code → { object: "totp", id, verified: true }' },
    })
    .delete('/totp', ({ me, body }) => Self.disableTotp(deps, me, body?.code), {
      session: true,
      params: MfaModel.tenantParams,
      body: MfaModel.disableTotpBody,
      detail: {
        summary: 'Disable TOTP (with a current TOTP or backup code, or a recent factor)',
        description:
          'A wrong code is 422 form_code_incorrect and counts toward lockout. Without a code: ' +
          `${RECENT} Backup codes are removed too unless a second-factor phone remains.`,
      },
    })
    .post(
      '/backup-codes',
      async ({ me, set }) => {
        const codes = await Self.createBackupCodes(deps, me)
        set.status = 201
        return codes
      },
      {
        session: true,
        params: MfaModel.tenantParams,
        detail: { summary: 'New backup codes (10, shown once; replaces every earlier code)', description: RECENT },
      },
    )
    .delete('/backup-codes', ({ me }) => Self.deleteBackupCodes(deps, me), {
      session: true,
      params: MfaModel.tenantParams,
      detail: { summary: 'Delete every backup code', description: RECENT },
    })

/** Backend API: check a user's TOTP, remove a user's second factors (API.md §7). */
export const backendMfaRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/v1/users', tags: ['Users'] })
    .use(tenantGuards(deps))
    .post('/:id/verify-totp', ({ tenant, params, body }) => Backend.verifyTotp(deps, tenant, params.id, body.code), {
      secretKey: 'users:write',
      params: MfaModel.userParams,
      body: MfaModel.codeBody,
      detail: {
        summary: 'Check a TOTP (or backup) code → { verified: true, code_type: "totp" | "backup_code" }',
        description:
          'A wrong, replayed or used-up code is 422 form_code_incorrect. A code that verifies is spent (not ' +
          'accepted again).',
      },
    })
    .delete('/:id/mfa', ({ tenant, backend, params }) => Backend.removeAll(deps, tenant, params.id, backend), {
      secretKey: 'users:write',
      params: MfaModel.userParams,
      detail: {
        summary: 'Remove TOTP, backup codes and second-factor phone reservations (passkeys stay); returns the user',
      },
    })

/** Frontend API reverification of one of the client's sessions (API.md §6). */
export const reverifyRoutes = (deps: Deps) =>
  new Elysia({ prefix: '/t/:tenant/v1/client/sessions', tags: ['Frontend API'] })
    .use(fapiGuard(deps))
    .post(
      '/:id/reverify',
      async ({ fapi, params, body }) => {
        const done = await Reverify.reverify(deps, fapi, params.id, body)
        if (!fapi.native) {
          const secure = deps.config.publicUrl.startsWith('https:')
          fapi.cookies.push(
            serialiseCookie('__session', done.jwt, {
              path: cookiePath(fapi.tenant),
              httpOnly: false,
              secure,
              maxAgeS: fapi.tenant.settings.session.token_lifetime_s,
            }),
          )
        }
        return done
      },
      {
        client: true,
        params: MfaModel.sessionParams,
        body: MfaModel.reverifyBody,
        detail: {
          summary: 'Re-verify a factor on this client’s session → { object: "token", jwt, session }',
          description:
            'Strategies: `password` { password }, `totp` / `backup_code` { code } (enrolled factors), ' +
            '`email_code` / `phone_code` { code } and `passkey` { credential } ' +
            'after `POST …/reverify/challenges`. The new session token (also the `__session` cookie in browser ' +
            'mode) has `fva` 0 for the re-verified slot (password and email codes: first; TOTP, backup codes, ' +
            'second-factor phone, passkey: second) and the strategy in `amr`; the session row keeps it for later ' +
            'refreshes. Wrong passwords count toward lockout (422 with `meta.attempts_remaining`, then 423); ' +
            'wrong codes spend the account’s code budget (10 per 15 minutes, then 429). Rate-limited per IP and ' +
            'per account. Another client’s session is 404.',
        },
      },
    )
    .post(
      '/:id/reverify/challenges',
      async ({ fapi, params, body, set }) => {
        const challenge = await Reverify.prepare(deps, fapi, params.id, body.strategy)
        set.status = 201
        return challenge
      },
      {
        client: true,
        params: MfaModel.sessionParams,
        body: MfaModel.reverifyChallengeBody,
        detail: {
          summary:
            'Send a reverification code (only to an address or phone verified before the session began), or for ' +
            '`passkey` the WebAuthn options → 201 Challenge',
        },
      },
    )
