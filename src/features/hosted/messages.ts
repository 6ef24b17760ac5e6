import type { AppError, ErrorCode } from '../../platform/errors'

/**
 * Service errors as a person reads them on a page, with the field they concern. Wording never
 * tells whether an identifier has an account: the services answer known and unknown alike, and
 * these sentences add nothing to what they answered.
 */
export interface PageError {
  message: string
  /** The form field the error concerns (linked by aria-describedby), when the error names one. */
  field: string | null
}

const TEXT: Partial<Record<ErrorCode, string>> = {
  form_password_incorrect: 'That password is not right.',
  form_code_incorrect: 'That code is not right.',
  verification_expired: 'This step took too long and has expired. Please start again.',
  verification_failed: 'That could not be verified. Please request a new code or start again.',
  strategy_not_allowed: 'That way of signing in is not available here.',
  form_identifier_exists: 'That is already in use. Sign in instead, or use another.',
  form_param_missing: 'Please fill in this field.',
  form_param_format_invalid: 'Please check this field: it is not in the expected format.',
  origin_invalid: 'This form was sent from another site, so it was refused. Please start again from this page.',
  permission_denied: 'This form has expired or was sent from another page. Please try again.',
  resource_not_found: 'This sign-in could not be found. Please start again.',
  conflict: 'Something changed in the meantime. Please try again.',
  server_busy: 'We are busy right now. Please try again in a moment.',
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

export function pageErrorOf(err: AppError): PageError {
  const meta = err.meta as Record<string, unknown>
  let message = TEXT[err.code] ?? err.longMessage
  if (typeof meta.attempts_remaining === 'number')
    message += ` ${plural(meta.attempts_remaining, 'attempt')} remaining.`
  if (err.code === 'user_locked')
    message =
      typeof meta.unlock_at === 'number'
        ? `Too many wrong attempts: this account is locked until ${utc(meta.unlock_at)}.`
        : 'This account is locked.'
  if (err.code === 'too_many_requests') {
    const after = Number(err.headers['Retry-After'] ?? err.headers['retry-after'] ?? 0)
    message = `Too many attempts. Please wait${after > 0 ? ` ${plural(after, 'second')}` : ' a moment'} and try again.`
  }
  const field = typeof meta.param_name === 'string' ? meta.param_name : null
  return { message, field }
}
