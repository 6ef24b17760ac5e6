import type { Account, Challenge, User } from '@tessera/js'
import type { FieldProps } from '../ui/field'

interface Contact {
  id: string
  value: string
  verified: boolean
  /** Phones only: offered as a `phone_code` second factor (API.md §11). */
  reserved?: boolean
}

/** What differs between email addresses and phone numbers; the section is the same for both. */
export interface ContactKind {
  title: string
  field: Pick<FieldProps, 'name' | 'label' | 'type' | 'autoComplete'>
  list(user: User): Contact[]
  primaryId(user: User): string | null
  add(account: Account, value: string): Promise<{ id: string }>
  prepare(account: Account, id: string): Promise<Challenge>
  verify(account: Account, id: string, challengeId: string, code: string): Promise<unknown>
  makePrimary(account: Account, id: string): Promise<unknown>
  remove(account: Account, id: string): Promise<void>
  /** Phones: reserve a verified one for two-step verification, or release it. */
  reserve?(account: Account, id: string, reserved: boolean): Promise<unknown>
}

export const EMAIL_ADDRESSES: ContactKind = {
  title: 'Email addresses',
  field: { name: 'email_address', label: 'New email address', type: 'email', autoComplete: 'email' },
  list: (user) => user.email_addresses.map((e) => ({ id: e.id, value: e.email_address, verified: e.verified })),
  primaryId: (user) => user.primary_email_address_id,
  add: (account, value) => account.addEmailAddress(value),
  prepare: (account, id) => account.prepareEmailAddress(id),
  verify: (account, id, challengeId, code) => account.verifyEmailAddress(id, challengeId, code),
  makePrimary: (account, id) => account.update({ primary_email_address_id: id }),
  remove: (account, id) => account.removeEmailAddress(id),
}

export const PHONE_NUMBERS: ContactKind = {
  title: 'Phone numbers',
  field: { name: 'phone_number', label: 'New phone number', type: 'tel', autoComplete: 'tel' },
  list: (user) =>
    user.phone_numbers.map((p) => ({
      id: p.id,
      value: p.phone_number,
      verified: p.verified,
      reserved: p.reserved_for_second_factor === true,
    })),
  primaryId: (user) => user.primary_phone_number_id,
  add: (account, value) => account.addPhoneNumber(value),
  prepare: (account, id) => account.preparePhoneNumber(id),
  verify: (account, id, challengeId, code) => account.verifyPhoneNumber(id, challengeId, code),
  makePrimary: (account, id) => account.update({ primary_phone_number_id: id }),
  remove: (account, id) => account.removePhoneNumber(id),
  reserve: (account, id, reserved) => account.reservePhoneForSecondFactor(id, reserved),
}
