import { and, desc, eq, lt } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { signUpAttempts } from './schema'

export type SignUpRow = typeof signUpAttempts.$inferSelect

/** The columns a request may change besides the snapshot (the password only ever as its hash). */
export type SignUpFields = Partial<
  Pick<
    SignUpRow,
    | 'emailAddress'
    | 'phoneNumber'
    | 'username'
    | 'firstName'
    | 'lastName'
    | 'passwordHash'
    | 'unsafeMetadata'
    | 'legalAccepted'
    | 'redirectUrl'
  >
>

export async function insert(db: Db, row: typeof signUpAttempts.$inferInsert): Promise<SignUpRow> {
  const [created] = await db.insert(signUpAttempts).values(row).returning()
  return created!
}

/** Only the owner's attempts are visible: another client (or the BAPI) gets null. */
export async function findOwned(db: Db, tenantId: string, owner: string, id: string): Promise<SignUpRow | null> {
  const [row] = await db
    .select()
    .from(signUpAttempts)
    .where(and(eq(signUpAttempts.tenantId, tenantId), eq(signUpAttempts.id, id), eq(signUpAttempts.owner, owner)))
    .limit(1)
  return row ?? null
}

export async function find(db: Db, tenantId: string, id: string): Promise<SignUpRow | null> {
  const [row] = await db
    .select()
    .from(signUpAttempts)
    .where(and(eq(signUpAttempts.tenantId, tenantId), eq(signUpAttempts.id, id)))
    .limit(1)
  return row ?? null
}

export async function latestForOwner(db: Db, tenantId: string, owner: string): Promise<SignUpRow | null> {
  const [row] = await db
    .select()
    .from(signUpAttempts)
    .where(and(eq(signUpAttempts.tenantId, tenantId), eq(signUpAttempts.owner, owner)))
    .orderBy(desc(signUpAttempts.createdAt))
    .limit(1)
  return row ?? null
}

/** Saves the snapshot and any changed fields under the optimistic version; false when another request won. */
export async function save(
  db: Db,
  row: SignUpRow,
  snapshot: unknown,
  status: string,
  fields: SignUpFields,
  at: Date,
): Promise<SignUpRow | null> {
  const [updated] = await db
    .update(signUpAttempts)
    .set({ ...fields, snapshot, status, version: row.version + 1, updatedAt: at })
    .where(
      and(
        eq(signUpAttempts.tenantId, row.tenantId),
        eq(signUpAttempts.id, row.id),
        eq(signUpAttempts.version, row.version),
      ),
    )
    .returning()
  return updated ?? null
}

/** The sweeper: attempts a day past their expiry are of no use to anyone. */
export async function deleteExpiredBefore(db: Db, before: Date): Promise<number> {
  const deleted = await db
    .delete(signUpAttempts)
    .where(lt(signUpAttempts.expireAt, before))
    .returning({ id: signUpAttempts.id })
  return deleted.length
}
