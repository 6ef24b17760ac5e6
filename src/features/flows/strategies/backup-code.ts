import { enrolledCode } from './enrolled-code'

/** One of the account's unused backup codes (each works once). */
export const backupCode = enrolledCode('backup_code')
