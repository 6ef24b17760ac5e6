import { and, desc, eq, lt, ne, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import type { CursorPosition } from '../../platform/http/pagination'
import { enterpriseConnections, samlAssertionIds } from './schema'

export type ConnectionRow = typeof enterpriseConnections.$inferSelect
export type ConnectionPatch = Partial<Omit<ConnectionRow, 'id' | 'tenantId' | 'protocol' | 'createdAt'>> & {
  updatedAt: Date
}

const ofConnection = (tenantId: string, id: string) =>
  and(eq(enterpriseConnections.tenantId, tenantId), eq(enterpriseConnections.id, id))

const textArray = (values: string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`

export async function insert(db: Db, row: typeof enterpriseConnections.$inferInsert): Promise<ConnectionRow> {
  const [created] = await db.insert(enterpriseConnections).values(row).returning()
  return created!
}

export async function find(db: Db, tenantId: string, id: string, forUpdate = false): Promise<ConnectionRow | null> {
  const query = db.select().from(enterpriseConnections).where(ofConnection(tenantId, id)).limit(1)
  const [row] = forUpdate ? await query.for('update') : await query
  return row ?? null
}

/** Serialises the writes that decide "one active connection per domain" within a tenant (until commit). */
export async function lockDomains(db: Db, tenantId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`enterprise_connections:${tenantId}`}))`)
}

/** The domains among `domains` that an active connection other than `exceptId` already holds. */
export async function activeDomainsTaken(
  db: Db,
  tenantId: string,
  domains: string[],
  exceptId: string | null,
): Promise<string[]> {
  if (domains.length === 0) return []
  const rows = await db
    .select({ domains: enterpriseConnections.domains })
    .from(enterpriseConnections)
    .where(
      and(
        eq(enterpriseConnections.tenantId, tenantId),
        eq(enterpriseConnections.active, true),
        sql`${enterpriseConnections.domains} && ${textArray(domains)}`,
        exceptId ? ne(enterpriseConnections.id, exceptId) : undefined,
      ),
    )
  const wanted = new Set(domains)
  return [...new Set(rows.flatMap((r) => r.domains.filter((d) => wanted.has(d))))].sort()
}

/** The active connection that holds this (lower-cased) domain. */
export async function findActiveByDomain(db: Db, tenantId: string, domain: string): Promise<ConnectionRow | null> {
  const [row] = await db
    .select()
    .from(enterpriseConnections)
    .where(
      and(
        eq(enterpriseConnections.tenantId, tenantId),
        eq(enterpriseConnections.active, true),
        sql`${enterpriseConnections.domains} @> ${textArray([domain])}`,
      ),
    )
    .orderBy(enterpriseConnections.createdAt)
    .limit(1)
  return row ?? null
}

/** Newest first; `after` is the last row of the previous page. */
export async function list(
  db: Db,
  tenantId: string,
  limit: number,
  after: CursorPosition | null,
): Promise<ConnectionRow[]> {
  return db
    .select()
    .from(enterpriseConnections)
    .where(
      and(
        eq(enterpriseConnections.tenantId, tenantId),
        after
          ? sql`(${enterpriseConnections.createdAt}, ${enterpriseConnections.id}) < (${new Date(after.t).toISOString()}::timestamptz, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(enterpriseConnections.createdAt), desc(enterpriseConnections.id))
    .limit(limit)
}

export async function update(
  db: Db,
  tenantId: string,
  id: string,
  patch: ConnectionPatch,
): Promise<ConnectionRow | null> {
  const [row] = await db.update(enterpriseConnections).set(patch).where(ofConnection(tenantId, id)).returning()
  return row ?? null
}

export async function remove(db: Db, tenantId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(enterpriseConnections)
    .where(ofConnection(tenantId, id))
    .returning({ id: enterpriseConnections.id })
  return deleted.length === 1
}

/**
 * Records an assertion id; true when it was new. A row whose keep-until has passed counts as absent
 * (the sweeper may not have run yet), and is taken over. One statement, so two nodes racing on the
 * same id get one true and one false.
 */
export async function rememberAssertion(
  db: Db,
  row: typeof samlAssertionIds.$inferInsert,
  now: Date,
): Promise<boolean> {
  const inserted = await db
    .insert(samlAssertionIds)
    .values(row)
    .onConflictDoUpdate({
      target: [samlAssertionIds.connectionId, samlAssertionIds.assertionId],
      set: { expiresAt: row.expiresAt },
      setWhere: sql`${samlAssertionIds.expiresAt} <= ${now.toISOString()}::timestamptz`,
    })
    .returning({ id: samlAssertionIds.assertionId })
  return inserted.length === 1
}

/** Assertion ids past their keep-until, across tenants (the sweeper, as the service role). */
export async function deleteAssertionsBefore(db: Db, before: Date): Promise<number> {
  const deleted = await db
    .delete(samlAssertionIds)
    .where(lt(samlAssertionIds.expiresAt, before))
    .returning({ id: samlAssertionIds.assertionId })
  return deleted.length
}
