import { and, desc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import type { CursorPosition } from '../../platform/http/pagination'
import { jwtTemplates } from './schema'

export type JwtTemplateRow = typeof jwtTemplates.$inferSelect
export type JwtTemplatePatch = Partial<
  Pick<JwtTemplateRow, 'name' | 'claims' | 'lifetimeS' | 'allowedClockSkewS' | 'signingAlgorithm' | 'signingKeySealed'>
> & { updatedAt: Date }

/** The constraint behind "names are unique per tenant"; the service maps it to 409 duplicate_record. */
export const NAME_CONSTRAINT = 'jwt_templates_tenant_id_name_uq'

const ofTemplate = (tenantId: string, id: string) => and(eq(jwtTemplates.tenantId, tenantId), eq(jwtTemplates.id, id))

export async function insert(db: Db, row: typeof jwtTemplates.$inferInsert): Promise<JwtTemplateRow> {
  const [created] = await db.insert(jwtTemplates).values(row).returning()
  return created!
}

export async function find(
  db: Db,
  tenantId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<JwtTemplateRow | null> {
  const query = db.select().from(jwtTemplates).where(ofTemplate(tenantId, id)).limit(1)
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ?? null
}

export async function findByName(db: Db, tenantId: string, name: string): Promise<JwtTemplateRow | null> {
  const [row] = await db
    .select()
    .from(jwtTemplates)
    .where(and(eq(jwtTemplates.tenantId, tenantId), eq(jwtTemplates.name, name)))
    .limit(1)
  return row ?? null
}

export async function list(
  db: Db,
  tenantId: string,
  limit: number,
  after: CursorPosition | null,
): Promise<JwtTemplateRow[]> {
  const at = after && new Date(after.t).toISOString()
  const before = after
    ? sql`(${jwtTemplates.createdAt}, ${jwtTemplates.id}) < (${at}::timestamptz, ${after.id})`
    : undefined
  return db
    .select()
    .from(jwtTemplates)
    .where(and(eq(jwtTemplates.tenantId, tenantId), before))
    .orderBy(desc(jwtTemplates.createdAt), desc(jwtTemplates.id))
    .limit(limit)
}

export async function update(
  db: Db,
  tenantId: string,
  id: string,
  patch: JwtTemplatePatch,
): Promise<JwtTemplateRow | null> {
  const [row] = await db.update(jwtTemplates).set(patch).where(ofTemplate(tenantId, id)).returning()
  return row ?? null
}

export async function remove(db: Db, tenantId: string, id: string): Promise<boolean> {
  const deleted = await db.delete(jwtTemplates).where(ofTemplate(tenantId, id)).returning({ id: jwtTemplates.id })
  return deleted.length === 1
}
