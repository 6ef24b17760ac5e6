import { TypeCompiler } from '@sinclair/typebox/compiler'
import type { Static } from 'elysia'
import type { Deps } from '../../deps'
import { importableDigest } from '../../platform/crypto/imported-hashes'
import { AppError, type ErrorCode } from '../../platform/errors'
import { validationError } from '../../platform/http/envelope'
import * as MfaService from '../mfa/service'
import { createBody, type PublicUser } from '../users/model'

/**
 * Users brought from another system (issue #16): a password digest verified on first sign-in
 * and then rehashed, a TOTP secret and backup codes. Nothing here is ever echoed: errors name
 * the parameter, never its value.
 */

export interface ImportedCredentials {
  /** The digest as stored (its format names the hasher), or null. */
  passwordDigest: string | null
  totpSecret: string | null
  backupCodes: string[]
  /** The parameters given, for the audit entry (names only). */
  imported: string[]
}

/** Checks the import fields of a create body; 422 naming the parameter when one is unusable. */
export function importedCredentials(body: Static<typeof createBody>): ImportedCredentials {
  const invalid = (param_name: string, reason?: string) =>
    new AppError('form_param_format_invalid', reason ? { param_name, reason } : { param_name })
  const { password_digest: digest, password_hasher: hasher } = body
  if (digest !== undefined && body.password !== undefined) throw invalid('password_digest', 'password_given')
  if (digest !== undefined && hasher === undefined)
    throw new AppError('form_param_missing', { param_name: 'password_hasher' })
  if (hasher !== undefined && digest === undefined)
    throw new AppError('form_param_missing', { param_name: 'password_digest' })
  const passwordDigest = digest === undefined ? null : importableDigest(hasher!, digest)
  if (digest !== undefined && passwordDigest === null) throw invalid('password_digest')
  const totpSecret = body.totp_secret === undefined ? null : MfaService.importableTotpSecret(body.totp_secret)
  if (body.totp_secret !== undefined && totpSecret === null) throw invalid('totp_secret')
  const backupCodes = (body.backup_codes ?? []).map((code) => MfaService.importableBackupCode(code))
  if (backupCodes.some((code) => code === null)) throw invalid('backup_codes')
  const imported = [
    digest !== undefined && 'password_digest',
    totpSecret !== null && 'totp_secret',
    backupCodes.length > 0 && 'backup_codes',
  ].filter((name): name is string => name !== false)
  return { passwordDigest, totpSecret, backupCodes: [...new Set(backupCodes as string[])], imported }
}

export type BulkRow =
  | { index: number; status: 'created'; user: PublicUser }
  | {
      index: number
      status: 'error'
      errors: { code: ErrorCode; message: string; long_message: string; meta: Record<string, unknown> }[]
    }

const checkRow = TypeCompiler.Compile(createBody)

/**
 * POST /v1/users/bulk: each row is created on its own, in its own transaction, exactly as
 * POST /v1/users would (same checks, events and audit), and answered on its own. Unlike the
 * all-or-none invitations/bulk, an import must report which rows failed and carry on with the
 * rest, so that a rerun can resume with just those. Rows run one after another: concurrency
 * is the caller's (a few requests at once), which keeps one request's cost bounded.
 */
export async function bulkCreate(
  deps: Deps,
  rows: unknown[],
  create: (body: Static<typeof createBody>) => Promise<PublicUser>,
  traceId: string,
): Promise<{ data: BulkRow[] }> {
  const data: BulkRow[] = []
  for (const [index, row] of rows.entries()) {
    try {
      if (!checkRow.Check(row)) throw validationError([...checkRow.Errors(row)].slice(0, 1) as never)
      data.push({ index, status: 'created', user: await create(row) })
    } catch (err) {
      data.push({ index, status: 'error', errors: [rowError(deps, err, traceId)] })
    }
  }
  return { data }
}

function rowError(deps: Deps, err: unknown, traceId: string) {
  if (!(err instanceof AppError)) deps.log.error('bulk user row failed', { trace_id: traceId, err })
  const known = err instanceof AppError ? err : new AppError('internal_error')
  return { code: known.code, message: known.message, long_message: known.longMessage, meta: known.meta }
}
