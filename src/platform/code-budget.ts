import { sql } from 'drizzle-orm'
import type { Db } from './db/client'
import { rows } from './db/rows'
import { AppError } from './errors'

/**
 * The guessing budget of one-time codes (API.md §12): failed code answers count per account
 * (or, for an identifier without one, per identifier, so both look alike) across challenges and
 * strategies — at most 10 per 15 minutes. Once spent, answers and new code challenges get 429
 * with Retry-After, even a right code, whatever the per-IP limit: five tries per challenge and a
 * new challenge every 30 s would otherwise allow hundreds of guesses an hour. Counted in
 * PostgreSQL (the rate-limit table, fixed windows) so every node shares it. Code failures do not
 * count toward the password lockout, so guessing codes cannot lock anybody out.
 */
const WINDOW_MS = 15 * 60_000
const MAX_FAILURES = 10
// Counted in three 5-minute buckets: a sliding window, so 10 failures at the end of one fixed
// window and 10 more at the start of the next cannot pass as 10 each.
const BUCKET_MS = WINDOW_MS / 3

/** The subject a budget is kept for: an account, or an identifier that names none. */
export type BudgetSubject = { userId: string } | { identifier: string }

const keyOf = (s: BudgetSubject) => ('userId' in s ? `codes:user:${s.userId}` : `codes:identifier:${s.identifier}`)
const bucketOf = (now: number) => Math.floor(now / BUCKET_MS) * BUCKET_MS
const iso = (ms: number) => new Date(ms).toISOString()

/** 429 while the last 15 minutes hold 10 failures; Retry-After says when enough of them age out. */
export async function checkCodeBudget(db: Db, tenantId: string, subject: BudgetSubject, now: number): Promise<void> {
  const current = bucketOf(now)
  const found = await rows<{ window_start: string | Date; count: number }>(db, sql`
    select window_start, count from rate_limits
    where tenant_id = ${tenantId} and key = ${keyOf(subject)}
      and window_start > ${iso(current - WINDOW_MS)}::timestamptz and window_start <= ${iso(current)}::timestamptz`)
  const buckets = found.map((r) => ({ start: new Date(r.window_start).getTime(), count: Number(r.count) }))
    .sort((a, b) => a.start - b.start)
  let total = buckets.reduce((sum, b) => sum + b.count, 0)
  if (total < MAX_FAILURES) return
  let until = now
  for (const bucket of buckets) {
    if (total < MAX_FAILURES) break
    total -= bucket.count
    until = bucket.start + WINDOW_MS
  }
  const retryAfter = Math.max(1, Math.ceil((until - now) / 1000))
  throw new AppError('too_many_requests', { retry_after_s: retryAfter, reason: 'code_attempts' }, { headers: { 'retry-after': String(retryAfter) } })
}

/** Counts one failed code answer. */
export async function spendCodeBudget(db: Db, tenantId: string, subject: BudgetSubject, now: number): Promise<void> {
  await db.execute(sql`
    insert into rate_limits (tenant_id, key, window_start, count)
    values (${tenantId}, ${keyOf(subject)}, ${iso(bucketOf(now))}::timestamptz, 1)
    on conflict (tenant_id, key, window_start) do update set count = rate_limits.count + 1`)
}

/** How far back a budget looks: the sweeper keeps rows at least this long. */
export const LONGEST_WINDOW_MS = WINDOW_MS
