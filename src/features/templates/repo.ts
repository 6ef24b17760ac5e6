import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import type { Channel } from './render'
import { messageTemplates } from './schema'

export type TemplateRow = typeof messageTemplates.$inferSelect

/** The tenant's templates of a channel in any of `locales` (and for `slug`, when given). */
export async function findIn(
  db: Db,
  tenantId: string,
  channel: Channel,
  locales: string[],
  slug?: string,
): Promise<TemplateRow[]> {
  return db
    .select()
    .from(messageTemplates)
    .where(
      and(
        eq(messageTemplates.tenantId, tenantId),
        eq(messageTemplates.channel, channel),
        inArray(messageTemplates.locale, locales),
        slug === undefined ? undefined : eq(messageTemplates.slug, slug),
      ),
    )
}

/** Inserts or replaces the template of (tenant, channel, slug, locale); keeps the first id. */
export async function upsert(db: Db, row: typeof messageTemplates.$inferInsert): Promise<TemplateRow> {
  const [saved] = await db
    .insert(messageTemplates)
    .values(row)
    .onConflictDoUpdate({
      target: [messageTemplates.tenantId, messageTemplates.channel, messageTemplates.slug, messageTemplates.locale],
      set: { subject: row.subject, text: row.text, html: row.html, updatedAt: sql`excluded.updated_at` },
    })
    .returning()
  return saved!
}

export async function remove(
  db: Db,
  tenantId: string,
  channel: Channel,
  slug: string,
  locale: string,
): Promise<boolean> {
  const deleted = await db
    .delete(messageTemplates)
    .where(
      and(
        eq(messageTemplates.tenantId, tenantId),
        eq(messageTemplates.channel, channel),
        eq(messageTemplates.slug, slug),
        eq(messageTemplates.locale, locale),
      ),
    )
    .returning({ id: messageTemplates.id })
  return deleted.length > 0
}
