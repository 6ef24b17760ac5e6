import { maskDestination } from '../../challenges/model'
import * as UsersService from '../../users/service'
import { sentSecret } from './sent-secret'

/**
 * A code sent by SMS: a first factor to the phone signed in with, a second one to a verified phone
 * the user reserved for it (one factor offered per reserved phone, named by its id).
 */
export const phoneCode = sentSecret({
  id: 'phone_code',
  steps: ['first', 'second'],
  channel: 'sms',
  secret: 'code',
  template: 'verification_code',
  async enrolledInTx(tx, tenant, userId) {
    const phones = (await UsersService.identificationsOf(tx, tenant.id, userId)).filter(
      (i) => i.type === 'phone_number' && i.verified && i.reservedForSecondFactor,
    )
    return phones.map((phone) => ({
      strategy: 'phone_code' as const,
      safe_identifier: maskDestination(phone.value),
      phone_number_id: phone.id,
    }))
  },
})
