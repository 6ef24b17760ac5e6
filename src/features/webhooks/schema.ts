import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, ms, updatedAt } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'

/**
 * Webhook endpoints (`whe_`) and their delivery log: one message (`msg_`) per (event, endpoint),
 * each HTTP try recorded as an attempt. Signing secrets are sealed; after a rotation the previous
 * secret keeps signing alongside the new one until `previous_secret_expires_at`.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    url: text().notNull(),
    description: text(),
    filterTypes: jsonb().$type<string[]>(),
    disabled: boolean().notNull().default(false),
    secretSealed: text().notNull(),
    previousSecretSealed: text(),
    previousSecretExpiresAt: ms(),
    consecutiveFailures: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: ms(),
  },
  (t) => [index('webhook_endpoints_tenant_id_created_at_idx').on(t.tenantId, t.createdAt, t.id)],
)

export const webhookMessages = pgTable(
  'webhook_messages',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    endpointId: text()
      .notNull()
      .references(() => webhookEndpoints.id),
    eventId: text().notNull(),
    eventType: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    status: text().$type<'pending' | 'delivered' | 'failed'>().notNull(),
    attemptsCount: integer().notNull().default(0),
    nextAttemptAt: ms(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('webhook_messages_endpoint_id_event_id_uq').on(t.endpointId, t.eventId),
    index('webhook_messages_tenant_id_endpoint_id_created_at_idx').on(t.tenantId, t.endpointId, t.createdAt, t.id),
    index('webhook_messages_next_attempt_at_idx').on(t.nextAttemptAt),
  ],
)

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    messageId: text()
      .notNull()
      .references(() => webhookMessages.id),
    statusCode: integer(),
    durationMs: integer().notNull(),
    responseExcerpt: text(),
    error: text(),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_attempts_tenant_id_message_id_created_at_idx').on(t.tenantId, t.messageId, t.createdAt)],
)
