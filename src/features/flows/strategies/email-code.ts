import { sentSecret } from './sent-secret'

/** A code sent to the account's (or sign-up's) email address. */
export const emailCode = sentSecret({
  id: 'email_code',
  steps: ['first'],
  channel: 'email',
  secret: 'code',
  template: 'verification_code',
})
