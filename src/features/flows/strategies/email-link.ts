import { sentSecret } from './sent-secret'

/** A one-time link to the email address, opened on any device (API.md §4 Email links). */
export const emailLink = sentSecret({
  id: 'email_link',
  steps: ['first'],
  channel: 'email',
  secret: 'link',
  template: 'magic_link',
})
