import { isIP } from 'node:net'
import { t } from 'elysia'
import type { Deps } from '../../deps'
import { appendAudit, type AuditEntry } from '../../platform/audit'
import { withTenant } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { checkTargetUrl, isPrivateAddress, literalAddress } from '../../platform/net/ssrf'
import type { TenantRow } from '../tenants/service'
import * as DeliveryRepo from './repo'

/**
 * A tenant's own SMTP server and SMS provider (API.md §18, per-tenant delivery): settings sealed at rest under
 * the tenant, secrets (the SMTP password, the provider URL's credentials) never shown again. Without them the
 * installation's provider carries the tenant's messages. Hosts are checked like every target a tenant chooses
 * (no private or local address unless WEBHOOK_ALLOW_PRIVATE=1), and again at each send.
 */
const strict = { additionalProperties: false } as const
const host = t.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.-]+$|^\\[[0-9A-Fa-f:.]+\\]$' })

export const emailBody = t.Object(
  {
    host,
    port: t.Integer({ minimum: 1, maximum: 65_535 }),
    /** Implicit TLS (usually port 465); otherwise STARTTLS is required. */
    secure: t.Optional(t.Boolean()),
    username: t.Optional(t.Union([t.String({ minLength: 1, maxLength: 256 }), t.Null()])),
    /** Write-only; left out, the stored one stays. */
    password: t.Optional(t.String({ minLength: 1, maxLength: 1024 })),
    from_address: t.String({ maxLength: 254, pattern: '^[^\\s@<>()",;:\\\\]+@[A-Za-z0-9.-]+$' }),
    from_name: t.Optional(t.Union([t.String({ minLength: 1, maxLength: 200, pattern: '^[^\\r\\n]*$' }), t.Null()])),
  },
  strict,
)
/** The provider URL, with its credentials (write-only): generic JSON, or Twilio's `/Messages.json`. */
export const smsBody = t.Object({ url: t.String({ minLength: 1, maxLength: 2048 }) }, strict)
export const testBody = t.Object({ to: t.String({ minLength: 3, maxLength: 254 }) }, strict)

export interface EmailSettings {
  host: string
  port: number
  secure: boolean
  username: string | null
  password: string | null
  fromAddress: string
  fromName: string | null
}
export interface SmsSettings {
  url: string
}

const sealContext = (tenantId: string, channel: 'email' | 'sms') => `delivery_provider:${tenantId}:${channel}`

const invalid = (param: string, reason: string) =>
  new AppError('form_param_format_invalid', { param_name: param, reason })

/**
 * A host a tenant may point us at: a name or a canonical address (`012.0.0.5` would reach 10.0.0.5 through the
 * system resolver), and not this machine nor the internal network.
 */
function checkHost(deps: Deps, param: string, name: string): void {
  const bare = name.replace(/^\[|\]$/g, '')
  if (/^[\d.]+$/.test(bare) && isIP(bare) !== 4) throw invalid(param, 'not_an_address')
  if (deps.config.webhookAllowPrivate) return
  const literal = literalAddress(name)
  if (/(^|\.)localhost\.?$/i.test(name) || (literal !== null && isPrivateAddress(literal)))
    throw invalid(param, 'private_address')
}

async function read<T>(
  deps: Deps,
  tenantId: string,
  channel: 'email' | 'sms',
): Promise<{ settings: T; at: Date } | null> {
  const row = await withTenant(deps.db, tenantId, (tx) => DeliveryRepo.findProvider(tx, tenantId, channel))
  if (!row) return null
  return {
    settings: JSON.parse(await deps.box.open(row.settingsSealed, sealContext(tenantId, channel))) as T,
    at: row.updatedAt,
  }
}

async function write(
  deps: Deps,
  tenant: TenantRow,
  channel: 'email' | 'sms',
  settings: EmailSettings | SmsSettings | null,
  actor: AuditEntry['actor'],
): Promise<void> {
  const sealed = settings && (await deps.box.seal(JSON.stringify(settings), sealContext(tenant.id, channel)))
  const now = new Date(deps.clock.now())
  await withTenant(deps.db, tenant.id, async (tx) => {
    if (sealed === null) await DeliveryRepo.removeProvider(tx, tenant.id, channel)
    else await DeliveryRepo.saveProvider(tx, { tenantId: tenant.id, channel, settingsSealed: sealed, updatedAt: now })
    const action = sealed === null ? 'delivery_provider.deleted' : 'delivery_provider.updated'
    await appendAudit(deps.auditKey, tx, tenant.id, { action, actor, data: { channel } }, now.getTime())
  })
}

export const emailSettingsOf = (deps: Deps, tenantId: string) => read<EmailSettings>(deps, tenantId, 'email')
export const smsSettingsOf = (deps: Deps, tenantId: string) => read<SmsSettings>(deps, tenantId, 'sms')

/** What the API shows of the email provider: everything but the password. */
function emailView(found: { settings: EmailSettings; at: Date } | null) {
  const s = found?.settings
  return {
    object: 'email_delivery' as const,
    provider: s ? ('smtp' as const) : ('installation' as const),
    host: s?.host ?? null,
    port: s?.port ?? null,
    secure: s?.secure ?? null,
    username: s?.username ?? null,
    password_set: Boolean(s?.password),
    from_address: s?.fromAddress ?? null,
    from_name: s?.fromName ?? null,
    updated_at: found?.at.getTime() ?? null,
  }
}

/** What the API shows of the SMS provider: its host only (the URL may carry credentials). */
function smsView(found: { settings: SmsSettings; at: Date } | null) {
  return {
    object: 'sms_delivery' as const,
    provider: found ? ('custom' as const) : ('installation' as const),
    host: found ? new URL(found.settings.url).host : null,
    updated_at: found?.at.getTime() ?? null,
  }
}

export const getEmail = async (deps: Deps, tenant: TenantRow) => emailView(await emailSettingsOf(deps, tenant.id))
export const getSms = async (deps: Deps, tenant: TenantRow) => smsView(await smsSettingsOf(deps, tenant.id))

export async function putEmail(
  deps: Deps,
  tenant: TenantRow,
  body: typeof emailBody.static,
  actor: AuditEntry['actor'],
) {
  checkHost(deps, 'host', body.host)
  const current = await emailSettingsOf(deps, tenant.id)
  const username = body.username ?? null
  // The stored password stays only for the same account on the same server, reached the same way (else a
  // caller who cannot read it could send it to a plain-text port of that host).
  const secure = body.secure ?? body.port === 465
  const same =
    current?.settings.host === body.host &&
    current.settings.username === username &&
    current.settings.port === body.port &&
    current.settings.secure === secure
  const kept = same ? current.settings.password : null
  const settings: EmailSettings = {
    host: body.host,
    port: body.port,
    secure,
    username,
    password: body.password ?? kept,
    fromAddress: body.from_address,
    fromName: body.from_name ?? null,
  }
  await write(deps, tenant, 'email', settings, actor)
  return getEmail(deps, tenant)
}

export async function putSms(deps: Deps, tenant: TenantRow, body: typeof smsBody.static, actor: AuditEntry['actor']) {
  let url: URL
  try {
    url = new URL(body.url)
  } catch {
    throw invalid('url', 'not_a_url')
  }
  // Checked without its credentials (they are what the provider authenticates us with).
  const bare = new URL(url)
  bare.username = ''
  bare.password = ''
  const verdict = checkTargetUrl(bare.toString(), deps.config.webhookAllowPrivate)
  if (verdict !== 'ok') throw invalid('url', verdict === 'private' ? 'private_address' : 'not_http')
  await write(deps, tenant, 'sms', { url: url.toString() }, actor)
  return getSms(deps, tenant)
}

export async function removeProvider(
  deps: Deps,
  tenant: TenantRow,
  channel: 'email' | 'sms',
  actor: AuditEntry['actor'],
) {
  await write(deps, tenant, channel, null, actor)
  return channel === 'email' ? getEmail(deps, tenant) : getSms(deps, tenant)
}
