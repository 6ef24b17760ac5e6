import { and, desc, eq, gt } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { oauthApplications, oauthCibaRequests, oauthDeviceCodes } from './schema'

export type DeviceRow = typeof oauthDeviceCodes.$inferSelect
export type CibaRow = typeof oauthCibaRequests.$inferSelect

export async function insertDevice(db: Db, row: typeof oauthDeviceCodes.$inferInsert): Promise<DeviceRow> {
  const [inserted] = await db.insert(oauthDeviceCodes).values(row).returning()
  return inserted!
}

export async function lockDevice(db: Db, tenantId: string, deviceCodeHash: string): Promise<DeviceRow | null> {
  const [row] = await db
    .select()
    .from(oauthDeviceCodes)
    .where(and(eq(oauthDeviceCodes.tenantId, tenantId), eq(oauthDeviceCodes.deviceCodeHash, deviceCodeHash)))
    .for('update')
    .limit(1)
  return row ?? null
}

/** The pending, unexpired authorization a person typed the code of. */
export async function findPendingByUserCode(db: Db, tenantId: string, userCode: string, now: Date) {
  const [row] = await db
    .select({ device: oauthDeviceCodes, application: oauthApplications })
    .from(oauthDeviceCodes)
    .innerJoin(oauthApplications, eq(oauthApplications.id, oauthDeviceCodes.applicationId))
    .where(
      and(
        eq(oauthDeviceCodes.tenantId, tenantId),
        eq(oauthDeviceCodes.userCode, userCode),
        eq(oauthDeviceCodes.status, 'pending'),
        gt(oauthDeviceCodes.expireAt, now),
      ),
    )
    .limit(1)
  return row ?? null
}

export async function updateDevice(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<typeof oauthDeviceCodes.$inferInsert>,
  onlyIfStatus?: DeviceRow['status'],
): Promise<boolean> {
  const rows = await db
    .update(oauthDeviceCodes)
    .set(patch)
    .where(
      and(
        eq(oauthDeviceCodes.tenantId, tenantId),
        eq(oauthDeviceCodes.id, id),
        onlyIfStatus ? eq(oauthDeviceCodes.status, onlyIfStatus) : undefined,
      ),
    )
    .returning({ id: oauthDeviceCodes.id })
  return rows.length === 1
}

// ---- CIBA

export async function insertCiba(db: Db, row: typeof oauthCibaRequests.$inferInsert): Promise<CibaRow> {
  const [inserted] = await db.insert(oauthCibaRequests).values(row).returning()
  return inserted!
}

export async function lockCiba(db: Db, tenantId: string, id: string): Promise<CibaRow | null> {
  const [row] = await db
    .select()
    .from(oauthCibaRequests)
    .where(and(eq(oauthCibaRequests.tenantId, tenantId), eq(oauthCibaRequests.id, id)))
    .for('update')
    .limit(1)
  return row ?? null
}

export async function listCibaForUser(db: Db, tenantId: string, userId: string) {
  return db
    .select({ request: oauthCibaRequests, application: oauthApplications })
    .from(oauthCibaRequests)
    .innerJoin(oauthApplications, eq(oauthApplications.id, oauthCibaRequests.applicationId))
    .where(and(eq(oauthCibaRequests.tenantId, tenantId), eq(oauthCibaRequests.userId, userId)))
    .orderBy(desc(oauthCibaRequests.createdAt))
    .limit(100)
}

export async function updateCiba(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<typeof oauthCibaRequests.$inferInsert>,
  onlyIfStatus?: CibaRow['status'],
): Promise<boolean> {
  const rows = await db
    .update(oauthCibaRequests)
    .set(patch)
    .where(
      and(
        eq(oauthCibaRequests.tenantId, tenantId),
        eq(oauthCibaRequests.id, id),
        onlyIfStatus ? eq(oauthCibaRequests.status, onlyIfStatus) : undefined,
      ),
    )
    .returning({ id: oauthCibaRequests.id })
  return rows.length === 1
}
