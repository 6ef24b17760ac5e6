import { Type, type Static } from '@sinclair/typebox'
import { limitParam } from '../../platform/http/pagination'
import { t } from 'elysia'
import type { devMessages } from './schema'
import { TEMPLATE_SLUGS } from './templates'

/**
 * Contracts of delivery: the bus message a feature asks for (plain TypeBox, so workers need no
 * HTTP library) and the dev-mailbox HTTP shapes.
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
  request: DeliveryRequest,
})
export type DeliveryRequestedMessage = Static<typeof DeliveryRequestedMessage>

export const listQuery = t.Object({
  to: t.Optional(t.String({ minLength: 1, maxLength: 320 })),
  tenant_id: t.Optional(t.String({ minLength: 1, maxLength: 64 })),
  limit: limitParam,
}, { additionalProperties: false })
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
    object: 'dev_message', id: row.id, tenant_id: row.tenantId, channel: row.channel, to: row.to,
    subject: row.subject, text: row.text, ...(row.html === null ? {} : { html: row.html }),
    created_at: row.createdAt.getTime(),
  }
}
