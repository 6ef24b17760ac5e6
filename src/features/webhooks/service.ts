import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import { appendAudit, type AuditEntry } from '../../platform/audit'
import type { Db, Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import { checkTargetUrl } from '../../platform/net/ssrf'
import type { TenantRow } from '../tenants/service'
import { attemptSafely, leaseMs, SECRET_OVERLAP_MS, secretContext } from './dispatch'
import * as WebhookModel from './model'
import type { PublicAttempt, PublicEndpoint, PublicMessage } from './model'
import * as WebhooksRepo from './repo'
import type { EndpointRow } from './repo'

export { fanOut, retryDue, startRetryLoop, BusEvent } from './dispatch'

type WithSecret = PublicEndpoint & { secret: string }

/** Standard Webhooks secret format: `whsec_` + base64 of 24 random bytes (as Svix issues them). */
const newSecret = () => 'whsec_' + Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64')

function checkedUrl(deps: Deps, url: string): string {
  const verdict = checkTargetUrl(url, deps.config.webhookAllowPrivate)
  if (verdict === 'ok') return url
  throw new AppError('form_param_format_invalid', {
    param_name: 'url',
    ...(verdict === 'private' ? { reason: 'target_not_allowed' } : {}),
  })
}

/** Who acts through the Backend API: the secret key, or a service key (API.md §11). */
type Actor = AuditEntry['actor']

const audit = (deps: Deps, tx: Tx, tenantId: string, action: string, endpointId: string, now: number, actor: Actor) =>
  appendAudit(
    deps.auditKey,
    tx,
    tenantId,
    {
      action,
      actor,
      target: { type: 'webhook_endpoint', id: endpointId },
    },
    now,
  )

async function liveEndpoint(db: Db, tenantId: string, id: string, forUpdate = false): Promise<EndpointRow> {
  const row = await WebhooksRepo.findEndpoint(db, tenantId, id, { forUpdate })
  if (!row) throw new AppError('resource_not_found')
  return row
}

/** Creates an endpoint; its signing secret is in this answer only (sealed at rest). */
export async function create(
  deps: Deps,
  tenant: TenantRow,
  body: Static<typeof WebhookModel.createBody>,
  actor: Actor,
): Promise<WithSecret> {
  const url = checkedUrl(deps, body.url)
  const now = deps.clock.now()
  const id = newId('whe', now)
  const secret = newSecret()
  const secretSealed = await deps.box.seal(secret, secretContext(tenant.id, id))
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const row = await WebhooksRepo.insertEndpoint(tx, {
      id,
      tenantId: tenant.id,
      url,
      description: body.description ?? null,
      filterTypes: body.filter_types ?? null,
      disabled: body.disabled ?? false,
      secretSealed,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    })
    await audit(deps, tx, tenant.id, 'webhook_endpoint.created', id, now, actor)
    return row
  })
  return { ...WebhookModel.toPublicEndpoint(row), secret }
}

export async function list(
  deps: Deps,
  tenant: TenantRow,
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicEndpoint>> {
  const scope = `webhook_endpoints:${tenant.id}`
  const limit = pageSize(query.limit)
  const after = await deps.cursors.decode(scope, query.cursor)
  const rows = await withTenant(deps.db, tenant.id, (tx) => WebhooksRepo.listEndpoints(tx, tenant.id, limit + 1, after))
  return deps.cursors.page(scope, rows, limit, WebhookModel.toPublicEndpoint)
}

export async function get(deps: Deps, tenant: TenantRow, id: string): Promise<PublicEndpoint> {
  return WebhookModel.toPublicEndpoint(await withTenant(deps.db, tenant.id, (tx) => liveEndpoint(tx, tenant.id, id)))
}

/** Re-enabling an endpoint starts its failure count afresh. */
export async function update(
  deps: Deps,
  tenant: TenantRow,
  id: string,
  body: Static<typeof WebhookModel.updateBody>,
  actor: Actor,
): Promise<PublicEndpoint> {
  const url = body.url === undefined ? undefined : checkedUrl(deps, body.url)
  const now = deps.clock.now()
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const current = await liveEndpoint(tx, tenant.id, id, true)
    const enabling = body.disabled === false && current.disabled
    const row = await WebhooksRepo.updateEndpoint(tx, tenant.id, id, {
      url,
      filterTypes: body.filter_types,
      description: body.description,
      disabled: body.disabled,
      ...(enabling ? { consecutiveFailures: 0 } : {}),
      updatedAt: new Date(now),
    })
    await audit(deps, tx, tenant.id, 'webhook_endpoint.updated', id, now, actor)
    return row!
  })
  return WebhookModel.toPublicEndpoint(row)
}

/** Soft delete: the id stays unique in the log; messages still owed end as failed. */
export async function remove(deps: Deps, tenant: TenantRow, id: string, actor: Actor): Promise<void> {
  const now = deps.clock.now()
  await withTenant(deps.db, tenant.id, async (tx) => {
    await liveEndpoint(tx, tenant.id, id, true)
    await WebhooksRepo.updateEndpoint(tx, tenant.id, id, { deletedAt: new Date(now), updatedAt: new Date(now) })
    await WebhooksRepo.failPending(tx, tenant.id, id, new Date(now))
    await audit(deps, tx, tenant.id, 'webhook_endpoint.deleted', id, now, actor)
  })
}

/**
 * A new signing secret, returned once. The old one keeps signing alongside it for 24 h, so
 * receivers can switch without losing a message; a second rotation drops the oldest.
 */
export async function rotateSecret(deps: Deps, tenant: TenantRow, id: string, actor: Actor): Promise<WithSecret> {
  const secret = newSecret()
  const secretSealed = await deps.box.seal(secret, secretContext(tenant.id, id))
  const now = deps.clock.now()
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    const current = await liveEndpoint(tx, tenant.id, id, true)
    const row = await WebhooksRepo.updateEndpoint(tx, tenant.id, id, {
      secretSealed,
      previousSecretSealed: current.secretSealed,
      previousSecretExpiresAt: new Date(now + SECRET_OVERLAP_MS),
      updatedAt: new Date(now),
    })
    await audit(deps, tx, tenant.id, 'webhook_endpoint.secret_rotated', id, now, actor)
    return row!
  })
  return { ...WebhookModel.toPublicEndpoint(row), secret }
}

export async function listMessages(
  deps: Deps,
  tenant: TenantRow,
  endpointId: string,
  query: Static<typeof WebhookModel.messagesQuery>,
): Promise<Page<PublicMessage>> {
  // The filter is part of the scope: a cursor from the unfiltered list is refused on a filtered one.
  const scope = `webhook_messages:${tenant.id}:${endpointId}:${query.status ?? ''}`
  const limit = pageSize(query.limit)
  const after = await deps.cursors.decode(scope, query.cursor)
  const rows = await withTenant(deps.db, tenant.id, async (tx) => {
    await liveEndpoint(tx, tenant.id, endpointId)
    return WebhooksRepo.listMessages(tx, tenant.id, endpointId, query.status, limit + 1, after)
  })
  return deps.cursors.page(scope, rows, limit, WebhookModel.toPublicMessage)
}

export async function getMessage(
  deps: Deps,
  tenant: TenantRow,
  endpointId: string,
  messageId: string,
): Promise<PublicMessage> {
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    await liveEndpoint(tx, tenant.id, endpointId)
    return WebhooksRepo.findMessage(tx, tenant.id, messageId, { endpointId })
  })
  if (!row) throw new AppError('resource_not_found')
  return WebhookModel.toPublicMessage(row)
}

export async function listAttempts(
  deps: Deps,
  tenant: TenantRow,
  endpointId: string,
  messageId: string,
  query: { cursor?: string; limit?: string },
): Promise<Page<PublicAttempt>> {
  const scope = `webhook_attempts:${tenant.id}:${messageId}`
  const limit = pageSize(query.limit)
  const after = await deps.cursors.decode(scope, query.cursor)
  const rows = await withTenant(deps.db, tenant.id, async (tx) => {
    await liveEndpoint(tx, tenant.id, endpointId)
    if (!(await WebhooksRepo.findMessage(tx, tenant.id, messageId, { endpointId })))
      throw new AppError('resource_not_found')
    return WebhooksRepo.listAttempts(tx, tenant.id, messageId, limit + 1, after)
  })
  return deps.cursors.page(scope, rows, limit, WebhookModel.toPublicAttempt)
}

/**
 * Leases the message and starts an attempt now, without waiting for it (202). A failed message
 * gets exactly this one attempt; a pending one continues its schedule if the attempt fails.
 */
export async function retryMessage(
  deps: Deps,
  tenant: TenantRow,
  endpointId: string,
  messageId: string,
): Promise<PublicMessage> {
  const now = deps.clock.now()
  const row = await withTenant(deps.db, tenant.id, async (tx) => {
    await liveEndpoint(tx, tenant.id, endpointId)
    const message = await WebhooksRepo.findMessage(tx, tenant.id, messageId, { endpointId, forUpdate: true })
    if (!message) throw new AppError('resource_not_found')
    const leased = message.status === 'pending' ? { nextAttemptAt: new Date(now + leaseMs(deps)) } : {}
    return WebhooksRepo.updateMessage(tx, tenant.id, messageId, { ...leased, updatedAt: new Date(now) })
  })
  void attemptSafely(deps, tenant.id, messageId, row!.status === 'pending')
  return WebhookModel.toPublicMessage(row!)
}

/** Webhook messages of the last `days` days by status (the console's webhook health). */
export const healthOf = (deps: Deps, tenantId: string, days: number) =>
  withTenant(deps.db, tenantId, (tx) =>
    WebhooksRepo.countMessagesSince(tx, tenantId, new Date(deps.clock.now() - days * 86_400_000)),
  )
