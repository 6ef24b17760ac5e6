import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'
import { ms } from '../../platform/db/columns'
import { tenants } from '../tenants/schema'

/**
 * Login analytics rollups (API.md §18), written by the analytics workers from the flows' outcome messages
 * and user events, never on a request's path; series read them only. Kept 400 days (the sweeper).
 */

/** Sign-in successes and failures, sign-ups: a count per tenant, metric, UTC hour and strategy. */
export const analyticsCounts = pgTable(
  'analytics_counts',
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    /** `sign_in.succeeded` | `sign_in.failed` | `sign_up.completed`. */
    metric: text().notNull(),
    hour: ms().notNull(),
    strategy: text().notNull(),
    count: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.metric, t.hour, t.strategy] })],
)

/** Who signed in during each hour, day and month (UTC): distinct users per bucket, whatever its size. */
export const analyticsActiveUsers = pgTable(
  'analytics_active_users',
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    /** `hour` | `day` | `month`. */
    period: text().notNull(),
    start: ms().notNull(),
    userId: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.period, t.start, t.userId] })],
)

/** How many distinct users each bucket holds, kept as the worker adds them (a series reads ~30 rows, not sets). */
export const analyticsActiveCounts = pgTable(
  'analytics_active_counts',
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    period: text().notNull(),
    start: ms().notNull(),
    count: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.period, t.start] })],
)

/** The tenant's users and their second factors as counted at the end of an hour (the latest count of it). */
export const analyticsMfaSnapshots = pgTable(
  'analytics_mfa_snapshots',
  {
    tenantId: text()
      .notNull()
      .references(() => tenants.id),
    hour: ms().notNull(),
    usersTotal: integer().notNull(),
    mfaEnabled: integer().notNull(),
    totp: integer().notNull(),
    passkey: integer().notNull(),
    phoneCode: integer().notNull(),
    backupCode: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.hour] })],
)

/** Messages already counted (a redelivered one counts once); kept a day. */
export const analyticsSeen = pgTable('analytics_seen', {
  messageId: text().primaryKey(),
  tenantId: text()
    .notNull()
    .references(() => tenants.id),
  at: ms().notNull(),
})

/** Tenants whose users or second factors changed since their last MFA count. */
export const analyticsDirty = pgTable('analytics_dirty', {
  tenantId: text()
    .primaryKey()
    .references(() => tenants.id),
  since: ms().notNull(),
})
