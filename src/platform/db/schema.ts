import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core'
import { ms } from './columns'

/**
 * Cache invalidations that every node must see (settings, keys, later sessions): written in
 * the transaction of the change, broadcast after commit, and polled as the fallback.
 */
export const changeFeed = pgTable('change_feed', {
  seq: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  tenantId: text().notNull(),
  topic: text().notNull(),
  subject: text(),
  /** Database time, not the app clock: nodes compare it with now() when polling. */
  createdAt: ms().notNull().defaultNow(),
}, (t) => [index('change_feed_created_at_idx').on(t.createdAt)])
