import { Elysia, type AnyElysia } from 'elysia'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import { callerOf } from '../../platform/http/caller'
import { requestMeta } from '../../platform/http/request-meta'
import * as AccountsService from '../accounts/service'
import * as AuditService from '../audit/service'
import { fieldsOf, textOf, type Fields } from '../hosted/form'
import { escapeHtml } from '../hosted/html'
import * as OperatorsService from '../operators/service'
import * as OrganizationsService from '../organizations/service'
import * as SessionsService from '../sessions/service'
import * as TenantsService from '../tenants/service'
import * as WebhooksService from '../webhooks/service'
import { byViewer, requireOperator, requireWrite, tenantFor } from './access'
import { renderConsole, type ConsolePage } from './layout'
import { auditPage, tenantTrail } from './pages/audit'
import { operatorsPage } from './pages/operators'
import { organizationPage, organizationsPage } from './pages/organizations'
import { tenantCreated, tenantsPage } from './pages/tenants'
import { secretKeyRotated, settingsPage, settingsPatchFrom } from './pages/settings'
import { userPage, usersPage } from './pages/users'
import { endpointCreated, endpointPage, webhooksPage } from './pages/webhooks'
import { welcome } from './pages/welcome'
import { clearedSessionCookie, csrfOf, csrfValid, viewerOf, type Viewer } from './session'
import * as SignIn from './sign-in'

/**
 * `{PUBLIC_URL}/console` (issue #21): pages for operators and tenant admins over the same services (and audit
 * trail) as the API. Every page needs a console session (else the sign-in page); every POST needs PUBLIC_URL's
 * Origin and the session's CSRF token, checked before anything is read; bad input is the page again with the
 * message, never a JSON envelope; GETs change nothing (the sign-in start only sets its own cookie).
 */
type Set = { status?: number | string; headers: Record<string, string | number> }
type Server = Parameters<Deps['peerOf']>[1]
interface Exchange {
  request: Request
  server: Server
  set: Set
  params: Record<string, string>
  query: Record<string, string | undefined>
}

const hide = { hide: true }
const PLATFORM_TRAIL = {
  chain: AuditService.PLATFORM_CHAIN,
  list: 'platform' as const,
  base: '/console/audit',
  title: 'Platform audit log',
  nav: '',
}
const MESSAGES: Record<number, string> = {
  400: 'That request could not be understood.',
  403: 'You may not do that.',
  404: 'Not found (or not yours to see).',
  422: 'That value is not valid.',
}

export const consoleRoutes = (deps: Deps, app: () => AnyElysia) => {
  const handle: SignIn.Handle = (request) => app().handle(request)
  const origin = new URL(deps.config.publicUrl).origin

  const redirect = (set: Set, location: string, cookies: string[] = []) => {
    set.status = 303
    set.headers.location = location
    if (cookies.length) set.headers['set-cookie'] = cookies as unknown as string
    return ''
  }

  const errorPage = (x: Exchange, viewer: Viewer | null, csrf: string | null, err: unknown) => {
    if (!(err instanceof AppError)) {
      // A page answers with a page, never the JSON envelope; the log has the trace (no details here).
      deps.log.error('console page failed', { trace_id: requestMeta(x.request).traceId, err })
      return renderConsole(x.set, viewer, csrf, {
        title: 'Something went wrong',
        body: `<p role="alert" class="error">Try again. Reference: ${escapeHtml(requestMeta(x.request).traceId)}</p>`,
        status: 500,
      })
    }
    const message = err.status === 422 || err.status === 409 ? err.longMessage : (MESSAGES[err.status] ?? err.message)
    return renderConsole(x.set, viewer, csrf, {
      title: 'Something is not right',
      body: `<p role="alert" class="error">${escapeHtml(message)}</p>`,
      status: err.status,
    })
  }

  /** The viewer of a request, with their cookie renewed on the answer when due (see session.ts). */
  const viewerFor = async (x: Exchange) => {
    const viewer = await viewerOf(deps, x.request)
    if (viewer?.renewed) x.set.headers['set-cookie'] = viewer.renewed
    if (viewer) requestMeta(x.request).tenantId = viewer.home.id
    return viewer
  }

  /** A page for a signed-in viewer; a signed-out one goes to the sign-in page. */
  const page = (build: (x: Exchange, viewer: Viewer, csrf: string) => Promise<ConsolePage>) => async (x: Exchange) => {
    const viewer = await viewerFor(x)
    if (!viewer) return redirect(x.set, '/console')
    const csrf = await csrfOf(deps, viewer)
    try {
      return renderConsole(x.set, viewer, csrf, await build(x, viewer, csrf))
    } catch (err) {
      return errorPage(x, viewer, csrf, err)
    }
  }

  const crossSite = (x: Exchange) =>
    x.request.headers.get('origin') !== origin
      ? renderConsole(x.set, null, null, {
          title: 'Refused',
          body: '<p class="error">Cross-site request refused.</p>',
          status: 403,
        })
      : null

  /** A form POST: Origin, session and CSRF token first; then the action, which answers a redirect or a page. */
  const action =
    (act: (x: Exchange, viewer: Viewer, fields: Fields, csrf: string) => Promise<string | ConsolePage>) =>
    async (x: Exchange & { body: unknown }) => {
      const refused = crossSite(x)
      if (refused !== null) return refused
      const viewer = await viewerFor(x)
      if (!viewer) return redirect(x.set, '/console')
      const fields = fieldsOf(x.body)
      const csrf = await csrfOf(deps, viewer)
      if (!(await csrfValid(deps, viewer, fields.csrf)))
        return renderConsole(x.set, viewer, csrf, {
          title: 'Refused',
          body: '<p class="error">This form expired: reload the page and try again.</p>',
          status: 403,
        })
      try {
        const done = await act(x, viewer, fields, csrf)
        return typeof done === 'string' ? redirect(x.set, done) : renderConsole(x.set, viewer, csrf, done)
      } catch (err) {
        return errorPage(x, viewer, csrf, err)
      }
    }

  const by = (x: Exchange, viewer: Viewer) =>
    byViewer(viewer, callerOf(x.request, deps.peerOf(x.request, x.server), deps.trustedProxies))

  const operatorRole = (value: string | undefined) => {
    const role = OperatorsService.OPERATOR_ROLES.find((r) => r === value)
    if (!role) throw new AppError('form_param_format_invalid', { param_name: 'role' })
    return role
  }

  const required = (fields: Fields, name: string) => {
    const value = textOf(fields, name)
    if (!value) throw new AppError('form_param_missing', { param_name: name })
    return value
  }

  return new Elysia({ prefix: '/console', detail: hide })
    .get('', async (x) => {
      const viewer = await viewerFor(x)
      if (viewer)
        return redirect(
          x.set,
          viewer.role === 'tenant_admin' ? `/console/tenants/${viewer.home.id}` : '/console/tenants',
        )
      // Cheap for anyone who asks: whether the platform tenant exists (it is made with the first operator).
      const hasOperators = (await OperatorsService.platformTenant(deps)) !== null
      return renderConsole(x.set, null, null, welcome(x.query.signed_out ? 'You are signed out.' : null, hasOperators))
    })
    .post(
      '/sign-in',
      // A POST from PUBLIC_URL's origin, not a GET: starting may put the console's application in the tenant.
      async (x: Exchange & { body: unknown }) => {
        const refused = crossSite(x)
        if (refused !== null) return refused
        const slug = textOf(fieldsOf(x.body), 'tenant')?.toLowerCase()
        const tenant =
          slug === undefined
            ? await OperatorsService.platformTenant(deps)
            : slug.length <= 63
              ? await deps.tenants.bySlugOrNull(slug)
              : null
        if (!tenant)
          return renderConsole(x.set, null, null, {
            ...welcome(slug ? 'No tenant has that slug.' : 'No operator yet.', !slug),
            status: 404,
          })
        const started = await SignIn.start(deps, tenant)
        return redirect(x.set, started.location, [started.cookie])
      },
    )
    .get('/callback', async (x) => {
      // Read by hand (bounded in sign-in.ts): whatever comes back answers with a page, never a JSON 422.
      const result = await SignIn.callback(deps, handle, x.request, x.query)
      if (result.ok) return redirect(x.set, '/console', result.cookies)
      x.set.headers['set-cookie'] = result.cookies as unknown as string
      return renderConsole(x.set, null, null, { ...welcome(result.message, true), status: result.status })
    })
    .post(
      '/sign-out',
      action(async (x, viewer) => {
        // Signing out of the console ends the session it was signed in with (as the hosted pages' sign-out does).
        await SessionsService.revoke(
          deps,
          viewer.home,
          viewer.sessionId,
          { type: 'user', id: viewer.userId },
          null,
        ).catch(() => undefined)
        x.set.headers['set-cookie'] = clearedSessionCookie(deps)
        return '/console?signed_out=1'
      }),
    )
    .get(
      '/tenants',
      page(async (x, viewer, csrf) => {
        requireOperator(viewer)
        return tenantsPage(deps, viewer, csrf, x.query.cursor)
      }),
    )
    .post(
      '/tenants',
      action(async (x, viewer, fields) => {
        requireOperator(viewer)
        requireWrite(viewer)
        const { actor, caller } = by(x, viewer)
        return tenantCreated(await TenantsService.create(deps, { name: required(fields, 'name') }, { actor, caller }))
      }),
    )
    .get(
      '/tenants/:id',
      page(async (x, viewer, csrf) =>
        usersPage(deps, viewer, await tenantFor(deps, viewer, x.params.id!), csrf, x.query),
      ),
    )
    .post(
      '/tenants/:id/users',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const user = await AccountsService.create(
          deps,
          tenant,
          { email_address: [required(fields, 'email_address')] },
          by(x, viewer).actor,
        )
        return `/console/tenants/${tenant.id}/users/${user.id}`
      }),
    )
    .get(
      '/tenants/:id/users/:user',
      page(async (x, viewer, csrf) => {
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const notice =
          x.query.done === 'banned'
            ? 'Banned: every session ended.'
            : x.query.done === 'unbanned'
              ? 'Unbanned.'
              : x.query.done === 'revoked'
                ? 'Session revoked.'
                : null
        return userPage(deps, viewer, tenant, csrf, x.params.user!, notice)
      }),
    )
    .post(
      '/tenants/:id/users/:user/:change',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const change = x.params.change
        if (change !== 'ban' && change !== 'unban') throw new AppError('resource_not_found')
        // A tenant admin cannot lock themselves out of their own console.
        if (change === 'ban' && x.params.user === viewer.userId)
          throw new AppError('permission_denied', { reason: 'self' })
        await (change === 'ban' ? AccountsService.ban : AccountsService.unban)(
          deps,
          tenant,
          x.params.user!,
          by(x, viewer).actor,
        )
        return `/console/tenants/${tenant.id}/users/${x.params.user}?done=${change}ned`
      }),
    )
    .post(
      '/tenants/:id/users/:user/sessions/:session/revoke',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const session = await SessionsService.get(deps, tenant, x.params.session!)
        if (session.user_id !== x.params.user) throw new AppError('resource_not_found')
        const { actor, caller } = by(x, viewer)
        await SessionsService.revoke(
          deps,
          tenant,
          session.id,
          actor,
          caller ? { ip: caller.ip, userAgent: caller.userAgent, origin: null } : null,
        )
        return `/console/tenants/${tenant.id}/users/${x.params.user}?done=revoked`
      }),
    )
    .get(
      '/tenants/:id/organizations',
      page(async (x, viewer, csrf) =>
        organizationsPage(deps, viewer, await tenantFor(deps, viewer, x.params.id!), csrf, x.query),
      ),
    )
    .post(
      '/tenants/:id/organizations',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const acting = { by: by(x, viewer), audience: 'backend' as const }
        const org = await OrganizationsService.create(deps, tenant, { name: required(fields, 'name') }, acting)
        return `/console/tenants/${tenant.id}/organizations/${org.id}`
      }),
    )
    .get(
      '/tenants/:id/organizations/:org',
      page(async (x, viewer, csrf) => {
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const notice = x.query.done === 'invited' ? 'Invitation sent.' : null
        return organizationPage(deps, viewer, tenant, csrf, x.params.org!, notice)
      }),
    )
    .post(
      '/tenants/:id/organizations/:org/invitations',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const body = { email_address: required(fields, 'email_address'), role: required(fields, 'role') }
        const inviting = { by: by(x, viewer), audience: 'backend' as const, actorRole: null, inviterUserId: null }
        await OrganizationsService.inviteMembers(deps, tenant, x.params.org!, [body], inviting, { bulk: false })
        return `/console/tenants/${tenant.id}/organizations/${x.params.org}?done=invited`
      }),
    )
    .get(
      '/tenants/:id/webhooks',
      page(async (x, viewer, csrf) => webhooksPage(deps, viewer, await tenantFor(deps, viewer, x.params.id!), csrf)),
    )
    .post(
      '/tenants/:id/webhooks',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        return endpointCreated(
          tenant,
          await WebhooksService.create(deps, tenant, { url: required(fields, 'url') }, by(x, viewer).actor),
        )
      }),
    )
    .get(
      '/tenants/:id/webhooks/:endpoint',
      page(async (x, viewer, csrf) => {
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const notice = x.query.done === 'retried' ? 'Retry started: the attempt shows in a moment.' : null
        return endpointPage(deps, viewer, tenant, csrf, x.params.endpoint!, notice)
      }),
    )
    .post(
      '/tenants/:id/webhooks/:endpoint/messages/:message/retry',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        await WebhooksService.retryMessage(deps, tenant, x.params.endpoint!, x.params.message!)
        return `/console/tenants/${tenant.id}/webhooks/${x.params.endpoint}?done=retried`
      }),
    )
    .get(
      '/tenants/:id/settings',
      page(async (x, viewer, csrf) => {
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const notices: Record<string, string> = {
          saved: 'Settings saved.',
          keys: 'Signing-key rotation started: the new key signs after the overlap.',
        }
        return settingsPage(viewer, tenant, csrf, notices[x.query.done ?? ''] ?? null)
      }),
    )
    .post(
      '/tenants/:id/settings',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const settings = TenantsService.settingsPatchOf(settingsPatchFrom(fields))
        await TenantsService.update(deps, tenant.id, { settings }, by(x, viewer))
        return `/console/tenants/${tenant.id}/settings?done=saved`
      }),
    )
    .get(
      '/audit',
      page(async (x, viewer, csrf) => {
        requireOperator(viewer)
        return auditPage(deps, PLATFORM_TRAIL, csrf, x.query)
      }),
    )
    .post(
      '/audit/verify',
      action(async (_x, viewer, _fields, csrf) => {
        requireOperator(viewer)
        return auditPage(deps, PLATFORM_TRAIL, csrf, {}, true)
      }),
    )
    .post(
      '/tenants/:id/:operation',
      action(async (x, viewer, fields) => {
        requireOperator(viewer, ['super_admin', 'admin'])
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const acting = by(x, viewer)
        switch (x.params.operation) {
          case 'rotate-secret-key':
            return secretKeyRotated(tenant, await TenantsService.rotateSecretKey(deps, tenant.id, acting))
          case 'rotate-signing-keys':
            await TenantsService.rotateKeys(deps, tenant.id, acting)
            return `/console/tenants/${tenant.id}/settings?done=keys`
          case 'delete':
            // Typed, not clicked: the slug confirms which tenant goes.
            if (textOf(fields, 'confirm') !== tenant.slug)
              throw new AppError('form_param_format_invalid', { param_name: 'confirm', reason: 'type_the_slug' })
            await TenantsService.remove(deps, tenant.id, acting)
            return '/console/tenants'
          default:
            throw new AppError('resource_not_found')
        }
      }),
    )
    .get(
      '/operators',
      page(async (_x, viewer, csrf) => {
        requireOperator(viewer, ['super_admin'])
        return operatorsPage(deps, viewer, csrf)
      }),
    )
    .post(
      '/operators',
      action(async (x, viewer, fields) => {
        requireOperator(viewer, ['super_admin'])
        const role = operatorRole(fields.role)
        await OperatorsService.create(deps, { email_address: required(fields, 'email_address'), role }, by(x, viewer))
        return '/console/operators'
      }),
    )
    .post(
      '/operators/:id/:change',
      action(async (x, viewer, fields) => {
        requireOperator(viewer, ['super_admin'])
        const id = x.params.id!
        if (x.params.change === 'role')
          await OperatorsService.update(deps, id, operatorRole(fields[`role-${id}`]), by(x, viewer))
        else if (x.params.change === 'remove') await OperatorsService.remove(deps, id, by(x, viewer))
        else throw new AppError('resource_not_found')
        return '/console/operators'
      }),
    )
    .get(
      '/tenants/:id/audit',
      page(async (x, viewer, csrf) =>
        auditPage(deps, tenantTrail(await tenantFor(deps, viewer, x.params.id!)), csrf, x.query),
      ),
    )
    .post(
      '/tenants/:id/audit/verify',
      action(async (x, viewer, _fields, csrf) =>
        auditPage(deps, tenantTrail(await tenantFor(deps, viewer, x.params.id!)), csrf, {}, true),
      ),
    )
}
