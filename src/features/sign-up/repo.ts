import { and, desc, eq } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { flowTable } from '../../platform/db/flow-table'
import { signUpAttempts } from './schema'

export type SignUpRow = typeof signUpAttempts.$inferSelect

/** find, insert, the versioned saveSnapshot and the sweeper's delete: the flow contract of platform/db. */
export const { find, insert, saveSnapshot, deleteExpiredBefore } = flowTable(signUpAttempts)

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
    | 'externalIdentity'
  >
>

/** Only the owner's attempts are visible: another client (or the BAPI) gets null. */
export async function findOwned(db: Db, tenantId: string, owner: string, id: string): Promise<SignUpRow | null> {
  const [row] = await db
    .select()
    .from(signUpAttempts)
    .where(and(eq(signUpAttempts.tenantId, tenantId), eq(signUpAttempts.id, id), eq(signUpAttempts.owner, owner)))
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
