import type { Deps } from '../../deps'
import { withTenant } from '../../platform/db/tx'
import type { TenantRow } from '../tenants/service'
import { rangeOf, type Range } from './buckets'
import * as Repo from './repo'

/**
 * `GET /v1/analytics/{metric}` (API.md §18): a series over the rollups only, one bucket per UTC hour, day or
 * month in the range, zeros included.
 */
export const METRICS = ['sign-ins', 'sign-ups', 'active-users', 'mfa-adoption'] as const
export type Metric = (typeof METRICS)[number]

export interface Series<B> {
  object: 'analytics_series'
  metric: Metric
  interval: Range['period']
  from: number
  to: number
  data: B[]
}

type SignInBucket = {
  start: number
  succeeded: number
  failed: number
  by_strategy: Record<string, { succeeded: number; failed: number }>
}
type SignUpBucket = { start: number; count: number; by_strategy: Record<string, number> }
type ActiveBucket = { start: number; active_users: number }
type MfaBucket = {
  start: number
  users_total: number
  mfa_enabled: number
  by_factor: { totp: number; passkey: number; phone_code: number; backup_code: number }
}

async function signIns(deps: Deps, tenant: TenantRow, range: Range): Promise<SignInBucket[]> {
  const found = await withTenant(deps.db, tenant.id, (tx) =>
    Repo.countSeries(
      tx,
      tenant.id,
      ['sign_in.succeeded', 'sign_in.failed'],
      range.period,
      new Date(range.from),
      new Date(range.to),
    ),
  )
  const buckets = new Map(
    range.starts.map((start) => [start, { start, succeeded: 0, failed: 0, by_strategy: {} } as SignInBucket]),
  )
  for (const row of found) {
    const bucket = buckets.get(Number(row.start))
    if (!bucket) continue
    const n = Number(row.count)
    const outcome = row.metric === 'sign_in.succeeded' ? 'succeeded' : 'failed'
    bucket[outcome] += n
    const by = (bucket.by_strategy[row.strategy] ??= { succeeded: 0, failed: 0 })
    by[outcome] += n
  }
  return [...buckets.values()]
}

async function signUps(deps: Deps, tenant: TenantRow, range: Range): Promise<SignUpBucket[]> {
  const found = await withTenant(deps.db, tenant.id, (tx) =>
    Repo.countSeries(tx, tenant.id, ['sign_up.completed'], range.period, new Date(range.from), new Date(range.to)),
  )
  const buckets = new Map(range.starts.map((start) => [start, { start, count: 0, by_strategy: {} } as SignUpBucket]))
  for (const row of found) {
    const bucket = buckets.get(Number(row.start))
    if (!bucket) continue
    const n = Number(row.count)
    bucket.count += n
    bucket.by_strategy[row.strategy] = (bucket.by_strategy[row.strategy] ?? 0) + n
  }
  return [...buckets.values()]
}

async function activeUsers(deps: Deps, tenant: TenantRow, range: Range): Promise<ActiveBucket[]> {
  const found = await withTenant(deps.db, tenant.id, (tx) =>
    Repo.activeSeries(tx, tenant.id, range.period, new Date(range.from), new Date(range.to)),
  )
  const counts = new Map(found.map((row) => [row.start.getTime(), Number(row.count)]))
  return range.starts.map((start) => ({ start, active_users: counts.get(start) ?? 0 }))
}

/** Each bucket shows the latest count made before it ended (carried forward; zeros before the first). */
async function mfaAdoption(deps: Deps, tenant: TenantRow, range: Range): Promise<MfaBucket[]> {
  const snapshots = await withTenant(deps.db, tenant.id, (tx) =>
    Repo.mfaSnapshots(tx, tenant.id, new Date(range.from), new Date(range.to)),
  )
  let i = 0
  let current: Repo.MfaSnapshotRow | null = null
  return range.starts.map((start, n) => {
    const end = range.starts[n + 1] ?? range.to
    while (i < snapshots.length && snapshots[i]!.hour.getTime() < end) current = snapshots[i++]!
    return {
      start,
      users_total: current?.usersTotal ?? 0,
      mfa_enabled: current?.mfaEnabled ?? 0,
      by_factor: {
        totp: current?.totp ?? 0,
        passkey: current?.passkey ?? 0,
        phone_code: current?.phoneCode ?? 0,
        backup_code: current?.backupCode ?? 0,
      },
    }
  })
}

const READERS = { 'sign-ins': signIns, 'sign-ups': signUps, 'active-users': activeUsers, 'mfa-adoption': mfaAdoption }

export async function series(
  deps: Deps,
  tenant: TenantRow,
  metric: Metric,
  query: { from?: string; to?: string; interval?: string },
): Promise<Series<SignInBucket | SignUpBucket | ActiveBucket | MfaBucket>> {
  const range = rangeOf(deps.clock.now(), query)
  const data = await READERS[metric](deps, tenant, range)
  return { object: 'analytics_series', metric, interval: range.period, from: range.from, to: range.to, data }
}
