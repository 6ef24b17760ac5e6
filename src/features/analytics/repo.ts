import { and, asc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { rows } from '../../platform/db/rows'
import {
  analyticsActiveCounts,
  analyticsActiveUsers,
  analyticsCounts,
  analyticsDirty,
  analyticsMfaSnapshots,
  analyticsSeen,
} from './schema'

export type MfaSnapshotRow = typeof analyticsMfaSnapshots.$inferSelect
export type Period = 'hour' | 'day' | 'month'

/** Records a message as counted; false when it already was (a redelivery). */
export async function markSeen(db: Db, tenantId: string, messageId: string, at: Date): Promise<boolean> {
  const inserted = await db
    .insert(analyticsSeen)
    .values({ messageId, tenantId, at })
    .onConflictDoNothing()
    .returning({ id: analyticsSeen.messageId })
  return inserted.length === 1
}

export async function addCount(db: Db, row: { tenantId: string; metric: string; hour: Date; strategy: string }) {
  await db
    .insert(analyticsCounts)
    .values({ ...row, count: 1 })
    .onConflictDoUpdate({
      target: [analyticsCounts.tenantId, analyticsCounts.metric, analyticsCounts.hour, analyticsCounts.strategy],
      set: { count: sql`${analyticsCounts.count} + 1` },
    })
}

/** Marks the user active in these buckets; a bucket's count grows only when the user is new to it. */
export async function markActive(db: Db, tenantId: string, userId: string, buckets: [Period, Date][]) {
  const added = await db
    .insert(analyticsActiveUsers)
    .values(buckets.map(([period, start]) => ({ tenantId, period, start, userId })))
    .onConflictDoNothing()
    .returning({ period: analyticsActiveUsers.period, start: analyticsActiveUsers.start })
  if (added.length === 0) return
  await db
    .insert(analyticsActiveCounts)
    .values(added.map(({ period, start }) => ({ tenantId, period, start, count: 1 })))
    .onConflictDoUpdate({
      target: [analyticsActiveCounts.tenantId, analyticsActiveCounts.period, analyticsActiveCounts.start],
      set: { count: sql`${analyticsActiveCounts.count} + 1` },
    })
}

/** Counts summed per bucket of `period` (UTC) and strategy, for these metrics, in [from, to). */
export function countSeries(
  db: Db,
  tenantId: string,
  metrics: string[],
  period: Period,
  from: Date,
  to: Date,
): Promise<{ start: number | string; metric: string; strategy: string; count: number | string }[]> {
  // Epoch ms of the UTC bucket: no driver's timestamp parsing between the database and the series.
  const hourUtc = sql`${analyticsCounts.hour} at time zone 'UTC'`
  const bucket = sql`(extract(epoch from date_trunc(${period}, ${hourUtc})) * 1000)::bigint`
  return rows(
    db,
    sql`select ${bucket} as start, ${analyticsCounts.metric} as metric, ${analyticsCounts.strategy} as strategy,
        sum(${analyticsCounts.count}) as count
      from ${analyticsCounts}
      where ${and(
        eq(analyticsCounts.tenantId, tenantId),
        inArray(analyticsCounts.metric, metrics),
        gte(analyticsCounts.hour, from),
        lt(analyticsCounts.hour, to),
      )}
      group by 1, 2, 3`,
  )
}

/** Distinct users per bucket of `period` in [from, to). */
export function activeSeries(db: Db, tenantId: string, period: Period, from: Date, to: Date) {
  return db
    .select({ start: analyticsActiveCounts.start, count: analyticsActiveCounts.count })
    .from(analyticsActiveCounts)
    .where(
      and(
        eq(analyticsActiveCounts.tenantId, tenantId),
        eq(analyticsActiveCounts.period, period),
        gte(analyticsActiveCounts.start, from),
        lt(analyticsActiveCounts.start, to),
      ),
    )
}

/** The snapshots in [from, to), and the last one before `from` (the value a series starts with). */
export async function mfaSnapshots(db: Db, tenantId: string, from: Date, to: Date): Promise<MfaSnapshotRow[]> {
  const [before] = await db
    .select()
    .from(analyticsMfaSnapshots)
    .where(and(eq(analyticsMfaSnapshots.tenantId, tenantId), lt(analyticsMfaSnapshots.hour, from)))
    .orderBy(sql`${analyticsMfaSnapshots.hour} desc`)
    .limit(1)
  const within = await db
    .select()
    .from(analyticsMfaSnapshots)
    .where(
      and(
        eq(analyticsMfaSnapshots.tenantId, tenantId),
        gte(analyticsMfaSnapshots.hour, from),
        lt(analyticsMfaSnapshots.hour, to),
      ),
    )
    .orderBy(asc(analyticsMfaSnapshots.hour))
  return before ? [before, ...within] : within
}

export async function markDirty(db: Db, tenantId: string, since: Date): Promise<void> {
  await db.insert(analyticsDirty).values({ tenantId, since }).onConflictDoNothing()
}

/** Tenants waiting for an MFA count (any tenant: the loop runs for the installation). */
export function dirtyTenants(db: Db, limit: number): Promise<{ tenantId: string; since: Date }[]> {
  return db.select().from(analyticsDirty).orderBy(asc(analyticsDirty.since)).limit(limit)
}

/** Takes the tenant's mark if it is no newer than `upTo`: a change after the count started marks it again. */
export async function claimDirty(db: Db, tenantId: string, upTo: Date): Promise<boolean> {
  const claimed = await db
    .delete(analyticsDirty)
    .where(and(eq(analyticsDirty.tenantId, tenantId), lte(analyticsDirty.since, upTo)))
    .returning({ tenantId: analyticsDirty.tenantId })
  return claimed.length === 1
}

/** Users not deleted, and those holding each second factor (API.md §18 `by_factor`), now. */
export async function countMfa(db: Db, tenantId: string) {
  const [row] = await rows<Record<string, number | string>>(
    db,
    sql`with live as (select id from users where tenant_id = ${tenantId} and deleted_at is null),
      totp as (select distinct user_id from totp_secrets where tenant_id = ${tenantId} and verified_at is not null),
      passkey as (select distinct user_id from passkeys where tenant_id = ${tenantId}),
      phone as (select distinct user_id from identifications where tenant_id = ${tenantId}
        and type = 'phone_number' and verified and reserved_for_second_factor),
      backup as (select distinct user_id from backup_codes where tenant_id = ${tenantId} and used_at is null)
    select
      (select count(*) from live) as users_total,
      (select count(*) from live l where exists (select 1 from totp where user_id = l.id)) as totp,
      (select count(*) from live l where exists (select 1 from passkey where user_id = l.id)) as passkey,
      (select count(*) from live l where exists (select 1 from phone where user_id = l.id)) as phone_code,
      (select count(*) from live l where exists (select 1 from backup where user_id = l.id)) as backup_code,
      (select count(*) from live l where exists (select 1 from totp where user_id = l.id)
        or exists (select 1 from passkey where user_id = l.id) or exists (select 1 from phone where user_id = l.id)
        or exists (select 1 from backup where user_id = l.id)) as mfa_enabled`,
  )
  const n = (key: string) => Number(row?.[key] ?? 0)
  return {
    usersTotal: n('users_total'),
    mfaEnabled: n('mfa_enabled'),
    totp: n('totp'),
    passkey: n('passkey'),
    phoneCode: n('phone_code'),
    backupCode: n('backup_code'),
  }
}

export async function saveSnapshot(db: Db, row: MfaSnapshotRow): Promise<void> {
  const { tenantId: _t, hour: _h, ...counts } = row
  await db
    .insert(analyticsMfaSnapshots)
    .values(row)
    .onConflictDoUpdate({ target: [analyticsMfaSnapshots.tenantId, analyticsMfaSnapshots.hour], set: counts })
}

/** Rows past retention (400 days; counted messages after a day). */
export async function sweep(db: Db, before: Date, seenBefore: Date): Promise<number> {
  const counts = await db
    .delete(analyticsCounts)
    .where(lt(analyticsCounts.hour, before))
    .returning({ t: analyticsCounts.tenantId })
  const active = await db
    .delete(analyticsActiveUsers)
    .where(lt(analyticsActiveUsers.start, before))
    .returning({ t: analyticsActiveUsers.tenantId })
  await db.delete(analyticsActiveCounts).where(lt(analyticsActiveCounts.start, before))
  // A tenant's latest count stays whatever its age: a series carries it forward.
  const snapshots = await rows(
    db,
    sql`delete from ${analyticsMfaSnapshots} s where s.hour < ${before.toISOString()}::timestamptz
      and exists (select 1 from ${analyticsMfaSnapshots} n where n.tenant_id = s.tenant_id and n.hour > s.hour)
      returning s.tenant_id`,
  )
  const seen = await db
    .delete(analyticsSeen)
    .where(lt(analyticsSeen.at, seenBefore))
    .returning({ t: analyticsSeen.tenantId })
  return counts.length + active.length + snapshots.length + seen.length
}
