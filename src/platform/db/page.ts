import { sql, type AnyColumn } from 'drizzle-orm'
import type { CursorPosition } from '../http/pagination'

/** Rows after a cursor in a newest-first list ordered by (created_at, id); no condition without one. */
export const olderThan = (createdAt: AnyColumn, id: AnyColumn, after: CursorPosition | null) =>
  after ? sql`(${createdAt}, ${id}) < (${new Date(after.t).toISOString()}::timestamptz, ${after.id})` : undefined
