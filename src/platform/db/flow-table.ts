import { and, eq, lt } from 'drizzle-orm'
import type { PgColumn, PgInsertValue, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core'
import type { Db } from './client'

/**
 * A persisted flow (Ory Kratos' FlowPersister): one row per sign-in attempt, sign-up attempt or
 * challenge, holding a settled machine snapshot under an optimistic version so that two requests
 * answering the same flow cannot both win. Every flow table has these columns; its repo satisfies
 * FlowTable, and tests/contract/flow-tables.test.ts holds each one to the same cases.
 */
export interface FlowRow {
  id: string
  tenantId: string
  status: string
  snapshot: unknown
  machineVersion: string
  version: number
  expireAt: Date
  updatedAt: Date
}

/** The columns besides the flow's own that a save may change with the snapshot. */
export type FlowFields<Insert> = Partial<Omit<Insert, keyof FlowRow>>

export interface FlowTable<Row extends FlowRow, Insert> {
  /** The tenant's row with this id; null for an unknown id or another tenant's. */
  find(db: Db, tenantId: string, id: string): Promise<Row | null>
  insert(db: Db, row: Insert): Promise<Row>
  /**
   * Saves a settled snapshot (and `fields`) as the next version, only if the row is still at
   * `row.version`: the saved row, or null when another request saved first (the caller's 409).
   */
  saveSnapshot(
    db: Db,
    row: Row,
    snapshot: unknown,
    status: string,
    at: Date,
    fields?: FlowFields<Insert>,
  ): Promise<Row | null>
  /** The sweeper: deletes the rows that expired before `before` (any tenant's); how many. */
  deleteExpiredBefore(db: Db, before: Date): Promise<number>
}

type FlowColumns = { [K in keyof FlowRow]: PgColumn }

/** The FlowTable of a drizzle table that has the flow columns. */
export function flowTable<T extends PgTable & FlowColumns>(
  table: T,
): FlowTable<T['$inferSelect'] & FlowRow, T['$inferInsert']> {
  type Row = T['$inferSelect'] & FlowRow
  // Drizzle's builders cannot resolve their conditional types over a generic table: the rows are
  // typed by T's own inferred models instead.
  const plain = table as PgTable
  const returning = async (query: Promise<unknown>) => ((await query) as Row[])[0] ?? null
  return {
    find: (db, tenantId, id) =>
      returning(
        db
          .select()
          .from(plain)
          .where(and(eq(table.tenantId, tenantId), eq(table.id, id)))
          .limit(1),
      ),
    insert: async (db, row) =>
      (await returning(
        db
          .insert(plain)
          .values(row as PgInsertValue<PgTable>)
          .returning(),
      ))!,
    saveSnapshot: (db, row, snapshot, status, at, fields = {}) =>
      returning(
        db
          .update(plain)
          .set({ ...fields, snapshot, status, version: row.version + 1, updatedAt: at } as PgUpdateSetSource<PgTable>)
          .where(and(eq(table.tenantId, row.tenantId), eq(table.id, row.id), eq(table.version, row.version)))
          .returning(),
      ),
    deleteExpiredBefore: async (db, before) => {
      const deleted = await db.delete(plain).where(lt(table.expireAt, before)).returning({ id: table.id })
      return deleted.length
    },
  }
}
