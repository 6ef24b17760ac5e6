import { sentSecret } from './sent-secret'

/** A code sent by SMS: a first factor to the phone signed in with, a second one to the reserved phone. */
export const phoneCode = sentSecret({
  id: 'phone_code',
  steps: ['first', 'second'],
  channel: 'sms',
  secret: 'code',
  template: 'verification_code',
})
