import { Type, type Static } from '@sinclair/typebox'
import { limitParam } from '../../platform/http/pagination'
import { t } from 'elysia'
import { TEMPLATE_SLUGS } from '../templates/service'
import type { deliveries, devMessages } from './schema'

/**
 * Contracts of delivery: the bus message a feature asks for (plain TypeBox, so workers need no
 * HTTP library), the delivery status and the dev-mailbox HTTP shapes.
 */

export const DeliveryRequest = Type.Object({
  channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
  /** An email address or an E.164 phone number, as the requesting feature verified it. */
  to: Type.String({ minLength: 1, maxLength: 320 }),
  template: Type.Union(TEMPLATE_SLUGS.map((slug) => Type.Literal(slug))),
  variables: Type.Object({
    code: Type.Optional(Type.String({ maxLength: 64 })),
    link: Type.Optional(Type.String({ maxLength: 4096 })),
    app_name: Type.String({ maxLength: 256 }),
    expires_in_minutes: Type.Integer({ minimum: 0 }),
    /** Email links: what the link does and the device that asked (API.md §4). */
    action: Type.Optional(Type.String({ maxLength: 512 })),
    device: Type.Optional(Type.String({ maxLength: 128 })),
    /** Invitations: the organization's name (API.md §13a). */
    organization_name: Type.Optional(Type.String({ maxLength: 256 })),
  }),
  locale: Type.Optional(Type.Union([Type.String({ maxLength: 35 }), Type.Null()])),
})
export type DeliveryRequest = Static<typeof DeliveryRequest>

/**
 * What the outbox relay publishes on `tessera.delivery.requested`: the row id, its type, the
 * tenant (added by Outbox.append) and the request. Extra keys are tolerated so a newer
 * producer does not dead-letter on an older worker.
 */
export const DeliveryRequestedMessage = Type.Object({
  id: Type.String({ minLength: 1 }),
  type: Type.Literal('delivery.requested'),
  tenant_id: Type.String({ minLength: 1 }),
  /** `variables.code` and `variables.link` are not here in clear: see `sealed` (sealed.ts). */
  request: DeliveryRequest,
  sealed: Type.Optional(Type.String({ minLength: 1, maxLength: 16_384 })),
})
export type DeliveryRequestedMessage = Static<typeof DeliveryRequestedMessage>

export const listQuery = t.Object(
  {
    to: t.Optional(t.String({ minLength: 1, maxLength: 320 })),
    tenant_id: t.Optional(t.String({ minLength: 1, maxLength: 64 })),
    limit: limitParam,
  },
  { additionalProperties: false },
)
export type ListQuery = Static<typeof listQuery>

export type DevMessageRow = typeof devMessages.$inferSelect

export interface PublicDevMessage {
  object: 'dev_message'
  id: string
  tenant_id: string
  channel: 'email' | 'sms'
  to: string
  subject: string | null
  text: string
  html?: string
  created_at: number
}

/** `html` is present for email only (API.md §3 `html?`); `subject` is null for SMS. */
export function toPublic(row: DevMessageRow): PublicDevMessage {
  return {
    object: 'dev_message',
    id: row.id,
    tenant_id: row.tenantId,
    channel: row.channel,
    to: row.to,
    subject: row.subject,
    text: row.text,
    ...(row.html === null ? {} : { html: row.html }),
    created_at: row.createdAt.getTime(),
  }
}

/** What a transport reports; `retryable` false: the same message would fail the same way. */
export type SendResult = { ok: true } | { ok: false; retryable: boolean; reason: string }

export type DeliveryRow = typeof deliveries.$inferSelect

export const idParams = t.Object({ id: t.String({ minLength: 1, maxLength: 64 }) })

export const delivery = t.Object({
  object: t.Literal('delivery'),
  id: t.String({ description: 'The id of the request (an evt_ outbox id)' }),
  channel: t.Union([t.Literal('email'), t.Literal('sms')]),
  to: t.String({ description: 'The recipient, masked: a***@example.com, +4*******89' }),
  template: t.String(),
  status: t.Union([t.Literal('pending'), t.Literal('sent'), t.Literal('failed')], {
    description:
      'pending: queued or being retried; sent: accepted by the SMTP server, the SMS provider or the dev mailbox; ' +
      'failed: given up, see last_error',
  }),
  attempts: t.Number(),
  last_error: t.Union([t.String(), t.Null()]),
  /** Whose provider carried it: the tenant's own, the installation's, or the dev mailbox (null: not yet). */
  via: t.Union([t.Literal('tenant'), t.Literal('installation'), t.Literal('dev_mailbox'), t.Null()]),
  created_at: t.Number(),
  updated_at: t.Number(),
})
export type PublicDelivery = typeof delivery.static

export const toPublicDelivery = (row: DeliveryRow): PublicDelivery => ({
  object: 'delivery',
  id: row.id,
  channel: row.channel,
  to: row.toMasked,
  template: row.template,
  status: row.status,
  attempts: row.attempts,
  last_error: row.lastError,
  via: row.via,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})

/**
 * Enough of an address to recognise it, not enough to harvest it: the first character of an
 * email's local part and its domain; the first two and last two characters of a phone number.
 */
export function maskAddress(channel: 'email' | 'sms', to: string): string {
  const value = to.trim()
  if (channel === 'email') {
    const at = value.lastIndexOf('@')
    return at > 0 ? `${value[0]}***${value.slice(at)}` : '***'
  }
  return value.length > 6 ? `${value.slice(0, 2)}${'*'.repeat(value.length - 4)}${value.slice(-2)}` : '***'
}
