import { Value } from '@sinclair/typebox/value'
import type { Deps } from '../../deps'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { pageSize, type Page } from '../../platform/http/pagination'
import { newId } from '../../platform/ids'
import type { Log } from '../../platform/log'
import * as Outbox from '../../platform/outbox'
import * as RateLimit from '../../platform/rate-limit'
import { escapeHtml } from '../hosted/html'
import * as TemplatesService from '../templates/service'
import * as TenantsService from '../tenants/service'
import { pinTarget } from '../../platform/net/ssrf'
import { sendEmail, sendEmailVia, type OutgoingEmail } from './email'
import * as Providers from './providers'
import {
  DeliveryRequest,
  DeliveryRequestedMessage,
  maskAddress,
  toPublic,
  toPublicDelivery,
  type ListQuery,
  type PublicDelivery,
  type PublicDevMessage,
  type SendResult,
} from './model'
import * as DeliveryRepo from './repo'
import { openRequest, sealRequest } from './sealed'
import { sendSms } from './sms'

export { DeliveryRequest, DeliveryRequestedMessage }

export const DELIVERY_REQUESTED_SUBJECT = 'tessera.delivery.requested'

/**
 * Asks for an email or SMS to be sent, inside the caller's transaction: the message leaves
 * only if the change that caused it commits (transactional outbox). Returns the outbox id,
 * which is also the bus message id, the delivery status id and the dev mailbox's `source_id`.
 *
 * A request that fails its schema or lacks its slug's required variable is a programming
 * error: it throws here, where the bug is, instead of being dead-lettered later.
 */
export async function requestDelivery(deps: Deps, tx: Tx, tenantId: string, req: DeliveryRequest): Promise<string> {
  const problem = Value.Errors(DeliveryRequest, req).First()
  // The path names the field only; values (codes, links) stay out of the error and the logs.
  if (problem) throw new Error(`invalid delivery request: ${problem.path || '/'} ${problem.message}`)
  const missing = TemplatesService.missingVariables(req.template, req.variables)
  if (missing.length) throw new Error(`delivery request for ${req.template} lacks ${missing.join(', ')}`)
  const now = deps.clock.now()
  const payload = await sealRequest(deps.box, tenantId, req)
  const message = { type: 'delivery.requested', subject: DELIVERY_REQUESTED_SUBJECT, payload }
  const [id] = await Outbox.append(tx, tenantId, [message], now)
  await DeliveryRepo.insertPending(tx, statusRow(id!, tenantId, req, now))
  return id!
}

const statusRow = (id: string, tenantId: string, req: DeliveryRequest, now: number) => ({
  id,
  tenantId,
  channel: req.channel,
  toMasked: maskAddress(req.channel, req.to),
  template: req.template,
  createdAt: new Date(now),
  updatedAt: new Date(now),
})

/** `stored`: this call sent (or stored) the message; false for a duplicate of one already sent. */
export type DeliveryResult = { ok: true; stored: boolean } | { ok: false; retryable: boolean; reason: string }

/**
 * Renders and delivers one requested message, per channel: email through SMTP when SMTP_URL is
 * set, SMS through the provider when SMS_PROVIDER_URL is set, otherwise into the dev mailbox.
 * Idempotent on the outbox id: a message already sent is not sent again. The status row counts
 * each try and ends `sent`, or `failed` with the reason when the failure is permanent or this
 * was the `final` try. Database errors are thrown, and the bus retries them with backoff.
 *
 * Logs carry ids, channel, template and reasons only: never the code, link, body or address.
 */
export async function deliver(
  deps: Deps,
  sealedMsg: DeliveryRequestedMessage,
  attempt: { final: boolean } = { final: false },
): Promise<DeliveryResult> {
  const opened = await openRequest(deps.box, sealedMsg)
  const msg = { ...sealedMsg, request: opened ?? sealedMsg.request }
  const { request } = msg
  const log = deps.log.child({
    msg_id: msg.id,
    tenant_id: msg.tenant_id,
    channel: request.channel,
    template: request.template,
  })
  const row = await withTenant(deps.db, msg.tenant_id, (tx) =>
    DeliveryRepo.recordAttempt(tx, statusRow(msg.id, msg.tenant_id, request, deps.clock.now())),
  )
  if (row.status === 'sent') {
    log.info('message already delivered; duplicate ignored')
    return { ok: true, stored: false }
  }
  if (row.status === 'failed') return { ok: false, retryable: false, reason: row.lastError ?? 'failed' }

  const missing = TemplatesService.missingVariables(request.template, request.variables)
  const { result, via }: Sent =
    opened === null
      ? { result: { ok: false, retryable: false, reason: 'sealed variables do not open' }, via: null }
      : missing.length
        ? { result: { ok: false, retryable: false, reason: `request lacks ${missing.join(', ')}` }, via: null }
        : await send(deps, msg, log)
  const failed = !result.ok && (!result.retryable || attempt.final)
  await withTenant(deps.db, msg.tenant_id, (tx) =>
    DeliveryRepo.settle(tx, msg.tenant_id, msg.id, {
      status: result.ok ? 'sent' : failed ? 'failed' : 'pending',
      lastError: result.ok ? null : result.reason,
      via,
      updatedAt: new Date(deps.clock.now()),
    }),
  )
  if (result.ok) return { ok: true, stored: true }
  if (failed) log.error('delivery failed for good', { reason: result.reason, attempts: row.attempts })
  else log.warn('delivery failed; will retry', { reason: result.reason, attempts: row.attempts })
  return result
}

/** A send's result and whose provider carried it (null: nothing was tried). */
interface Sent {
  result: SendResult
  via: 'tenant' | 'installation' | 'dev_mailbox' | null
}

/** The tenant's own provider first (API.md §18), else the installation's, else the dev mailbox. */
async function send(deps: Deps, msg: DeliveryRequestedMessage, log: Log): Promise<Sent> {
  const { request } = msg
  const vars = { ...request.variables, to: request.to }
  if (request.channel === 'email') {
    const tenant = await tenantOf(deps, msg.tenant_id)
    if (tenant === null)
      return { result: { ok: false, retryable: false, reason: 'tenant no longer exists' }, via: null }
    const theme = TenantsService.themeOf(tenant)
    const template = await TemplatesService.resolve(deps, msg.tenant_id, request.template, 'email', request.locale)
    const branded = { ...vars, brand_color: theme.primary, brand_text_color: theme.onPrimary }
    const rendered = TemplatesService.render(template, branded)
    const html = rendered.html && withLogo(rendered.html, theme)
    const email = { to: request.to, subject: rendered.subject, text: rendered.text, html }
    return sendEmailOf(deps, tenant, email, () => storeInDevMailbox(deps, msg, { ...rendered, html }, log))
  }
  const template = await TemplatesService.resolve(deps, msg.tenant_id, request.template, 'sms', request.locale)
  const rendered = TemplatesService.render(template, vars)
  const own = await Providers.smsSettingsOf(deps, msg.tenant_id)
  const sms = { to: request.to, body: rendered.text, tenantId: msg.tenant_id }
  if (own) return { result: await sendSms(own.settings.url, sms, undefined, guard(deps)), via: 'tenant' }
  const { smsProviderUrl } = deps.config
  if (smsProviderUrl === null) return { result: await storeInDevMailbox(deps, msg, rendered, log), via: 'dev_mailbox' }
  return { result: await sendSms(smsProviderUrl, sms), via: 'installation' }
}

/** Targets a tenant chose go through the outbound guard (API.md §12). */
const guard = (deps: Deps) => ({ allowPrivate: deps.config.webhookAllowPrivate, resolve: deps.resolveHost })

/** An email of the tenant through its own SMTP server, else the installation's, else `fallback` (the dev mailbox). */
async function sendEmailOf(
  deps: Deps,
  tenant: TenantsService.TenantRow,
  email: Omit<OutgoingEmail, 'from'>,
  fallback: () => Promise<SendResult>,
): Promise<Sent> {
  const sender = TenantsService.emailSender(deps.config, tenant)
  const own = await Providers.emailSettingsOf(deps, tenant.id)
  if (own) {
    const s = own.settings
    const pin = await pinTarget(s.host.replace(/^\[|\]$/g, ''), guard(deps).allowPrivate, deps.resolveHost)
    if (pin.verdict !== 'ok')
      return {
        result: { ok: false, retryable: pin.verdict === 'unresolvable', reason: `smtp host ${pin.verdict}` },
        via: 'tenant',
      }
    const from = { name: s.fromName ?? sender.name, address: s.fromAddress }
    const address = pin.pinned.address
    const plainLoginAllowed = guard(deps).allowPrivate && /^(127\.|::1$)/.test(address)
    return { result: await sendEmailVia({ ...s, address, plainLoginAllowed }, { ...email, from }), via: 'tenant' }
  }
  const { smtpUrl } = deps.config
  if (smtpUrl === null) return { result: await fallback(), via: 'dev_mailbox' }
  return { result: await sendEmail(smtpUrl, { ...email, from: sender }), via: 'installation' }
}

/** Ten a minute: enough to fix a setting, too few to mail strangers through the installation. */
const TESTS_PER_MINUTE = 10

/**
 * `POST /v1/delivery/email/test { to }`: a test email sent now, through the provider the tenant's mail would
 * take, so a wrong host or password shows at once. The answer says which provider and, on failure, why.
 */
export async function sendTestEmail(deps: Deps, tenant: TenantsService.TenantRow, to: string) {
  const tenantId = tenant.id
  const address = to.trim()
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address))
    throw new AppError('form_param_format_invalid', { param_name: 'to' })
  const now = deps.clock.now()
  await RateLimit.consume(deps.db, tenantId, 'delivery_test', TESTS_PER_MINUTE, now)
  const text = 'This is a test message from Tessera: your email delivery settings work.'
  const dev = async (): Promise<SendResult> => {
    await withTenant(deps.db, tenantId, (tx) =>
      DeliveryRepo.insertOnce(tx, tenantId, {
        id: newId('msg', now),
        channel: 'email',
        to: address,
        subject: 'Test message',
        text,
        html: null,
        sourceId: newId('evt', now),
        createdAt: new Date(now),
      }),
    )
    return { ok: true }
  }
  const { result, via } = await sendEmailOf(
    deps,
    tenant,
    { to: address, subject: 'Test message', text, html: null },
    dev,
  )
  // The tenant's own server's reason helps it fix its settings; the installation's would show its internals.
  const error = result.ok ? null : via === 'tenant' ? result.reason : 'the installation’s provider refused it'
  return { object: 'delivery_test' as const, ok: result.ok, via, error }
}

/** The tenant, or null once it is gone. */
const tenantOf = (deps: Deps, tenantId: string) =>
  TenantsService.get(deps, tenantId).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'resource_not_found') return null
    throw err
  })

/** The tenant's logo where the template marks it (the default layout does), or nothing there. */
function withLogo(html: string, theme: TenantsService.Theme): string {
  const logo = theme.logoUrl
    ? `<p style="margin:0 0 16px"><img src="${escapeHtml(theme.logoUrl)}" alt="${escapeHtml(theme.name)}" ` +
      'style="max-height:48px;max-width:200px"></p>'
    : ''
  return html.replace(TemplatesService.LOGO_MARKER, logo)
}

async function storeInDevMailbox(
  deps: Deps,
  msg: DeliveryRequestedMessage,
  rendered: TemplatesService.MessageTemplate,
  log: Log,
): Promise<SendResult> {
  const now = deps.clock.now()
  // Tenant-scoped write under row-level security, like every other write of a tenant's data.
  const stored = await withTenant(deps.db, msg.tenant_id, (tx) =>
    DeliveryRepo.insertOnce(tx, msg.tenant_id, {
      id: newId('msg', now),
      channel: msg.request.channel,
      to: msg.request.to,
      subject: rendered.channel === 'email' ? rendered.subject : null,
      text: rendered.text,
      html: rendered.channel === 'email' ? rendered.html : null,
      sourceId: msg.id,
      createdAt: new Date(now),
    }),
  )
  log.info(stored ? 'message stored in the dev mailbox' : 'message already in the dev mailbox; duplicate ignored')
  return { ok: true }
}

/** The status of one delivery request of the tenant; another tenant's id is not found. */
export async function getDelivery(deps: Deps, tenantId: string, id: string): Promise<PublicDelivery> {
  const row = await withTenant(deps.db, tenantId, (tx) => DeliveryRepo.find(tx, tenantId, id))
  if (!row) throw new AppError('resource_not_found')
  return toPublicDelivery(row)
}

/**
 * Whether the dev mailbox can be read (API.md §3: 404 once real delivery is configured). With
 * only one of SMTP_URL / SMS_PROVIDER_URL set, the other channel's messages are still stored
 * (they have nowhere else to go) but not served: an installation that sends real mail must not
 * expose any one-time code over HTTP.
 */
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

/** Deliveries of the last `days` days by channel and status (the console's delivery health). */
export const healthOf = (deps: Deps, tenantId: string, days: number) =>
  withTenant(deps.db, tenantId, (tx) =>
    DeliveryRepo.countSince(tx, tenantId, new Date(deps.clock.now() - days * 86_400_000)),
  )
