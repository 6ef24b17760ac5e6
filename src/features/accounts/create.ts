import { TypeCompiler } from '@sinclair/typebox/compiler'
import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import { appendAudit, forgetHead, shareHead } from '../../platform/audit'
import { hashPassword } from '../../platform/crypto/password'
import type { Tx } from '../../platform/db/client'
import { withTenant } from '../../platform/db/tx'
import { AppError, type ErrorCode } from '../../platform/errors'
import { validationError } from '../../platform/http/envelope'
import type { AuditBy } from '../audit/service'
import * as MfaService from '../mfa/service'
import * as OrganizationsService from '../organizations/service'
import type { TenantRow } from '../tenants/service'
import { createBody, type MfaSummary, type PublicUser, toPublicUser } from '../users/model'
import * as UsersService from '../users/service'
import { type ImportedCredentials, importedCredentials } from './import'

/** Backend API user creation (API.md §7), one at a time or in bulk (issue #16). */

type Body = Static<typeof createBody>
type Actor = AuditBy['actor']

export async function hashNewPassword(
  deps: Deps,
  tenant: TenantRow,
  password: string,
  skipChecks: boolean | undefined,
): Promise<string> {
  // Clerk's skip_password_checks is for importing users; the maximum still holds, since it bounds hashing work.
  UsersService.checkPasswordLength(password, tenant.settings.password, { skipMinimum: skipChecks === true })
  return hashPassword(deps.hashing, password, tenant.settings.password.argon2)
}

interface Prepared {
  body: Body
  metadata: ReturnType<typeof UsersService.metadataPatch>
  imported: ImportedCredentials
  passwordHash: string | null
  mfa: MfaSummary
}

/** What needs no transaction: the body's checks (422) and the password's hashing. */
async function prepare(deps: Deps, tenant: TenantRow, body: Body): Promise<Prepared> {
  const metadata = UsersService.metadataPatch(body)
  const imported = importedCredentials(body)
  // Imported factors obey the tenant's MFA policy, like enrolled ones (422 strategy_not_allowed).
  if (imported.totpSecret !== null) MfaService.checkAllowed(tenant, 'totp')
  if (imported.backupCodes.length > 0) MfaService.checkAllowed(tenant, 'backup_code')
  const passwordHash =
    body.password === undefined
      ? imported.passwordDigest
      : await hashNewPassword(deps, tenant, body.password, body.skip_password_checks)
  const mfa = { totp: imported.totpSecret !== null, backupCodes: imported.backupCodes.length }
  return { body, metadata, imported, passwordHash, mfa }
}

/** The user, imported factors, domain enrollment, audit entry and user.created event, in `tx`. */
async function insertInTx(
  deps: Deps,
  tx: Tx,
  tenant: TenantRow,
  p: Prepared,
  actor: Actor,
  verifiedDomains?: ReadonlySet<string>,
): Promise<PublicUser> {
  const { body, imported, mfa } = p
  const verified = (values: string[] | undefined) => (values ?? []).map((value) => ({ value, verified: true }))
  const inserted = await UsersService.insertUser(deps, tx, tenant.id, {
    emailAddresses: verified(body.email_address),
    phoneNumbers: verified(body.phone_number),
    username: body.username ?? null,
    passwordHash: p.passwordHash,
    firstName: body.first_name ?? null,
    lastName: body.last_name ?? null,
    ...p.metadata,
    mfa,
  })
  if (mfa.totp || mfa.backupCodes > 0)
    await MfaService.importFactorsInTx(deps, tx, tenant.id, inserted.user.id, imported)
  // Addresses given here count as verified: those at a verified organization domain enroll now.
  const emails = body.email_address ?? []
  await OrganizationsService.enrollVerifiedEmails(deps, tx, tenant, inserted.user.id, emails, verifiedDomains)
  const entry = {
    action: 'user.created',
    actor,
    target: { type: 'user', id: inserted.user.id },
    // What was imported, by name only: never a digest, secret or code.
    ...(imported.imported.length > 0 && { data: { imported: imported.imported } }),
  }
  await appendAudit(deps.auditKey, tx, tenant.id, entry, deps.clock.now())
  return toPublicUser(inserted.user, inserted.identifications, deps.clock.now(), { mfa })
}

/** Creates a user whose given addresses count as verified (API.md §7). */
export async function create(deps: Deps, tenant: TenantRow, body: Body, actor: Actor): Promise<PublicUser> {
  const prepared = await prepare(deps, tenant, body)
  return withTenant(deps.db, tenant.id, (tx) => insertInTx(deps, tx, tenant, prepared, actor))
}

/** Rolls back the optimistic batch when one of its rows is refused. */
class RowRefused extends Error {}

/**
 * The common case first: every row goes in, in one transaction without savepoints (two statements fewer per row).
 * When any row is refused (an address taken, …) nothing is kept and null sends the batch down the savepoint path,
 * which answers each row on its own.
 */
async function insertTogether(
  deps: Deps,
  tenant: TenantRow,
  prepared: (Prepared | BulkRow)[],
  actor: Actor,
): Promise<BulkRow[] | null> {
  try {
    return await withTenant(deps.db, tenant.id, async (tx) => {
      const domains = await OrganizationsService.verifiedDomainsInTx(tx, tenant.id)
      const answers: BulkRow[] = []
      for (const [index, row] of prepared.entries()) {
        if ('status' in row) answers.push(row)
        else {
          const user = await insertInTx(deps, tx, tenant, row, actor, domains).catch((err: unknown) => {
            throw new RowRefused('row refused', { cause: err })
          })
          answers.push({ index, status: 'created', user })
        }
      }
      return answers
    })
  } catch (err) {
    if (err instanceof RowRefused) return null
    throw err
  }
}

type RowError = { code: ErrorCode; message: string; long_message: string; meta: Record<string, unknown> }
export type BulkRow =
  | { index: number; status: 'created'; user: PublicUser }
  | { index: number; status: 'error'; errors: RowError[] }

const checkRow = TypeCompiler.Compile(createBody)
const PREPARING = 4

/**
 * POST /v1/users/bulk: each row is checked and created exactly as POST /v1/users would (same
 * checks, events and audit) and answered on its own. Unlike the all-or-none invitations/bulk,
 * an import must report which rows failed and carry on with the rest, so that a rerun can
 * resume with just those. Checks and hashing come first, through the hash queue like any
 * request's; then one transaction holds a savepoint per row: a refused row rolls back alone,
 * and the batch commits once (one disk sync on embedded PGlite instead of one per user).
 */
export async function bulkCreate(
  deps: Deps,
  tenant: TenantRow,
  rows: unknown[],
  actor: Actor,
  traceId: string,
): Promise<{ data: BulkRow[] }> {
  const rowError = (index: number, err: unknown): BulkRow => {
    if (!(err instanceof AppError)) deps.log.error('bulk user row failed', { trace_id: traceId, index, err })
    const known = err instanceof AppError ? err : new AppError('internal_error')
    const error = { code: known.code, message: known.message, long_message: known.longMessage, meta: known.meta }
    return { index, status: 'error', errors: [error] }
  }
  const prepared: (Prepared | BulkRow)[] = []
  const prepareRow = async (index: number) => {
    const row = rows[index]
    try {
      if (!checkRow.Check(row)) throw validationError([...checkRow.Errors(row)].slice(0, 1) as never)
      prepared[index] = await prepare(deps, tenant, row)
    } catch (err) {
      prepared[index] = rowError(index, err)
    }
  }
  // A few rows at a time: plain passwords hash in the queue, which refuses a burst past its bound.
  let next = 0
  const worker = async () => {
    while (next < rows.length) await prepareRow(next++)
  }
  await Promise.all(Array.from({ length: PREPARING }, worker))
  const data =
    (await insertTogether(deps, tenant, prepared, actor)) ??
    (await withTenant(deps.db, tenant.id, async (tx) => {
      const domains = await OrganizationsService.verifiedDomainsInTx(tx, tenant.id)
      const answers: BulkRow[] = []
      for (const [index, row] of prepared.entries()) {
        if ('status' in row) answers.push(row)
        else
          answers.push(
            await tx
              .transaction((savepoint) => {
                shareHead(tx, savepoint)
                return insertInTx(deps, savepoint, tenant, row, actor, domains)
              })
              .then((user): BulkRow => ({ index, status: 'created', user }))
              .catch((err) => {
                forgetHead(tx, tenant.id)
                return rowError(index, err)
              }),
          )
      }
      return answers
    }))
  return { data }
}
