import { Value } from '@sinclair/typebox/value'
import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import * as Outbox from '../../platform/outbox'
import { DeliveryRequest, DeliveryRequestedMessage, toPublic, type ListQuery, type PublicDevMessage } from './model'
import * as DeliveryRepo from './repo'
import { missingVariables, render, resolveTemplate } from './templates'

export { DeliveryRequest, DeliveryRequestedMessage }

export const DELIVERY_REQUESTED_SUBJECT = 'tessera.delivery.requested'

/**
 * Asks for an email or SMS to be sent, inside the caller's transaction: the message leaves
 * only if the change that caused it commits (transactional outbox). Returns the outbox id,
 * which is also the bus message id and the dev mailbox's `source_id`.
 *
 * A request that fails its schema or lacks its slug's required variable is a programming
 * error: it throws here, where the bug is, instead of being dead-lettered later.
 */
export async function requestDelivery(deps: Deps, tx: Tx, tenantId: string, req: DeliveryRequest): Promise<string> {
  const problem = Value.Errors(DeliveryRequest, req).First()
  // The path names the field only; values (codes, links) stay out of the error and the logs.
  if (problem) throw new Error(`invalid delivery request: ${problem.path || '/'} ${problem.message}`)
  const missing = missingVariables(req.template, req.variables)
  if (missing.length) throw new Error(`delivery request for ${req.template} lacks ${missing.join(', ')}`)
  const [id] = await Outbox.append(tx, tenantId, [
    { type: 'delivery.requested', subject: DELIVERY_REQUESTED_SUBJECT, payload: { request: req } },
  ], deps.clock.now())
  return id!
}

/** `retryable` false: the same message would fail the same way, so it is parked at once. */
export type DeliveryResult =
  | { ok: true; stored: boolean }
  | { ok: false; retryable: boolean; reason: string }

/**
 * Renders and delivers one requested message. Without SMTP_URL / SMS_PROVIDER_URL the message
 * goes to the dev mailbox, once per outbox id however often the bus delivers it. Database
 * errors are thrown, and the bus retries them with backoff.
 *
 * Logs carry ids, channel and template only: never the code, the link or the rendered body.
 */
export async function deliver(deps: Deps, msg: DeliveryRequestedMessage): Promise<DeliveryResult> {
  const { request } = msg
  const log = deps.log.child({ msg_id: msg.id, tenant_id: msg.tenant_id, channel: request.channel, template: request.template })
  const missing = missingVariables(request.template, request.variables)
  if (missing.length) {
    log.error('delivery request lacks required variables', { missing })
    return { ok: false, retryable: false, reason: 'missing_variables' }
  }
  const provider = request.channel === 'email' ? deps.config.smtpUrl : deps.config.smsProviderUrl
  if (provider !== null) {
    // Never report a message as sent when it was not: park it so the operator sees it.
    log.error(`real ${request.channel} delivery is not implemented yet`)
    return { ok: false, retryable: false, reason: 'provider_not_implemented' }
  }
  const rendered = render(resolveTemplate(request.template, request.channel, request.locale ?? null),
    { ...request.variables, to: request.to })
  const now = deps.clock.now()
  // Tenant-scoped write under row-level security, like every other write of a tenant's data.
  const stored = await withTenant(deps.db, msg.tenant_id, (tx) => DeliveryRepo.insertOnce(tx, msg.tenant_id, {
    id: newId('msg', now),
    channel: request.channel,
    to: request.to,
    subject: rendered.channel === 'email' ? rendered.subject : null,
    text: rendered.text,
    html: rendered.channel === 'email' ? rendered.html : null,
    sourceId: msg.id,
    createdAt: new Date(now),
  }))
  log.info(stored ? 'message stored in the dev mailbox' : 'message already in the dev mailbox; duplicate ignored')
  return { ok: true, stored }
}

/** Whether the dev mailbox exists: only while no real provider is configured (API.md §3). */
export const devMailboxEnabled = (deps: Deps): boolean =>
  deps.config.smtpUrl === null && deps.config.smsProviderUrl === null

/**
 * The dev mailbox, newest first. It runs as the service role, not withTenant: the platform
 * key may read every tenant, so row-level security would add a transaction and no protection;
 * the tenant filter, when given, is an ordinary WHERE. No cursor: it is a debugging aid whose
 * readers want the latest few messages.
 */
export async function listDevMessages(deps: Deps, query: ListQuery): Promise<Page<PublicDevMessage>> {
  const to = query.to?.trim() ?? ''
  const rows = await DeliveryRepo.list(deps.db, {
    tenantId: query.tenant_id ?? null,
    to: to === '' ? null : to,
    limit: pageSize(query.limit),
  })
  return { data: rows.map(toPublic), meta: { next_cursor: null } }
}
