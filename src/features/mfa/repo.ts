import { and, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { backupCodes, totpSecrets } from './schema'

export type TotpRow = typeof totpSecrets.$inferSelect
export type BackupCodeRow = typeof backupCodes.$inferSelect

// ---- TOTP

export async function findTotp(db: Db, tenantId: string, userId: string): Promise<TotpRow | null> {
  const [row] = await db
    .select()
    .from(totpSecrets)
    .where(and(eq(totpSecrets.tenantId, tenantId), eq(totpSecrets.userId, userId)))
    .limit(1)
  return row ?? null
}

/**
 * Stores a new unverified secret, replacing an earlier unverified one; null when the user has a
 * verified secret (it must be removed first). One statement, so two enrolments cannot both win.
 */
export async function upsertPendingTotp(db: Db, row: typeof totpSecrets.$inferInsert): Promise<TotpRow | null> {
  const [saved] = await db
    .insert(totpSecrets)
    .values(row)
    .onConflictDoUpdate({
      target: totpSecrets.userId,
      set: {
        id: row.id,
        secretSealed: row.secretSealed,
        verifiedAt: null,
        lastUsedStep: null,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      },
      setWhere: and(isNull(totpSecrets.verifiedAt), eq(totpSecrets.tenantId, row.tenantId)),
    })
    .returning()
  return saved ?? null
}

/** An active secret for a user who has none (import, right after the user is created). */
export async function insertVerifiedTotp(db: Db, row: typeof totpSecrets.$inferInsert): Promise<void> {
  await db.insert(totpSecrets).values(row)
}

const stepIsNew = (step: number) => or(isNull(totpSecrets.lastUsedStep), lt(totpSecrets.lastUsedStep, step))

/**
 * Accepts a time step for a secret: atomically, and only when it is later than every step
 * accepted before (replay protection). `verify` also turns a pending secret into an active one.
 */
export async function acceptStep(
  db: Db,
  tenantId: string,
  id: string,
  step: number,
  at: Date,
  opts: { verify: boolean },
): Promise<boolean> {
  const updated = await db
    .update(totpSecrets)
    .set({ lastUsedStep: step, updatedAt: at, ...(opts.verify ? { verifiedAt: at } : {}) })
    .where(
      and(
        eq(totpSecrets.tenantId, tenantId),
        eq(totpSecrets.id, id),
        stepIsNew(step),
        opts.verify ? isNull(totpSecrets.verifiedAt) : isNotNull(totpSecrets.verifiedAt),
      ),
    )
    .returning({ id: totpSecrets.id })
  return updated.length === 1
}

export async function deleteTotp(db: Db, tenantId: string, userId: string): Promise<TotpRow | null> {
  const [deleted] = await db
    .delete(totpSecrets)
    .where(and(eq(totpSecrets.tenantId, tenantId), eq(totpSecrets.userId, userId)))
    .returning()
  return deleted ?? null
}

// ---- backup codes

export async function replaceBackupCodes(
  db: Db,
  tenantId: string,
  userId: string,
  rows: (typeof backupCodes.$inferInsert)[],
): Promise<void> {
  await deleteBackupCodes(db, tenantId, userId)
  if (rows.length) await db.insert(backupCodes).values(rows)
}

export async function unusedBackupCodes(db: Db, tenantId: string, userId: string): Promise<BackupCodeRow[]> {
  return db
    .select()
    .from(backupCodes)
    .where(and(eq(backupCodes.tenantId, tenantId), eq(backupCodes.userId, userId), isNull(backupCodes.usedAt)))
}

/** Marks one code used; false if another request used it first (UPDATE … WHERE used_at IS NULL). */
export async function markBackupCodeUsed(db: Db, tenantId: string, id: string, at: Date): Promise<boolean> {
  const updated = await db
    .update(backupCodes)
    .set({ usedAt: at })
    .where(and(eq(backupCodes.tenantId, tenantId), eq(backupCodes.id, id), isNull(backupCodes.usedAt)))
    .returning({ id: backupCodes.id })
  return updated.length === 1
}

export async function deleteBackupCodes(db: Db, tenantId: string, userId: string): Promise<number> {
  const deleted = await db
    .delete(backupCodes)
    .where(and(eq(backupCodes.tenantId, tenantId), eq(backupCodes.userId, userId)))
    .returning({ id: backupCodes.id })
  return deleted.length
}

// ---- summaries (the user object's flags)

export async function verifiedTotpUsers(db: Db, tenantId: string, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return []
  const rows = await db
    .select({ userId: totpSecrets.userId })
    .from(totpSecrets)
    .where(
      and(eq(totpSecrets.tenantId, tenantId), inArray(totpSecrets.userId, userIds), isNotNull(totpSecrets.verifiedAt)),
    )
  return rows.map((r) => r.userId)
}

export async function unusedBackupCodeCounts(
  db: Db,
  tenantId: string,
  userIds: string[],
): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map()
  const rows = await db
    .select({ userId: backupCodes.userId, count: sql<number>`count(*)::int` })
    .from(backupCodes)
    .where(and(eq(backupCodes.tenantId, tenantId), inArray(backupCodes.userId, userIds), isNull(backupCodes.usedAt)))
    .groupBy(backupCodes.userId)
  return new Map(rows.map((r) => [r.userId, Number(r.count)]))
}
