import type { Static } from 'elysia'
import { importableDigest } from '../../platform/crypto/imported-hashes'
import { AppError } from '../../platform/errors'
import * as MfaService from '../mfa/service'
import type { createBody } from '../users/model'

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
