import { sql } from 'drizzle-orm'
import type { Db } from './db/client'
import { rows } from './db/rows'
import { LONGEST_WINDOW_MS } from './code-budget'
import { AppError } from './errors'

/**
 * Fixed one-minute windows counted in PostgreSQL, so every node shares them (API.md §11).
 * One upsert per check. A limit of 0 turns the check off.
 */
export async function consume(
  db: Db,
  tenantId: string,
  key: string,
  limitPerMinute: number,
  now: number,
): Promise<void> {
  if (limitPerMinute <= 0) return
  const windowStart = Math.floor(now / 60_000) * 60_000
  const [row] = await rows<{ count: number }>(
    db,
    sql`
    insert into rate_limits (tenant_id, key, window_start, count)
    values (${tenantId}, ${key}, ${new Date(windowStart).toISOString()}::timestamptz, 1)
    on conflict (tenant_id, key, window_start) do update set count = rate_limits.count + 1
    returning count`,
  )
  if (Number(row?.count ?? 0) > limitPerMinute) {
    const retryAfter = Math.max(1, Math.ceil((windowStart + 60_000 - now) / 1000))
    throw new AppError(
      'too_many_requests',
      { retry_after_s: retryAfter },
      { headers: { 'retry-after': String(retryAfter) } },
    )
  }
}

/** Drops windows that ended more than a minute ago (the longest window is the code budget's). */
export async function sweep(db: Db, now: number): Promise<void> {
  const before = now - LONGEST_WINDOW_MS - 60_000
  await db.execute(sql`delete from rate_limits where window_start < ${new Date(before).toISOString()}::timestamptz`)
}
