import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import { callerOf } from '../../platform/http/caller'
import { readCookie } from '../../platform/http/cookies'
import { requestMeta } from '../../platform/http/request-meta'
import { describeDevice, maskIp } from '../../platform/http/user-agent'
import { linkAction } from '../challenges/service'
import { allowedOrigins, fapiGuard, type FapiContext } from '../sessions/fapi-guard'
import { findClient } from '../sessions/service'
import * as TenantsService from '../tenants/service'
import { confirmPage, resultPage, type ResultKind } from './page'
import { presentConfirmed } from './present'
import * as VerificationService from './service'

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
const tenantParams = t.Object({ tenant: t.String({ maxLength: 63 }) })
const token = t.String({ minLength: 1, maxLength: 128 })

/** Headers of every link page: HTML, no framing, no caching, no referrer leaking the token to another site. */
function asPage(set: { headers: Record<string, string | number> }) {
  set.headers['content-type'] = 'text/html; charset=utf-8'
  set.headers['content-security-policy'] = PAGE_CSP
  set.headers['cache-control'] = 'no-store'
  // Same-origin, not no-referrer: under no-referrer a browser posts the form with `Origin: null`.
  set.headers['referrer-policy'] = 'same-origin'
}

/**
 * `{issuer}/v1/verify?token=…`, the link of an email_link challenge (API.md §4 Email links): GET
 * shows what is being confirmed and changes nothing; the page's form POSTs back to confirm.
 * `{issuer}/v1/client/verify` is the native app's way to confirm its own link.
 */
export const verificationRoutes = (deps: Deps) =>
  new Elysia({ tags: ['Frontend API'] })
    .get(
      '/t/:tenant/v1/verify',
      async ({ params, query, request, set }) => {
        const tenant = await TenantsService.resolveSlug(deps, params.tenant)
        requestMeta(request).tenantId = tenant.id
        asPage(set)
        try {
          const challenge = await VerificationService.pendingLink(deps, tenant, query.token)
          return confirmPage({
            appName: tenant.name,
            action: linkAction(challenge.purpose, tenant.name),
            device: describeDevice(challenge.requestedBy?.userAgent ?? null),
            maskedIp: maskIp(challenge.requestedBy?.ip ?? null),
            askedAt: challenge.createdAt,
            crossDevice: !tenant.settings.email_link.require_same_client,
            csrf: await VerificationService.csrfFor(deps, query.token),
            token: query.token,
          })
        } catch (err) {
          if (!(err instanceof AppError)) throw err
          set.status = err.status
          return resultPage(tenant.name, 'refused')
        }
      },
      {
        params: tenantParams,
        // Parameters added to a link are ignored, not refused (API.md §12).
        query: t.Object({ token }, { additionalProperties: true }),
        detail: { summary: 'Open an email link: a page to confirm it (changes nothing)' },
      },
    )
    .post(
      '/t/:tenant/v1/verify',
      async ({ params, query, body, request, server, set }) => {
        const tenant = await TenantsService.resolveSlug(deps, params.tenant)
        requestMeta(request).tenantId = tenant.id
        asPage(set)
        const origin = request.headers.get('origin')
        // The form is ours and its page's referrer policy is same-origin, so a browser posts it with
        // PUBLIC_URL's Origin; like every browser-mode FAPI POST, anything else is refused (API.md §12).
        if (origin === null || !allowedOrigins(deps, tenant).has(origin)) throw new AppError('origin_invalid')
        const linkToken = query.token ?? body.token
        if (!linkToken || (query.token && body.token && query.token !== body.token))
          throw new AppError('form_param_missing', { param_name: 'token' })
        let kind: ResultKind
        try {
          const client = await findClient(deps, tenant, readCookie(request, '__client'))
          const caller = callerOf(request, deps.peerOf(request, server), deps.trustedProxies)
          const outcome = await VerificationService.confirm(deps, tenant, {
            token: linkToken,
            csrf: body.csrf,
            clientId: client?.id ?? null,
            caller,
          })
          if (outcome.kind === 'verified' && outcome.redirect) {
            set.status = 303
            set.headers.location = outcome.redirect
            return ''
          }
          kind = outcome.kind
        } catch (err) {
          if (!(err instanceof AppError) || err.code === 'permission_denied') throw err
          set.status = err.status
          kind = 'refused'
        }
        return resultPage(tenant.name, kind)
      },
      {
        params: tenantParams,
        query: t.Object({ token: t.Optional(token) }, { additionalProperties: true }),
        body: t.Object({ csrf: t.String({ maxLength: 128 }), token: t.Optional(token) }),
        detail: {
          summary: 'Confirm an email link (the form of its page)',
          description:
            'By default only the browser of the client that asked may confirm (its `__client` cookie); ' +
            'another device gets a page asking to open the link there, and the challenge stays pending.',
        },
      },
    )
    .use(fapiGuard(deps))
    .post(
      '/t/:tenant/v1/client/verify',
      async ({ fapi, body }) => {
        const challenge = await VerificationService.confirmForClient(
          deps,
          fapi.tenant,
          fapi.client.id,
          body.token,
          fapi.caller,
        )
        return presentConfirmed(deps, fapi as FapiContext, challenge)
      },
      {
        client: true,
        params: tenantParams,
        body: t.Object({ token }, { additionalProperties: false }),
        detail: {
          summary: 'Confirm an email link from the app that asked (X-Client-Token): the attempt or address it verified',
        },
      },
    )
