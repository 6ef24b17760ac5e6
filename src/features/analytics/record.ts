import { Type } from '@sinclair/typebox'
import type { OutboxMessage } from '../../platform/outbox'

/**
 * What a flow tells analytics (API.md §18): one internal outbox message per outcome, committed with the
 * outcome itself, on `tessera.analytics.outcome` (never a webhook). The analytics worker rolls it up.
 */
export const ANALYTICS_SUBJECT = 'tessera.analytics.outcome'

export const OUTCOMES = ['sign_in.succeeded', 'sign_in.failed', 'sign_up.completed'] as const
export type Outcome = (typeof OUTCOMES)[number]

export const OutcomeMessage = Type.Object({
  tenant_id: Type.String(),
  outcome: Type.Union(OUTCOMES.map((o) => Type.Literal(o))),
  strategy: Type.String({ maxLength: 64 }),
  user_id: Type.Union([Type.String(), Type.Null()]),
  /** Epoch ms of the outcome (its hour is the bucket, whenever the worker gets to it). */
  at: Type.Number(),
})

/** The message of one outcome: `strategy` is the factor that decided it (a sign-up's first proof). */
export const outcomeMessage = (
  outcome: Outcome,
  input: { strategy: string | null; userId: string | null; at: number },
): OutboxMessage => ({
  type: 'analytics.outcome',
  subject: ANALYTICS_SUBJECT,
  payload: { outcome, strategy: input.strategy ?? 'none', user_id: input.userId, at: input.at },
})
