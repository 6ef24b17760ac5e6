import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { newId } from '../../platform/ids'
import * as RateLimit from '../../platform/rate-limit'
import * as MeService from '../me/service'
import type { SessionAuth } from '../sessions/session-guard'
import * as SessionsService from '../sessions/service'
import * as KeysService from '../keys/service'
import * as UsersService from '../users/service'
import { keyOwner, type TenantRow } from '../tenants/service'
import { authenticateClient } from './client-auth'
import * as DeviceRepo from './device-repo'
import type { CibaRow } from './device-repo'
import { OAuthError } from './errors'
import type { Form } from './form'
import { recordGrantInTx } from './grants'
import { CIBA_GRANT } from './model'
import { POLL_INTERVAL_S } from './poll'
import { recordInTx } from './record'
import * as OAuthRepo from './repo'
import type { ApplicationRow } from './repo'

/** CIBA requests live 300 s unless the client asks for less (API.md §13). */
const CIBA_LIFETIME_S = 300

/** The user a hint names: a user id, a verified email or phone (login_hint), or an ID token of ours. */
async function hintedUser(deps: Deps, tenant: TenantRow, form: Form): Promise<string | null> {
  if (form.id_token_hint) {
    const verified = await KeysService.verifyToken(deps, keyOwner(deps, tenant), form.id_token_hint, 'id')
    return verified.ok && typeof verified.claims.sub === 'string' ? verified.claims.sub : null
  }
  const hint = form.login_hint!.trim()
  return withTenant(deps.db, tenant.id, async (tx) => {
    if (/^user_[0-9A-Z]{26}$/.test(hint)) {
      const loaded = await UsersService.loadUser(tx, tenant.id, hint)
      return loaded && !loaded.user.deletedAt ? loaded.user.id : null
    }
    return (await UsersService.findSignInCandidate(tx, tenant.id, hint))?.user.id ?? null
  })
}

/**
 * `POST /oauth/bc-authorize` (OpenID CIBA Core 1.0, poll mode): a confidential client asks a known
 * user to approve, at `/me/ciba-requests`, what `binding_message` describes. Event `cibaRequest.created`.
 */
export async function backchannelAuthorize(deps: Deps, tenant: TenantRow, request: Request, form: Form) {
  const app = await authenticateClient(deps, tenant, keyOwner(deps, tenant).issuer, request, form)
  if (app.public || !app.grantTypes.includes(CIBA_GRANT))
    throw new OAuthError('unauthorized_client', 'This client may not use CIBA.')
  const scopes = [...new Set((form.scope ?? '').split(' ').filter(Boolean))]
  if (!scopes.includes('openid')) throw new OAuthError('invalid_scope', 'scope must include openid.')
  const unknown = scopes.find((s) => !app.scopes.includes(s))
  if (unknown) throw new OAuthError('invalid_scope', `Scope ${unknown} is not allowed for this client.`)
  if (!form.login_hint === !form.id_token_hint)
    throw new OAuthError('invalid_request', 'Give exactly one of login_hint and id_token_hint.')
  if (form.login_hint_token) throw new OAuthError('invalid_request', 'login_hint_token is not supported.')
  const binding = form.binding_message ?? null
  if (binding !== null && (binding.length > 64 || /[\u0000-\u001f]/.test(binding)))
    throw new OAuthError('invalid_binding_message', 'binding_message must be at most 64 printable characters.')
  const requested = form.requested_expiry
  if (requested !== undefined && !/^[1-9]\d{0,5}$/.test(requested))
    throw new OAuthError('invalid_request', 'requested_expiry must be a positive number of seconds.')
  const lifetimeS = Math.min(CIBA_LIFETIME_S, requested ? Number(requested) : CIBA_LIFETIME_S)
  // Each request prompts a person and each hint probes the directory: both are budgeted, per client
  // and per user, like sign-in attempts (tenant rate_limits).
  const now = deps.clock.now()
  const limits = tenant.settings.rate_limits
  await RateLimit.consume(deps.db, tenant.id, `ciba_client:${app.id}`, limits.per_ip_per_minute, now)
  const userId = await hintedUser(deps, tenant, form)
  if (!userId) throw new OAuthError('unknown_user_id', 'The hint does not name a user of this tenant.')
  await RateLimit.consume(deps.db, tenant.id, `ciba_user:${userId}`, limits.per_identifier_per_minute, now)
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const row = await DeviceRepo.insertCiba(tx, {
      id: newId('ciba', now),
      tenantId: tenant.id,
      applicationId: app.id,
      userId,
      scopes,
      bindingMessage: binding,
      acrValues: form.acr_values ?? null,
      status: 'pending',
      intervalS: POLL_INTERVAL_S,
      expireAt: new Date(now + lifetimeS * 1000),
      createdAt: new Date(now),
      updatedAt: new Date(now),
    })
    await recordInTx(deps, tx, tenant.id, {
      event: 'cibaRequest.created',
      actor: { type: 'system', id: null },
      target: { type: 'ciba_request', id: row.id },
      data: present(row, app, now),
    })
    return row
  })
  return { auth_req_id: row.id, expires_in: lifetimeS, interval: POLL_INTERVAL_S }
}

type Status = 'pending' | 'approved' | 'denied' | 'expired'

function present(row: CibaRow, app: Pick<ApplicationRow, 'id' | 'name' | 'logoUrl'>, now: number) {
  const expired = row.status === 'pending' && row.expireAt.getTime() <= now
  return {
    object: 'ciba_request' as const,
    id: row.id,
    application: { id: app.id, name: app.name, logo_url: app.logoUrl },
    scopes: row.scopes,
    binding_message: row.bindingMessage,
    status: (expired ? 'expired' : row.status === 'consumed' ? 'approved' : row.status) as Status,
    expire_at: row.expireAt.getTime(),
    created_at: row.createdAt.getTime(),
    updated_at: row.updatedAt.getTime(),
  }
}

/** `GET /me/ciba-requests?status=`: the user's requests, newest first. */
export async function listForUser(deps: Deps, me: SessionAuth, status: Status | undefined) {
  const now = deps.clock.now()
  const rows = await withTenant(deps.db, me.tenant.id, (tx) => DeviceRepo.listCibaForUser(tx, me.tenant.id, me.userId))
  const data = rows.map((r) => present(r.request, r.application, now)).filter((r) => !status || r.status === status)
  return { data, meta: { next_cursor: null } }
}

/**
 * `POST /me/ciba-requests/{id}/approve|deny`: only the named user, only while pending; approving needs
 * a factor verified within 10 minutes (403 `reverification_required`) and records the grant. Audit and
 * event `cibaRequest.approved|denied`.
 */
export async function answer(deps: Deps, me: SessionAuth, id: string, allow: boolean) {
  if (allow) await MeService.requireStepUp(deps, me)
  const now = deps.clock.now()
  const tenantId = me.tenant.id
  const session = await SessionsService.findForUser(deps, me.tenant, me.userId, me.sessionId)
  return withTenant(deps.db, tenantId, async (tx) => {
    const row = await DeviceRepo.lockCiba(tx, tenantId, id)
    if (!row || row.userId !== me.userId) throw new AppError('resource_not_found')
    const app = await OAuthRepo.findApplication(tx, tenantId, row.applicationId)
    if (!app) throw new AppError('resource_not_found')
    if (row.status !== 'pending' || row.expireAt.getTime() <= now)
      throw new AppError('form_param_format_invalid', { param_name: 'id', reason: 'not_pending' })
    const grant = allow ? await recordGrantInTx(deps, tx, tenantId, app, me.userId, null, row.scopes) : null
    const patch = {
      status: allow ? ('approved' as const) : ('denied' as const),
      sessionId: session.id,
      grantId: grant?.id ?? null,
      updatedAt: new Date(now),
    }
    await DeviceRepo.updateCiba(tx, tenantId, id, patch, 'pending')
    const updated = { ...row, ...patch }
    const data = present(updated, app, now)
    await recordInTx(deps, tx, tenantId, {
      event: allow ? 'cibaRequest.approved' : 'cibaRequest.denied',
      action: allow ? 'ciba_request.approved' : 'ciba_request.denied',
      actor: { type: 'user', id: me.userId },
      target: { type: 'ciba_request', id },
      data,
    })
    return data
  })
}
