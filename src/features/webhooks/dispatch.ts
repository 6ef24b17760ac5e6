import { Type, type Static } from '@sinclair/typebox'
import { decodeTime } from 'ulid'
import type { Deps } from '../../deps'
import { withTenant, withTx } from '../../platform/db/tx'
import { AppError } from '../../platform/errors'
import { newId } from '../../platform/ids'
import { append, eventSubject } from '../../platform/outbox'
import * as TenantsService from '../tenants/service'
import { EXCERPT_BYTES, send, type SendResult } from './deliver'
import { toPublicEndpoint } from './model'
import * as WebhooksRepo from './repo'
import type { EndpointRow, MessageRow } from './repo'

/**
 * Webhook delivery is driven by the database: a message row per (event, endpoint) says what is
 * owed and when (`next_attempt_at`). The bus only starts things (fan-out of a new event); the
 * retry loop finishes them. Before each attempt the message is leased (next_attempt_at moved
 * ahead), so a worker that dies mid-attempt leaves it to another one once the lease ends:
 * receivers see every webhook-id at least once and must de-duplicate on it.
 *
 * The lease is twice the attempt timeout: it must outlast the HTTP exchange plus the DNS check
 * before it and the log write after it. A lease that runs out early costs only a duplicate
 * delivery, which receivers absorb; a longer one delays recovery from a crashed worker.
 */
export const leaseMs = (deps: Deps): number => 2 * deps.config.webhookTimeoutMs
const RETRY_EVERY_MS = 1000
const RETRY_BATCH = 20
/** Signatures with the previous secret continue this long after a rotation (API.md §11). */
export const SECRET_OVERLAP_MS = 86_400_000

/** An event as the outbox relay publishes it on `tessera.events.<type>`. */
export const BusEvent = Type.Object({
  id: Type.String(),
  type: Type.String(),
  tenant_id: Type.String(),
  data: Type.Optional(Type.Unknown()),
  created_at: Type.Optional(Type.Number()),
})
export type BusEvent = Static<typeof BusEvent>

export const secretContext = (tenantId: string, endpointId: string) => `webhook_secret:${tenantId}:${endpointId}`

/**
 * One message per subscribed endpoint (idempotent on endpoint + event, so a redelivered event adds
 * nothing), then a first attempt for each new one. A message that existed already is the retry
 * loop's once its lease has run out.
 */
export async function fanOut(deps: Deps, event: BusEvent): Promise<number> {
  const now = deps.clock.now()
  const payload = {
    object: 'event',
    id: event.id,
    type: event.type,
    tenant_id: event.tenant_id,
    data: event.data ?? null,
    created_at: event.created_at ?? eventTime(event.id, now),
  }
  const created = await withTenant(deps.db, event.tenant_id, async (tx) => {
    const endpoints = await WebhooksRepo.subscribedEndpoints(tx, event.tenant_id, event.type)
    return WebhooksRepo.insertMessages(
      tx,
      endpoints.map((endpoint) => ({
        id: newId('msg', now),
        tenantId: event.tenant_id,
        endpointId: endpoint.id,
        eventId: event.id,
        eventType: event.type,
        payload,
        status: 'pending' as const,
        attemptsCount: 0,
        nextAttemptAt: new Date(now + leaseMs(deps)),
        createdAt: new Date(now),
        updatedAt: new Date(now),
      })),
    )
  })
  await Promise.all(created.map((message) => attemptSafely(deps, message.tenantId, message.id, true)))
  return created.length
}

/** `evt_` ids are ULIDs, so they carry their creation time. */
function eventTime(id: string, fallback: number): number {
  try {
    return decodeTime(id.slice(id.indexOf('_') + 1))
  } catch {
    return fallback
  }
}

/** Claims due messages (any tenant) and attempts them; returns how many it attempted. */
export async function retryDue(deps: Deps): Promise<number> {
  const now = deps.clock.now()
  const claimed = await withTx(deps.db, (tx) =>
    WebhooksRepo.claimDue(tx, new Date(now), new Date(now + leaseMs(deps)), RETRY_BATCH),
  )
  await Promise.all(claimed.map((m) => attemptSafely(deps, m.tenantId, m.id, true)))
  return claimed.length
}

/** The retry loop, one pass at a time per process; stop() waits for the pass in progress. */
export function startRetryLoop(deps: Deps): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null
  const timer = setInterval(() => {
    running ??= retryDue(deps)
      .catch((err: unknown) => deps.log.warn('webhook retry pass failed', { err }))
      .finally(() => {
        running = null
      })
  }, RETRY_EVERY_MS)
  timer.unref?.()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}

/** For callers that must not fail (fan-out, background retries): a lost attempt is retried after its lease. */
export function attemptSafely(deps: Deps, tenantId: string, messageId: string, resume: boolean): Promise<void> {
  return attempt(deps, tenantId, messageId, resume).catch((err: unknown) =>
    deps.log.warn('webhook attempt failed to run', { tenant_id: tenantId, msg_id: messageId, err }),
  )
}

/**
 * One attempt at a leased message. `resume` false (manual retry of a failed message) means a
 * failure leaves it failed instead of restarting the schedule.
 */
async function attempt(deps: Deps, tenantId: string, messageId: string, resume: boolean): Promise<void> {
  const loaded = await withTenant(deps.db, tenantId, async (tx) => {
    const message = await WebhooksRepo.findMessage(tx, tenantId, messageId)
    const endpoint = message && (await WebhooksRepo.findEndpoint(tx, tenantId, message.endpointId))
    if (message && !endpoint)
      await WebhooksRepo.updateMessage(tx, tenantId, messageId, {
        status: 'failed',
        nextAttemptAt: null,
        updatedAt: new Date(deps.clock.now()),
      })
    return message && endpoint ? { message, endpoint } : null
  })
  if (!loaded) return
  const { message, endpoint } = loaded
  const result = await send(
    {
      url: endpoint.url,
      msgId: message.id,
      body: eventBody(message.payload),
      secrets: await secretsOf(deps, endpoint),
    },
    {
      allowPrivate: deps.config.webhookAllowPrivate,
      resolve: deps.resolveHost,
      limits: { timeoutMs: deps.config.webhookTimeoutMs, excerptBytes: EXCERPT_BYTES },
    },
  )
  await record(deps, message, endpoint, result, resume)
}

/** The event object of API.md §9 in a fixed key order (jsonb does not keep the stored order). */
function eventBody(p: Record<string, unknown>): string {
  return JSON.stringify({
    object: 'event',
    id: p.id,
    type: p.type,
    tenant_id: p.tenant_id,
    data: p.data ?? null,
    created_at: p.created_at,
  })
}

async function secretsOf(deps: Deps, endpoint: EndpointRow): Promise<string[]> {
  const context = secretContext(endpoint.tenantId, endpoint.id)
  const secrets = [await deps.box.open(endpoint.secretSealed, context)]
  const overlap = endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > deps.clock.now()
  if (endpoint.previousSecretSealed && overlap)
    secrets.push(await deps.box.open(endpoint.previousSecretSealed, context))
  return secrets
}

async function webhookSettings(deps: Deps, tenantId: string) {
  try {
    return (await TenantsService.get(deps, tenantId)).settings.webhooks
  } catch (err) {
    if (err instanceof AppError && err.code === 'resource_not_found') return null
    throw err
  }
}

/**
 * Logs the attempt and moves the message on: delivered; pending until the next step of the
 * tenant's schedule; or failed past its end (or at once for a refused target). Failures count
 * against the endpoint, which is disabled, with a `webhook_endpoint.disabled` event, on reaching
 * `disable_after_failures`; a success resets the count.
 */
async function record(
  deps: Deps,
  message: MessageRow,
  endpoint: EndpointRow,
  result: SendResult,
  resume: boolean,
): Promise<void> {
  const settings = result.ok ? null : await webhookSettings(deps, message.tenantId)
  const now = deps.clock.now()
  const { tenantId } = message
  await withTenant(deps.db, tenantId, async (tx) => {
    await WebhooksRepo.insertAttempt(tx, {
      id: newId('watt', now),
      tenantId,
      messageId: message.id,
      statusCode: result.statusCode,
      durationMs: result.durationMs,
      responseExcerpt: result.excerpt,
      error: result.error,
      createdAt: new Date(now),
    })
    const current = await WebhooksRepo.findMessage(tx, tenantId, message.id, { forUpdate: true })
    if (!current) return
    const attemptsCount = current.attemptsCount + 1
    const delayS = result.retryable && resume ? settings?.retry_schedule_s[attemptsCount - 1] : undefined
    const status =
      result.ok || current.status === 'delivered' ? 'delivered' : delayS === undefined ? 'failed' : 'pending'
    await WebhooksRepo.updateMessage(tx, tenantId, message.id, {
      status,
      attemptsCount,
      nextAttemptAt: status === 'pending' ? new Date(now + delayS! * 1000) : null,
      updatedAt: new Date(now),
    })
    if (result.ok) return WebhooksRepo.setFailures(tx, tenantId, endpoint.id, 0)
    const locked = await WebhooksRepo.findEndpoint(tx, tenantId, endpoint.id, { forUpdate: true })
    if (!locked) return
    const failures = locked.consecutiveFailures + 1
    if (locked.disabled || settings === null || failures < settings.disable_after_failures)
      return WebhooksRepo.setFailures(tx, tenantId, endpoint.id, failures)
    const disabled = await WebhooksRepo.updateEndpoint(tx, tenantId, endpoint.id, {
      consecutiveFailures: failures,
      disabled: true,
      updatedAt: new Date(now),
    })
    const type = 'webhook_endpoint.disabled'
    await append(
      tx,
      tenantId,
      [
        {
          type,
          subject: eventSubject(type),
          payload: { data: { ...toPublicEndpoint(disabled!), consecutive_failures: failures } },
        },
      ],
      now,
    )
  })
}
