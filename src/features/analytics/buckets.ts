import { AppError } from '../../platform/errors'
import type { Period } from './repo'

/**
 * The buckets of a series (API.md §18): UTC hours, days or calendar months from `from` snapped down to
 * `to` snapped up, every one of them (zeros too), at most 744.
 */
export const MAX_BUCKETS = 744
const HOUR = 3_600_000
const DAY = 24 * HOUR
const DEFAULT_SPAN = 30 * DAY

/** The start of the UTC bucket that holds `t`. */
export function bucketOf(period: Period, t: number): number {
  if (period === 'hour') return Math.floor(t / HOUR) * HOUR
  if (period === 'day') return Math.floor(t / DAY) * DAY
  const d = new Date(t)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}

const next = (period: Period, start: number): number => {
  if (period !== 'month') return start + (period === 'hour' ? HOUR : DAY)
  const d = new Date(start)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
}

const invalid = (param: string, reason: string) =>
  new AppError('form_param_format_invalid', { param_name: param, reason })

function bound(param: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback
  if (!/^\d{1,15}$/.test(raw)) throw invalid(param, 'not_a_timestamp')
  return Number(raw)
}

export interface Range {
  period: Period
  from: number
  to: number
  starts: number[]
}

/** The snapped range and its bucket starts; 422 for bad bounds or more than 744 buckets. */
export function rangeOf(now: number, query: { from?: string; to?: string; interval?: string }): Range {
  const period = (query.interval ?? 'day') as Period
  if (!['hour', 'day', 'month'].includes(period)) throw invalid('interval', 'unknown_interval')
  const to = bound('to', query.to, now)
  const from = bound('from', query.from, to - DEFAULT_SPAN)
  if (from >= to) throw invalid('from', 'not_before_to')
  const starts: number[] = []
  let start = bucketOf(period, from)
  for (; start < to; start = next(period, start)) {
    if (starts.length === MAX_BUCKETS) throw invalid('interval', 'too_many_buckets')
    starts.push(start)
  }
  return { period, from: starts[0]!, to: start, starts }
}
