import { sentSecret } from './sent-secret'

/** Forgot password: a code to the account's email proves it, and the attempt then takes a new password. */
export const resetPasswordEmailCode = sentSecret({
  id: 'reset_password_email_code',
  steps: ['reset'],
  channel: 'email',
  secret: 'code',
  template: 'password_reset',
  passesPasswordLockout: true,
})
