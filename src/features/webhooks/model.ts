import { t } from 'elysia'
import { cursorParam, limitParam } from '../../platform/http/pagination'
import { oneOf } from '../../platform/http/schema'
import type { AttemptRow, EndpointRow, MessageRow } from './repo'

/** Webhook endpoints, messages and attempts as the Backend API shows them (API.md §7, §11). */
const strict = { additionalProperties: false } as const

// Event types as API.md §9 names them: `user.created`, `organizationMembership.updated`.
const eventType = t.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)+$', maxLength: 100 })
const filterTypes = t.Array(eventType, { maxItems: 100, uniqueItems: true })
const url = t.String({ maxLength: 2048 })
const description = t.String({ maxLength: 1024 })

export const createBody = t.Object(
  {
    url,
    filter_types: t.Optional(filterTypes),
    description: t.Optional(description),
    disabled: t.Optional(t.Boolean()),
  },
  strict,
)

export const updateBody = t.Object(
  {
    url: t.Optional(url),
    filter_types: t.Optional(t.Union([filterTypes, t.Null()])),
    description: t.Optional(t.Union([description, t.Null()])),
    disabled: t.Optional(t.Boolean()),
  },
  strict,
)

export const MESSAGE_STATUSES = ['pending', 'delivered', 'failed'] as const

export const messagesQuery = t.Object(
  { cursor: cursorParam, limit: limitParam, status: t.Optional(oneOf(MESSAGE_STATUSES)) },
  strict,
)

export const idParams = t.Object({ id: t.String({ maxLength: 64 }) })
export const messageParams = t.Object({ id: t.String({ maxLength: 64 }), msg: t.String({ maxLength: 64 }) })

export interface PublicEndpoint {
  object: 'webhook_endpoint'
  id: string
  url: string
  filter_types: string[] | null
  description: string | null
  disabled: boolean
  created_at: number
  updated_at: number
}

export interface PublicMessage {
  object: 'webhook_message'
  id: string
  event_id: string
  event_type: string
  status: MessageRow['status']
  attempts_count: number
  created_at: number
}

export interface PublicAttempt {
  object: 'webhook_attempt'
  id: string
  status_code: number | null
  duration_ms: number
  response_excerpt: string | null
  error: string | null
  created_at: number
}

/** Never the secret: it is added only to the answers of create and rotate-secret. */
export const toPublicEndpoint = (row: EndpointRow): PublicEndpoint => ({
  object: 'webhook_endpoint',
  id: row.id,
  url: row.url,
  filter_types: row.filterTypes,
  description: row.description,
  disabled: row.disabled,
  created_at: row.createdAt.getTime(),
  updated_at: row.updatedAt.getTime(),
})

export const toPublicMessage = (row: MessageRow): PublicMessage => ({
  object: 'webhook_message',
  id: row.id,
  event_id: row.eventId,
  event_type: row.eventType,
  status: row.status,
  attempts_count: row.attemptsCount,
  created_at: row.createdAt.getTime(),
})

export const toPublicAttempt = (row: AttemptRow): PublicAttempt => ({
  object: 'webhook_attempt',
  id: row.id,
  status_code: row.statusCode,
  duration_ms: row.durationMs,
  response_excerpt: row.responseExcerpt,
  error: row.error,
  created_at: row.createdAt.getTime(),
})
