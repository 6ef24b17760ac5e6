import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import * as AccountsService from '../accounts/service'
import * as ActorTokensService from '../actor-tokens/service'
import * as MfaService from '../mfa/service'
import * as TenantsService from '../tenants/service'
import type { TenantRow } from '../tenants/service'
import { consoleRoleOf } from '../operators/model'
import * as SessionsService from '../sessions/service'
import { isOperator, requireWrite, tenantFor } from './access'
import { appendCookie, consoleHandlers, hide } from './handlers'
import { userPage, usersPage } from './pages/users'

type Actor = Parameters<typeof AccountsService.ban>[3]
type UserChange = (deps: Deps, tenant: TenantRow, id: string, actor: Actor) => Promise<unknown>

const USER_NOTICES: Record<string, string> = {
  ban: 'Banned: every session ended.',
  unban: 'Unbanned.',
  lock: 'Locked: sign-ins are refused until unlocked.',
  unlock: 'Unlocked.',
  'reset-mfa': 'Second factors removed (passkeys stay).',
  revoked: 'Session revoked.',
  roles: 'Roles saved: the next session token carries them.',
  metadata: 'Metadata saved.',
  passkey: 'Passkey removed.',
}

/** What an admin may do to a user from its page, each as the Backend API does it. */
const USER_CHANGES: Record<string, { apply: UserChange; excludesSelf: boolean } | undefined> = {
  ban: { apply: AccountsService.ban, excludesSelf: true },
  unban: { apply: AccountsService.unban, excludesSelf: false },
  lock: { apply: AccountsService.lock, excludesSelf: true },
  unlock: { apply: AccountsService.unlock, excludesSelf: false },
  'reset-mfa': { apply: MfaService.resetSecondFactors, excludesSelf: false },
}

/** A tenant's users (and their sessions) and organizations (members, invitations). */
export const peopleRoutes = (deps: Deps) => {
  const { page, action, by, required, jsonObject } = consoleHandlers(deps)
  return new Elysia({ prefix: '/console', detail: hide })
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
        return userPage(deps, viewer, tenant, csrf, x.params.user!, USER_NOTICES[x.query.done ?? ''] ?? null)
      }),
    )
    .post(
      '/tenants/:id/users/:user/impersonate',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const user = await AccountsService.get(deps, tenant, x.params.user!)
        // Acting as another admin would borrow their console role: only people without one are impersonated.
        if (user.id === viewer.userId || consoleRoleOf(tenant, user.roles))
          throw new AppError('permission_denied', { reason: 'administrator' })
        const actor = {
          sub: viewer.userId,
          kind: isOperator(viewer) ? ('operator' as const) : ('tenant_admin' as const),
          tenant_id: viewer.home.id,
          tenant_slug: viewer.home.slug,
          iss: TenantsService.keyOwner(deps, viewer.home).issuer,
          sid: viewer.sessionId,
        }
        const { url, cookie } = await ActorTokensService.issueForConsole(
          deps,
          tenant,
          user.id,
          actor,
          by(x, viewer).actor,
        )
        appendCookie(x.set, cookie)
        return url
      }),
    )
    .post(
      '/tenants/:id/users/:user/roles',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const roles = Object.keys(fields)
          .filter((name) => name.startsWith('role_') && fields[name] === 'on')
          .map((name) => name.slice('role_'.length))
        await AccountsService.setRoles(deps, tenant, x.params.user!, roles, by(x, viewer).actor)
        return `/console/tenants/${tenant.id}/users/${x.params.user}?done=roles`
      }),
    )
    .post(
      '/tenants/:id/users/:user/metadata',
      action(async (x, viewer, fields) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const body = {
          public_metadata: jsonObject(fields, 'public_metadata'),
          private_metadata: jsonObject(fields, 'private_metadata'),
          unsafe_metadata: jsonObject(fields, 'unsafe_metadata'),
        }
        await AccountsService.update(deps, tenant, x.params.user!, body, by(x, viewer).actor)
        return `/console/tenants/${tenant.id}/users/${x.params.user}?done=metadata`
      }),
    )
    .post(
      '/tenants/:id/users/:user/:change',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        const change = USER_CHANGES[x.params.change!]
        if (!change) throw new AppError('resource_not_found')
        // A tenant admin cannot lock themselves out of their own console.
        if (change.excludesSelf && x.params.user === viewer.userId)
          throw new AppError('permission_denied', { reason: 'self' })
        await change.apply(deps, tenant, x.params.user!, by(x, viewer).actor)
        return `/console/tenants/${tenant.id}/users/${x.params.user}?done=${x.params.change}`
      }),
    )
    .post(
      '/tenants/:id/users/:user/passkeys/:passkey/remove',
      action(async (x, viewer) => {
        requireWrite(viewer)
        const tenant = await tenantFor(deps, viewer, x.params.id!)
        await AccountsService.removePasskey(deps, tenant, x.params.user!, x.params.passkey!, by(x, viewer).actor)
        return `/console/tenants/${tenant.id}/users/${x.params.user}?done=passkey`
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
}
