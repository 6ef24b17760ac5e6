import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { externalAccounts } from './schema'

export type ExternalAccountRow = typeof externalAccounts.$inferSelect
export type ExternalAccountInsert = typeof externalAccounts.$inferInsert

/** The account of this subject at this provider (connection), whoever it belongs to. */
export async function findBySubject(
  db: Db,
  tenantId: string,
  key: { strategy: string; connectionId: string; providerUserId: string },
): Promise<ExternalAccountRow | null> {
  const [row] = await db
    .select()
    .from(externalAccounts)
    .where(
      and(
        eq(externalAccounts.tenantId, tenantId),
        eq(externalAccounts.strategy, key.strategy),
        eq(externalAccounts.connectionId, key.connectionId),
        eq(externalAccounts.providerUserId, key.providerUserId),
      ),
    )
    .limit(1)
  return row ?? null
}

export function listForUsers(db: Db, tenantId: string, userIds: string[]): Promise<ExternalAccountRow[]> {
  if (userIds.length === 0) return Promise.resolve([])
  return db
    .select()
    .from(externalAccounts)
    .where(and(eq(externalAccounts.tenantId, tenantId), inArray(externalAccounts.userId, userIds)))
    .orderBy(asc(externalAccounts.createdAt), asc(externalAccounts.id))
}

/** Inserts the account, or refreshes what the provider said of it (same subject, same user); null: another user's. */
export async function upsert(db: Db, row: ExternalAccountInsert): Promise<ExternalAccountRow | null> {
  const [saved] = await db
    .insert(externalAccounts)
    .values(row)
    .onConflictDoUpdate({
      target: [
        externalAccounts.tenantId,
        externalAccounts.strategy,
        externalAccounts.connectionId,
        externalAccounts.providerUserId,
      ],
      set: {
        emailAddress: row.emailAddress,
        emailVerified: row.emailVerified,
        firstName: row.firstName,
        lastName: row.lastName,
        username: row.username,
        imageUrl: row.imageUrl,
        updatedAt: row.updatedAt,
      },
      where: eq(externalAccounts.userId, row.userId),
    })
    .returning()
  return saved ?? null
}

export async function remove(db: Db, tenantId: string, userId: string, id: string): Promise<ExternalAccountRow | null> {
  const [row] = await db
    .delete(externalAccounts)
    .where(
      and(eq(externalAccounts.tenantId, tenantId), eq(externalAccounts.userId, userId), eq(externalAccounts.id, id)),
    )
    .returning()
  return row ?? null
}

export async function removeAllOfUser(db: Db, tenantId: string, userId: string): Promise<void> {
  await db
    .delete(externalAccounts)
    .where(and(eq(externalAccounts.tenantId, tenantId), eq(externalAccounts.userId, userId)))
}
