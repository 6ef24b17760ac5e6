import { and, eq, inArray, isNull, lt } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import {
  oauthApplications,
  oauthAuthRequests,
  oauthCibaRequests,
  oauthClientAssertions,
  oauthCodes,
  oauthDeviceCodes,
  oauthOpaqueTokens,
  oauthRefreshTokens,
  oauthTokenFamilies,
} from './schema'

export type FamilyRow = typeof oauthTokenFamilies.$inferSelect
export type CodeRow = typeof oauthCodes.$inferSelect
export type RefreshRow = typeof oauthRefreshTokens.$inferSelect

export async function insertFamily(db: Db, row: typeof oauthTokenFamilies.$inferInsert): Promise<FamilyRow> {
  const [inserted] = await db.insert(oauthTokenFamilies).values(row).returning()
  return inserted!
}

export async function findFamily(db: Db, tenantId: string, id: string): Promise<FamilyRow | null> {
  const [row] = await db
    .select()
    .from(oauthTokenFamilies)
    .where(and(eq(oauthTokenFamilies.tenantId, tenantId), eq(oauthTokenFamilies.id, id)))
    .limit(1)
  return row ?? null
}

/** Marks families revoked; returns the ids that were still active. */
export async function revokeFamilies(
  db: Db,
  tenantId: string,
  where: { ids?: string[]; grantId?: string; applicationId?: string },
  at: Date,
): Promise<string[]> {
  const rows = await db
    .update(oauthTokenFamilies)
    .set({ status: 'revoked', updatedAt: at })
    .where(
      and(
        eq(oauthTokenFamilies.tenantId, tenantId),
        eq(oauthTokenFamilies.status, 'active'),
        where.ids ? inArray(oauthTokenFamilies.id, where.ids) : undefined,
        where.grantId ? eq(oauthTokenFamilies.grantId, where.grantId) : undefined,
        where.applicationId ? eq(oauthTokenFamilies.applicationId, where.applicationId) : undefined,
      ),
    )
    .returning({ id: oauthTokenFamilies.id })
  return rows.map((r) => r.id)
}

export async function familiesOf(
  db: Db,
  tenantId: string,
  where: { grantId?: string; applicationId?: string },
): Promise<string[]> {
  const rows = await db
    .select({ id: oauthTokenFamilies.id })
    .from(oauthTokenFamilies)
    .where(
      and(
        eq(oauthTokenFamilies.tenantId, tenantId),
        where.grantId ? eq(oauthTokenFamilies.grantId, where.grantId) : undefined,
        where.applicationId ? eq(oauthTokenFamilies.applicationId, where.applicationId) : undefined,
      ),
    )
  return rows.map((r) => r.id)
}

// ---- authorization codes

export async function insertCode(db: Db, row: typeof oauthCodes.$inferInsert): Promise<void> {
  await db.insert(oauthCodes).values(row)
}

/** The code row, locked: its redemption and a concurrent replay are serialised on it. */
export async function lockCode(db: Db, tenantId: string, codeHash: string): Promise<CodeRow | null> {
  const [row] = await db
    .select()
    .from(oauthCodes)
    .where(and(eq(oauthCodes.tenantId, tenantId), eq(oauthCodes.codeHash, codeHash)))
    .for('update')
    .limit(1)
  return row ?? null
}

export async function markCodeUsed(db: Db, tenantId: string, codeHash: string, familyId: string, at: Date) {
  await db
    .update(oauthCodes)
    .set({ usedAt: at, familyId })
    .where(and(eq(oauthCodes.tenantId, tenantId), eq(oauthCodes.codeHash, codeHash), isNull(oauthCodes.usedAt)))
}

// ---- refresh tokens

export async function insertRefreshToken(db: Db, row: typeof oauthRefreshTokens.$inferInsert): Promise<void> {
  await db.insert(oauthRefreshTokens).values(row)
}

export async function lockRefreshToken(
  db: Db,
  tenantId: string,
  tokenHash: string,
): Promise<{ token: RefreshRow; family: FamilyRow } | null> {
  const [row] = await db
    .select({ token: oauthRefreshTokens, family: oauthTokenFamilies })
    .from(oauthRefreshTokens)
    .innerJoin(oauthTokenFamilies, eq(oauthTokenFamilies.id, oauthRefreshTokens.familyId))
    .where(and(eq(oauthRefreshTokens.tenantId, tenantId), eq(oauthRefreshTokens.tokenHash, tokenHash)))
    .for('update', { of: oauthTokenFamilies })
    .limit(1)
  return row ?? null
}

/** A refresh token with its family and client, without a lock (introspection, revocation). */
export async function findRefreshToken(
  db: Db,
  tenantId: string,
  tokenHash: string,
): Promise<{ token: RefreshRow; family: FamilyRow; clientId: string } | null> {
  const [row] = await db
    .select({ token: oauthRefreshTokens, family: oauthTokenFamilies, clientId: oauthApplications.clientId })
    .from(oauthRefreshTokens)
    .innerJoin(oauthTokenFamilies, eq(oauthTokenFamilies.id, oauthRefreshTokens.familyId))
    .innerJoin(oauthApplications, eq(oauthApplications.id, oauthTokenFamilies.applicationId))
    .where(and(eq(oauthRefreshTokens.tenantId, tenantId), eq(oauthRefreshTokens.tokenHash, tokenHash)))
    .limit(1)
  return row ?? null
}

export async function markRotated(db: Db, tenantId: string, id: string, successorId: string, at: Date) {
  await db
    .update(oauthRefreshTokens)
    .set({ status: 'rotated', rotatedAt: at, successorId })
    .where(and(eq(oauthRefreshTokens.tenantId, tenantId), eq(oauthRefreshTokens.id, id)))
}

// ---- opaque access tokens

export async function insertOpaqueToken(db: Db, row: typeof oauthOpaqueTokens.$inferInsert): Promise<void> {
  await db.insert(oauthOpaqueTokens).values(row)
}

export async function findOpaqueToken(
  db: Db,
  tenantId: string,
  tokenHash: string,
): Promise<{ expireAt: Date; createdAt: Date; scopes: string[]; clientId: string; family: FamilyRow } | null> {
  const [row] = await db
    .select({
      expireAt: oauthOpaqueTokens.expireAt,
      scopes: oauthOpaqueTokens.scopes,
      createdAt: oauthOpaqueTokens.createdAt,
      clientId: oauthApplications.clientId,
      family: oauthTokenFamilies,
    })
    .from(oauthOpaqueTokens)
    .innerJoin(oauthTokenFamilies, eq(oauthTokenFamilies.id, oauthOpaqueTokens.familyId))
    .innerJoin(oauthApplications, eq(oauthApplications.id, oauthTokenFamilies.applicationId))
    .where(and(eq(oauthOpaqueTokens.tenantId, tenantId), eq(oauthOpaqueTokens.tokenHash, tokenHash)))
    .limit(1)
  return row ?? null
}

/** The sweeper: rows past their end, across tenants (families take their tokens with them). */
export async function deleteExpiredBefore(db: Db, before: Date): Promise<number> {
  let total = 0
  for (const table of [
    oauthCodes,
    oauthOpaqueTokens,
    oauthAuthRequests,
    oauthDeviceCodes,
    oauthCibaRequests,
    oauthClientAssertions,
    oauthTokenFamilies,
  ]) {
    const deleted = await db.delete(table).where(lt(table.expireAt, before)).returning({ tenantId: table.tenantId })
    total += deleted.length
  }
  return total
}
