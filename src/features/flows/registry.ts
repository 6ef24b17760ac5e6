import { isExternalStrategy, type ExternalStrategy, type Strategy } from '../../../machines/shared/types'
import type { FactorStep, FactorStrategy } from './strategy'
import { backupCode } from './strategies/backup-code'
import { emailCode } from './strategies/email-code'
import { emailLink } from './strategies/email-link'
import { externalStrategy } from './strategies/external'
import { passkey } from './strategies/passkey'
import { password } from './strategies/password'
import { phoneCode } from './strategies/phone-code'
import { resetPasswordEmailCode } from './strategies/reset-password-email-code'
import { resetPasswordPhoneCode } from './strategies/reset-password-phone-code'
import { ticket } from './strategies/ticket'
import { totp } from './strategies/totp'

/**
 * Every factor, by its API name: a new one is a file in strategies/ and a line here. External
 * providers' strategies (`oauth_<provider>`, `enterprise_sso`) are one file for all of them.
 */
const STRATEGIES: { readonly [S in Exclude<Strategy, ExternalStrategy>]: FactorStrategy } = {
  password,
  email_code: emailCode,
  email_link: emailLink,
  phone_code: phoneCode,
  passkey,
  totp,
  backup_code: backupCode,
  reset_password_email_code: resetPasswordEmailCode,
  reset_password_phone_code: resetPasswordPhoneCode,
  ticket,
}

export const strategyOf = (id: Strategy): FactorStrategy =>
  isExternalStrategy(id) ? externalStrategy(id) : STRATEGIES[id]

/** The strategies that can prove a step, in the order listed above. */
export const strategiesFor = (step: FactorStep): FactorStrategy[] =>
  Object.values(STRATEGIES).filter((s) => s.steps.includes(step))
