import { and, asc, desc, eq, exists, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import type { CursorPosition } from '../../platform/http/pagination'
import { identifications, users } from './schema'

export type UserRow = typeof users.$inferSelect
export type IdentificationRow = typeof identifications.$inferSelect
export type IdentificationType = IdentificationRow['type']
export type UserPatch = Partial<
  Pick<
    UserRow,
    | 'username'
    | 'firstName'
    | 'lastName'
    | 'passwordHash'
    | 'publicMetadata'
    | 'privateMetadata'
    | 'unsafeMetadata'
    | 'primaryEmailAddressId'
    | 'primaryPhoneNumberId'
    | 'banned'
    | 'lockedUntil'
    | 'lockedByAdmin'
    | 'failedPasswordAttempts'
    | 'lastSignInAt'
    | 'updatedAt'
    | 'deletedAt'
  >
>

const live = isNull(users.deletedAt)
const ofUser = (tenantId: string, id: string) => and(eq(users.tenantId, tenantId), eq(users.id, id), live)

export async function insertUser(db: Db, row: typeof users.$inferInsert): Promise<UserRow> {
  const [created] = await db.insert(users).values(row).returning()
  return created!
}

export async function insertIdentifications(
  db: Db,
  rows: (typeof identifications.$inferInsert)[],
): Promise<IdentificationRow[]> {
  if (rows.length === 0) return []
  return db.insert(identifications).values(rows).returning()
}

/** A live (not deleted) user; `forUpdate` serialises concurrent changes to the same user. */
export async function findUser(
  db: Db,
  tenantId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<UserRow | null> {
  const query = db.select().from(users).where(ofUser(tenantId, id)).limit(1)
  const [row] = opts.forUpdate ? await query.for('update') : await query
  return row ?? null
}

/** Live users among these ids. */
export async function findUsers(db: Db, tenantId: string, ids: string[]): Promise<UserRow[]> {
  if (ids.length === 0) return []
  return db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, ids), live))
}

/** Identifications of these users, oldest first (ids are time-ordered, so insertion order). */
export async function listIdentifications(db: Db, tenantId: string, userIds: string[]): Promise<IdentificationRow[]> {
  if (userIds.length === 0) return []
  return db
    .select()
    .from(identifications)
    .where(and(eq(identifications.tenantId, tenantId), inArray(identifications.userId, userIds)))
    .orderBy(asc(identifications.createdAt), asc(identifications.id))
}

/** Which of these normalized values are already verified identifications in the tenant. */
export async function takenIdentifications(
  db: Db,
  tenantId: string,
  type: IdentificationType,
  normalized: string[],
): Promise<string[]> {
  if (normalized.length === 0) return []
  const found = await db
    .select({ normalized: identifications.normalized })
    .from(identifications)
    .where(
      and(
        eq(identifications.tenantId, tenantId),
        eq(identifications.type, type),
        inArray(identifications.normalized, normalized),
        eq(identifications.verified, true),
      ),
    )
  return found.map((r) => r.normalized)
}

/** Users with a verified email address at exactly this (lower-case) domain, up to `limit`. */
/** Verified email addresses (normalized) at a domain, with their users. */
export async function verifiedEmailsAt(db: Db, tenantId: string, domain: string, limit: number) {
  return db
    .select({ userId: identifications.userId, email: identifications.normalized })
    .from(identifications)
    .where(
      and(
        eq(identifications.tenantId, tenantId),
        eq(identifications.type, 'email_address'),
        eq(identifications.verified, true),
        // `normalized` is lower-case: the part after the last @ is the domain.
        eq(sql`split_part(${identifications.normalized}, '@', 2)`, domain),
      ),
    )
    .limit(limit)
}

export async function usernameTaken(
  db: Db,
  tenantId: string,
  username: string,
  exceptUserId?: string,
): Promise<boolean> {
  const found = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.tenantId, tenantId),
        live,
        sql`lower(${users.username}) = lower(${username})`,
        exceptUserId ? sql`${users.id} <> ${exceptUserId}` : undefined,
      ),
    )
    .limit(1)
  return found.length > 0
}

export async function findByVerifiedIdentification(
  db: Db,
  tenantId: string,
  type: IdentificationType,
  normalized: string,
): Promise<{ user: UserRow; identification: IdentificationRow } | null> {
  const [row] = await db
    .select({ user: users, identification: identifications })
    .from(identifications)
    .innerJoin(users, and(eq(users.id, identifications.userId), eq(users.tenantId, tenantId)))
    .where(
      and(
        eq(identifications.tenantId, tenantId),
        eq(identifications.type, type),
        eq(identifications.normalized, normalized),
        eq(identifications.verified, true),
        live,
      ),
    )
    .limit(1)
  return row ?? null
}

export async function findByUsername(db: Db, tenantId: string, username: string): Promise<UserRow | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), live, sql`lower(${users.username}) = lower(${username})`))
    .limit(1)
  return row ?? null
}

export interface ListFilter {
  /** Normalized values. */
  email?: string
  phone?: string
  /** Case-insensitive substring. */
  query?: string
}

const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** Live users, newest first; `after` is the last row of the previous page. */
export async function list(
  db: Db,
  tenantId: string,
  filter: ListFilter,
  limit: number,
  after: CursorPosition | null,
): Promise<UserRow[]> {
  const hasIdentification = (...conditions: (SQL | undefined)[]) =>
    exists(
      db
        .select({ one: sql`1` })
        .from(identifications)
        .where(and(eq(identifications.tenantId, tenantId), eq(identifications.userId, users.id), ...conditions)),
    )
  const pattern = filter.query ? likePattern(filter.query) : null
  return db
    .select()
    .from(users)
    .where(
      and(
        eq(users.tenantId, tenantId),
        live,
        filter.email !== undefined
          ? hasIdentification(eq(identifications.type, 'email_address'), eq(identifications.normalized, filter.email))
          : undefined,
        filter.phone !== undefined
          ? hasIdentification(eq(identifications.type, 'phone_number'), eq(identifications.normalized, filter.phone))
          : undefined,
        pattern
          ? or(
              ilike(users.username, pattern),
              ilike(users.firstName, pattern),
              ilike(users.lastName, pattern),
              hasIdentification(or(ilike(identifications.value, pattern), ilike(identifications.normalized, pattern))),
            )
          : undefined,
        after
          ? sql`(${users.createdAt}, ${users.id}) < (${new Date(after.t).toISOString()}::timestamptz, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(limit)
}

/** Swaps the password hash only while it is still `from`; false when it changed meanwhile. */
export async function replacePasswordHash(db: Db, tenantId: string, id: string, from: string, to: string) {
  const updated = await db
    .update(users)
    .set({ passwordHash: to })
    .where(and(eq(users.tenantId, tenantId), eq(users.id, id), eq(users.passwordHash, from)))
    .returning({ id: users.id })
  return updated.length === 1
}

export async function update(db: Db, tenantId: string, id: string, patch: UserPatch): Promise<UserRow | null> {
  const [row] = await db.update(users).set(patch).where(ofUser(tenantId, id)).returning()
  return row ?? null
}

export async function deleteIdentifications(db: Db, tenantId: string, userId: string): Promise<void> {
  await db
    .delete(identifications)
    .where(and(eq(identifications.tenantId, tenantId), eq(identifications.userId, userId)))
}

/**
 * One failed password, counted atomically so concurrent attempts on several nodes all count.
 * Reaching `max` (0 = never) sets the lock and restarts the count, so the user has the full
 * number of tries again once the lock has passed.
 */
export async function countFailedPassword(
  db: Db,
  tenantId: string,
  id: string,
  max: number,
  lockUntil: Date,
): Promise<{ failedPasswordAttempts: number; lockedUntil: Date | null; locked: boolean } | null> {
  const reaches = sql`(${max}::int > 0 and ${users.failedPasswordAttempts} + 1 >= ${max}::int)`
  const [row] = await db
    .update(users)
    .set({
      failedPasswordAttempts: sql`case when ${reaches} then 0 else ${users.failedPasswordAttempts} + 1 end`,
      lockedUntil: sql`case when ${reaches} then ${lockUntil.toISOString()}::timestamptz else ${users.lockedUntil} end`,
    })
    .where(ofUser(tenantId, id))
    .returning({
      failedPasswordAttempts: users.failedPasswordAttempts,
      lockedUntil: users.lockedUntil,
    })
  if (!row) return null
  return { ...row, locked: max > 0 && row.failedPasswordAttempts === 0 }
}

export type IdentificationPatch = Partial<
  Pick<IdentificationRow, 'verified' | 'verifiedAt' | 'reservedForSecondFactor'>
> & { updatedAt: Date }

/** Changes one identification of this user; null if the user has no such identification. */
export async function updateIdentification(
  db: Db,
  tenantId: string,
  userId: string,
  id: string,
  patch: IdentificationPatch,
): Promise<IdentificationRow | null> {
  const [row] = await db
    .update(identifications)
    .set(patch)
    .where(and(eq(identifications.tenantId, tenantId), eq(identifications.userId, userId), eq(identifications.id, id)))
    .returning()
  return row ?? null
}

export async function deleteIdentification(db: Db, tenantId: string, userId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(identifications)
    .where(and(eq(identifications.tenantId, tenantId), eq(identifications.userId, userId), eq(identifications.id, id)))
    .returning({ id: identifications.id })
  return deleted.length === 1
}

export async function findIdentification(db: Db, tenantId: string, id: string): Promise<IdentificationRow | null> {
  const [row] = await db
    .select()
    .from(identifications)
    .where(and(eq(identifications.tenantId, tenantId), eq(identifications.id, id)))
    .limit(1)
  return row ?? null
}
