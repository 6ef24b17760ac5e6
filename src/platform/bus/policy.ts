import type { Verdict } from './bus'
import { safeMessage } from '../log-error'

/**
 * Rules both bus implementations share, kept in one place so embedded mode and NATS cannot drift.
 */

/** Everything published as work lives under this prefix: the NATS stream captures exactly this. */
export const WORK_SUBJECTS = 'tessera.>'
export const DEDUP_WINDOW_MS = 2 * 60_000

export function assertWorkSubject(subject: string): void {
  if (!subject.startsWith('tessera.') || subject.length <= 'tessera.'.length) {
    throw new Error(`bus subject "${subject}" is outside ${WORK_SUBJECTS}`)
  }
}

/** Consumer names become NATS durable names and a token of the dead-letter subject. */
const CONSUMER_NAME = /^[A-Za-z0-9_-]+$/

export function assertConsumerName(name: string): void {
  if (!CONSUMER_NAME.test(name)) throw new Error(`bus consumer name "${name}" must match [A-Za-z0-9_-]+`)
}

/** `undefined` has no JSON form; sending null keeps both sides able to parse every payload. */
export const toJson = (data: unknown): string => JSON.stringify(data ?? null)

/** Safe fields only: a failed query's own message carries its bound values (API.md §12). */
export const errorMessage = (err: unknown): string => safeMessage(err)

export type Outcome = { kind: 'ack' } | { kind: 'retry'; delayMs: number } | { kind: 'dead'; reason: string }

/** What becomes of a delivery once the handler answered; `failure` is set when the handler threw. */
export function outcome(
  verdict: Verdict,
  deliveryCount: number,
  backoffMs: readonly number[],
  failure?: string,
): Outcome {
  if (verdict === 'ack') return { kind: 'ack' }
  if (verdict === 'dead') return { kind: 'dead', reason: 'rejected by handler' }
  const delayMs = backoffMs[deliveryCount - 1]
  if (delayMs !== undefined) return { kind: 'retry', delayMs }
  const reason = `gave up after ${deliveryCount} deliveries`
  return { kind: 'dead', reason: failure === undefined ? reason : `${reason}: ${failure}` }
}
