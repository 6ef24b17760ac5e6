import { sql } from 'drizzle-orm'
import type { Db } from './db/client'
import { rows } from './db/rows'
import { AppError } from './errors'

/**
 * The guessing budget of one-time codes (API.md §12): failed code answers count per account
 * (or, for an identifier without one, per identifier, so both look alike) across challenges and
 * strategies — at most 10 per 15 minutes. Once spent, answers and new code challenges get 429
 * with Retry-After, even a right code, whatever the per-IP limit: five tries per challenge and a
 * new challenge every 30 s would otherwise allow hundreds of guesses an hour. Code failures never
 * count toward the password lockout, so guessing codes cannot lock anybody out.
 *
 * Counted in PostgreSQL (the rate-limit table) so every node shares it, in 5-minute buckets; a
 * failure counts for 15 to 20 minutes (the last four buckets), so no 15-minute span ever holds
 * more than 10. A try is taken before the code is checked and given back when it was right, so
 * concurrent answers cannot all pass one check.
 */
const WINDOW_MS = 15 * 60_000
const BUCKET_MS = 5 * 60_000
const MAX_FAILURES = 10

/** The subject a budget is kept for: an account, or an identifier that names none. */
export type BudgetSubject = { userId: string } | { identifier: string }

/** A try taken from a budget: give it back with `refundCodeTry` when the code was right. */
export interface CodeTry {
  key: string
  bucket: number
  /** Tries left after this one, for `meta.attempts_remaining`. */
  remaining: number
}

const keyOf = (s: BudgetSubject) => ('userId' in s ? `codes:user:${s.userId}` : `codes:identifier:${s.identifier}`)
const bucketOf = (now: number) => Math.floor(now / BUCKET_MS) * BUCKET_MS
const iso = (ms: number) => new Date(ms).toISOString()

async function buckets(db: Db, tenantId: string, key: string, now: number) {
  const current = bucketOf(now)
  const found = await rows<{ window_start: string | Date; count: number }>(
    db,
    sql`
    select window_start, count from rate_limits
    where tenant_id = ${tenantId} and key = ${key}
      and window_start >= ${iso(current - WINDOW_MS)}::timestamptz and window_start <= ${iso(current)}::timestamptz`,
  )
  return found
    .map((r) => ({ start: new Date(r.window_start).getTime(), count: Number(r.count) }))
    .sort((a, b) => a.start - b.start)
}

/** 429 with the time until enough failures age out for one more try. */
function exhausted(list: { start: number; count: number }[], now: number): AppError {
  let total = list.reduce((sum, b) => sum + b.count, 0)
  let until = now
  for (const bucket of list) {
    if (total < MAX_FAILURES) break
    total -= bucket.count
    until = bucket.start + WINDOW_MS + BUCKET_MS
  }
  const retryAfter = Math.max(1, Math.ceil((until - now) / 1000))
  return new AppError(
    'too_many_requests',
    { retry_after_s: retryAfter, reason: 'code_attempts' },
    { headers: { 'retry-after': String(retryAfter) } },
  )
}

/** 429 while the budget is spent (a new code challenge asks this). */
export async function checkCodeBudget(db: Db, tenantId: string, subject: BudgetSubject, now: number): Promise<void> {
  const list = await buckets(db, tenantId, keyOf(subject), now)
  if (list.reduce((sum, b) => sum + b.count, 0) >= MAX_FAILURES) throw exhausted(list, now)
}

/** Takes a try before a code is checked; 429 (and nothing taken) when none is left. */
export async function takeCodeTry(db: Db, tenantId: string, subject: BudgetSubject, now: number): Promise<CodeTry> {
  const key = keyOf(subject)
  const bucket = bucketOf(now)
  await db.execute(sql`
    insert into rate_limits (tenant_id, key, window_start, count)
    values (${tenantId}, ${key}, ${iso(bucket)}::timestamptz, 1)
    on conflict (tenant_id, key, window_start) do update set count = rate_limits.count + 1`)
  const list = await buckets(db, tenantId, key, now)
  const total = list.reduce((sum, b) => sum + b.count, 0)
  if (total <= MAX_FAILURES) return { key, bucket, remaining: MAX_FAILURES - total }
  await refundCodeTry(db, tenantId, { key, bucket, remaining: 0 })
  throw exhausted(list, now)
}

/** Gives a try back: the code was right, or was never checked. */
export async function refundCodeTry(db: Db, tenantId: string, taken: CodeTry): Promise<void> {
  await db.execute(sql`
    update rate_limits set count = count - 1
    where tenant_id = ${tenantId} and key = ${taken.key}
      and window_start = ${iso(taken.bucket)}::timestamptz and count > 0`)
}

/** How far back a budget looks: the sweeper keeps rows at least this long. */
export const LONGEST_WINDOW_MS = WINDOW_MS + BUCKET_MS
