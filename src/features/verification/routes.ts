import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { callerOf } from '../../platform/http/caller'
import { requestMeta } from '../../platform/http/request-meta'
import * as ChallengesService from '../challenges/service'
import { verifyLink as verifyIdentificationLink } from '../me/identifications'
import { verifyLink as verifySignInLink } from '../sign-in/answer'
import { verifyLink as verifySignUpLink } from '../sign-up/answer'
import * as TenantsService from '../tenants/service'
import { verifyLinkPage } from './page'

/**
 * `{issuer}/v1/verify?token=…` — the link of an email_link challenge (API.md §4 Email links).
 * Opening it verifies the challenge; the session appears on the client that owns the attempt,
 * never on the device that opened the link. The browser is sent to the attempt's stored
 * redirect_url (parameters added to the link are ignored) or shown a page to close.
 */
export const verificationRoutes = (deps: Deps) =>
  new Elysia({ tags: ['Frontend API'] })
    .get('/t/:tenant/v1/verify', async ({ params, query, request, server, set }) => {
      const tenant = await TenantsService.resolveSlug(deps, params.tenant)
      requestMeta(request).tenantId = tenant.id
      const caller = callerOf(request, deps.peerOf(request, server), deps.trustedProxies)
      set.headers['content-type'] = 'text/html; charset=utf-8'
      set.headers['content-security-policy'] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
      try {
        const challenge = await withTenant(deps.db, tenant.id, (tx) => ChallengesService.findByLinkToken(tx, tenant.id, query.token))
        if (!challenge) throw new AppError('verification_failed', { reason: 'unknown_link' })
        const redirect = await dispatch(deps, tenant, challenge, query.token, caller)
        if (redirect) {
          set.status = 303
          set.headers.location = redirect
          return ''
        }
        return verifyLinkPage(tenant.name, true)
      } catch (err) {
        if (!(err instanceof AppError)) throw err
        set.status = err.status
        return verifyLinkPage(tenant.name, false)
      }
    }, {
      params: t.Object({ tenant: t.String({ maxLength: 63 }) }),
      // Parameters added to a link are ignored, not refused (API.md §12).
      query: t.Object({ token: t.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: true }),
      detail: { summary: 'Open an email link (verifies its challenge, then redirects)' },
    })

function dispatch(deps: Deps, tenant: TenantsService.TenantRow, challenge: ChallengesService.ChallengeRow, token: string, caller: ReturnType<typeof callerOf>) {
  if (challenge.purpose === 'sign_in') return verifySignInLink(deps, tenant, challenge, token, caller)
  if (challenge.purpose === 'sign_up') return verifySignUpLink(deps, tenant, challenge, token, caller)
  return verifyIdentificationLink(deps, tenant, challenge, token, caller)
}
