import { sentSecret } from './sent-secret'

/** Forgot password: a code by SMS to the account's phone proves it, and the attempt then takes a new password. */
export const resetPasswordPhoneCode = sentSecret({
  id: 'reset_password_phone_code',
  steps: ['reset'],
  channel: 'sms',
  secret: 'code',
  template: 'password_reset',
  passesPasswordLockout: true,
})
